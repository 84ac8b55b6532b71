"""ember versus stored PyTorch results for the issue-13 audit snippets (device probes, dropout on
other ranks, scalar ** tensor, in-place writes into views of non-leaf tensors, masked softmax);
the harness is ``tests/ember/diff``'s."""

from __future__ import annotations

from pathlib import Path

from tests.ember.audit13.cases import all_cases
from tests.ember.diff._harness import snippet_suite

test_snippet_matches_torch, test_fixture_has_no_stale_entries = snippet_suite(
    all_cases(), Path(__file__).parent / "expected.json"
)
