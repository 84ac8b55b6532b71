"""``Attention``: softmax(q k^T * scale + mask) v in one node, for measured speed."""

from __future__ import annotations

from typing import Any

import ember
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops.nn._blas import one_thread_if_small
from ember.ops.reduction import softmax

__all__ = ["Attention", "attention_composed"]


def attention_composed(
    q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, keep: Tensor | None, scale: float
) -> Tensor:
    """The same maths as ``Attention`` from ember ops (used for higher derivatives)."""
    scores = ember.matmul(q * scale, k.transpose(-2, -1))
    if mask is not None:
        scores = scores + mask
    attn = softmax(scores, -1)
    return ember.matmul(attn if keep is None else attn * keep, v)


class Attention(Primitive):
    """``softmax(q k^T * scale + mask) v`` for q, k, v with equal batch dims; ``mask`` additive
    (finite where a row would be fully masked), ``keep`` a dropout mask of 0 and 1/(1-p).
    Primitive for measured speed (see the module docstring)."""

    @staticmethod
    def forward(ctx, q, k, v, mask, keep, *, scale):
        xp = get_xp(q)
        with one_thread_if_small(q, q.shape[-2] * k.shape[-2] * q.shape[-1]):
            s = xp.matmul(q, xp.swapaxes(k, -1, -2))
            s *= scale
            if mask is not None:
                s += mask
            s -= s.max(-1, keepdims=True)
            xp.exp(s, out=s)
            s /= s.sum(-1, keepdims=True)
            out = xp.matmul(s if keep is None else s * keep, v)
        ctx.save_for_backward(q, k, v, mask, keep, s)
        ctx.scale = scale
        return out

    @staticmethod
    def backward(ctx, grad):
        q, k, v, mask, keep, p = ctx.saved_tensors
        if _State.enabled:
            return attention_grads_composed(ctx, q, k, v, mask, keep, grad)
        q, k, v, p, g = q._data, k._data, v._data, p._data, grad._data
        keep = None if keep is None else keep._data
        xp = get_xp(q)
        with one_thread_if_small(q, q.shape[-2] * k.shape[-2] * q.shape[-1]):
            dp = xp.matmul(g, xp.swapaxes(v, -1, -2))
            dv = xp.matmul(xp.swapaxes(p if keep is None else p * keep, -1, -2), g)
            if keep is not None:
                dp *= keep
            ds = p * (dp - (dp * p).sum(-1, keepdims=True))
            dq = xp.matmul(ds, k)
            dq *= ctx.scale
            dk = xp.matmul(xp.swapaxes(ds, -1, -2), q)
            dk *= ctx.scale
        need = ctx.needs_input_grad
        dmask = None
        if mask is not None and need[3]:
            dmask = sum_to_shape(_wrap(ds), tuple(mask.shape))
        return _wrap(dq), _wrap(dk), _wrap(dv), dmask, None


def attention_grads_composed(
    ctx: Any,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    mask: Tensor | None,
    keep: Tensor | None,
    grad: Tensor,
) -> tuple[Any, ...]:
    """Gradients of attention through composed ember ops (for ``create_graph=True``)."""
    inputs = [q, k, v, mask]
    want = [i for i, t in enumerate(inputs) if t is not None and ctx.needs_input_grad[i]]
    with ember.enable_grad():
        out = attention_composed(q, k, v, mask, keep, ctx.scale)
    got = ember.autograd.grad(
        [out], [inputs[i] for i in want], [grad], create_graph=True, allow_unused=True
    )
    res: list[Any] = [None] * 5
    for i, g in zip(want, got):
        res[i] = g
    return tuple(res)
