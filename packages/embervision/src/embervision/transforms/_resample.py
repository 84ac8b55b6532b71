"""Tensor resampling kernels: separable resize filters and point sampling for warps.

Resizing is separable: a width pass then a height pass, each a gather of the filter taps and a
weighted sum with ember ops, so it runs on whatever device the image is on. The taps and
weights are Pillow's own filter windows (a filter stretched by the downscale factor when
antialiasing, weights normalised per output pixel), which is why the tensor path agrees
with ``PIL.Image.resize`` to within one grey level on uint8 images.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ember
from ember import Tensor
from ember.nn import functional as F
from embervision.transforms._meta import InterpolationMode


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.clip(1.0 - np.abs(x), 0.0, None)


def _box(x: np.ndarray) -> np.ndarray:
    return ((x >= -0.5) & (x < 0.5)).astype(np.float64)


def _cubic(x: np.ndarray, a: float = -0.5) -> np.ndarray:
    x = np.abs(x)
    near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    far = ((x - 5.0) * x + 8.0) * x * a - 4.0 * a
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def _hamming(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) < 1.0, np.sinc(x) * (0.54 + 0.46 * np.cos(np.pi * x)), 0.0)


def _lanczos(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)


# (window function, support) as in Pillow's Resample.c
_FILTERS = {
    InterpolationMode.BOX: (_box, 0.5),
    InterpolationMode.BILINEAR: (_triangle, 1.0),
    InterpolationMode.HAMMING: (_hamming, 1.0),
    InterpolationMode.BICUBIC: (_cubic, 2.0),
    InterpolationMode.LANCZOS: (_lanczos, 3.0),
}


def filter_taps(
    n: int, o: int, mode: InterpolationMode, antialias: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Source indices and weights, both ``(o, K)``, of Pillow's ``precompute_coeffs``.

    Each output pixel reads the ``K`` inputs of its filter window (a filter stretched by the
    downscale factor when antialiasing); weights outside the window are 0 and each row sums to 1.
    """
    fn, support = _FILTERS[mode]
    sc = n / o
    fscale = max(sc, 1.0) if antialias else 1.0
    support = support * fscale
    centre = (np.arange(o) + 0.5) * sc
    lo = np.maximum((centre - support + 0.5).astype(np.int64), 0)
    hi = np.minimum((centre + support + 0.5).astype(np.int64), n)
    k = max(int((hi - lo).max()), 1)
    src = lo[:, None] + np.arange(k)[None, :]
    w = fn((src - centre[:, None] + 0.5) / fscale)
    w = np.where(src < hi[:, None], w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    return np.minimum(src, n - 1), w / np.where(total == 0.0, 1.0, total)


def filter_matrix(n: int, o: int, mode: InterpolationMode, antialias: bool = True) -> np.ndarray:
    """The dense ``(o, n)`` form of ``filter_taps`` (for inspection and tests)."""
    idx, w = filter_taps(n, o, mode, antialias)
    m = np.zeros((o, n))
    np.add.at(m, (np.repeat(np.arange(o), idx.shape[1]), idx.reshape(-1)), w.reshape(-1))
    return m


def nearest_index(n: int, o: int, exact: bool) -> np.ndarray:
    """Source indices of nearest resizing (PyTorch's 'nearest' / 'nearest-exact')."""
    sc = np.float32(n / o)
    shift = np.float32(0.5) if exact else np.float32(0.0)
    return np.minimum(np.floor((np.arange(o, dtype=np.float32) + shift) * sc), n - 1).astype(
        np.int64
    )


def _as_float(img: Tensor) -> Tensor:
    return img if img.is_floating_point() else img.to(ember.float32)


def restore_dtype(out: Tensor, like: Tensor) -> Tensor:
    """Round and clamp back to an integer image dtype (float images pass unchanged)."""
    if like.is_floating_point():
        return out
    hi = 255 if like.dtype == ember.uint8 else None
    out = out.round()
    out = out.clamp(0, hi) if hi is not None else out
    return out.to(like.dtype)


def _resample_axis(
    x: Tensor, axis: int, o: int, mode: InterpolationMode, antialias: bool
) -> Tensor:
    """Resample axis -1 or -2 of ``x``: one gather of the ``K`` taps and a weighted sum.

    Cheaper than a dense ``(o, n)`` matrix product: ``K`` is the filter width (a few pixels,
    growing with the downscale factor), not the input size.
    """
    n = int(x.shape[axis])
    idx, w = filter_taps(n, o, mode, antialias)
    k = idx.shape[1]
    flat = ember.from_numpy(idx.reshape(-1)).to(x.device)
    wt = ember.from_numpy(w.astype(np.float32)).to(device=x.device, dtype=x.dtype)
    if axis == -1:
        taps = x[..., flat].reshape(*x.shape[:-1], o, k)
        return (taps * wt).sum(-1)
    taps = x[..., flat, :].reshape(*x.shape[:-2], o, k, x.shape[-1])
    return (taps * wt.reshape(o, k, 1)).sum(-2)


def resize_tensor(
    img: Tensor, size: tuple[int, int], mode: InterpolationMode, antialias: bool
) -> Tensor:
    """Resize the last two axes of ``img`` to ``size`` = ``(h, w)``."""
    h, w = int(img.shape[-2]), int(img.shape[-1])
    oh, ow = size
    if (oh, ow) == (h, w):
        return img
    if mode in (InterpolationMode.NEAREST, InterpolationMode.NEAREST_EXACT):
        exact = mode == InterpolationMode.NEAREST_EXACT
        rows = ember.from_numpy(nearest_index(h, oh, exact)).to(img.device)
        cols = ember.from_numpy(nearest_index(w, ow, exact)).to(img.device)
        return img[..., rows, :][..., cols]
    x = _as_float(img)
    if not antialias and mode in (InterpolationMode.BILINEAR, InterpolationMode.BICUBIC):
        out = _interpolate(x, (oh, ow), mode)
    else:
        out = _separable(img, x, (oh, ow), mode, antialias)
    return restore_dtype(out, img)


def _separable(
    img: Tensor, x: Tensor, size: tuple[int, int], mode: InterpolationMode, antialias: bool
) -> Tensor:
    """Width pass then height pass; integer images are rounded in between, as Pillow does."""
    h, w = int(x.shape[-2]), int(x.shape[-1])
    if size[1] != w:
        x = _resample_axis(x, -1, size[1], mode, antialias)
        if not img.is_floating_point():
            x = _as_float(restore_dtype(x, img))
    if size[0] != h:
        x = _resample_axis(x, -2, size[0], mode, antialias)
    return x


def _interpolate(x: Tensor, size: tuple[int, int], mode: InterpolationMode) -> Tensor:
    lead = tuple(x.shape[:-2])
    flat = x.reshape(-1, 1, *x.shape[-2:])
    out = F.interpolate(flat, size=size, mode=mode.value, align_corners=False)
    return out.reshape(*lead, *size)


# -- point sampling for rotate / affine / perspective --------------------------------------


def _grid(inverse: np.ndarray, out_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Input coordinates of every output pixel centre under the 3x3 ``inverse`` map."""
    oh, ow = out_size
    y, x = np.mgrid[0:oh, 0:ow].astype(np.float64) + 0.5
    m = inverse
    den = m[2, 0] * x + m[2, 1] * y + m[2, 2]
    u = (m[0, 0] * x + m[0, 1] * y + m[0, 2]) / den
    v = (m[1, 0] * x + m[1, 1] * y + m[1, 2]) / den
    return u, v


def _gather(img: Tensor, xi: np.ndarray, yi: np.ndarray) -> Tensor:
    """``img[..., yi, xi]`` for index maps of the output's shape."""
    h, w = int(img.shape[-2]), int(img.shape[-1])
    flat = img.reshape(*img.shape[:-2], h * w)
    idx = ember.from_numpy(yi * w + xi).to(img.device)
    return flat[..., idx]


def _fill_tensor(fill: Any, img: Tensor) -> Tensor | None:
    if fill is None:
        return None
    vals = [float(fill)] if isinstance(fill, (int, float)) else [float(f) for f in fill]
    c = int(img.shape[-3]) if img.ndim >= 3 else 1
    if len(vals) not in (1, c):
        raise ValueError(f"fill must be a number or a sequence of {c} values, got {fill!r}")
    t = ember.tensor(vals, dtype=img.dtype, device=img.device)
    return t.reshape(-1, 1, 1) if img.ndim >= 3 else t.reshape(1, 1)


def warp_tensor(
    img: Tensor, inverse: np.ndarray, out_size: tuple[int, int], mode: InterpolationMode, fill: Any
) -> Tensor:
    """Resample ``img`` at ``inverse``-mapped pixel centres, as torchvision's tensor kernels.

    That is ``grid_sample(align_corners=False, padding_mode="zeros")``: nearest takes the pixel
    under the source position; bilinear weighs the four neighbours, and neighbours outside the
    image count as 0 (edges fade). With a ``fill``, a ones channel is resampled alongside and
    the result is ``out * mask + (1 - mask) * fill`` (bilinear) or ``fill`` where the mask is
    below 1/2 (nearest), exactly as torchvision blends it.
    """
    h, w = int(img.shape[-2]), int(img.shape[-1])
    u, v = _grid(inverse, out_size)
    fill_t = _fill_tensor(fill, img)
    if mode == InterpolationMode.NEAREST:
        inside = (u >= 0) & (v >= 0) & (u < w) & (v < h)
        out = _gather(
            img,
            np.clip(np.floor(u), 0, w - 1).astype(np.int64),
            np.clip(np.floor(v), 0, h - 1).astype(np.int64),
        )
        mask = ember.from_numpy(inside).to(img.device)
        background = (
            ember.zeros((), dtype=img.dtype, device=img.device)
            if fill_t is None
            else fill_t.to(img.dtype)
        )
        return ember.where(mask, out, background)
    if mode != InterpolationMode.BILINEAR:
        raise ValueError(f"only NEAREST and BILINEAR are supported for warps, got {mode}")
    x = _as_float(img)
    out = _bilinear(x, u - 0.5, v - 0.5)
    if fill_t is not None:
        ones = ember.ones((1, h, w), dtype=x.dtype, device=x.device)
        mask = _bilinear(ones, u - 0.5, v - 0.5)
        out = out * mask + (1.0 - mask) * fill_t.to(x.dtype)
    return restore_dtype(out, img)


def _bilinear(img: Tensor, x: np.ndarray, y: np.ndarray) -> Tensor:
    """Bilinear samples at pixel coordinates ``(x, y)``; taps outside the image count as 0."""
    h, w = int(img.shape[-2]), int(img.shape[-1])
    x0, y0 = np.floor(x), np.floor(y)

    def weight(values: np.ndarray) -> Tensor:
        return ember.from_numpy(values.astype(np.float32)).to(device=img.device, dtype=img.dtype)

    dx, dy = x - x0, y - y0
    total: Tensor | None = None
    for kx, ky, wgt in (
        (0, 0, (1 - dx) * (1 - dy)),
        (1, 0, dx * (1 - dy)),
        (0, 1, (1 - dx) * dy),
        (1, 1, dx * dy),
    ):
        xi, yi = x0 + kx, y0 + ky
        valid = (xi >= 0) & (xi <= w - 1) & (yi >= 0) & (yi <= h - 1)
        tap = _gather(
            img, np.clip(xi, 0, w - 1).astype(np.int64), np.clip(yi, 0, h - 1).astype(np.int64)
        )
        term = tap * weight(np.where(valid, wgt, 0.0))
        total = term if total is None else total + term
    assert total is not None
    return total


def affine_inverse_matrix(
    center: tuple[float, float],
    angle: float,
    translate: tuple[float, float],
    scale: float,
    shear: tuple[float, float],
) -> np.ndarray:
    """torchvision's inverse affine matrix (output -> input), as a 3x3 array."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty) + cx
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty) + cy
    return np.array([m[:3], m[3:], [0.0, 0.0, 1.0]])


def rotate_matrix(
    angle: float, size: tuple[int, int], center: Any, expand: bool
) -> tuple[np.ndarray, tuple[int, int]]:
    """Pillow's ``Image.rotate`` inverse matrix and output ``(h, w)``."""
    h, w = size
    cx, cy = (w / 2.0, h / 2.0) if center is None else (float(center[0]), float(center[1]))
    rad = -math.radians(angle)
    cs, sn = round(math.cos(rad), 15), round(math.sin(rad), 15)
    m = np.array([[cs, sn, 0.0], [-sn, cs, 0.0], [0.0, 0.0, 1.0]])
    m[0, 2] = cs * -cx + sn * -cy + cx
    m[1, 2] = -sn * -cx + cs * -cy + cy
    if not expand:
        return m, (h, w)
    corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], dtype=np.float64) @ m.T
    nw = math.ceil(corners[:, 0].max()) - math.floor(corners[:, 0].min())
    nh = math.ceil(corners[:, 1].max()) - math.floor(corners[:, 1].min())
    tx, ty = -(nw - w) / 2.0, -(nh - h) / 2.0
    m[0, 2], m[1, 2] = m[0, 0] * tx + m[0, 1] * ty + m[0, 2], m[1, 0] * tx + m[1, 1] * ty + m[1, 2]
    return m, (nh, nw)


def perspective_coeffs(startpoints: Any, endpoints: Any) -> list[float]:
    """The 8 coefficients mapping ``endpoints`` (output) to ``startpoints`` (input).

    Solved in float64 and rounded to float32, as torchvision does: the rounding decides which
    border pixels fall inside the source, so it is kept for identical results.
    """
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i, ((sx, sy), (ex, ey)) in enumerate(zip(startpoints, endpoints)):
        a[2 * i] = [ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]
        a[2 * i + 1] = [0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]
        b[2 * i], b[2 * i + 1] = sx, sy
    return [float(np.float32(c)) for c in np.linalg.lstsq(a, b, rcond=None)[0]]


def coeffs_matrix(coeffs: list[float]) -> np.ndarray:
    return np.array([coeffs[0:3], coeffs[3:6], [coeffs[6], coeffs[7], 1.0]])
