"""Raw-array kernels for pooling, padding, resampling and grid sampling (NumPy and CuPy via ``xp``).

Sliding-window reductions loop over the few kernel offsets and work on whole strided slices, so no
window buffer is ever built. Separable linear resampling (interpolate, adaptive average pooling) is
one small dense matrix per spatial axis applied with a GEMM, which makes the adjoint exact and free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ember.backends import get_xp
from ember.nn._functional import _convkern as ck
from ember.nn._functional._convkern import ConvGeom, crop, offset_slices, pad_zeros


def pool_out_size(n: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    """PyTorch's pooling output length, including its ceil-mode rule."""
    num = n + 2 * p - d * (k - 1) - 1
    out = (-(-num // s) if ceil else num // s) + 1
    if ceil and (out - 1) * s >= n + p:
        out -= 1
    return out


def pool_geom(in_size: tuple[int, ...], k: tuple[int, ...], s: tuple[int, ...],
              p: tuple[int, ...], d: tuple[int, ...], ceil: bool) -> ConvGeom:
    """A ConvGeom whose high-side padding makes every (ceil-mode) window fit."""
    out = [pool_out_size(*a, ceil) for a in zip(in_size, k, s, p, d)]
    hi = tuple(max(pi, (o - 1) * si + di * (ki - 1) + 1 - n - pi)
               for o, si, di, ki, n, pi in zip(out, s, d, k, in_size, p))
    return ConvGeom(tuple(in_size), tuple(k), tuple(s), tuple(p), hi, tuple(d))


def _flat_strides(size: tuple[int, ...]) -> list[int]:
    return [math.prod(size[i + 1:]) for i in range(len(size))]


def _window_base(g: ConvGeom) -> np.ndarray:
    """Flat input index of each window's first element, shape ``out_size``."""
    base = np.zeros(g.out_size, dtype=np.int64)
    for ax, (n, s, p, st) in enumerate(zip(g.out_size, g.stride, g.pad_lo,
                                          _flat_strides(g.in_size))):
        shape = [1] * len(g.out_size)
        shape[ax] = n
        base = base + ((np.arange(n) * s - p) * st).reshape(shape)
    return base


def max_pool(x: Any, g: ConvGeom) -> tuple[Any, Any]:
    """Windowed max and the flat (per-channel) input index of each max, PyTorch's tie rule.

    The maxima come from ``maximum`` passes; the index of the first window element equal to the
    maximum is then counted with boolean passes. Selecting with ``where`` on a data-dependent
    mask is ~7x slower than either (branchy), so it only serves windows that hold a NaN (where
    PyTorch takes the last NaN). On the CPU, large inputs are split over the batch and run on the
    convolution's chunk threads.
    """
    xp = get_xp(x)
    xpad = pad_zeros(x, g.pad_lo, g.pad_hi, fill=-np.inf)
    fs = _flat_strides(g.in_size)
    table = [sum(o * d * st for o, d, st in zip(off, g.dilation, fs))
             for off, _ in offset_slices(g)]
    n = x.shape[0]
    if xp is not np or x.size < _POOL_THREAD_MIN or n < 2:
        best, arg = _max_pool_part(xpad, g)
    else:
        best = np.empty(x.shape[:2] + g.out_size, dtype=x.dtype)
        arg = np.empty(best.shape, dtype=np.int32)

        def work(firsts: list[int]) -> None:
            for n0 in firsts:
                part = slice(n0, min(n0 + nb, n))
                best[part], arg[part] = _max_pool_part(xpad[part], g)

        nb = ck._split(n, n)
        ck._run_chunks(np, n, nb, work)
    idx = xp.asarray(np.asarray(table, dtype=np.int64))[arg] + xp.asarray(_window_base(g))
    return best, idx


_POOL_THREAD_MIN = 1 << 16  # input elements below which max_pool stays on one thread


def _max_pool_part(xpad: Any, g: ConvGeom) -> tuple[Any, Any]:
    """Max and the number of the first kernel offset holding it, for each window of ``xpad``."""
    xp = get_xp(xpad)
    views = [xpad[(slice(None), slice(None), *sl)] for _, sl in offset_slices(g)]
    best = views[0].copy()
    for v in views[1:]:
        xp.maximum(best, v, out=best)  # NaN propagates
    if bool(xp.isnan(best).any()):
        return _max_with_nan(views)
    return best, _first_equal(views, best)


def _first_equal(views: list[Any], best: Any) -> Any:
    """For each position, the number of the first view equal to ``best`` there."""
    notfound = views[0] != best
    arg = notfound.astype(np.int32)
    for v in views[1:-1]:
        notfound &= v != best
        arg += notfound
    return arg


def _max_with_nan(views: list[Any]) -> tuple[Any, Any]:
    xp = get_xp(views[0])
    best = views[0].copy()
    arg = xp.zeros(best.shape, dtype=np.int32)
    for k, v in enumerate(views[1:], 1):
        take = (v > best) | (v != v)  # NaN wins, as in PyTorch
        best = xp.where(take, v, best)
        arg = xp.where(take, np.int32(k), arg)
    return best, arg


def avg_divisor(g: ConvGeom, include_pad: bool, override: int | None) -> np.ndarray:
    """PyTorch's per-window divisor for average pooling, shape ``out_size`` (separable)."""
    if override:
        return np.full(g.out_size, float(override))
    div = np.ones(g.out_size)
    for ax, (n, k, s, p, o) in enumerate(zip(g.in_size, g.kernel, g.stride, g.pad_lo,
                                             g.out_size)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        size = end - start if include_pad else np.minimum(end, n) - np.maximum(start, 0)
        shape = [1] * len(g.out_size)
        shape[ax] = o
        div = div * size.reshape(shape)
    return div


def window_sum(x: Any, g: ConvGeom) -> Any:
    """Sum over each (zero-padded) window."""
    xp = get_xp(x)
    xpad = pad_zeros(x, g.pad_lo, g.pad_hi)
    acc = None
    for _, sl in offset_slices(g):
        v = xpad[(slice(None), slice(None), *sl)]
        acc = v.copy() if acc is None else xp.add(acc, v, out=acc)
    return acc


def window_sum_adj(gy: Any, g: ConvGeom) -> Any:
    """The adjoint of ``window_sum``: spread each window's gradient over its elements."""
    xp = get_xp(gy)
    padded = tuple(i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi))
    target = xp.zeros(gy.shape[:2] + padded, dtype=gy.dtype)
    for _, sl in offset_slices(g):
        target[(slice(None), slice(None), *sl)] += gy
    return xp.ascontiguousarray(crop(target, g.pad_lo, g.in_size))


def adaptive_bounds(n: int, o: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each adaptive-pooling window along one axis."""
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)


def adaptive_avg_matrix(n: int, o: int) -> np.ndarray:
    """The ``(o, n)`` averaging matrix of adaptive average pooling along one axis."""
    start, end = adaptive_bounds(n, o)
    m = np.zeros((o, n))
    for r, (a, b) in enumerate(zip(start, end)):
        m[r, a:b] = 1.0 / (b - a)
    return m


def adaptive_max_pool(x: Any, out: tuple[int, ...]) -> tuple[Any, Any]:
    """Adaptive max pooling by gathering every (padded-to-equal-size) window at once."""
    xp = get_xp(x)
    size = x.shape[2:]
    nd = len(size)
    idx_axes, flat = [], np.zeros((), dtype=np.int64)
    for ax, (n, o, st) in enumerate(zip(size, out, _flat_strides(size))):
        start, end = adaptive_bounds(n, o)
        kmax = int((end - start).max())
        # Short windows repeat their last element: a repeat never changes the first argmax.
        pos = np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1)
        shape = [1] * (2 * nd)
        shape[ax], shape[nd + ax] = o, kmax
        idx_axes.append(pos.reshape(shape))
        flat = flat + pos.reshape(shape) * st
    vals = x[(slice(None), slice(None), *[xp.asarray(a) for a in idx_axes])]
    vals = vals.reshape(vals.shape[:2 + nd] + (-1,))
    flat = xp.asarray(flat.reshape(tuple(out) + (-1,)))
    arg = xp.argmax(xp.where(vals != vals, np.inf, vals), axis=-1)[..., None]
    best = xp.take_along_axis(vals, arg, axis=-1)[..., 0]
    idx = xp.take_along_axis(xp.broadcast_to(flat, vals.shape), arg, axis=-1)[..., 0]
    return best, idx


def interp_matrix(n: int, o: int, mode: str, align_corners: bool | None,
                  scale: float | None) -> np.ndarray:
    """The ``(o, n)`` matrix of 1-D resampling with PyTorch's source-index rules."""
    dst = np.arange(o)
    m = np.zeros((o, n))
    if mode in ("nearest", "nearest-exact"):
        sc = np.float32(1.0 / scale if scale else n / o)
        shift = np.float32(0.5 if mode == "nearest-exact" else 0.0)
        src = np.floor((dst.astype(np.float32) + shift) * sc).astype(np.int64)
        m[dst, np.minimum(src, n - 1)] = 1.0
        return m
    if align_corners:
        src = dst * ((n - 1) / (o - 1)) if o > 1 else np.zeros(o)
    else:
        sc = 1.0 / scale if scale else n / o
        src = (dst + 0.5) * sc - 0.5
    if mode == "linear":
        src = np.maximum(src, 0.0)
        i0 = np.minimum(np.floor(src).astype(np.int64), n - 1)
        lam = src - i0
        np.add.at(m, (dst, i0), 1.0 - lam)
        np.add.at(m, (dst, np.minimum(i0 + 1, n - 1)), lam)
        return m
    i0 = np.floor(src).astype(np.int64)
    for tap, w in zip(range(-1, 3), _cubic_weights(src - i0)):
        np.add.at(m, (dst, np.clip(i0 + tap, 0, n - 1)), w)
    return m


def aa_matrix(n: int, o: int, mode: str, align_corners: bool | None,
              scale: float | None) -> np.ndarray:
    """The ``(o, n)`` matrix of antialiased 1-D resampling, as PyTorch's ``_upsample_*_aa``.

    Each output sample is a normalised sum of the triangle (``"linear"``), Keys cubic
    (``"cubic"``, a = -0.5) or Lanczos-3 (``"lanczos"``) filter over the inputs; when
    downsampling by ``s`` the filter is stretched by ``s``, so its support covers ``s`` times
    as many inputs.
    """
    if align_corners:
        sc = (n - 1) / (o - 1) if o > 1 else 0.0
    else:
        sc = 1.0 / scale if scale else n / o
    half = {"linear": 1.0, "cubic": 2.0, "lanczos": 3.0}[mode]
    support = half * sc if sc >= 1.0 else half
    inv = 1.0 / sc if sc >= 1.0 else 1.0
    width = int(math.ceil(support)) * 2 + 1
    center = sc * (np.arange(o) + 0.5)
    lo = np.maximum(np.trunc(center - support + 0.5), 0).astype(np.int64)  # C++ truncation
    hi = np.minimum(np.trunc(center + support + 0.5).astype(np.int64), n)
    size = np.clip(hi - lo, 0, width)
    taps = np.arange(width)
    j = lo[:, None] + taps
    x = np.abs((j - center[:, None] + 0.5) * inv)
    if mode == "cubic":
        w = np.where(x < 1.0, _keys(x, -0.5, near=True),
                     np.where(x < 2.0, _keys(x, -0.5, near=False), 0.0))
    elif mode == "lanczos":  # Lanczos-3: sinc(x) * sinc(x / 3) on |x| < 3
        w = np.where(x < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)
    else:
        w = np.maximum(1.0 - x, 0.0)
    w = np.where(taps < size[:, None], w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    w = np.divide(w, total, out=np.zeros_like(w), where=total != 0)
    m = np.zeros((o, n))
    rows, cols = np.nonzero(taps < size[:, None])
    np.add.at(m, (rows, j[rows, cols]), w[rows, cols])
    return m


def _keys(x: np.ndarray, a: float, *, near: bool) -> np.ndarray:
    """Keys' cubic convolution kernel on ``|x| < 1`` (near) or ``1 <= |x| < 2`` (far)."""
    if near:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a


def _cubic_weights(t: np.ndarray, a: float = -0.75) -> list[np.ndarray]:
    return [_keys(t + 1, a, near=False), _keys(t, a, near=True), _keys(1 - t, a, near=True),
            _keys(2 - t, a, near=False)]


def apply_axis(x: Any, m: Any, axis: int) -> Any:
    """Multiply ``x`` by ``m`` ``(o, n)`` along ``axis`` (a GEMM; the result is contiguous)."""
    xp = get_xp(x)
    shape = x.shape
    n, o = shape[axis], m.shape[0]
    if axis == x.ndim - 1:
        return (x.reshape(-1, n) @ m.T).reshape(shape[:-1] + (o,))
    before, after = math.prod(shape[:axis]), math.prod(shape[axis + 1:])
    y = xp.matmul(m, x.reshape(before, n, after))
    return y.reshape(shape[:axis] + (o,) + shape[axis + 1:])


@dataclass(frozen=True, eq=False)
class AxisMatrices:
    """A separable linear map: one ``(o, n)`` matrix per trailing axis (float64 NumPy)."""

    mats: tuple[np.ndarray, ...]

    def fwd(self, x: Any) -> Any:
        xp = get_xp(x)
        lead = x.ndim - len(self.mats)
        for ax in reversed(range(len(self.mats))):
            m = self.mats[ax]
            if m.shape[0] == m.shape[1] and np.array_equal(m, np.eye(m.shape[0])):
                continue
            x = apply_axis(x, xp.asarray(m.astype(x.dtype)), lead + ax)
        return x

    @property
    def T(self) -> AxisMatrices:  # noqa: N802 - the adjoint, as in matrix notation
        return replace(self, mats=tuple(np.ascontiguousarray(m.T) for m in self.mats))


# -- grid sampling ----------------------------------------------------------------------------


def _reflect(c: np.ndarray, lo2: float, hi2: float, xp: Any) -> tuple[Any, Any]:
    """PyTorch's reflect_coordinates and its derivative (+1 or -1)."""
    if lo2 == hi2:
        return xp.zeros_like(c), xp.zeros_like(c)
    mn, span = lo2 / 2, (hi2 - lo2) / 2
    d = c - mn
    sign = xp.where(d < 0, -1.0, 1.0).astype(c.dtype)
    d = xp.abs(d)
    extra = xp.fmod(d, span)
    flips = xp.floor(d / span)
    even = (flips % 2) == 0
    out = xp.where(even, extra + mn, span - extra + mn)
    return out, xp.where(even, sign, -sign)


def grid_coords(c: Any, size: int, pmode: str, ac: bool) -> tuple[Any, Any]:
    """Pixel coordinate from a normalised one, and d(pixel)/d(normalised)."""
    xp = get_xp(c)
    if ac:
        pix, scale = (c + 1) / 2 * (size - 1), (size - 1) / 2
    else:
        pix, scale = ((c + 1) * size - 1) / 2, size / 2
    grad = xp.full(c.shape, scale, dtype=c.dtype)
    if pmode == "border":
        inside = (pix > 0) & (pix < size - 1)
        return xp.clip(pix, 0, size - 1), xp.where(inside, grad, 0)
    if pmode == "reflection":
        lo2, hi2 = (0.0, 2.0 * (size - 1)) if ac else (-1.0, 2.0 * size - 1)
        pix, sgn = _reflect(pix, lo2, hi2, xp)
        inside = (pix > 0) & (pix < size - 1)
        return xp.clip(pix, 0, size - 1), xp.where(inside, grad * sgn, 0)
    return pix, grad


def _corners(ix: Any, iy: Any, w: int, h: int) -> list[tuple[Any, Any, Any, Any]]:
    """(flat index, weight, d weight/d ix, d weight/d iy) for the 4 bilinear neighbours."""
    xp = get_xp(ix)
    x0, y0 = xp.floor(ix), xp.floor(iy)
    fx, fy = ix - x0, iy - y0
    res = []
    for dy, dx in ((0, 0), (0, 1), (1, 0), (1, 1)):
        xx, yy = x0 + dx, y0 + dy
        wx, dwx = (fx, 1.0) if dx else (1 - fx, -1.0)
        wy, dwy = (fy, 1.0) if dy else (1 - fy, -1.0)
        ok = (xx >= 0) & (xx <= w - 1) & (yy >= 0) & (yy <= h - 1)
        flat = (xp.clip(yy, 0, h - 1) * w + xp.clip(xx, 0, w - 1)).astype(np.int64)
        res.append((flat, wx * wy * ok, dwx * wy * ok, wx * dwy * ok))
    return res


def _gather(xf: Any, flat: Any) -> Any:
    """``xf`` (N, C, HW) at per-sample flat indices (N, P) -> (N, C, P)."""
    return get_xp(xf).take_along_axis(xf, flat[:, None, :], axis=2)


def grid_sample(x: Any, grid: Any, mode: str, pmode: str, ac: bool) -> Any:
    """Sample ``x`` (N, C, H, W) at ``grid`` (N, Ho, Wo, 2) in normalised (x, y) order."""
    n, c, h, w = x.shape
    ho, wo = grid.shape[1:3]
    ix, _ = grid_coords(grid[..., 0].reshape(n, -1), w, pmode, ac)
    iy, _ = grid_coords(grid[..., 1].reshape(n, -1), h, pmode, ac)
    xf = x.reshape(n, c, h * w)
    if mode == "nearest":
        xp = get_xp(x)
        (flat, wt, _, _), = _corners(xp.rint(ix), xp.rint(iy), w, h)[:1]
        out = _gather(xf, flat) * wt[:, None, :]
    else:
        out = sum(_gather(xf, f) * wt[:, None, :] for f, wt, _, _ in _corners(ix, iy, w, h))
    return out.reshape(n, c, ho, wo)


def grid_sample_backward(x: Any, grid: Any, gy: Any, mode: str, pmode: str,
                         ac: bool) -> tuple[Any, Any]:
    """Gradients of ``grid_sample`` with respect to ``x`` and ``grid``."""
    xp = get_xp(x)
    n, c, h, w = x.shape
    ix, dix = grid_coords(grid[..., 0].reshape(n, -1), w, pmode, ac)
    iy, diy = grid_coords(grid[..., 1].reshape(n, -1), h, pmode, ac)
    if mode == "nearest":
        corners = _corners(xp.rint(ix), xp.rint(iy), w, h)[:1]
    else:
        corners = _corners(ix, iy, w, h)
    xf = x.reshape(n, c, h * w)
    g = gy.reshape(n, c, -1)
    gx = xp.zeros(n * c * h * w, dtype=x.dtype)
    base = (xp.arange(n * c).reshape(n, c, 1) * (h * w))
    gix = xp.zeros(ix.shape, dtype=x.dtype)
    giy = xp.zeros(iy.shape, dtype=x.dtype)
    for flat, wt, dwx, dwy in corners:
        xp.add.at(gx, (base + flat[:, None, :]).reshape(-1), (g * wt[:, None, :]).reshape(-1))
        if mode != "nearest":
            gv = (_gather(xf, flat) * g).sum(axis=1)
            gix += gv * dwx
            giy += gv * dwy
    ggrid = xp.stack([gix * dix, giy * diy], axis=-1).reshape(grid.shape)
    return gx.reshape(x.shape), ggrid
