"""Raw-array kernels behind convolution, pooling and unfold/fold (NumPy and CuPy through ``xp``).

Nothing here knows about Tensors or autograd: ``conv.py`` wraps these in primitives.

Convolution is im2col + GEMM, one GEMM per direction per chunk of samples (see "im2col in the
batch-inner layout" below for the layout, the stride-1 shifted-run copies and the measurements;
docs/performance.md has the per-workload numbers). Per-offset accumulation (sum over kernel
offsets of shifted-input GEMMs) was slower: K=C is too short for BLAS and every offset re-reads
and re-writes the output.
"""

from __future__ import annotations

import functools
import itertools
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ember import _runtime
from ember.backends import get_xp

# Bytes of im2col buffer per chunk on the CPU; each chunk is one GEMM (see "im2col in the
# batch-inner layout" below). Smaller chunks stay in cache, larger ones make fewer BLAS calls.
# 64x32x26x26 -> 64 3x3 forward, 1 thread: 4 MB 24.7 ms, 8 MB 26.5 ms, 16 MB 35.3 ms; with 2
# threads on a busy machine each BLAS call waits for both threads: 4 MB 420 ms, 16 MB 147 ms.
# Later, best of 9 with the CPU clock, 1 thread, forward + weight gradient + input gradient,
# chunks of 1 / 2 / 8 MB: 32x16x32x32 16->16 pad 1 128.7 / 110.7 / 142.0 ms (10 calls),
# 32x32x16x16 32->32 66.4 / 62.9 / 88.9, 64x32x26x26 32->64 626 / 424 / 451: the columns of a
# 2 MB chunk stay in this machine's 1 MB-per-core L2 + shared L3 while the GEMM reads them.
# GPUs get the whole batch at once.
_CHUNK_BYTES = 2 << 20


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

    @functools.cached_property
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


def _run_chunks(xp: Any, n: int, nb: int, work: Any) -> list[Any]:
    """Call ``work(firsts)`` on the first samples of the chunks of ``nb``; return the results.

    With several BLAS threads on the CPU, the chunks are dealt out to as many Python threads
    (NumPy's copies and BLAS release the GIL) while BLAS runs single-threaded. A multi-threaded
    BLAS call waits for all its threads, so many chunk-sized GEMMs with 2 BLAS threads collapse on
    a busy machine (32x64x32x32 forward: 3-15 s against 0.1-0.2 s this way, load average 10);
    chunks in parallel also split the im2col copies, which BLAS threads never did.
    """
    firsts = list(range(0, n, nb))
    workers = min(_runtime.get_num_threads(), len(firsts)) if xp is np else 1
    if workers <= 1:
        return [work(firsts)]
    with _runtime._controller().limit(limits=1, user_api="blas"):
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(work, [firsts[i::workers] for i in range(workers)]))


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


@functools.lru_cache(maxsize=512)
def offset_slices(g: ConvGeom) -> tuple[tuple[tuple[int, ...], tuple[slice, ...]], ...]:
    """For each kernel offset, the strided slice of the padded input it reads for every output.

    Cached per geometry: a training step asks for the same few geometries hundreds of times.
    """
    res = []
    for off in itertools.product(*[range(k) for k in g.kernel]):
        sl = tuple(
            slice(o * d, o * d + s * (n - 1) + 1, s)
            for o, d, s, n in zip(off, g.dilation, g.stride, g.out_size)
        )
        res.append((off, sl))
    return tuple(res)


def _cols_view(x: Any, g: ConvGeom) -> Any:
    return windows(pad_zeros(x, g.pad_lo, g.pad_hi), g.kernel, g.dilation, g.stride, g.out_size)


