"""Raw-array kernels behind convolution, pooling and unfold/fold (NumPy and CuPy through ``xp``).

Nothing here knows about Tensors or autograd: ``conv.py`` wraps these in primitives.

Convolution uses im2col + GEMM, chunked over the batch. ``benchmarks/bench_conv.py`` measured the
alternatives on 32x64x32x32 3x3 (2 cores): one im2col buffer for the whole batch costs the GEMM time
again in memory traffic (the buffer is 9x the input), while filling a small buffer of a few
samples that stays in cache and running one batched GEMM per chunk, written straight into the NCHW
output with ``matmul(out=...)``, comes within ~10% of a bare GEMM of the same FLOPs. Per-offset
accumulation (sum over kernel offsets of shifted-input GEMMs) was slower: K=C is too short for
BLAS and every offset re-reads and re-writes the output.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ember.backends import get_xp

# Bytes of im2col buffer per chunk on the CPU: small enough to stay in L2/L3 between the copy
# and the GEMM that reads it. GPUs get the whole batch at once.
_CHUNK_BYTES = 4 << 20


@dataclass(frozen=True)
class ConvGeom:
    """The geometry of one N-d convolution, seen from its input: sizes per spatial axis."""

    in_size: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    pad_lo: tuple[int, ...]
    pad_hi: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int = 1

    @property
    def out_size(self) -> tuple[int, ...]:
        return tuple(
            (i + lo + hi - d * (k - 1) - 1) // s + 1
            for i, k, s, lo, hi, d in zip(self.in_size, self.kernel, self.stride, self.pad_lo,
                                          self.pad_hi, self.dilation)
        )

    @property
    def is_pointwise(self) -> bool:
        """A 1x1 convolution with stride 1 and no padding: the input is its own im2col."""
        return (all(k == 1 for k in self.kernel) and all(s == 1 for s in self.stride)
                and not any(self.pad_lo) and not any(self.pad_hi))


def _prod(xs: tuple[int, ...]) -> int:
    return math.prod(xs)


def _chunk(xp: Any, n: int, per_sample: int) -> int:
    if xp is not np:
        return max(n, 1)
    return max(1, min(n, _CHUNK_BYTES // max(per_sample, 1)))


def pad_zeros(x: Any, lo: tuple[int, ...], hi: tuple[int, ...], fill: float = 0.0) -> Any:
    """``x`` with its trailing ``len(lo)`` axes padded by ``fill`` (no copy when nothing to pad)."""
    if not any(lo) and not any(hi):
        return x
    xp = get_xp(x)
    lead = x.ndim - len(lo)
    shape = x.shape[:lead] + tuple(n + a + b for n, a, b in zip(x.shape[lead:], lo, hi))
    out = xp.full(shape, fill, dtype=x.dtype)
    out[(Ellipsis, *[slice(a, a + n) for a, n in zip(lo, x.shape[lead:])])] = x
    return out


def crop(x: Any, lo: tuple[int, ...], size: tuple[int, ...]) -> Any:
    """The window ``[lo, lo + size)`` of the trailing axes of ``x`` (a view)."""
    return x[(Ellipsis, *[slice(a, a + n) for a, n in zip(lo, size)])]


def windows(xpad: Any, kernel: tuple[int, ...], dilation: tuple[int, ...],
            stride: tuple[int, ...], out: tuple[int, ...]) -> Any:
    """A strided view ``(N, C, *kernel, *out)`` of a padded ``(N, C, *spatial)`` array."""
    st = xpad.strides
    sp = st[2:]
    shape = xpad.shape[:2] + tuple(kernel) + tuple(out)
    strides = (st[:2] + tuple(s * d for s, d in zip(sp, dilation))
               + tuple(s * t for s, t in zip(sp, stride)))
    return get_xp(xpad).lib.stride_tricks.as_strided(xpad, shape, strides)


def offset_slices(g: ConvGeom) -> list[tuple[tuple[int, ...], tuple[slice, ...]]]:
    """For each kernel offset, the strided slice of the padded input it reads for every output."""
    res = []
    for off in itertools.product(*[range(k) for k in g.kernel]):
        sl = tuple(
            slice(o * d, o * d + s * (n - 1) + 1, s)
            for o, d, s, n in zip(off, g.dilation, g.stride, g.out_size)
        )
        res.append((off, sl))
    return res


def _cols_view(x: Any, g: ConvGeom) -> Any:
    return windows(pad_zeros(x, g.pad_lo, g.pad_hi), g.kernel, g.dilation, g.stride, g.out_size)


def conv_forward(x: Any, w: Any, b: Any, g: ConvGeom) -> Any:
    """Cross-correlation ``(N, C, *in) * (O, C/G, *k) -> (N, O, *out)`` plus optional bias."""
    xp = get_xp(x)
    n, c = x.shape[:2]
    o, grp = w.shape[0], g.groups
    ck, p = c // grp * _prod(g.kernel), _prod(g.out_size)
    w3 = w.reshape(grp, o // grp, ck)
    out = xp.empty((n, o, p), dtype=x.dtype)
    if g.is_pointwise:
        xp.matmul(w3, x.reshape(n, grp, ck, p), out=out.reshape(n, grp, o // grp, p))
    else:
        view = _cols_view(x, g)
        nb = _chunk(xp, n, view[0].size * x.itemsize)
        buf = xp.empty((nb,) + view.shape[1:], dtype=x.dtype)
        for n0 in range(0, n, nb):
            m = min(nb, n - n0)
            cols = buf[:m]
            cols[...] = view[n0:n0 + m]
            xp.matmul(w3, cols.reshape(m, grp, ck, p),
                      out=out[n0:n0 + m].reshape(m, grp, o // grp, p))
    if b is not None:
        out += b.reshape(1, o, 1)
    return out.reshape((n, o) + g.out_size)


def col2im_add(target: Any, cols: Any, g: ConvGeom) -> None:
    """Add ``cols`` ``(N, C, *k, *out)`` into the padded input ``target`` window by window."""
    for off, sl in offset_slices(g):
        target[(slice(None), slice(None), *sl)] += cols[(slice(None), slice(None), *off)]


def conv_input_grad(gy: Any, w: Any, b: Any, g: ConvGeom) -> Any:
    """The adjoint of ``conv_forward`` in its input (= transposed convolution), plus bias."""
    xp = get_xp(gy)
    n, o = gy.shape[:2]
    grp = g.groups
    c = w.shape[1] * grp
    ck, p = w.shape[1] * _prod(g.kernel), _prod(g.out_size)
    wt = w.reshape(grp, o // grp, ck).transpose(0, 2, 1)
    gy4 = gy.reshape(n, grp, o // grp, p)
    if g.is_pointwise:
        gx = xp.matmul(wt, gy4).reshape((n, c) + g.in_size)
    else:
        padded = tuple(i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi))
        gxp = xp.zeros((n, c) + padded, dtype=gy.dtype)
        nb = _chunk(xp, n, c * _prod(g.kernel) * p * gy.itemsize)
        buf = xp.empty((nb, grp, ck, p), dtype=gy.dtype)
        for n0 in range(0, n, nb):
            m = min(nb, n - n0)
            cols = xp.matmul(wt, gy4[n0:n0 + m], out=buf[:m])
            col2im_add(gxp[n0:n0 + m], cols.reshape((m, c) + g.kernel + g.out_size), g)
        gx = crop(gxp, g.pad_lo, g.in_size)
        if gx is not gxp:
            gx = xp.ascontiguousarray(gx)
    if b is not None:
        gx += b.reshape((1, c) + (1,) * len(g.in_size))
    return gx


def conv_weight_grad(x: Any, gy: Any, g: ConvGeom) -> Any:
    """The adjoint of ``conv_forward`` in its weight: ``sum_n gy[n] @ im2col(x[n]).T``."""
    xp = get_xp(x)
    n, c = x.shape[:2]
    o, grp = gy.shape[1], g.groups
    ck, p = c // grp * _prod(g.kernel), _prod(g.out_size)
    gy4 = gy.reshape(n, grp, o // grp, p)
    if g.is_pointwise:
        cols = x.reshape(n, grp, ck, p)
        gw = xp.matmul(gy4, cols.transpose(0, 1, 3, 2)).sum(axis=0)
        return gw.reshape((o, c // grp) + g.kernel)
    view = _cols_view(x, g)
    nb = _chunk(xp, n, view[0].size * x.itemsize)
    buf = xp.empty((nb,) + view.shape[1:], dtype=x.dtype)
    gw = xp.zeros((grp, o // grp, ck), dtype=x.dtype)
    for n0 in range(0, n, nb):
        m = min(nb, n - n0)
        cols = buf[:m]
        cols[...] = view[n0:n0 + m]
        part = xp.matmul(gy4[n0:n0 + m], cols.reshape(m, grp, ck, p).transpose(0, 1, 3, 2))
        gw += part[0] if m == 1 else part.sum(axis=0)
    return gw.reshape((o, c // grp) + g.kernel)


def im2col(x: Any, g: ConvGeom) -> Any:
    """``F.unfold``'s layout: ``(N, C * prod(k), prod(out))``."""
    view = _cols_view(x, g)
    n, c = x.shape[:2]
    return get_xp(x).ascontiguousarray(view).reshape(n, c * _prod(g.kernel), -1)


def col2im(cols: Any, g: ConvGeom) -> Any:
    """``F.fold``: sum ``(N, C * prod(k), L)`` blocks back into ``(N, C, *in)``."""
    xp = get_xp(cols)
    n = cols.shape[0]
    c = cols.shape[1] // _prod(g.kernel)
    padded = tuple(i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi))
    target = xp.zeros((n, c) + padded, dtype=cols.dtype)
    col2im_add(target, cols.reshape((n, c) + g.kernel + g.out_size), g)
    return xp.ascontiguousarray(crop(target, g.pad_lo, g.in_size))
