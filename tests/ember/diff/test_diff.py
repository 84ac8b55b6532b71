"""ember versus stored PyTorch results for several hundred short snippets (see cases.py).

Each snippet runs with ``torch`` bound to ``ember``; its result (values, dtype, shape, repr,
error class) must match what ``make_expected.py`` recorded with real PyTorch.
"""

from __future__ import annotations

from pathlib import Path

from tests.ember.diff._harness import snippet_suite
from tests.ember.diff.cases import all_cases

test_snippet_matches_torch, test_fixture_has_no_stale_entries = snippet_suite(
    all_cases(), Path(__file__).parent / "expected.json"
)
