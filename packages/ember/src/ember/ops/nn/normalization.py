"""``NormAffine``: batch and layer normalisation with the affine step, in one node."""

from __future__ import annotations

from typing import Any

import numpy as np

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
        if _channel_blocks(xp, x, axes):
            out, xhat, mean, var, invstd = _bn_forward_np(
                x, None if w is None else w.reshape(-1), None if b is None else b.reshape(-1), eps
            )
            if running is not None:
                _update_running(xp, running, mean, var, x.size // x.shape[1])
            ctx.save_for_backward(x, w, xhat)
            ctx.invstd = invstd.reshape(pshape)
            ctx.meta = (axes, pshape, eps, None if b is None else b.shape)
            return xhat if out is None else out
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
    if _channel_blocks(xp, g, axes) and g.flags.c_contiguous and xhat.flags.c_contiguous:
        return _bn_backward_np(g, xhat, invstd.reshape(-1), w, bshape, need)
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


# -- batch norm on NumPy: channel blocks, few passes, two threads ------------------------------
# For the (N, C, *) layout with statistics over every axis but 1, each channel's data is N runs of
# L = prod(spatial) contiguous floats. The row sums go through BLAS (a matrix-vector product with
# ones, and ``vecdot`` for sums of products), so no temporary is written for them; the backward
# uses mean(g * w) = w * sum(g) / n and mean(g * w * xhat) = w * sum(g * xhat) / n, which leaves
# two reductions and four elementwise passes instead of eleven. Channel blocks are dealt out to the
# convolution's chunk threads. 1 thread, CPU clock, forward / forward + backward, before -> after:
# see docs/performance.md.

_BN_THREAD_MIN = 1 << 16  # elements below which one thread does everything


def _channel_blocks(xp: Any, x: Any, axes: tuple[int, ...]) -> bool:
    """True for a C-contiguous NumPy float array of 3+ dims normalised over all axes but 1."""
    return (xp is np and x.ndim >= 3 and axes == (0, *range(2, x.ndim)) and x.dtype.kind == "f"
            and x.flags.c_contiguous and x.size > 0)


def _blocks(c: int, size: int, work: Any) -> None:
    """Run ``work(starts)`` over blocks of channels, one per chunk thread for large inputs."""
    from ember.nn._functional import _convkern as ck

    step = c if size < _BN_THREAD_MIN else ck._split(c, c)
    ck._run_chunks(np, c, step, lambda starts: work([(c0, min(c0 + step, c)) for c0 in starts]))


def _bn_forward_np(x: Any, w: Any, b: Any, eps: float):
    """Batch statistics and ``xhat * w + b`` of ``x`` ``(N, C, *)``: (out or None, xhat, mean,
    var, invstd), the last three ``(C,)``. ``out`` is None without ``w`` and ``b``."""
    n, c = x.shape[:2]
    x3 = x.reshape(n, c, -1)
    cnt = x.size // c
    ones = np.ones(x3.shape[2], dtype=x.dtype)
    xhat = np.empty_like(x3)
    out = None if w is None and b is None else np.empty_like(x3)
    mean, var = np.empty(c, dtype=x.dtype), np.empty(c, dtype=x.dtype)

    def work(blocks: list[tuple[int, int]]) -> None:
        for c0, c1 in blocks:
            xs, xh = x3[:, c0:c1], xhat[:, c0:c1]
            m = np.matmul(xs, ones).sum(axis=0) / cnt
            np.subtract(xs, m[:, None], out=xh)
            v = np.vecdot(xh, xh).sum(axis=0) / cnt
            mean[c0:c1], var[c0:c1] = m, v
            xh *= (1.0 / np.sqrt(v + eps))[:, None]
            if out is not None:
                o = out[:, c0:c1]
                if w is not None:
                    np.multiply(xh, w[c0:c1, None], out=o)
                else:
                    o[...] = xh
                if b is not None:
                    o += b[c0:c1, None]

    _blocks(c, x.size, work)
    invstd = 1.0 / np.sqrt(var + eps)
    shape = x.shape
    return (None if out is None else out.reshape(shape)), xhat.reshape(shape), mean, var, invstd


def _bn_backward_np(g: Any, xhat: Any, invstd: Any, w: Any, bshape: Any, need: tuple[bool, ...]):
    """``_norm_affine_backward_raw`` for ``_bn_forward_np``'s layout: dx, dw, db."""
    n, c = g.shape[:2]
    g3, xh3 = g.reshape(n, c, -1), xhat.reshape(n, c, -1)
    cnt = g.size // c
    ones = np.ones(g3.shape[2], dtype=g.dtype)
    sg, sgx = np.empty(c, dtype=g.dtype), np.empty(c, dtype=g.dtype)
    gx = np.empty_like(g3) if need[0] else None
    scale = invstd if w is None else invstd * w.reshape(-1)

    def work(blocks: list[tuple[int, int]]) -> None:
        for c0, c1 in blocks:
            gs, xh = g3[:, c0:c1], xh3[:, c0:c1]
            sg[c0:c1] = np.matmul(gs, ones).sum(axis=0)
            sgx[c0:c1] = np.vecdot(gs, xh).sum(axis=0)
            if gx is not None:  # (g - sum(g)/n - xhat * sum(g xhat)/n) * invstd * w
                o = gx[:, c0:c1]
                np.multiply(xh, (sgx[c0:c1] / -cnt)[:, None], out=o)
                o += gs
                o -= (sg[c0:c1] / cnt)[:, None]
                o *= scale[c0:c1, None]

    _blocks(c, g.size, work)
    gw = sgx.reshape(w.shape) if need[1] else None
    gb = sg.reshape(bshape) if need[2] else None
    return (None if gx is None else gx.reshape(g.shape)), gw, gb
