"""Arithmetic primitives (+, -, *, /, **, negation) and their Tensor operators.

These are the hottest ops in any program, so their public functions take a fast path when no
graph is recorded: promote, compute on raw arrays, wrap, nothing else.
"""

from __future__ import annotations

import cmath
import math
import operator
from typing import Any

import numpy as np

from ember._dtype import get_default_dtype, np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops._util import binary_operands, broadcast_error
from ember.ops.elementwise import floor, log, trunc, where
from ember.ops.inplace import apply_inplace

_ndarray = np.ndarray

__all__ = [
    "add",
    "sub",
    "subtract",
    "mul",
    "multiply",
    "div",
    "divide",
    "true_divide",
    "neg",
    "negative",
    "pow",
    "rsub",
    "floor_divide",
    "remainder",
    "fmod",
]


def _binary_op(cls: type[Primitive], op: str) -> Any:
    """The operator for a binary primitive (``Tensor.__add__`` is ``_binary_op(Add, "add")``):
    PyTorch's type promotion, skipped when the operands already agree, then ``cls.apply``.

    NumPy's broadcast ValueError becomes PyTorch's RuntimeError naming both shapes.
    """

    def binary(a: Any, b: Any) -> Tensor:
        try:
            if type(a) is Tensor:
                ad = a._data
                tb = type(b)
                if tb is Tensor:
                    bd = b._data
                    if (ad.dtype is bd.dtype or ad.dtype == bd.dtype) and type(ad) is type(bd):
                        return cls.apply(a, b)
                elif tb is float and ad.dtype.kind == "f" or tb is int and ad.dtype.kind in "fiu":
                    return cls.apply(a, b)
            if cls is Sub and (_is_bool(a) or _is_bool(b)):
                raise _bool_sub_error()
            a, b = binary_operands(op, a, b)
            return cls.apply(a, b)
        except ValueError as err:
            if "broadcast" in str(err):
                raise broadcast_error(op, a, b) from None
            raise
        except TypeError as err:
            if "boolean subtract" in str(err):
                raise _bool_sub_error() from None
            raise

    binary.__name__ = binary.__qualname__ = f"__{op}__"
    return binary


def _is_bool(x: Any) -> bool:
    return type(x) is bool or isinstance(x, Tensor) and x._data.dtype.kind == "b"


def _bool_sub_error() -> RuntimeError:
    return RuntimeError(
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead."
    )


_NO_KWARGS: dict[str, Any] = {}


def _shape(x: Any) -> tuple[int, ...]:
    return getattr(x, "shape", ())


def _is_float(x: Any) -> bool:
    kind = np_kind(x.dtype) if hasattr(getattr(x, "dtype", None), "kind") else None
    return kind in ("f", "c") if kind is not None else isinstance(x, (float, complex))


def _is_int(x: Any) -> bool:
    kind = getattr(getattr(x, "dtype", None), "kind", None)
    return kind in ("i", "u") if kind is not None else type(x) is int


def _int_power(xp: Any, a: Any, b: Any) -> Any:
    """Integer powers as PyTorch: a negative scalar exponent raises, negative tensor ones give
    1/a truncated (0 unless a is 1 or -1)."""
    if not hasattr(b, "dtype"):
        if b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return xp.power(a, b)
    neg = b < 0
    if not bool(neg.any()):
        return xp.power(a, b)
    out = xp.power(a, xp.where(neg, 0, b))
    a_arr = xp.asarray(a)
    inverse = xp.where(a_arr == 1, 1, xp.where(a_arr == -1, xp.where(b % 2 == 0, 1, -1), 0))
    return xp.where(neg, inverse, out).astype(out.dtype)


def _conj(x: Any) -> Any:
    """Complex operands enter gradients conjugated (PyTorch's convention); others as they are."""
    if type(x) is float:
        return x
    if isinstance(x, Tensor) and x._data.dtype.kind == "c":
        return x.conj()
    if isinstance(x, complex):
        return x.conjugate()
    return x


