"""Elementwise math beyond arithmetic: exp/log, rounding, selection (``where``) and friends.

Unary floating-point ops share one entry point, ``_unary``: integer and bool inputs are promoted to
the default float dtype as in PyTorch, and the untracked path skips graph bookkeeping.
"""

from __future__ import annotations

from typing import Any

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops._util import NULL_CTX, as_tensor_like, check_same_device

__all__ = ["exp", "log", "where", "floor", "trunc"]


def _check_tensor(op: str, x: Any) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")


def _unary(cls: type[Primitive], op: str, x: Tensor, *args: Any, float_only: bool = True):
    _check_tensor(op, x)
    if float_only and x._data.dtype.kind != "f":
        x = x.to(_dtype.get_default_dtype())
    if _State.enabled and x._requires_grad:
        return cls.apply(x, *args)
    return _wrap(cls.forward(NULL_CTX, x._data, *args))


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


class Log(Primitive):
    """Natural logarithm."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_xp(x).log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


def exp(input: Tensor) -> Tensor:
    """Elementwise exponential.

    Example:
        >>> ember.exp(ember.tensor([0.0]))
        tensor([1.])
    """
    return _unary(Exp, "exp", input)


def log(input: Tensor) -> Tensor:
    """Elementwise natural logarithm.

    Example:
        >>> ember.log(ember.tensor([1.0]))
        tensor([0.])
    """
    return _unary(Log, "log", input)


def _rounding(name: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        _check_tensor(name, input)
        if input._data.dtype.kind != "f":
            return input.clone()
        xp = get_xp(input._data)
        out = _wrap(getattr(xp, name)(input._data))
        if _State.enabled and input._requires_grad:
            # Piecewise constant: the gradient is zero, but the result stays in the graph.
            return out + input * 0.0 - (input * 0.0).detach()
        return out

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name}; the gradient is zero everywhere."
    return fn


floor = _rounding("floor")
trunc = _rounding("trunc")


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
        zero = grad * 0
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
    from ember.ops._util import binary_operands

    a, b = binary_operands("where", input, other)
    like = a if isinstance(a, Tensor) else b
    if not isinstance(a, Tensor):
        a = as_tensor_like(a, like).to(like.dtype)
    if not isinstance(b, Tensor):
        b = as_tensor_like(b, like).to(like.dtype)
    cond = condition._data
    check_same_device("where", cond, a._data)
    if cond.dtype.kind != "b":
        cond = cond.astype(bool)
    if _State.enabled and (a._requires_grad or b._requires_grad):
        return Where.apply(_wrap(cond), a, b)
    return _wrap(get_xp(cond).where(cond, a._data, b._data))


TENSOR_METHODS = {"exp": exp, "log": log, "floor": floor, "trunc": trunc,
                  "where": lambda self, condition, other: where(condition, self, other)}
