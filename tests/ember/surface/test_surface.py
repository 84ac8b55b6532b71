"""ember versus stored PyTorch results for the long tail of the operator surface: ``out=``,
0-d tensors under ``dim=0``/``dim=-1``, and the functions and methods added for issue 13."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ember
from ember.ops._out_names import OUT_FUNCTIONS
from tests.ember.diff._harness import snippet_suite
from tests.ember.surface.cases import all_cases

test_snippet_matches_torch, test_fixture_has_no_stale_entries = snippet_suite(
    all_cases(), Path(__file__).parent / "expected.json"
)

FIXTURE = json.loads((Path(__file__).parent / "torch_surface.json").read_text())
_MODULES = {"torch": ember, "special": ember.special, "fft": ember.fft, "linalg": ember.linalg}


def test_out_list_is_generated_from_the_fixture():
    assert {k: sorted(v) for k, v in OUT_FUNCTIONS.items()} == FIXTURE["out"]


@pytest.mark.parametrize("key", sorted(_MODULES))
def test_every_function_torch_gives_out_takes_out(key):
    mod = _MODULES[key]
    present = [n for n in FIXTURE["out"][key] if hasattr(mod, n)]
    lacking = [n for n in present if not getattr(getattr(mod, n), "_takes_out", False)]
    assert present and not lacking, f"ember.{key} functions without out=: {lacking}"