# -- im2col in the batch-inner layout ------------------------------------------------------------
# Every convolution GEMM here multiplies matrices whose columns run over (sample, position):
# ``cols`` is ``(G, C/G * prod(k), M * L)`` for a chunk of M samples and L positions per sample.
# So each direction is ONE GEMM per chunk (per group), with the batch folded into N (forward,
# input gradient) or into K (weight gradient). Per-sample GEMMs made hundreds of small BLAS calls
# per training step, and with 2 BLAS threads on a busy machine every call waits for both threads:
# a 16->16 3x3 convolution on 32x16x32x32 took 885 ms that way against 41 ms as one GEMM
# (1 thread: 21 ms and 24 ms). The price is a transposing copy of the output (forward) or of the
# incoming gradient (backward), both much smaller than the im2col buffer.
#
# Stride-1 convolutions use shifted runs of the flattened padded input: kernel offset ``j`` reads
# the padded input shifted by a fixed flat distance, so on the "wide" grid (the first output axis
# times the full padded extent of the others) each offset's im2col row is ONE contiguous run, and
# the copy moves long runs instead of rows of ``out_w`` floats (8 to 32 in a small CNN, where
# NumPy's per-row overhead dominated). The price is ``padded_w / out_w`` more GEMM columns, bounded
# by ``_MAX_WIDE``; the extra columns are cropped away (forward) or meet zeros (weight gradient).

_MAX_WIDE = 1.5


@dataclass(frozen=True)
class _Cols:
    """How ``_im2col_chunks`` lays out the columns: ``wide`` positions per sample on ``grid``.

    ``grid`` is the output grid itself, or with ``flat`` the wide grid ``(out[0], *padded[1:])``
    whose leading corner of shape ``out`` holds the valid outputs.
    """

    flat: bool
    wide: int
    grid: tuple[int, ...]


def _padded(g: ConvGeom) -> tuple[int, ...]:
    return tuple(i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi))


def _layout(xp: Any, g: ConvGeom) -> _Cols:
    pad, out = _padded(g), g.out_size
    flat = (xp is np and all(s == 1 for s in g.stride)
            and _prod(pad[1:]) <= _MAX_WIDE * _prod(out[1:]))
    if flat:
        return _Cols(True, out[0] * _prod(pad[1:]), (out[0],) + pad[1:])
    return _Cols(False, _prod(out), out)


def _flat_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(_prod(shape[i + 1:]) for i in range(len(shape)))


def _shifts(g: ConvGeom) -> tuple[list[int], int]:
    """Each kernel offset's flat shift in the padded grid (weight order), and the zero tail that
    keeps every shifted run of the wide length in bounds."""
    fs = _flat_strides(_padded(g))
    starts = [sum(o * d * st for o, d, st in zip(off, g.dilation, fs))
              for off, _ in offset_slices(g)]
    tail = sum((k - 1) * d * st for k, d, st in zip(g.kernel[1:], g.dilation[1:], fs[1:]))
    return starts, tail


def _flat_input(x: Any, g: ConvGeom, tail: int) -> Any:
    """The zero-padded input flattened per (sample, channel), plus a zero tail."""
    xp = get_xp(x)
    pad = _padded(g)
    n, c = x.shape[:2]
    if not tail and pad == g.in_size:
        return xp.ascontiguousarray(x).reshape(n, c, -1)
    flat = xp.zeros((n, c, _prod(pad) + tail), dtype=x.dtype)
    inner = flat[:, :, :_prod(pad)].reshape((n, c) + pad)
    inner[(Ellipsis, *[slice(a, a + i) for a, i in zip(g.pad_lo, g.in_size)])] = x
    return flat


def _im2col_source(x: Any, g: ConvGeom, lay: _Cols) -> Any:
    """The padded input that ``_im2col_chunks`` copies from (flattened, with a zero tail, on the
    wide grid)."""
    if lay.flat:
        return _flat_input(x, g, _shifts(g)[1])
    return pad_zeros(x, g.pad_lo, g.pad_hi)


