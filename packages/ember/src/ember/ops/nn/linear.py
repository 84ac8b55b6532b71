"""Primitives behind ``linear`` and ``embedding``: one GEMM with the bias, one row gather."""

from __future__ import annotations

import ember
from ember._tensor import _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops.linalg import matmul

__all__ = ["Linear", "Embedding"]


class Linear(Primitive):
    """y = x @ W.T + b in one step. Primitive for speed: one GEMM and an in-place bias add,
    instead of a transpose node, a matmul node and a broadcast add node."""

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(
            x if ctx.needs_input_grad[1] else None, w if ctx.needs_input_grad[0] else None
        )
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
        gx = None
        if need[0]:  # one 2-D GEMM: a 3-D grad @ w would run as many small GEMMs
            gx = matmul(g2, w).reshape(grad.shape[:-1] + (w.shape[1],))
        gw = matmul(g2.t(), x.reshape(-1, x.shape[-1])) if need[1] else None
        gb = g2.sum(0) if len(need) > 2 and need[2] else None
        return gx, gw, gb


class Embedding(Primitive):
    """Row lookup ``weight[indices]``. Primitive: the backward is one index_add, with padding rows
    and frequency scaling handled in the same place."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx, scale_grad_by_freq):
        ctx.indices = indices
        ctx.meta = (weight.shape, weight.dtype, padding_idx, scale_grad_by_freq)
        return get_xp(weight).take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, grad):
        shape, dtype, padding_idx, scale = ctx.meta
        flat = _wrap(ctx.indices.reshape(-1))
        g2 = grad.reshape(-1, shape[1])
        if padding_idx is not None:
            g2 = g2 * (flat != padding_idx).to(grad.dtype).unsqueeze(1)
        if scale:
            counts = ember.bincount(flat, minlength=shape[0])
            g2 = g2 / counts.index_select(0, flat).to(grad.dtype).unsqueeze(1)
        zeros = ember.zeros(*shape, dtype=grad.dtype, device=grad.device)
        return ember.index_add(zeros, 0, flat, g2), None, None, None
