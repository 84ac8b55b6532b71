"""Elementwise math beyond arithmetic: exp/log, roots, trigonometry, activations, rounding,
clamping, binary math (maximum, atan2, hypot, ...), predicates and selection (``where``).

Unary floating-point ops share one entry point, ``_unary``: integer and bool inputs are promoted to
the default float dtype as in PyTorch, and the untracked path is one array call and a wrap.
Piecewise-constant maps (rounding, sign) share the ``_Piecewise`` primitive, whose gradient is zero.
Every op has an in-place ``name_`` Tensor method computed out of place and written back with
``apply_inplace``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops import _special
from ember.ops._broadcast import sum_to_shape
from ember.ops._util import as_tensor_like, binary_operands, check_same_device, grad_needed
from ember.ops.complex import cmul
from ember.ops.inplace import apply_inplace, check_inplace_allowed

_UNARY_NAMES = [
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
    "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "relu", "erf",
    "erfc", "erfinv", "abs", "reciprocal",
]
_ALIASES = {
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
    "arccosh": "acosh", "arctanh": "atanh", "absolute": "abs", "arctan2": "atan2", "fix": "trunc",
    "clip": "clamp",
}
__all__ = [
    *_UNARY_NAMES, *_ALIASES, "square", "sign", "sgn", "floor", "ceil", "round", "trunc", "frac",
    "clamp", "clamp_min", "clamp_max", "maximum", "minimum", "fmax", "fmin", "atan2", "hypot",
    "logaddexp", "xlogy", "copysign", "isnan", "isinf", "isfinite", "isposinf", "isneginf",
    "isreal", "nan_to_num", "lerp", "addcmul", "addcdiv", "where", "logit",
]

_SQRT_PI = math.sqrt(math.pi)


def _check_tensor(op: str, x: Any) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")


def _unary(cls: type[Primitive], op: str, x: Tensor, *args: Any, float_only: bool = True):
    _check_tensor(op, x)
    if float_only and np_kind(x._data.dtype) not in "fc":
        x = x.to(_dtype.get_default_dtype())
    return cls.apply(x, *args)


def _mask(cond: Any) -> Tensor:
    """A raw boolean array as a Tensor outside the graph."""
    return _wrap(cond)


def _masked(grad: Tensor, keep: Any) -> Tensor:
    """``grad`` where the raw boolean array ``keep`` holds, else exactly 0 (even for inf/NaN).

    A plain backward clears the bits with an AND: NumPy's ``where`` on a data-dependent mask is
    branchy, ~4x slower (11 ms against 2.6 ms on 2.4M floats). A recorded backward
    (``create_graph=True``) uses ``where``, which has a gradient.
    """
    g = grad._data
    if _State.enabled or np_kind(g.dtype) != "f" or g.ndim == 0 or keep.shape != g.shape:
        return where(_mask(keep), grad, 0.0)
    xp = get_xp(g)
    udt = np.dtype(f"u{g.itemsize}")
    bits = xp.negative(keep.view(np.uint8), dtype=udt)  # True -> all ones
    xp.bitwise_and(g.view(udt), bits, out=bits)
    return _wrap(bits.view(g.dtype))


def _quiet() -> Any:
    """NumPy warnings off for the infinities and NaNs an elementwise op may rightly produce."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


# -- exponentials and logarithms ------------------------------------------------------------
class Exp(Primitive):
    """Elementwise e**x. Primitive: its derivative reuses the output."""

    @staticmethod
    def forward(ctx, x):
        y = get_xp(x).exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Expm1(Primitive):
    """e**x - 1, exact for small x."""

    @staticmethod
    def forward(ctx, x):
        y = get_xp(x).expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y + 1.0)


class Log(Primitive):
    """Natural logarithm."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Log1p(Primitive):
    """log(1 + x), exact for small x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).log1p(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x + 1.0)


class Log2(Primitive):
    """Base-2 logarithm."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).log2(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * math.log(2.0))


class Log10(Primitive):
    """Base-10 logarithm."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).log10(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * math.log(10.0))


# -- roots ----------------------------------------------------------------------------------
class Sqrt(Primitive):
    """Square root; the derivative reuses the output."""

    @staticmethod
    def forward(ctx, x):
        with _quiet():
            y = get_xp(x).sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad / (y * 2.0)


class Rsqrt(Primitive):
    """1 / sqrt(x), in one buffer."""

    @staticmethod
    def forward(ctx, x):
        xp = get_xp(x)
        with _quiet():
            y = xp.asarray(xp.sqrt(x))  # asarray: 0-d results come back as NumPy scalars
            xp.reciprocal(y, out=y)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y * y) * -0.5


# -- trigonometric and hyperbolic ------------------------------------------------------------
class Sin(Primitive):
    """Sine."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * cos(x)


class Cos(Primitive):
    """Cosine."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -sin(x)


class Tan(Primitive):
    """Tangent; the derivative 1 + tan**2 reuses the output."""

    @staticmethod
    def forward(ctx, x):
        y = get_xp(x).tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y + 1.0)