def _im2col_chunks(src: Any, g: ConvGeom, lay: _Cols, nb: int, firsts: list[int]):
    """Yield ``(n0, m, cols)`` per chunk of ``nb`` samples starting at each of ``firsts``, with
    ``cols`` ``(G, C/G * prod(k), m * wide)`` copied from ``src`` (see ``_im2col_source``).

    One copy per kernel offset on purpose: a single copy from a 6-D strided window view was up to
    20x slower, as NumPy's iterator picks a short inner axis when two axes share a stride.
    """
    xp = get_xp(src)
    n, c = src.shape[:2]
    kk = _prod(g.kernel)
    starts, _ = _shifts(g)
    buf = xp.empty(c * kk * nb * lay.wide, dtype=src.dtype)
    for n0 in firsts:
        m = min(nb, n - n0)
        cols = buf[: c * kk * m * lay.wide].reshape(
            (c, kk, m) + ((lay.wide,) if lay.flat else g.out_size)
        )
        for j, (_, sl) in enumerate(offset_slices(g)):
            if lay.flat:
                cols[:, j] = src[n0 : n0 + m, :, starts[j] : starts[j] + lay.wide].swapaxes(0, 1)
            else:
                cols[:, j] = src[(slice(n0, n0 + m), slice(None), *sl)].swapaxes(0, 1)
        yield n0, m, cols.reshape(g.groups, c // g.groups * kk, m * lay.wide)


def _im2col_plan(x: Any, g: ConvGeom, lay: _Cols) -> tuple[Any, int]:
    """The im2col source and the samples per chunk."""
    c, kk = x.shape[1], _prod(g.kernel)
    return _im2col_source(x, g, lay), _chunk(get_xp(x), x.shape[0], c * kk * lay.wide * x.itemsize)


def _to_cols(y: Any, g: ConvGeom, lay: _Cols) -> Any:
    """``(M, O, *out)`` as ``(G, O/G, M * wide)``, zeros in the wide grid's extra columns."""
    xp = get_xp(y)
    m, o = y.shape[:2]
    if lay.flat and lay.grid != g.out_size:
        t = xp.zeros((o, m) + lay.grid, dtype=y.dtype)
        t[(Ellipsis, *[slice(0, k) for k in g.out_size[1:]])] = y.swapaxes(0, 1)
    else:
        t = xp.ascontiguousarray(y.swapaxes(0, 1))
    return t.reshape(g.groups, o // g.groups, m * lay.wide)


def _from_cols(res: Any, m: int, g: ConvGeom, lay: _Cols) -> Any:
    """The ``(M, O, *out)`` view of a GEMM result ``(G, O/G, M * wide)``."""
    o = res.shape[0] * res.shape[1]
    full = res.reshape((o, m) + lay.grid).swapaxes(0, 1)
    return full[(Ellipsis, *[slice(0, k) for k in g.out_size[1:]])] if lay.flat else full


def conv_forward(x: Any, w: Any, b: Any, g: ConvGeom) -> Any:
    """Cross-correlation ``(N, C, *in) * (O, C/G, *k) -> (N, O, *out)`` plus optional bias."""
    xp = get_xp(x)
    n, o, grp = x.shape[0], w.shape[0], g.groups
    if _use_winograd(xp, x, w, g):
        out = winograd_3x3(x, w, g.pad_lo, g.pad_hi)
        if b is not None:
            out += b.reshape(1, o, 1, 1)
        return out
    w3 = w.reshape(grp, o // grp, -1)
    lay = _layout(xp, g)
    out = xp.empty((n, o) + g.out_size, dtype=x.dtype)
    src, nb = _im2col_plan(x, g, lay)

    def work(firsts: list[int]) -> None:
        for n0, m, cols in _im2col_chunks(src, g, lay, nb, firsts):
            out[n0 : n0 + m] = _from_cols(xp.matmul(w3, cols), m, g, lay)

    _run_chunks(xp, n, nb, work)
    if b is not None:
        out += b.reshape((1, o) + (1,) * len(g.out_size))
    return out


def col2im_add(target: Any, cols: Any, g: ConvGeom) -> None:
    """Add ``cols`` ``(N, C, *k, *out)`` into the padded input ``target`` window by window."""
    for off, sl in offset_slices(g):
        target[(slice(None), slice(None), *sl)] += cols[(slice(None), slice(None), *off)]


def conv_input_grad(gy: Any, w: Any, b: Any, g: ConvGeom) -> Any:
    """The adjoint of ``conv_forward`` in its input (= transposed convolution), plus bias."""
    xp = get_xp(gy)
    flipped = _full_pads(g)
    # The correlation copies O * prod(k) values per position, the scatter-add C * prod(k).
    if (xp is np and flipped is not None and tuple(gy.shape[2:]) == g.out_size
            and w.shape[0] <= w.shape[1] * g.groups):
        gx = _input_grad_as_correlation(gy, w, g, flipped)
    else:
        gx = _input_grad_col2im(gy, w, g)
    if b is not None:
        gx += b.reshape((1, -1) + (1,) * len(g.in_size))
    return gx


def _full_pads(g: ConvGeom) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """For stride 1, the paddings that make the input gradient a plain correlation of ``gy``."""
    if any(s != 1 for s in g.stride):
        return None
    span = tuple(d * (k - 1) for k, d in zip(g.kernel, g.dilation))
    lo = tuple(s - p for s, p in zip(span, g.pad_lo))
    hi = tuple(s - p for s, p in zip(span, g.pad_hi))
    if any(v < 0 for v in lo + hi):
        return None
    return lo, hi


def _input_grad_as_correlation(gy: Any, w: Any, g: ConvGeom, pads: tuple) -> Any:
    """Stride 1: correlate the padded ``gy`` with the flipped, in/out-swapped kernel (one im2col
    copy and one GEMM, and no scatter-add)."""
    xp = get_xp(gy)
    grp, k = g.groups, g.kernel
    o, cg = w.shape[:2]
    wg = w.reshape((grp, o // grp, cg) + k).swapaxes(1, 2)
    wt = wg[(Ellipsis, *[slice(None, None, -1)] * len(k))].reshape((grp * cg, o // grp) + k)
    gt = ConvGeom(g.out_size, k, g.stride, pads[0], pads[1], g.dilation, grp)
    return conv_forward(gy, xp.ascontiguousarray(wt), None, gt)


def _input_grad_col2im(gy: Any, w: Any, g: ConvGeom) -> Any:
    """Any stride: one GEMM per chunk into columns, then scatter-add them window by window."""
    xp = get_xp(gy)
    n, o = gy.shape[:2]
    grp, kk = g.groups, _prod(g.kernel)
    c = w.shape[1] * grp
    wt = w.reshape(grp, o // grp, -1).swapaxes(1, 2)
    lay = _layout(xp, g)
    gx = xp.empty((n, c) + g.in_size, dtype=gy.dtype)
    nb = _chunk(xp, n, c * kk * lay.wide * gy.itemsize)

    def work(firsts: list[int]) -> None:
        for n0 in firsts:
            m = min(nb, n - n0)
            cols = xp.matmul(wt, _to_cols(gy[n0 : n0 + m], g, lay))
            gx[n0 : n0 + m] = _scatter_cols(cols, c, m, g, lay).swapaxes(0, 1)

    _run_chunks(xp, n, nb, work)
    return gx


def _scatter_cols(cols: Any, c: int, m: int, g: ConvGeom, lay: _Cols) -> Any:
    """Sum columns ``(C, prod(k), M, wide)`` back into the ``(C, M, *in)`` input grid (a view).

    The layout matches ``cols`` (channel-major) so that every add runs over equal strides; on the
    wide grid each offset's add is one contiguous run (its extra columns hold zeros).
    """
    xp = get_xp(cols)
    pad = _padded(g)
    if lay.flat:
        starts, tail = _shifts(g)
        cols = cols.reshape(c, len(starts), m, lay.wide)
        target = xp.zeros((c, m, _prod(pad) + tail), dtype=cols.dtype)
        for j, start in enumerate(starts):
            target[:, :, start:start + lay.wide] += cols[:, j]
        target = target[:, :, :_prod(pad)].reshape((c, m) + pad)
    else:
        cols = cols.reshape((c,) + g.kernel + (m,) + lay.grid)
        target = xp.zeros((c, m) + pad, dtype=cols.dtype)
        for off, sl in offset_slices(g):
            target[(slice(None), slice(None), *sl)] += cols[(slice(None), *off)]
    return crop(target, g.pad_lo, g.in_size)


def conv_weight_grad(x: Any, gy: Any, g: ConvGeom) -> Any:
    """The adjoint of ``conv_forward`` in its weight: one GEMM per chunk with K = samples x
    positions. (On the wide grid a non-finite input can leak a NaN through a zero gradient.)"""
    xp = get_xp(x)
    o, c, grp = gy.shape[1], x.shape[1], g.groups
    lay = _layout(xp, g)
    src, nb = _im2col_plan(x, g, lay)

    def work(firsts: list[int]) -> Any:
        gw: Any = None
        for n0, m, cols in _im2col_chunks(src, g, lay, nb, firsts):
            part = xp.matmul(_to_cols(gy[n0 : n0 + m], g, lay), cols.swapaxes(1, 2))
            gw = part if gw is None else xp.add(gw, part, out=gw)
        return gw

    parts = _run_chunks(xp, x.shape[0], nb, work)
    gw = parts[0]
    for part in parts[1:]:
        gw += part
    return gw.reshape((o, c // grp) + g.kernel)


def im2col(x: Any, g: ConvGeom) -> Any:
    """``F.unfold``'s layout: ``(N, C * prod(k), prod(out))``."""
    view = _cols_view(x, g)
    n, c = x.shape[:2]
    return get_xp(x).ascontiguousarray(view).reshape(n, c * _prod(g.kernel), _prod(g.out_size))


def col2im(cols: Any, g: ConvGeom) -> Any:
    """``F.fold``: sum ``(N, C * prod(k), L)`` blocks back into ``(N, C, *in)``."""
    xp = get_xp(cols)
    n = cols.shape[0]
    c = cols.shape[1] // _prod(g.kernel)
    padded = tuple(i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi))
    target = xp.zeros((n, c) + padded, dtype=cols.dtype)
    col2im_add(target, cols.reshape((n, c) + g.kernel + g.out_size), g)
    return xp.ascontiguousarray(crop(target, g.pad_lo, g.in_size))


# -- Winograd F(2x2, 3x3) ------------------------------------------------------------------------
# For 3x3, stride-1, undilated, ungrouped 2-D convolutions on the CPU with at least
# ``_WINO_MIN_CHANNELS ** 2`` input times output channels. Each 2x2 output tile comes from a 4x4
# input tile as A^T [(G w G^T) * (B^T d B)] A, so the multiplies become 16 GEMMs of
# (O, C) @ (C, tiles), 2.25x fewer multiply-adds than im2col's. The transforms are adds and
# subtracts of strided slices (no 9x im2col copy). Samples go in chunks of about
# ``_WINO_CHUNK_BYTES`` of transformed input, so that the GEMMs' operands stay in cache.
# Forward, 1 thread, CPU clock, best of 7 on a busy machine, im2col / Winograd with 0.5, 1, 2 MB
# chunks: 32x64x32x32 64->64 pad 1 55.2 / 40.7, 43.9, 48.7 ms; 64x32x26x26 32->64 26.2 / 23.5,
# 23.2, 27.7; 64x64x24x24 64->32 34.5 / 26.4, 25.5, 27.1. But 32x16x32x32 16->16 5.5 / 6.2 and
# 32x32x16x16 32->32 3.8 / 4.2: there the transforms cost more than the multiplies saved, so
# those stay on im2col. Rounding differs from im2col's at the float32 epsilon level (max error
# about 4e-6 on outputs of scale 1).

_WINO_MIN_CHANNELS = 45  # O * C >= 2025: 64x32 and up
_WINO_CHUNK_BYTES = 1 << 19
# G (4x3), the kernel transform; B^T and A^T are applied as the adds/subtracts below.
_WINO_G = ((1.0, 0.0, 0.0), (0.5, 0.5, 0.5), (0.5, -0.5, 0.5), (0.0, 0.0, 1.0))


def _use_winograd(xp: Any, x: Any, w: Any, g: ConvGeom) -> bool:
    return (xp is np and g.kernel == (3, 3) and g.stride == (1, 1) and g.dilation == (1, 1)
            and g.groups == 1 and x.dtype.kind == "f" and min(g.out_size) >= 1
            and w.shape[0] * w.shape[1] >= _WINO_MIN_CHANNELS**2)


def _wino_in(src: Any, out: Any, tmp: Any) -> None:
    """B^T d B for every 4x4 tile (stride 2) of ``src`` ``(C, M, 2*th + 2, 2*tw + 2)``.

    ``out`` is ``(4, 4, C, M, th, tw)``; ``tmp`` ``(4, C, M, th, 2*tw + 2)`` holds the row pass.
    """
    th, tw = out.shape[-2:]
    r = [src[:, :, i:i + 2 * th:2] for i in range(4)]
    _bt_combine(r, tmp)
    for a in range(4):
        _bt_combine([tmp[a, ..., j:j + 2 * tw:2] for j in range(4)], out[a])


def _bt_combine(d: list[Any], out: Any) -> None:
    """The rows of B^T applied to four slices: d0-d2, d1+d2, d2-d1, d1-d3."""
    np.subtract(d[0], d[2], out=out[0])
    np.add(d[1], d[2], out=out[1])
    np.subtract(d[2], d[1], out=out[2])
    np.subtract(d[1], d[3], out=out[3])


def _at_combine(m: Any, out0: Any, out1: Any) -> None:
    """The rows of A^T applied along the first axis of ``m``: m0+m1+m2 and m1-m2-m3."""
    np.add(m[0], m[1], out=out0)
    out0 += m[2]
    np.subtract(m[1], m[2], out=out1)
    out1 -= m[3]


def winograd_3x3(x: Any, w: Any, pad_lo: tuple[int, ...], pad_hi: tuple[int, ...]) -> Any:
    """Cross-correlation of ``(N, C, H, W)`` with ``(O, C, 3, 3)``, stride 1, Winograd F(2x2, 3x3).

    Returns ``(N, O, H + pads - 2, W + pads - 2)``, contiguous, in ``x``'s dtype. Chunks run
    through ``_run_chunks`` (in parallel Python threads when BLAS has several).
    """
    n, c, h, wd = x.shape
    o = w.shape[0]
    ho, wo = h + pad_lo[0] + pad_hi[0] - 2, wd + pad_lo[1] + pad_hi[1] - 2
    th, tw = (ho + 1) // 2, (wo + 1) // 2
    # Channel-major padded input, with the high side rounded up to whole tiles.
    src = np.zeros((c, n, 2 * th + 2, 2 * tw + 2), dtype=x.dtype)
    rows, cols = min(h, 2 * th + 2 - pad_lo[0]), min(wd, 2 * tw + 2 - pad_lo[1])
    src[:, :, pad_lo[0] : pad_lo[0] + rows, pad_lo[1] : pad_lo[1] + cols] = x[
        :, :, :rows, :cols
    ].swapaxes(0, 1)
    gm = np.asarray(_WINO_G, dtype=x.dtype)
    u = np.einsum("ai,ocij,bj->aboc", gm, w, gm).reshape(16, o, c)
    out = np.empty((n, o, 2 * th, 2 * tw), dtype=x.dtype)
    # out viewed as (row in tile, column in tile, O, N, th, tw)
    tiles = out.reshape(n, o, th, 2, tw, 2).transpose(3, 5, 1, 0, 2, 4)
    m = max(1, min(n, _WINO_CHUNK_BYTES // (16 * c * th * tw * x.itemsize)))
    _run_chunks(np, n, m, lambda firsts: _wino_chunks(src, u, tiles, firsts, m))
    if (2 * th, 2 * tw) != (ho, wo):
        return np.ascontiguousarray(out[:, :, :ho, :wo])
    return out


def _wino_chunks(src: Any, u: Any, tiles: Any, starts: list[int], m: int) -> None:
    """Transform, multiply and write back the chunks of ``m`` samples that begin at ``starts``."""
    c, n, _, _ = src.shape
    o = u.shape[1]
    th, tw = tiles.shape[-2:]
    dt = src.dtype
    v = np.empty((4, 4, c, m, th, tw), dtype=dt)
    rowpass = np.empty((4, c, m, th, 2 * tw + 2), dtype=dt)
    prod = np.empty((16, o, m * th * tw), dtype=dt)
    half = np.empty((2, 4, o, m, th, tw), dtype=dt)
    for n0 in starts:
        k = min(m, n - n0)
        vk = v if k == m else np.empty((4, 4, c, k, th, tw), dtype=dt)
        _wino_in(src[:, n0 : n0 + k], vk, rowpass[:, :, :k])
        pk = prod[:, :, : k * th * tw]
        np.matmul(u, vk.reshape(16, c, k * th * tw), out=pk)
        pk = pk.reshape(4, 4, o, k, th, tw)
        hk = half[:, :, :, :k]
        _at_combine(pk, hk[0], hk[1])
        for a in range(2):
            dst = tiles[a, :, :, n0 : n0 + k]
            _at_combine(hk[a], dst[0], dst[1])
