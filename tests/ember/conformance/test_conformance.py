"""ember versus stored PyTorch results for the issue-13 snippets (distributions, special,
checkpoint, the idioms of real programs); the harness is ``tests/ember/diff``'s."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import ember
from tests.ember.conformance.cases import all_cases
from tests.ember.diff._harness import compare, run_snippet

EXPECTED = json.loads((Path(__file__).parent / "expected.json").read_text())["results"]
CASES = all_cases()


def _param(case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_snippet_matches_torch(case) -> None:
    assert case.src in EXPECTED, f"{case.id}: rerun make_expected.py (snippet not in fixture)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run_snippet(case.src, ember)
    diffs = compare(got, EXPECTED[case.src], case)
    assert not diffs, f"snippet:\n{case.src}\n" + "\n".join(diffs)


def test_fixture_has_no_stale_entries() -> None:
    assert set(EXPECTED) <= {c.src for c in CASES}, "rerun make_expected.py (stale snippets)"