class Asin(Primitive):
    """Inverse sine on [-1, 1]."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * rsqrt(1.0 - x * x)


class Acos(Primitive):
    """Inverse cosine on [-1, 1]."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).arccos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -rsqrt(1.0 - x * x)


class Atan(Primitive):
    """Inverse tangent."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).arctan(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1.0)


class Sinh(Primitive):
    """Hyperbolic sine."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).sinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * cosh(x)


class Cosh(Primitive):
    """Hyperbolic cosine."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).cosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * sinh(x)


class Tanh(Primitive):
    """Hyperbolic tangent; the derivative 1 - tanh**2 reuses the output."""

    @staticmethod
    def forward(ctx, x):
        y = get_xp(x).tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1.0 - y * y)


class Asinh(Primitive):
    """Inverse hyperbolic sine."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * rsqrt(x * x + 1.0)


class Acosh(Primitive):
    """Inverse hyperbolic cosine on [1, inf)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * rsqrt(x * x - 1.0)


class Atanh(Primitive):
    """Inverse hyperbolic tangent on (-1, 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with _quiet():
            return get_xp(x).arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1.0 - x * x)


# -- activations ----------------------------------------------------------------------------
class Sigmoid(Primitive):
    """1 / (1 + e**-x) in one buffer (four passes, one allocation).

    Stable without branches: for very negative x, e**-x overflows to inf and 1 / inf is the
    correct limit 0; the overflow warning is silenced. The derivative reuses the output.
    """

    @staticmethod
    def forward(ctx, x):
        xp = get_xp(x)
        y = xp.asarray(xp.negative(x))
        with _quiet():
            xp.exp(y, out=y)
        y += 1.0
        xp.reciprocal(y, out=y)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * (1.0 - y))


class Relu(Primitive):
    """max(x, 0) in one pass; the gradient passes where the output is positive."""

    @staticmethod
    def forward(ctx, x):
        y = get_xp(x).maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return _masked(grad, y._data > 0)


# -- error function -------------------------------------------------------------------------
class Erf(Primitive):
    """The error function (Cephes rational approximations; NumPy has none)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _special.erf(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * exp(-(x * x)) * (2.0 / _SQRT_PI)


class Erfc(Primitive):
    """1 - erf(x), accurate in the tails."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _special.erfc(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * exp(-(x * x)) * (-2.0 / _SQRT_PI)


