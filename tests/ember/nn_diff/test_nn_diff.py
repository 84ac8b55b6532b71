"""ember versus stored PyTorch results for nn / optim / utils.data / serialization snippets.

Each snippet (see cases.py) runs with ``torch`` bound to ``ember`` after a prelude of
deterministic helpers; its result (values, dtype, shape, repr, error class) must match what
``make_expected.py`` recorded with real PyTorch.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import ember
from tests.ember.nn_diff._harness import compare_results, run_nn_snippet
from tests.ember.nn_diff.cases import all_cases

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
        got = run_nn_snippet(case.src, ember)
    diffs = compare_results(got, EXPECTED[case.src], case)
    assert not diffs, f"snippet:\n{case.src}\n" + "\n".join(diffs)


def test_fixture_has_no_stale_entries() -> None:
    assert set(EXPECTED) <= {c.src for c in CASES}, "rerun make_expected.py (stale snippets)"