class Add(Primitive):
    """a + b with broadcasting."""

    raw = staticmethod(operator.add)

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (getattr(a, "shape", ()), getattr(b, "shape", ()))
        return a + b

    @staticmethod
    def backward(ctx, grad):
        sa, sb = ctx.shapes
        ga = sum_to_shape(grad, sa) if ctx.needs_input_grad[0] else None
        gb = sum_to_shape(grad, sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Sub(Primitive):
    """a - b with broadcasting."""

    raw = staticmethod(operator.sub)

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (_shape(a), _shape(b))
        return a - b

    @staticmethod
    def backward(ctx, grad):
        sa, sb = ctx.shapes
        ga = sum_to_shape(grad, sa) if ctx.needs_input_grad[0] else None
        gb = sum_to_shape(-grad, sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Mul(Primitive):
    """a * b with broadcasting."""

    raw = staticmethod(operator.mul)

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[0] else None, a if need[1] else None)
        ctx.shapes = (getattr(a, "shape", ()), getattr(b, "shape", ()))
        return a * b

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        sa, sb = ctx.shapes
        if grad._data.dtype.kind == "c":  # a real output has real operands: nothing to conjugate
            b, a = _conj(b), _conj(a)
        need = ctx.needs_input_grad
        ga = sum_to_shape(_times(grad, b), sa) if need[0] else None
        gb = sum_to_shape(_times(grad, a), sb) if need[1] else None
        return ga, gb


def _times(grad: Tensor, x: Any) -> Tensor:
    """``grad * x`` in a backward: on the raw arrays when nothing is recorded and the operands
    need no promotion (what ``Mul.apply`` would do, less its dispatch), else through ``*``."""
    if not _State.enabled and type(x) is Tensor:
        gd, xd = grad._data, x._data
        if gd.dtype is xd.dtype and type(gd) is _ndarray and type(xd) is _ndarray:
            return _wrap(gd * xd)
    return grad * x


class Div(Primitive):
    """a / b (true division) with broadcasting."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        ctx.shapes = (_shape(a), _shape(b))
        xp = get_xp(a if hasattr(a, "dtype") else b)
        out = xp.true_divide(a, b)
        if np_kind(out.dtype) == "f" and not (_is_float(a) or _is_float(b)):
            out = out.astype(_default_float())  # integer / integer: the default float dtype
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        sa, sb = ctx.shapes
        b = _conj(b)
        ga = sum_to_shape(grad / b, sa) if ctx.needs_input_grad[0] else None
        gb = sum_to_shape(-grad * _conj(a) / (b * b), sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Pow(Primitive):
    """a ** b; the exponent may be a tensor or a number."""

    @staticmethod
    def forward(ctx, a, b):
        xp = get_xp(a if hasattr(a, "dtype") else b)
        out = _int_power(xp, a, b) if _is_int(a) and _is_int(b) else xp.power(a, b)
        ctx.save_for_backward(a, b, out if ctx.needs_input_grad[1] else None)
        ctx.shapes = (_shape(a), _shape(b))
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        sa, sb = ctx.shapes
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = sum_to_shape(grad * _conj(b * a ** (b - 1)), sa)
        if ctx.needs_input_grad[1]:
            # d/db a**b = a**b * log(a); define it as 0 where a == 0 (the limit for b > 0).
            if isinstance(a, Tensor):
                log_a = log(where(a == 0, 1.0, a))
            else:  # a Python number base (``2 ** x``): its log is a constant
                log_a = _scalar_log(a)
            gb = sum_to_shape(grad * _conj(out * log_a), sb)
        return ga, gb


def _scalar_log(a: Any) -> Any:
    """log of a Python number base; 0 for a zero base (the limit for b > 0), NaN below 0."""
    if isinstance(a, complex):
        return cmath.log(a) if a != 0 else 0.0
    a = float(a)
    return math.log(a) if a > 0 else (0.0 if a == 0 else math.nan)


class Neg(Primitive):
    """-a."""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


def _default_float() -> Any:
    return get_default_dtype().np


_add = _binary_op(Add, "add")
_sub = _binary_op(Sub, "sub")
_mul = _binary_op(Mul, "mul")
_div = _binary_op(Div, "div")
_pow = _binary_op(Pow, "pow")


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """Elementwise ``input + alpha * other`` with broadcasting and type promotion.

    Args:
        input: a tensor or number.
        other: a tensor or number.
        alpha: multiplier for ``other``.
        out: optional tensor to write the result into.

    Returns:
        The sum.

    Example:
        >>> ember.add(ember.tensor([1.0, 2.0]), 1)
        tensor([2., 3.])
    """
    if alpha != 1:
        other = mul(other, alpha)
    return _out(_add(input, other), out)


def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """Elementwise ``input - alpha * other``.

    Args:
        input: a tensor or number.
        other: a tensor or number.
        alpha: multiplier for ``other``.
        out: optional output tensor.

    Returns:
        The difference.

    Example:
        >>> ember.sub(ember.tensor([3.0]), 1)
        tensor([2.])
    """
    if alpha != 1:
        other = mul(other, alpha)
    return _out(_sub(input, other), out)


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input``."""
    return sub(other, input, alpha=alpha)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """Elementwise product with broadcasting.

    Args:
        input: a tensor or number.
        other: a tensor or number.
        out: optional output tensor.

    Returns:
        The product.

    Example:
        >>> ember.mul(ember.tensor([1.0, 2.0]), 3)
        tensor([3., 6.])
    """
    return _out(_mul(input, other), out)


def div(
    input: Any, other: Any, *, rounding_mode: str | None = None, out: Tensor | None = None
) -> Tensor:
    """Elementwise division. Integer inputs give floats unless ``rounding_mode`` is set.

    Args:
        input: dividend.
        other: divisor.
        rounding_mode: None (true division), ``"trunc"`` or ``"floor"``.
        out: optional output tensor.

    Returns:
        The quotient.

    Example:
        >>> ember.div(ember.tensor([1, 2]), 2)
        tensor([0.5000, 1.0000])
    """
    if rounding_mode is None:
        return _out(_div(input, other), out)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"{rounding_mode!r}"
        )
    a, b = binary_operands("div", input, other)
    ad = a._data if isinstance(a, Tensor) else a
    bd = b._data if isinstance(b, Tensor) else b
    xp = get_xp(ad if hasattr(ad, "dtype") else bd)
    dtype = (ad if hasattr(ad, "dtype") else bd).dtype
    if dtype.kind == "f":
        q = xp.true_divide(ad, bd)
        res = xp.floor(q) if rounding_mode == "floor" else xp.trunc(q)
    elif bool((xp.asarray(bd) == 0).any()):
        raise RuntimeError("ZeroDivisionError")
    elif rounding_mode == "floor":
        res = xp.floor_divide(ad, bd)
    else:
        res = (xp.trunc(xp.true_divide(ad, bd))).astype(dtype)
    return _out(_wrap(xp.asarray(res)), out)


