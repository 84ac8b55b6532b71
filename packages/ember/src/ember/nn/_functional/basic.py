"""Functional linear, activations, dropout, embeddings, normalisation and losses."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._util import NULL_CTX

__all__ = ["linear", "bilinear"]


# -- helpers -------------------------------------------------------------------------------------
def _ember() -> Any:
    import ember

    return ember


class _MatMul(Primitive):
    """Private stand-in for ``ember.matmul`` (used only until the linalg ops provide it)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_xp(a).matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        ga = _matmul(grad, b.transpose(-1, -2)) if ctx.needs_input_grad[0] else None
        gb = _matmul(a.transpose(-1, -2), grad) if ctx.needs_input_grad[1] else None
        return ga, gb


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    """2-D (or batched, same batch shape) matrix product through ``ember.matmul`` when present."""
    mm = getattr(_ember(), "matmul", None)
    if mm is not None:
        return mm(a, b)
    if _State.enabled and (a._requires_grad or b._requires_grad):
        return _MatMul.apply(a, b)
    return _wrap(get_xp(a._data).matmul(a._data, b._data))


def _check_float_same(op: str, *tensors: Tensor | None) -> None:
    dts = {t._data.dtype for t in tensors if t is not None}
    if len(dts) > 1:
        names = ", ".join(str(t.dtype) for t in tensors if t is not None)
        raise RuntimeError(
            f"{op}: expected all tensors to have the same dtype, got {names}; cast them with "
            ".to(dtype) first"
        )


# -- linear --------------------------------------------------------------------------------------
class Linear(Primitive):
    """y = x @ W.T + b in one step. Primitive for speed: one GEMM and an in-place bias add,
    instead of a transpose node, a matmul node and a broadcast add node."""

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None,
                              w if ctx.needs_input_grad[0] else None)
        xp = get_xp(x)
        if x.ndim > 2:
            out = xp.matmul(x.reshape(-1, x.shape[-1]), w.T).reshape(x.shape[:-1] + (w.shape[0],))
        else:
            out = xp.matmul(x, w.T)
        if b is not None:
            out += b
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        n_out = grad.shape[-1]
        g2 = grad.reshape(-1, n_out)
        gx = _matmul(grad, w) if need[0] else None
        gw = _matmul(g2.t(), x.reshape(-1, x.shape[-1])) if need[1] else None
        gb = g2.sum(0) if len(need) > 2 and need[2] else None
        return gx, gw, gb


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Apply ``input @ weight.T + bias``.

    Args:
        input: ``(*, in_features)``.
        weight: ``(out_features, in_features)``.
        bias: ``(out_features,)`` or None.

    Returns:
        ``(*, out_features)``.

    Example:
        >>> F.linear(ember.ones(2, 3), ember.ones(4, 3)).shape
        ember.Size([2, 4])
    """
    if input.shape[-1:] != weight.shape[-1:] and weight.ndim == 2:
        raise RuntimeError(
            f"linear: mat1 and mat2 shapes cannot be multiplied ({_rows(input)}x"
            f"{input.shape[-1] if input.ndim else 1} and {weight.shape[1]}x{weight.shape[0]}); "
            "check in_features against the input's last dimension"
        )
    _check_float_same("linear", input, weight, bias)
    if _State.enabled and (
        input._requires_grad or weight._requires_grad or (bias is not None and bias._requires_grad)
    ):
        return Linear.apply(input, weight, bias)
    b = None if bias is None else bias._data
    return _wrap(Linear.forward(NULL_CTX, input._data, weight._data, b))


def _rows(t: Tensor) -> int:
    n = 1
    for s in t.shape[:-1]:
        n *= s
    return n


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Apply ``y_k = x1 @ W_k @ x2 + b_k`` for each output feature k.

    Args:
        input1: ``(*, in1_features)``.
        input2: ``(*, in2_features)``.
        weight: ``(out_features, in1_features, in2_features)``.
        bias: ``(out_features,)`` or None.

    Returns:
        ``(*, out_features)``.

    Example:
        >>> F.bilinear(ember.ones(2, 3), ember.ones(2, 4), ember.ones(5, 3, 4)).shape
        ember.Size([2, 5])
    """
    lead = input1.shape[:-1]
    out_f, in1, in2 = weight.shape
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    # (N, in1) @ (in1, out*in2) -> (N, out, in2), then contract with x2 over in2.
    w = weight.permute(1, 0, 2).reshape(in1, out_f * in2)
    t = _matmul(x1, w).reshape(-1, out_f, in2)
    y = (t * x2.reshape(-1, 1, in2)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(tuple(lead) + (out_f,))
