"""ember.testing: assert_close, make_tensor, op records and the data-folder rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
from ember.autograd import Function
from ember.testing import (
    OpRecord,
    Sample,
    assert_close,
    check_op,
    check_op_forward,
    check_op_gradients,
    make_tensor,
    require_data,
    to_tensors,
)


def test_assert_close_default_tolerances_follow_the_dtype():
    a = ember.tensor([1.0, 2.0])
    assert_close(a, ember.tensor([1.0, 2.0 + 5e-6]))  # within float32's atol 1e-5
    with pytest.raises(AssertionError, match=r"Mismatched elements: 1 / 2 \(50.0%\)"):
        assert_close(a, ember.tensor([1.0, 2.001]))
    d = ember.tensor([1.0], dtype=ember.float64)
    with pytest.raises(AssertionError, match="Greatest absolute difference"):
        assert_close(d, ember.tensor([1.0 + 1e-5], dtype=ember.float64))
    with pytest.raises(AssertionError, match="values differ|Tensor-likes"):
        assert_close(ember.tensor([3]), ember.tensor([4]))


def test_assert_close_checks_meta_and_containers():
    with pytest.raises(AssertionError, match="dtypes differ"):
        assert_close(ember.ones(2), ember.ones(2, dtype=ember.float64))
    assert_close(ember.ones(2), ember.ones(2, dtype=ember.float64), check_dtype=False)
    with pytest.raises(AssertionError, match="shapes differ"):
        assert_close(ember.ones(2), ember.ones(3))
    with pytest.raises(AssertionError, match=r"\['b'\]"):
        assert_close({"a": 1.0, "b": ember.ones(1)}, {"a": 1.0, "b": ember.zeros(1)})
    with pytest.raises(AssertionError, match="lengths differ"):
        assert_close([1, 2], [1])
    nan = ember.tensor([float("nan")])
    with pytest.raises(AssertionError):
        assert_close(nan, nan)
    assert_close(nan, nan, equal_nan=True)
    assert_close(ember.tensor([float("inf")]), ember.tensor([float("inf")]))
    with pytest.raises(AssertionError, match="custom"):
        assert_close(1.0, 2.0, msg="custom")
    with pytest.raises(ValueError, match="both rtol and atol"):
        assert_close(1.0, 1.0, rtol=1e-3)


@pytest.mark.parametrize(
    "dtype,low,high",
    [(ember.float32, -9, 9), (ember.float64, 2, 3), (ember.int64, -9, 10), (ember.uint8, 0, 10)],
)
def test_make_tensor_ranges(dtype, low, high):
    t = make_tensor(
        200,
        dtype=dtype,
        low=low if dtype is ember.float64 else None,
        high=high if dtype is ember.float64 else None,
    )
    v = t.numpy()
    assert t.dtype == dtype and t.shape == (200,)
    assert v.min() >= low and v.max() < high and len(np.unique(v)) > 5


def test_make_tensor_options():
    b = make_tensor((3, 4), dtype=ember.bool)
    assert b.dtype == ember.bool and b.shape == (3, 4)
    g = make_tensor(2, 3, dtype=ember.float32, requires_grad=True)
    assert g.requires_grad and g.is_leaf
    z = make_tensor(500, dtype=ember.int32, low=-1, high=2, exclude_zero=True)
    assert (z.numpy() != 0).all()
    nc = make_tensor(3, 4, dtype=ember.float32, noncontiguous=True)
    assert nc.shape == (3, 4)
    ember.manual_seed(7)
    a = make_tensor(5, dtype=ember.float32)
    ember.manual_seed(7)
    assert_close(make_tensor(5, dtype=ember.float32), a)


def _samples(rng, dt):
    yield Sample(rng.uniform(0.5, 2.0, (3, 4)).astype(dt))
    yield Sample(rng.uniform(0.5, 2.0, (5,)).astype(dt))


def test_check_op_passes_a_correct_record():
    check_op(OpRecord("log", ember.log, np.log, _samples))
    args, kwargs = to_tensors(Sample(np.ones(2), [1], dim=np.zeros(1)), requires_grad=True)
    assert args[0].requires_grad and args[1] == [1] and isinstance(kwargs["dim"], ember.Tensor)


def test_check_op_forward_catches_a_wrong_reference():
    with pytest.raises(AssertionError, match="log"):
        check_op_forward(OpRecord("log", ember.log, np.log2, _samples))


class _SinWithCosineForgotten(Function):
    """sin(x) whose backward returns the incoming gradient unchanged (forgets the cos(x))."""

    @staticmethod
    def forward(ctx, x):
        return ember.sin(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


def test_check_op_gradients_catches_a_wrong_backward():
    rec = OpRecord("bad_sin", _SinWithCosineForgotten.apply, np.sin, _samples, gradgrad=False)
    check_op_forward(rec)
    with pytest.raises(Exception, match="(?i)jacobian|gradient|mismatch"):
        check_op_gradients(rec)


def test_require_data_skips_locally_and_fails_in_ci(tmp_path: Path, monkeypatch):
    (tmp_path / "here").mkdir()
    assert require_data("here", root=tmp_path) == tmp_path / "here"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="missing"):
        require_data("absent", root=tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must not skip"):
        require_data("absent", root=tmp_path)
    monkeypatch.setenv("EMBER_DATA", str(tmp_path))
    assert require_data("here") == tmp_path / "here"


def test_above_chance():
    from ember.testing import above_chance

    assert above_chance(100, 0.5, sds=2) == pytest.approx(0.6)
    assert above_chance(10_000, 0.1, sds=3) == pytest.approx(0.109)
    with pytest.raises(ValueError, match="chance"):
        above_chance(10, 1.0)


def test_the_core_op_table_runs_through_the_public_checks():
    from tests.ember.test_op_table import RECORDS

    picked = [r for r in RECORDS if r.name in ("exp", "add", "sum", "tanh", "matmul")]
    assert len(picked) >= 3
    for record in picked:
        check_op_forward(record)
        check_op_gradients(record, gradgrad=False)