def floor_divide(input: Any, other: Any) -> Tensor:
    """Elementwise division rounded down (``//``)."""
    return div(input, other, rounding_mode="floor")


def remainder(input: Any, other: Any) -> Tensor:
    """Python-style modulus (the result has the sign of ``other``)."""
    a, b = binary_operands("remainder", input, other)
    if (
        isinstance(a, Tensor)
        and np_kind(a._data.dtype) == "f"
        or isinstance(b, Tensor)
        and (np_kind(b._data.dtype) == "f")
    ):
        return a - floor(a / b) * b
    ad = a._data if isinstance(a, Tensor) else a
    bd = b._data if isinstance(b, Tensor) else b
    xp = get_xp(ad if hasattr(ad, "dtype") else bd)
    return _wrap(xp.asarray(xp.remainder(ad, bd)))


def fmod(input: Any, other: Any) -> Tensor:
    """C-style modulus (the result has the sign of ``input``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"fmod(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    a, b = binary_operands("fmod", input, other)
    if isinstance(a, Tensor) and np_kind(a._data.dtype) == "f":
        return a - trunc(a / b) * b
    ad = a._data if isinstance(a, Tensor) else a
    bd = b._data if isinstance(b, Tensor) else b
    xp = get_xp(ad if hasattr(ad, "dtype") else bd)
    return _wrap(xp.asarray(xp.fmod(ad, bd)))


def neg(input: Tensor) -> Tensor:
    """Elementwise negation.

    Example:
        >>> ember.neg(ember.tensor([1.0]))
        tensor([-1.])
    """
    if input._data.dtype.kind == "b":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(input)


def pow(input: Any, exponent: Any) -> Tensor:
    """Elementwise power ``input ** exponent``.

    Args:
        input: base (tensor or number).
        exponent: exponent (tensor or number).

    Returns:
        The power, with PyTorch's type promotion.

    Example:
        >>> ember.pow(ember.tensor([2.0, 3.0]), 2)
        tensor([4., 9.])
    """
    return _pow(input, exponent)


def _out(result: Tensor, out: Tensor | None) -> Tensor:
    if out is None:
        return result
    out.copy_(result)  # type: ignore[attr-defined]
    return out


subtract = sub
multiply = mul
divide = div
true_divide = div
negative = neg


def _r(fn: Any) -> Any:
    def reflected(self: Tensor, other: Any) -> Tensor:
        return fn(other, self)

    reflected.__name__ = f"__r{fn.__name__}__"
    return reflected


def _inplace(fn: Any) -> Any:
    def method(self: Tensor, other: Any, **kwargs: Any) -> Tensor:
        return apply_inplace(self, fn(self, other, **kwargs), fn.__name__ + "_")

    method.__name__ = fn.__name__ + "_"
    return method


TENSOR_METHODS = {
    "add": add,
    "sub": sub,
    "subtract": sub,
    "mul": mul,
    "multiply": mul,
    "div": div,
    "divide": div,
    "true_divide": div,
    "neg": neg,
    "negative": neg,
    "pow": pow,
    "floor_divide": floor_divide,
    "remainder": remainder,
    "fmod": fmod,
    "__add__": _add,
    "__radd__": _add,
    "__sub__": _sub,
    "__rsub__": _r(sub),
    "__mul__": _mul,
    "__rmul__": _mul,
    "__truediv__": div,
    "__rtruediv__": _r(div),
    "__pow__": pow,
    "__rpow__": _r(pow),
    "__neg__": neg,
    "__floordiv__": floor_divide,
    "__rfloordiv__": _r(floor_divide),
    "__mod__": remainder,
    "__rmod__": _r(remainder),
    "add_": _inplace(add),
    "sub_": _inplace(sub),
    "mul_": _inplace(mul),
    "div_": _inplace(div),
    "pow_": _inplace(pow),
    "neg_": lambda self: _inplace(lambda a, b: neg(a))(self, None),
    "__iadd__": _inplace(add),
    "__isub__": _inplace(sub),
    "__imul__": _inplace(mul),
    "__itruediv__": _inplace(div),
    "__ipow__": _inplace(pow),
    "__ifloordiv__": _inplace(floor_divide),
    "__imod__": _inplace(remainder),
    "floor_divide_": _inplace(floor_divide),
    "remainder_": _inplace(remainder),
}