class Erfinv(Primitive):
    """Inverse of erf on [-1, 1]; the derivative reuses the output."""

    @staticmethod
    def forward(ctx, x):
        y = _special.erfinv(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * exp(y * y) * (_SQRT_PI / 2.0)


# -- magnitude ------------------------------------------------------------------------------
class Abs(Primitive):
    """|x|, the (real) magnitude for complex x; the gradient is ``grad * sgn(x)`` (0 at 0, as in
    PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if x._data.dtype.kind == "c":
            return cmul(grad, sgn(x))
        return grad * sign(x)


class Reciprocal(Primitive):
    """1 / x; the derivative -1/x**2 reuses the output."""

    @staticmethod
    def forward(ctx, x):
        with _quiet():
            y = get_xp(x).reciprocal(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y) * -1.0


_UNARY: dict[str, tuple[type[Primitive], bool, str, str]] = {
    # name: (primitive, float_only, summary, example "input -> printed output")
    "exp": (Exp, True, "Elementwise exponential e**x.", "[0.0] -> tensor([1.])"),
    "expm1": (Expm1, True, "Elementwise e**x - 1, accurate for small x.",
              "[0.0] -> tensor([0.])"),
    "log": (Log, True, "Elementwise natural logarithm.", "[1.0] -> tensor([0.])"),
    "log1p": (Log1p, True, "Elementwise log(1 + x), accurate for small x.",
              "[0.0] -> tensor([0.])"),
    "log2": (Log2, True, "Elementwise base-2 logarithm.", "[1.0, 8.0] -> tensor([0., 3.])"),
    "log10": (Log10, True, "Elementwise base-10 logarithm.", "[100.0] -> tensor([2.])"),
    "sqrt": (Sqrt, True, "Elementwise square root.", "[4.0, 9.0] -> tensor([2., 3.])"),
    "rsqrt": (Rsqrt, True, "Elementwise reciprocal square root 1 / sqrt(x).",
              "[4.0] -> tensor([0.5000])"),
    "sin": (Sin, True, "Elementwise sine (radians).", "[0.0] -> tensor([0.])"),
    "cos": (Cos, True, "Elementwise cosine (radians).", "[0.0] -> tensor([1.])"),
    "tan": (Tan, True, "Elementwise tangent (radians).", "[0.0] -> tensor([0.])"),
    "asin": (Asin, True, "Elementwise inverse sine; NaN outside [-1, 1].",
             "[0.0] -> tensor([0.])"),
    "acos": (Acos, True, "Elementwise inverse cosine; NaN outside [-1, 1].",
             "[1.0] -> tensor([0.])"),
    "atan": (Atan, True, "Elementwise inverse tangent.", "[0.0] -> tensor([0.])"),
    "sinh": (Sinh, True, "Elementwise hyperbolic sine.", "[0.0] -> tensor([0.])"),
    "cosh": (Cosh, True, "Elementwise hyperbolic cosine.", "[0.0] -> tensor([1.])"),
    "tanh": (Tanh, True, "Elementwise hyperbolic tangent.", "[0.0] -> tensor([0.])"),
    "asinh": (Asinh, True, "Elementwise inverse hyperbolic sine.", "[0.0] -> tensor([0.])"),
    "acosh": (Acosh, True, "Elementwise inverse hyperbolic cosine; NaN below 1.",
              "[1.0] -> tensor([0.])"),
    "atanh": (Atanh, True, "Elementwise inverse hyperbolic tangent; ±inf at ±1.",
              "[0.0] -> tensor([0.])"),
    "sigmoid": (Sigmoid, True, "Elementwise logistic sigmoid 1 / (1 + e**-x), stable for any x.",
                "[0.0] -> tensor([0.5000])"),
    "relu": (Relu, False, "Elementwise max(x, 0); integer tensors keep their dtype.",
             "[-1.0, 2.0] -> tensor([0., 2.])"),
    "erf": (Erf, True, "Elementwise error function, accurate to float64 rounding.",
            "[0.0] -> tensor([0.])"),
    "erfc": (Erfc, True, "Elementwise complementary error function 1 - erf(x), "
             "accurate in the tails.", "[0.0] -> tensor([1.])"),
    "erfinv": (Erfinv, True, "Elementwise inverse error function; ±inf at ±1, NaN outside.",
               "[0.0] -> tensor([0.])"),
    "abs": (Abs, False, "Elementwise absolute value (the magnitude for complex tensors); "
            "integer tensors keep their dtype.",
            "[-1.0, 2.0] -> tensor([1., 2.])"),
    "reciprocal": (Reciprocal, True, "Elementwise 1 / x.", "[2.0] -> tensor([0.5000])"),
}


def _make_unary(name: str) -> Callable[[Tensor], Tensor]:
    cls, float_only, summary, example = _UNARY[name]
    arg, shown = example.split(" -> ")
    promo = ("Integer and bool inputs are promoted to the default float dtype.\n\n    "
             if float_only else "")

    def fn(input: Tensor) -> Tensor:
        if name == "relu" and isinstance(input, Tensor) and input._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")  # as PyTorch
        return _unary(cls, name, input, float_only=float_only)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"{summary}\n\n    {promo}Args:\n        input: the input tensor.\n\n    Returns:\n"
        f"        A new tensor.\n\n    Example:\n        >>> ember.{name}(ember.tensor({arg}))\n"
        f"        {shown}\n    "
    )
    return fn


exp = _make_unary("exp")
expm1 = _make_unary("expm1")
log = _make_unary("log")
log1p = _make_unary("log1p")
log2 = _make_unary("log2")
log10 = _make_unary("log10")
sqrt = _make_unary("sqrt")
rsqrt = _make_unary("rsqrt")
sin = _make_unary("sin")
cos = _make_unary("cos")
tan = _make_unary("tan")
asin = _make_unary("asin")
acos = _make_unary("acos")
atan = _make_unary("atan")
sinh = _make_unary("sinh")
cosh = _make_unary("cosh")
tanh = _make_unary("tanh")
asinh = _make_unary("asinh")
acosh = _make_unary("acosh")
atanh = _make_unary("atanh")
sigmoid = _make_unary("sigmoid")
relu = _make_unary("relu")
erf = _make_unary("erf")
erfc = _make_unary("erfc")
erfinv = _make_unary("erfinv")
abs = _make_unary("abs")  # noqa: A001 - PyTorch's public name
reciprocal = _make_unary("reciprocal")


def square(input: Tensor) -> Tensor:
    """Elementwise ``input * input``; integer tensors keep their dtype.

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.square(ember.tensor([-2.0, 3.0]))
        tensor([4., 9.])
    """
    _check_tensor("square", input)
    if input._data.dtype.kind == "b":
        input = input.to(_dtype.int64)
    return input * input


# -- piecewise-constant maps: rounding and sign ------------------------------------------------
class _Piecewise(Primitive):
    """A piecewise-constant map (rounding, sign, fill): its gradient is zero everywhere."""

    @staticmethod
    def forward(ctx, x, fn, arg):
        return fn(x, arg)

    @staticmethod
    def backward(ctx, grad):
        return _wrap(get_xp(grad._data).zeros_like(grad._data)), None, None


def _piecewise(x: Tensor, fn: Callable[[Any, Any], Any], arg: Any = None) -> Tensor:
    return _Piecewise.apply(x, fn, arg)


def _rounding(name: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        _check_tensor(name, input)
        if np_kind(input._data.dtype) != "f":
            return input.clone()
        return _piecewise(input, lambda a, _: getattr(get_xp(a), name)(a))

    fn.__name__ = fn.__qualname__ = name
    shown = {"floor": "-2.,  1.", "ceil": "-1.,  2.", "trunc": "-1.,  1."}[name]
    fn.__doc__ = (
        f"Elementwise {name}; integer tensors are returned as a copy. The gradient is zero.\n\n"
        f"    Args:\n        input: the input tensor.\n\n    Returns:\n        A new tensor.\n\n"
        f"    Example:\n        >>> ember.{name}(ember.tensor([-1.5, 1.5]))\n"
        f"        tensor([{shown}])\n    "
    )
    return fn


floor = _rounding("floor")
ceil = _rounding("ceil")
trunc = _rounding("trunc")


def round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A001 - PyTorch's name
    """Round to ``decimals`` decimal places, halves to even (as ``torch.round``).

    The gradient is zero.

    Args:
        input: the input tensor.
        decimals: number of decimal places (negative rounds to tens, hundreds, ...).

    Returns:
        A new tensor; integer tensors are returned as a copy.

    Example:
        >>> ember.round(ember.tensor([0.5, 1.5, 1.26]), decimals=0)
        tensor([0., 2., 1.])
    """
    _check_tensor("round", input)
    if np_kind(input._data.dtype) != "f":
        return input.clone()
    return _piecewise(input, lambda a, d: get_xp(a).round(a, d), decimals)


def frac(input: Tensor) -> Tensor:
    """Fractional part ``input - trunc(input)``, with the sign of ``input``; gradient 1.

    Args:
        input: a floating-point tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.frac(ember.tensor([1.5, -2.25]))
        tensor([ 0.5000, -0.2500])
    """
    _check_tensor("frac", input)
    if np_kind(input._data.dtype) != "f":
        raise RuntimeError(f"frac(): expected a floating-point tensor, got {input.dtype}")
    if grad_needed(input):
        return input - trunc(input)
    x = input._data
    return _wrap(x - get_xp(x).trunc(x))


def _sign_raw(a: Any, _: Any) -> Any:
    return get_xp(a).sign(a)


def sign(input: Tensor) -> Tensor:
    """Elementwise sign: -1, 0 or 1 (NaN stays NaN). The gradient is zero.

    Args:
        input: the input tensor.

    Returns:
        A tensor of ``input``'s dtype.

    Example:
        >>> ember.sign(ember.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    _check_tensor("sign", input)
    if input._data.dtype.kind == "b":
        return input.clone()
    return _piecewise(input, _sign_raw)


def sgn(input: Tensor) -> Tensor:
    """``z / |z|`` for complex ``z`` (0 at 0); the sign for real inputs.

    Example:
        >>> ember.sgn(ember.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    if input._data.dtype.kind != "c":
        return sign(input)
    mag = abs(input)
    safe = mag + _wrap((mag._data == 0).astype(mag._data.dtype))
    return cmul(input, 1.0 / safe)


# -- clamping -------------------------------------------------------------------------------
def _clip_raw(x: Any, lo: Any, hi: Any) -> Any:
    xp = get_xp(x)
    if lo is None:
        return xp.minimum(x, hi)
    if hi is None:
        return xp.maximum(x, lo)
    return xp.clip(x, lo, hi)


class Clamp(Primitive):
    """Clamp to number bounds in one pass; the gradient passes where lo <= x <= hi."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.bounds = (lo, hi)
        return _clip_raw(x, lo, hi)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        xd = x._data
        keep = xd >= lo if hi is None else (xd <= hi if lo is None else (xd >= lo) & (xd <= hi))
        return _masked(grad, keep), None, None


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Clamp every element into ``[min, max]``.

    Bounds may be numbers or tensors (broadcast against ``input``); either may be None. When
    ``min > max`` the result is ``max``, as in PyTorch. Gradients flow to ``input`` inside the
    range and to tensor bounds where they are active.

    Args:
        input: the input tensor.
        min: lower bound, or None.
        max: upper bound, or None.

    Returns:
        A new tensor with the promoted dtype of ``input`` and the bounds.

    Example:
        >>> ember.clamp(ember.tensor([-2.0, 0.5, 3.0]), min=-1.0, max=1.0)
        tensor([-1.0000,  0.5000,  1.0000])
    """
    _check_tensor("clamp", input)
    if min is None and max is None:
        raise RuntimeError("clamp(): at least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensor(input, min, max)
    dt = _dtype.result_type(input, *(b for b in (min, max) if b is not None))
    x = input if input.dtype is dt else input.to(dt)
    return Clamp.apply(x, min, max)


def _clamp_tensor(input: Tensor, lo: Any, hi: Any) -> Tensor:
    """Tensor bounds: two selections, so gradients reach whichever operand is chosen."""
    if grad_needed(input, lo, hi):
        out = input if lo is None else where(input < lo, lo, input)
        return out if hi is None else where(out > hi, hi, out)
    ops = [b for b in (lo, hi) if b is not None]
    dt = _dtype.result_type(input, *ops)
    raw = [None if b is None else _raw_as(b, dt, input) for b in (lo, hi)]
    x = input._data if input.dtype is dt else input._data.astype(dt.np)
    return _wrap(_clip_raw(x, *raw).astype(dt.np, copy=False))  # NumPy clips bfloat16 to float32


def _raw_as(v: Any, dt: _dtype.dtype, like: Tensor) -> Any:
    if isinstance(v, Tensor):
        check_same_device("clamp", like._data, v._data)
        return v._data if v.dtype is dt else v._data.astype(dt.np)
    return v


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """``clamp(input, min=min)``.

    Example:
        >>> ember.clamp_min(ember.tensor([-1.0, 2.0]), 0.0)
        tensor([0., 2.])
    """
    return clamp(input, min, None)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """``clamp(input, max=max)``.

    Example:
        >>> ember.clamp_max(ember.tensor([-1.0, 2.0]), 0.0)
        tensor([-1.,  0.])
    """
    return clamp(input, None, max)


# -- binary math ------------------------------------------------------------------------------
def _shape(x: Any) -> tuple[int, ...]:
    return getattr(x, "shape", ())


def _tensor_operands(op: str, a: Any, b: Any, *, to_float: bool) -> tuple[Tensor, Tensor]:
    """Promote as PyTorch does, then make both operands Tensors (numbers become 0-d)."""
    if not isinstance(a, Tensor) and op != "xlogy":  # PyTorch: only xlogy takes a number first
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    a, b = binary_operands(op, a, b)
    like = a if isinstance(a, Tensor) else b
    if not isinstance(a, Tensor):
        a = as_tensor_like(a, like).to(like.dtype)
    if not isinstance(b, Tensor):
        b = as_tensor_like(b, like).to(like.dtype)
    if to_float and np_kind(a._data.dtype) != "f":
        dt = _dtype.get_default_dtype()
        a, b = a.to(dt), b.to(dt)
    return a, b


def _apply_binary(cls: type[Primitive], a: Tensor, b: Tensor, *extra: Any) -> Tensor:
    return cls.apply(a, b, *extra)


def _minmax_weights(a: Any, b: Any, kind: str, dt: Any) -> tuple[Any, Any]:
    """Shares of the gradient for each operand, PyTorch's rules (ties split evenly)."""
    xp = get_xp(a)
    if kind in ("fmax", "fmin"):
        wins = (a >= b) if kind == "fmax" else (a <= b)
        wa = wins | xp.isnan(b)
        return wa.astype(dt), (~wa).astype(dt)
    loses_a, loses_b = (a < b, a > b) if kind == "maximum" else (a > b, a < b)
    half = xp.where(a == b, 0.5, 1.0).astype(dt)
    return xp.where(loses_a, 0, half), xp.where(loses_b, 0, half)


class MinMax(Primitive):
    """maximum / minimum (NaN propagates) and fmax / fmin (NaN ignored), one class."""

    @staticmethod
    def forward(ctx, a, b, kind):
        out = getattr(get_xp(a), kind)(a, b)
        need = ctx.needs_input_grad
        if need[0] or need[1]:
            ctx.weights = _minmax_weights(a, b, kind, out.dtype)
            ctx.shapes = (a.shape, b.shape)
        return out

    @staticmethod
    def backward(ctx, grad):
        wa, wb = ctx.weights
        sa, sb = ctx.shapes
        need = ctx.needs_input_grad
        ga = sum_to_shape(grad * _wrap(wa), sa) if need[0] else None
        gb = sum_to_shape(grad * _wrap(wb), sb) if need[1] else None
        return ga, gb, None


def _minmax(kind: str, summary: str, example: str) -> Any:
    def fn(input: Any, other: Any) -> Tensor:
        a, b = _tensor_operands(kind, input, other, to_float=False)
        if a._data.dtype.kind == "b" and kind in ("maximum", "minimum"):
            xp = get_xp(a._data)
            raw = xp.logical_or if kind == "maximum" else xp.logical_and
            return _wrap(raw(a._data, b._data))
        return _apply_binary(MinMax, a, b, kind)

    fn.__name__ = fn.__qualname__ = kind
    fn.__doc__ = (
        f"{summary}\n\n    Args:\n        input: a tensor or number.\n        other: a tensor or "
        f"number, broadcast against ``input``.\n\n    Returns:\n        A tensor of the promoted "
        f"dtype.\n\n    Example:\n        >>> ember.{kind}(ember.tensor([1.0, 4.0]), "
        f"ember.tensor([3.0, 2.0]))\n        {example}\n    "
    )
    return fn


maximum = _minmax("maximum", "Elementwise maximum; NaN in either operand gives NaN. Ties split "
                  "the gradient evenly.", "tensor([3., 4.])")
minimum = _minmax("minimum", "Elementwise minimum; NaN in either operand gives NaN. Ties split "
                  "the gradient evenly.", "tensor([1., 2.])")
fmax = _minmax("fmax", "Elementwise maximum that ignores NaN (NaN only where both are NaN).",
               "tensor([3., 4.])")
fmin = _minmax("fmin", "Elementwise minimum that ignores NaN (NaN only where both are NaN).",
               "tensor([1., 2.])")


class Atan2(Primitive):
    """Angle of the point (other, input): atan(input / other) in the right quadrant."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_xp(a).arctan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        scale = grad / (a * a + b * b)
        need = ctx.needs_input_grad
        ga = sum_to_shape(scale * b, a.shape) if need[0] else None
        gb = sum_to_shape(scale * -a, b.shape) if need[1] else None
        return ga, gb


class Hypot(Primitive):
    """sqrt(a**2 + b**2) without intermediate overflow."""

    @staticmethod
    def forward(ctx, a, b):
        out = get_xp(a).hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        scale = grad / out
        need = ctx.needs_input_grad
        ga = sum_to_shape(scale * a, a.shape) if need[0] else None
        gb = sum_to_shape(scale * b, b.shape) if need[1] else None
        return ga, gb


class LogAddExp(Primitive):
    """log(e**a + e**b) without overflow; each gradient is a softmax weight."""

    @staticmethod
    def forward(ctx, a, b):
        out = get_xp(a).logaddexp(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need = ctx.needs_input_grad
        ga = sum_to_shape(grad * exp(a - out), a.shape) if need[0] else None
        gb = sum_to_shape(grad * exp(b - out), b.shape) if need[1] else None
        return ga, gb


class XLogY(Primitive):
    """x * log(y), defined as 0 where x == 0 (unless y is NaN)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        xp = get_xp(a)
        with _quiet():
            out = a * xp.log(b)
        out = xp.where(a == 0, xp.zeros((), out.dtype), out)
        return xp.where(xp.isnan(b), b, out)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need = ctx.needs_input_grad
        ga = sum_to_shape(grad * xlogy((a != 0).to(a.dtype), b), a.shape) if need[0] else None
        gb = sum_to_shape(grad * a / b, b.shape) if need[1] else None
        return ga, gb


class CopySign(Primitive):
    """|a| with the sign of b; the gradient for b is zero."""

    @staticmethod
    def forward(ctx, a, b):
        out = get_xp(a).copysign(a, b)
        ctx.save_for_backward(a, out)
        ctx.b_shape = b.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        need = ctx.needs_input_grad
        zero = _mask(a._data == 0)
        ratio = where(zero, 0.0, out / where(zero, 1.0, a))
        ga = sum_to_shape(grad * ratio, a.shape) if need[0] else None
        gb = _wrap(get_xp(grad._data).zeros(ctx.b_shape, grad._data.dtype)) if need[1] else None
        return ga, gb


def _float_binary(cls: type[Primitive], name: str, summary: str, example: str) -> Any:
    def fn(input: Any, other: Any) -> Tensor:
        a, b = _tensor_operands(name, input, other, to_float=True)
        return _apply_binary(cls, a, b)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"{summary}\n\n    Integer inputs are promoted to the default float dtype.\n\n    Args:\n"
        f"        input: a tensor or number.\n        other: a tensor or number, broadcast "
        f"against ``input``.\n\n    Returns:\n        A floating-point tensor.\n\n    Example:\n"
        f"        >>> {example}\n    "
    )
    return fn


atan2 = _float_binary(Atan2, "atan2", "Elementwise angle atan(input / other), quadrant-aware.",
                      "ember.atan2(ember.tensor([1.0]), ember.tensor([1.0]))\n"
                      "        tensor([0.7854])")
hypot = _float_binary(Hypot, "hypot", "Elementwise sqrt(input**2 + other**2), overflow-free.",
                      "ember.hypot(ember.tensor([3.0]), ember.tensor([4.0]))\n"
                      "        tensor([5.])")
logaddexp = _float_binary(LogAddExp, "logaddexp", "Elementwise log(e**input + e**other), stable.",
                          "ember.logaddexp(ember.tensor([0.0]), ember.tensor([0.0]))\n"
                          "        tensor([0.6931])")
xlogy = _float_binary(XLogY, "xlogy", "Elementwise input * log(other), 0 where input is 0.",
                      "ember.xlogy(ember.tensor([0.0, 2.0]), ember.tensor([0.0, 1.0]))\n"
                      "        tensor([0., 0.])")
copysign = _float_binary(CopySign, "copysign", "Elementwise |input| with the sign of other.",
                         "ember.copysign(ember.tensor([2.0]), ember.tensor([-0.0]))\n"
                         "        tensor([-2.])")


# -- predicates and NaN handling ---------------------------------------------------------------
def _predicate(name: str, raw: Callable[[Any], Any], int_value: bool, example: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        _check_tensor(name, input)
        x = input._data
        xp = get_xp(x)
        if np_kind(x.dtype) != "f":
            return _wrap(xp.full(x.shape, int_value, dtype=bool))
        return _wrap(raw(x))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Elementwise test, a bool tensor: {name.removeprefix('is')}.\n\n    Args:\n"
        f"        input: the input tensor.\n\n    Returns:\n        A bool tensor.\n\n"
        f"    Example:\n        >>> ember.{name}(ember.tensor([1.0, float('nan'), float('inf')]))"
        f"\n        {example}\n    "
    )
    return fn


isnan = _predicate("isnan", lambda x: get_xp(x).isnan(x), False,
                   "tensor([False,  True, False])")
isinf = _predicate("isinf", lambda x: get_xp(x).isinf(x), False,
                   "tensor([False, False,  True])")
isfinite = _predicate("isfinite", lambda x: get_xp(x).isfinite(x), True,
                      "tensor([ True, False, False])")
isposinf = _predicate("isposinf", lambda x: x == math.inf, False,
                      "tensor([False, False,  True])")
isneginf = _predicate("isneginf", lambda x: x == -math.inf, False,
                      "tensor([False, False, False])")


def isreal(input: Tensor) -> Tensor:
    """All True: ember tensors are real.

    Example:
        >>> ember.isreal(ember.tensor([1.0]))
        tensor([True])
    """
    return _wrap(get_xp(input._data).ones(input._data.shape, dtype=bool))


class NanToNum(Primitive):
    """Replace NaN and ±inf by finite numbers; the gradient is zero where they were replaced."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.save_for_backward(x)
        return get_xp(x).nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        keep = get_xp(x._data).isfinite(x._data)
        return _masked(grad, keep), None, None, None


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """Replace NaN by ``nan``, +inf by ``posinf`` and -inf by ``neginf``.

    Args:
        input: the input tensor.
        nan: value for NaN.
        posinf: value for +inf (default: the dtype's largest finite value).
        neginf: value for -inf (default: the dtype's lowest finite value).

    Returns:
        A new tensor of ``input``'s dtype.

    Example:
        >>> ember.nan_to_num(ember.tensor([float('nan'), 1.0]), nan=0.5)
        tensor([0.5000, 1.0000])
    """
    _check_tensor("nan_to_num", input)
    if np_kind(input._data.dtype) != "f":
        return input.clone()
    big = _dtype.finfo(input.dtype)  # bfloat16 computes in float32: the bounds must be its own
    return NanToNum.apply(input, nan, big.max if posinf is None else posinf,
                          big.min if neginf is None else neginf)


# -- composites: interpolation and fused multiply-adds ---------------------------------------------
def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """Linear interpolation ``input + weight * (end - input)``.

    Args:
        input: start points.
        end: end points (broadcast against ``input``).
        weight: a number or a tensor of weights.

    Returns:
        The interpolated tensor.

    Example:
        >>> ember.lerp(ember.tensor([0.0, 2.0]), ember.tensor([1.0, 4.0]), 0.5)
        tensor([0.5000, 3.0000])
    """
    _check_tensor("lerp", input)
    for what, t in (("end", end), ("weight", weight)):
        # PyTorch takes no promotion here: ``end`` and a non-scalar ``weight`` must match
        if isinstance(t, Tensor) and t._data.dtype != input._data.dtype and (
                what == "end" or t._data.ndim):
            raise RuntimeError(
                f"expected dtype {_c_type_name(input)} for `{what}` but got dtype "
                f"{_c_type_name(t)}")
    return input + weight * (end - input)


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                 "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
                 "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
                 "bool": "bool", "complex64": "c10::complex<float>",
                 "complex128": "c10::complex<double>"}


def _c_type_name(t: Tensor) -> str:
    """The C++ type name PyTorch's dtype-check messages print (``float``, ``long int``, ...)."""
    name = t._data.dtype.name
    return _C_TYPE_NAMES.get(name, name)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``, broadcast.

    Args:
        input: the tensor added to.
        tensor1: first factor.
        tensor2: second factor.
        value: scalar multiplier.

    Returns:
        A new tensor.

    Example:
        >>> ember.addcmul(ember.zeros(2), ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0]))
        tensor([3., 8.])
    """
    prod = tensor1 * tensor2
    return input + (prod if value == 1 else prod * value)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``, broadcast.

    Args:
        input: the tensor added to.
        tensor1: numerator.
        tensor2: denominator.
        value: scalar multiplier.

    Returns:
        A new tensor.

    Example:
        >>> ember.addcdiv(ember.zeros(2), ember.tensor([1.0, 2.0]), ember.tensor([2.0, 4.0]))
        tensor([0.5000, 0.5000])
    """
    for t in (tensor1, tensor2):
        if isinstance(t, Tensor) and np_kind(t._data.dtype) != "f":
            raise RuntimeError(
                "addcdiv(): integer division of tensors is not supported; convert tensor1 and "
                f"tensor2 to a floating-point dtype first (got {t.dtype})"
            )
    quot = tensor1 / tensor2
    return input + (quot if value == 1 else quot * value)


# -- selection ------------------------------------------------------------------------------
class Where(Primitive):
    """Pick from ``a`` where ``cond`` holds, else from ``b``."""

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.cond = cond
        ctx.shapes = (getattr(a, "shape", ()), getattr(b, "shape", ()))
        return get_xp(cond).where(cond, a, b)

    @staticmethod
    def backward(ctx, grad):
        cond = _wrap(ctx.cond)
        sa, sb = ctx.shapes
        # a true zero, not grad * 0: the unpicked side gets 0 even where grad is NaN (as PyTorch)
        zero = _wrap(get_xp(grad._data).zeros((), dtype=grad._data.dtype))
        ga = sum_to_shape(where(cond, grad, zero), sa) if ctx.needs_input_grad[1] else None
        gb = sum_to_shape(where(cond, zero, grad), sb) if ctx.needs_input_grad[2] else None
        return None, ga, gb


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elementwise selection: ``input`` where ``condition`` holds, ``other`` elsewhere.

    With only ``condition``, returns ``condition.nonzero(as_tuple=True)``.

    Args:
        condition: a bool tensor.
        input: values where True (tensor or number).
        other: values where False (tensor or number).

    Returns:
        A tensor of the broadcast shape and promoted dtype.

    Example:
        >>> ember.where(ember.tensor([True, False]), 1.0, 0.0)
        tensor([1., 0.])
    """
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)  # type: ignore[attr-defined]
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        dt = _dtype.result_type(input, other)
        input = as_tensor_like(input, condition).to(dt)
    a, b = binary_operands("where", input, other)
    like = a if isinstance(a, Tensor) else b
    cond = condition._data
    if not grad_needed(a, b):
        ad = a._data if isinstance(a, Tensor) else a
        bd = b._data if isinstance(b, Tensor) else b
        check_same_device("where", cond, like._data)
        if like is a and isinstance(b, Tensor):
            check_same_device("where", ad, bd)  # two GPUs: CuPy need not refuse them
        _check_condition(cond)
        out = get_xp(cond).where(cond, ad, bd)
        return _wrap(out if out.dtype == like._data.dtype else out.astype(like._data.dtype))
    if not isinstance(a, Tensor):
        a = as_tensor_like(a, like).to(like.dtype)
    if not isinstance(b, Tensor):
        b = as_tensor_like(b, like).to(like.dtype)
    check_same_device("where", cond, a._data)
    _check_condition(cond)
    return Where.apply(_wrap(cond), a, b)


def _check_condition(cond: Any) -> None:
    if cond.dtype.kind != "b":
        names = {"uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                 "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double"}
        name = names.get(cond.dtype.name, cond.dtype.name)
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {name}"
        )


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """The log-odds ``log(p / (1 - p))``, with ``p`` clamped to ``[eps, 1 - eps]`` when given.

    Composed from existing ops, so it is differentiable to any order.

    Args:
        input: probabilities.
        eps: clamp bound (no clamping when None).

    Returns:
        The log-odds.

    Example:
        >>> ember.logit(ember.tensor([0.5]))
        tensor([0.])
    """
    if input._data.dtype.kind in "biu":  # integer and bool inputs compute in the default float
        input = input.to(_dtype.get_default_dtype())
    p = input if eps is None else clamp(input, eps, 1.0 - eps)
    return log(p / (1.0 - p))


def _requires(x: Any) -> bool:
    return isinstance(x, Tensor) and x._requires_grad


# -- in-place variants ------------------------------------------------------------------------
def _inplace(fn: Callable[..., Tensor], name: str) -> Callable[..., Tensor]:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return apply_inplace(self, fn(self, *args, **kwargs), name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place version of ``{fn.__name__}``: writes the result into ``self``."
    return method


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to ``value`` in place (the old values get no gradient).

    Args:
        value: a number or a one-element tensor.

    Returns:
        ``self``.

    Example:
        >>> ember.zeros(2).fill_(3.0)
        tensor([3., 3.])
    """
    if isinstance(value, Tensor):
        value = value.item()
    check_inplace_allowed(self, "fill_")
    if grad_needed(self):
        filled = _Piecewise.apply(self, lambda a, v: get_xp(a).full_like(a, v), value)
        return apply_inplace(self, filled, "fill_")
    self._data[...] = value
    self._vc[0] += 1
    return self


def zero_(self: Tensor) -> Tensor:
    """Set every element to zero in place.

    Example:
        >>> ember.ones(2).zero_()
        tensor([0., 0.])
    """
    return fill_(self, 0)


_INPLACE_OPS = [
    *_UNARY_NAMES, "square", "sign", "sgn", "floor", "ceil", "round", "trunc", "frac", "clamp",
    "clamp_min", "clamp_max", "atan2", "hypot", "xlogy", "copysign", "nan_to_num", "lerp",
    "addcmul", "addcdiv", "fmax", "fmin", "maximum", "minimum",
]
_torch_inplace = {f"{n}_": _inplace(globals()[n], f"{n}_") for n in _INPLACE_OPS
                  if n not in ("fmax", "fmin", "maximum", "minimum")}
for _alias, _target in _ALIASES.items():
    globals()[_alias] = globals()[_target]
del _alias, _target

_FUNCTIONS = [n for n in __all__ if n != "where"]
TENSOR_METHODS: dict[str, Any] = {n: globals()[n] for n in _FUNCTIONS}
TENSOR_METHODS.update(_torch_inplace)
TENSOR_METHODS.update({
    "clip_": _torch_inplace["clamp_"], "absolute_": _torch_inplace["abs_"],
    "arcsin_": _torch_inplace["asin_"], "arccos_": _torch_inplace["acos_"],
    "arctan_": _torch_inplace["atan_"], "fix_": _torch_inplace["trunc_"],
    "__abs__": abs, "fill_": fill_, "zero_": zero_,
    "where": lambda self, condition, other: where(condition, self, other),
})
