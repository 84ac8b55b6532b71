"""The replay harness classifies what it should: missing names, wrong dtype/shape/value/type,
NaN-aware equality, torch's float64 fallback, gauge-free vectors and tied indices."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from tests.ember.torch_samples.replay import (
    Mismatch,
    Missing,
    _canonical,
    compare,
    resolve,
    run_forward,
)


def _kind(expected, got, **kw):
    with pytest.raises(Mismatch) as info:
        compare(expected, got, False, **kw)
    return info.value.kind


def test_compare_classes():
    want = np.array([1.0, np.nan], dtype=np.float32)
    compare(want, ember.tensor([1.0, float("nan")]), False)  # NaN equals NaN
    assert _kind(want, ember.tensor([1.0, 2.0])) == "wrong_value"
    assert _kind(want, ember.tensor([1.0, float("nan")], dtype=ember.float64)) == "wrong_dtype"
    assert _kind(want, ember.tensor([[1.0, float("nan")]])) == "wrong_shape"
    assert _kind((want,), ember.tensor([1.0, float("nan")])) == "wrong_type"
    assert _kind(np.array([1, 2]), ember.tensor([1, 3])) == "wrong_value"  # integers exact
    compare(np.array([1.0, 2.0]), ember.tensor([1.0, 2.0], dtype=ember.float32), False,
            check_dtype=False)  # fmt: skip
    compare(np.array([3, 1]), ember.tensor([0, 1]), False, loose_ints=True)


def test_resolve_reports_missing_names():
    assert resolve("torch.nn.functional.relu") is ember.nn.functional.relu
    with pytest.raises(Missing, match="ember.no_such_op"):
        resolve("torch.no_such_op")


def test_gauge_free_vectors():
    u = np.array([[0.6, 0.8], [0.8, -0.6]])
    flipped = u * np.array([-1.0, 1.0])
    a, b = (
        _canonical("linalg.eigh", (np.ones(2), u)),
        _canonical("linalg.eigh", (np.ones(2), flipped)),
    )
    np.testing.assert_allclose(a[1], b[1])


def test_run_forward_uses_torchs_float64_result_when_its_float32_one_is_off():
    arrays = {"x": np.array([2.0], np.float32), "lo": np.array([9.0], np.float32),
              "hi": np.array([4.0])}  # fmt: skip
    rec = {"op": "square", "kind": "function", "path": "torch.square", "random": False,
           "input": {"T": "x", "dtype": "float32"}, "args": [], "kwargs": {"dict": {}},
           "output": {"T": "lo", "dtype": "float32"}}  # fmt: skip
    assert run_forward(rec, arrays)[0] == "wrong_value"
    rec["output_hi"] = {"T": "hi", "dtype": "float64"}
    assert run_forward(rec, arrays) == ("pass", "")
    rec["path"] = "torch.no_such_op"
    assert run_forward(rec, arrays)[0] == "missing"
