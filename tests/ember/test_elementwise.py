"""Hand-written tests for elementwise ops: what the op table can't express.

Dtype promotion, error messages, in-place semantics, numerical stability at extreme inputs,
PyTorch's gradient conventions at ties and bounds, and comparisons with tolerances.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import ember

UNARY_FLOAT = [
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf",
    "erfc", "erfinv", "reciprocal",
]


@pytest.mark.parametrize("name", UNARY_FLOAT)
def test_integer_input_promotes_to_default_float(name, device):
    x = ember.tensor([0, 1, 2], device=device)
    assert getattr(ember, name)(x).dtype is ember.float32
    assert getattr(x, name)().dtype is ember.float32


@pytest.mark.parametrize("name", UNARY_FLOAT + ["relu", "abs", "square", "sign", "floor", "frac"])
def test_float32_stays_float32(name, device):
    x = ember.tensor([0.25, 0.5], device=device, requires_grad=True)
    y = getattr(ember, name)(x)
    assert y.dtype is ember.float32
    y.sum().backward()
    assert x.grad.dtype is ember.float32


@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp", "xlogy", "copysign",
                                  "maximum", "fmin"])
def test_binary_float32_with_python_float_stays_float32(name, device):
    x = ember.tensor([0.5, 2.0], device=device)
    assert getattr(ember, name)(x, 1.5).dtype is ember.float32


def test_integer_results_keep_integer_dtype(device):
    x = ember.tensor([-2, 3], device=device)
    assert ember.relu(x).dtype is ember.int64 and ember.relu(x).tolist() == [0, 3]
    assert ember.abs(x).tolist() == [2, 3] and ember.abs(x).dtype is ember.int64
    assert ember.square(x).tolist() == [4, 9]
    assert ember.maximum(x, ember.tensor([0, 5], device=device)).tolist() == [0, 5]
    assert ember.floor(x).tolist() == [-2, 3]
    assert ember.atan2(x, x).dtype is ember.float32


def test_clamp_promotes_integer_input_for_float_bounds(device):
    out = ember.clamp(ember.tensor([1, 2, 3], device=device), min=1.5)
    assert out.dtype is ember.float32 and out.tolist() == [1.5, 2.0, 3.0]
    assert ember.clamp(ember.tensor([1, 2, 3], device=device), max=2).dtype is ember.int64


def test_error_messages_name_the_op():
    with pytest.raises(TypeError, match="exp"):
        ember.exp([1.0, 2.0])
    with pytest.raises(RuntimeError, match="at least one of 'min' or 'max'"):
        ember.clamp(ember.ones(2))
    with pytest.raises(RuntimeError, match="addcdiv"):
        ember.addcdiv(ember.ones(2), ember.tensor([1, 2]), ember.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="frac"):
        ember.frac(ember.tensor([1, 2]))


def test_inplace_ops_write_through_and_bump_version(device):
    base = ember.tensor([-1.0, 0.5, 3.0], device=device)
    view = base[1:]
    for method, expected in [("relu_", [0.5, 3.0]), ("clamp_", [0.5, 1.0]),
                             ("sqrt_", [math.sqrt(0.5), 1.0])]:
        before = base._version
        args = (None, 1.0) if method == "clamp_" else ()
        assert getattr(view, method)(*args) is view
        assert base._version > before
        np.testing.assert_allclose(base.cpu().numpy()[1:], expected, rtol=1e-6)
    assert base.tolist()[0] == -1.0


def test_fill_and_zero(device):
    x = ember.ones(2, 3, device=device)
    v = x._version
    assert x.fill_(2.5) is x and x.tolist() == [[2.5] * 3] * 2 and x._version == v + 1
    x[0].zero_()
    assert x.tolist() == [[0.0] * 3, [2.5] * 3]
    x.fill_(ember.tensor(4.0))
    assert x.sum().item() == 24.0


def test_fill_on_non_leaf_blocks_the_gradient():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.fill_(7.0)
    (y * x).sum().backward()
    assert x.grad.tolist() == [7.0, 7.0]  # only the direct use of x contributes


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x.sigmoid_()


def test_inplace_integer_to_float_result_raises():
    with pytest.raises(RuntimeError, match="can't be cast"):
        ember.tensor([1, 2]).exp_()


def test_inplace_on_non_leaf_has_the_right_gradient():
    x = ember.tensor([0.3, -0.7], requires_grad=True)
    y = x * 2
    y.tanh_()
    y.sum().backward()
    expected = 2 * (1 - np.tanh(2 * np.array([0.3, -0.7])) ** 2)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_inplace_after_save_is_detected():
    x = ember.tensor([0.3, -0.7], requires_grad=True)
    y = x * 1.0
    z = ember.sin(y)  # saves y
    y.relu_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_sigmoid_is_stable_without_warnings(device):
    x = ember.tensor([-1000.0, -100.0, 0.0, 100.0, 1000.0], device=device, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = ember.sigmoid(x)
        y.sum().backward()
    assert y.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert bool(ember.isfinite(x.grad).all())
    small = ember.sigmoid(ember.tensor([-30.0], dtype=ember.float64)).item()
    assert small == pytest.approx(1 / (1 + math.exp(30)), rel=1e-12)


def test_erf_family_matches_math_to_float64_precision():
    x = np.concatenate([np.linspace(-7, 7, 2001), [0.0, 1e-300, -26.0, 26.0]])
    got = ember.erf(ember.tensor(x)).numpy()
    ref = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(got, ref, rtol=4e-16, atol=1e-300)
    got = ember.erfc(ember.tensor(x)).numpy()
    ref = np.array([math.erfc(v) for v in x])
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=0)


def test_erf_special_values():
    x = ember.tensor([math.inf, -math.inf, math.nan], dtype=ember.float64)
    assert ember.erf(x).tolist()[:2] == [1.0, -1.0] and math.isnan(ember.erf(x).tolist()[2])
    assert ember.erfc(x).tolist()[:2] == [0.0, 2.0]
    inv = ember.erfinv(ember.tensor([1.0, -1.0, 1.5, 0.0], dtype=ember.float64)).tolist()
    assert inv[:2] == [math.inf, -math.inf] and math.isnan(inv[2]) and inv[3] == 0.0


def test_erfinv_inverts_erf_in_the_tails():
    tail = 10.0 ** -np.arange(1, 16)
    y = ember.tensor(1.0 - tail, dtype=ember.float64)
    x = ember.erfinv(y).numpy()
    back = np.array([math.erfc(v) for v in x])
    np.testing.assert_allclose(back, 1.0 - y.numpy(), rtol=1e-12)


def test_xlogy_and_logaddexp_edge_values():
    assert ember.xlogy(ember.tensor([0.0]), ember.tensor([0.0])).item() == 0.0
    assert math.isnan(ember.xlogy(ember.tensor([0.0]), ember.tensor([math.nan])).item())
    big = ember.logaddexp(ember.tensor([1e4]), ember.tensor([1e4])).item()
    assert big == pytest.approx(1e4 + math.log(2))


def test_maximum_splits_ties_and_propagates_nan():
    a = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = ember.tensor([2.0, 2.0, 2.0], requires_grad=True)
    ember.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.5, 1.0] and b.grad.tolist() == [1.0, 0.5, 0.0]
    nan = ember.tensor([math.nan, 1.0])
    assert math.isnan(ember.maximum(nan, ember.tensor([0.0, 0.0])).tolist()[0])
    assert ember.fmax(nan, ember.tensor([0.0, 0.0])).tolist() == [0.0, 1.0]


def test_clamp_gradients_with_tensor_bounds():
    x = ember.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    lo = ember.tensor([0.0, 0.0, 0.0], requires_grad=True)
    hi = ember.tensor([1.0, 1.0, 1.0], requires_grad=True)
    out = ember.clamp(x, lo, hi)
    assert out.tolist() == [0.0, 0.5, 1.0]
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]
    assert lo.grad.tolist() == [1.0, 0.0, 0.0] and hi.grad.tolist() == [0.0, 0.0, 1.0]


def test_clamp_at_bound_passes_gradient_like_pytorch():
    x = ember.tensor([0.0, 1.0, 1.5], requires_grad=True)
    ember.clamp(x, 0.0, 1.0).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0]


def test_relu_and_abs_gradient_at_zero_is_zero():
    x = ember.tensor([0.0, 0.0], requires_grad=True)
    (ember.relu(x) + ember.abs(x)).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_rounding_is_half_to_even_and_has_zero_gradient():
    x = ember.tensor([0.5, 1.5, 2.5, -0.5, 1.25], requires_grad=True)
    y = ember.round(x)
    assert y.tolist() == [0.0, 2.0, 2.0, -0.0, 1.0]
    assert ember.round(ember.tensor([1.25, 1.35]), decimals=1).tolist() == pytest.approx(
        [1.2, 1.4])
    y.sum().backward()
    assert x.grad.tolist() == [0.0] * 5


def test_nan_to_num_defaults_use_the_dtype_range():
    x = ember.tensor([math.nan, math.inf, -math.inf], requires_grad=True)
    out = ember.nan_to_num(x)
    f32 = np.finfo(np.float32)
    assert out.tolist() == [0.0, float(f32.max), float(f32.min)]
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_predicates_on_integer_tensors():
    x = ember.tensor([1, 2])
    assert ember.isnan(x).tolist() == [False, False]
    assert ember.isfinite(x).tolist() == [True, True]
    assert ember.isposinf(ember.tensor([math.inf, -math.inf])).tolist() == [True, False]


def test_where_with_two_numbers_uses_the_default_dtype():
    out = ember.where(ember.tensor([True, False]), 1.0, 0.0)
    assert out.dtype is ember.float32 and out.tolist() == [1.0, 0.0]


def test_isclose_and_allclose():
    a = ember.tensor([1.0, math.inf, math.nan, 1.0])
    b = ember.tensor([1.0 + 1e-7, math.inf, math.nan, 1.1])
    assert ember.isclose(a, b).tolist() == [True, True, False, False]
    assert ember.isclose(a, b, equal_nan=True).tolist() == [True, True, True, False]
    assert ember.allclose(a[:2], b[:2]) is True
    assert a.allclose(b, atol=0.2, equal_nan=True) is True
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.isclose(a, b, rtol=-1.0)


def test_tensor_equality_with_none_is_false():
    x = ember.tensor([1.0])
    assert (x == None) is False  # noqa: E711 - the operator itself is under test
    assert (x != None) is True  # noqa: E711


def test_unary_no_grad_path_records_nothing():
    x = ember.tensor([0.5], requires_grad=True)
    with ember.no_grad():
        y = ember.sigmoid(x)
    assert y.grad_fn is None and not y.requires_grad
