"""``Attention``: softmax(q k^T * scale + mask) v in one node, for measured speed."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops.nn._blas import PAIR_GEMM, one_thread_if_small, run_pair
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
        if _split(q, k):
            s = np.empty(q.shape[:-1] + (k.shape[-2],), dtype=np.result_type(q, k))
            out = np.empty(q.shape[:-1] + (v.shape[-1],), dtype=np.result_type(s, v))
            run_pair(*_halves(_forward_raw, (q, k, v, mask, keep), (s, out), scale), parallel=True)
        else:
            with one_thread_if_small(q, q.shape[-2] * k.shape[-2] * q.shape[-1]):
                s, out = _forward_raw(xp, q, k, v, mask, keep, scale)
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
        need = ctx.needs_input_grad
        want_ds = mask is not None and need[3]
        if _split(q, k):
            dq, dk, dv = (np.empty(t.shape, dtype=np.result_type(p, g, t)) for t in (q, k, v))
            ds = np.empty(p.shape, dtype=np.result_type(p, g)) if want_ds else None
            arrays = (q, k, v, p, g, keep)
            run_pair(*_halves(_backward_raw, arrays, (dq, dk, dv, ds), ctx.scale), parallel=True)
        else:
            with one_thread_if_small(q, q.shape[-2] * k.shape[-2] * q.shape[-1]):
                dq, dk, dv, ds = _backward_raw(xp, q, k, v, p, g, keep, ctx.scale)
        dmask = None
        if want_ds:
            dmask = sum_to_shape(_wrap(ds), tuple(mask.shape))
        return _wrap(dq), _wrap(dk), _wrap(dv), dmask, None


def _forward_raw(xp: Any, q: Any, k: Any, v: Any, mask: Any, keep: Any, scale: float,
                 s: Any = None, out: Any = None) -> tuple[Any, Any]:
    """The attention probabilities ``s`` and the output, into ``s`` and ``out`` when given."""
    s = xp.matmul(q, xp.swapaxes(k, -1, -2), out=s)
    s *= scale
    if mask is not None:
        s += mask
    s -= s.max(-1, keepdims=True)
    xp.exp(s, out=s)
    s /= s.sum(-1, keepdims=True)
    out = xp.matmul(s if keep is None else s * keep, v, out=out)
    return s, out


def _backward_raw(xp: Any, q: Any, k: Any, v: Any, p: Any, g: Any, keep: Any, scale: float,
                  dq: Any = None, dk: Any = None, dv: Any = None,
                  ds_out: Any = None) -> tuple[Any, Any, Any, Any]:
    """Gradients of q, k, v and of the scores from the saved probabilities ``p``."""
    dp = xp.matmul(g, xp.swapaxes(v, -1, -2))
    dv = xp.matmul(xp.swapaxes(p if keep is None else p * keep, -1, -2), g, out=dv)
    if keep is not None:
        dp *= keep
    ds = p * (dp - (dp * p).sum(-1, keepdims=True))
    dq = xp.matmul(ds, k, out=dq)
    dq *= scale
    dk = xp.matmul(xp.swapaxes(ds, -1, -2), q, out=dk)
    dk *= scale
    if ds_out is not None:
        ds_out[...] = ds
    return dq, dk, dv, ds


def _split(q: Any, k: Any) -> bool:
    """Whether to run the two halves of the leading batch dimension on two threads."""
    macs = q.shape[-2] * k.shape[-2] * q.shape[-1] * (q.size // (q.shape[-2] * q.shape[-1]))
    return type(q) is np.ndarray and q.ndim >= 3 and q.shape[0] >= 2 and macs >= PAIR_GEMM


def _halves(fn: Any, arrays: tuple[Any, ...], outs: tuple[Any, ...], scale: float) -> tuple:
    """Two zero-argument calls of ``fn`` on the two halves of dimension 0: of the inputs that
    have it (a mask or dropout mask that broadcasts over it is passed whole) and of ``outs``."""
    n = arrays[0].shape[0]
    calls = []
    for part in (slice(0, n // 2), slice(n // 2, n)):
        ins = [a[part] if a is not None and a.ndim == arrays[0].ndim and a.shape[0] == n
               else a for a in arrays]
        res = [o[part] if o is not None else None for o in outs]
        calls.append(partial(fn, np, *ins, scale, *res))
    return tuple(calls)


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
