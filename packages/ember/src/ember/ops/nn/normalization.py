"""``NormAffine``: batch and layer normalisation with the affine step, in one node."""

from __future__ import annotations

from typing import Any

import ember
from ember._tensor import _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp

__all__ = ["NormAffine"]


class NormAffine(Primitive):
    """``(x - mean) / sqrt(var + eps) * w + b`` with statistics over ``axes``: the fused core of
    batch_norm and layer_norm. Primitive for measured speed: two temporaries and in-place updates
    instead of about ten composed passes. Forward also updates BatchNorm's running statistics in
    place. Backward uses the saved normalised input, or recomputes it with ember ops when the
    backward itself is recorded (``create_graph=True``), so second derivatives stay exact."""

    @staticmethod
    def forward(ctx, x, w, b, axes, pshape, eps, running):
        xp = get_xp(x)
        n = 1
        for a in axes:
            n *= x.shape[a]
        mean = x.mean(axis=axes, keepdims=True)
        xhat = x - mean
        tmp = xp.square(xhat)
        var = tmp.mean(axis=axes, keepdims=True)
        invstd = 1.0 / xp.sqrt(var + eps)
        xhat *= invstd
        if running is not None:
            _update_running(xp, running, mean, var, n)
        # xhat is the output itself when there is no affine part: saving it through
        # save_for_backward lets the engine catch a later in-place change to that output.
        ctx.save_for_backward(x, w, xhat)
        ctx.invstd = invstd
        ctx.meta = (axes, pshape, eps, None if b is None else b.shape)
        if w is None and b is None:
            return xhat
        out = tmp  # reuse the squares' buffer for the result
        if w is not None:
            xp.multiply(xhat, w.reshape(pshape), out=out)
        else:
            out[...] = xhat
        if b is not None:
            out += b.reshape(pshape)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w, xhat = ctx.saved_tensors
        axes, pshape, eps, bshape = ctx.meta
        need = ctx.needs_input_grad
        if not _State.enabled:  # plain backward: raw arrays, two temporaries
            raw = _norm_affine_backward_raw(
                grad._data,
                xhat._data,
                ctx.invstd,
                None if w is None else w._data,
                axes,
                pshape,
                bshape,
                need,
            )
            gx, gw, gb = (None if r is None else _wrap(r) for r in raw)
            return gx, gw, gb, None, None, None, None
        # Recorded backward (create_graph=True): recompute the statistics differentiably.
        mean = x.mean(axes, keepdim=True)
        xc = x - mean
        invstd = ember.rsqrt((xc * xc).mean(axes, keepdim=True) + eps)
        xhat = xc * invstd
        param_axes = _param_axes(x.ndim, pshape)
        gw = (grad * xhat).sum(param_axes).reshape(w.shape) if need[1] else None
        gb = grad.sum(param_axes).reshape(bshape) if need[2] else None
        gx = None
        if need[0]:
            gxhat = grad * w.reshape(pshape) if w is not None else grad
            mean_g = gxhat.mean(axes, keepdim=True)
            mean_gx = (gxhat * xhat).mean(axes, keepdim=True)
            gx = (gxhat - mean_g - xhat * mean_gx) * invstd
        return gx, gw, gb, None, None, None, None


def _norm_affine_backward_raw(
    g: Any,
    xhat: Any,
    invstd: Any,
    w: Any,
    axes: tuple[int, ...],
    pshape: tuple[int, ...],
    bshape: Any,
    need: tuple[bool, ...],
):
    """dx = invstd * (g' - mean(g') - xhat * mean(g' * xhat)) with g' = g * w; dw, db sums."""
    xp = get_xp(g)
    param_axes = _param_axes(g.ndim, pshape)
    tmp = xp.multiply(g, xhat)
    gw = tmp.sum(axis=param_axes).reshape(w.shape) if need[1] else None
    gb = g.sum(axis=param_axes).reshape(bshape) if need[2] else None
    if not need[0]:
        return None, gw, gb
    if w is not None:
        gs = g * w.reshape(pshape)
        xp.multiply(gs, xhat, out=tmp)
    else:
        gs = g
    mean_g = gs.mean(axis=axes, keepdims=True)
    mean_gx = tmp.mean(axis=axes, keepdims=True)
    xp.multiply(xhat, mean_gx, out=tmp)
    xp.subtract(gs, tmp, out=tmp)
    tmp -= mean_g
    tmp *= invstd
    return tmp, gw, gb


def _param_axes(ndim: int, pshape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes over which a parameter of broadcast shape ``pshape`` was broadcast."""
    lead = ndim - len(pshape)
    return tuple(range(lead)) + tuple(i + lead for i, s in enumerate(pshape) if s == 1)


def _update_running(xp: Any, running: tuple[Any, Any, float], mean: Any, var: Any, n: int):
    rm, rv, momentum = running
    if rm is not None:
        rm *= 1.0 - momentum
        rm += (momentum * mean.reshape(rm.shape)).astype(rm.dtype)
    if rv is not None:
        unbiased = var.reshape(rv.shape) * (n / max(n - 1, 1))
        rv *= 1.0 - momentum
        rv += (momentum * unbiased).astype(rv.dtype)
