"""ember versus stored PyTorch results for nn / optim / utils.data / serialization snippets.

Each snippet (see cases.py) runs with ``torch`` bound to ``ember`` after a prelude of
deterministic helpers; its result (values, dtype, shape, repr, error class) must match what
``make_expected.py`` recorded with real PyTorch.
"""

from __future__ import annotations

from pathlib import Path

from tests.ember.diff._harness import snippet_suite
from tests.ember.nn_diff._harness import compare_results, run_nn_snippet
from tests.ember.nn_diff.cases import all_cases

test_snippet_matches_torch, test_fixture_has_no_stale_entries = snippet_suite(
    all_cases(), Path(__file__).parent / "expected.json", run_nn_snippet, compare_results
)
