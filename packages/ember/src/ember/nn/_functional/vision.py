"""Functional resampling and rearranging: interpolate, grid_sample, affine_grid, unfold/fold,
pixel and channel shuffles, as ``torch.nn.functional``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.nn._functional import _convkern as ck
from ember.nn._functional import _poolkern as pk
from ember.nn._functional._utils import _check_float, _check_input, _ntuple
from ember.nn._functional.pooling import _adaptive_avg
from ember.ops.nn.pooling import Lin, linear_map
from ember.ops.nn.sampling import GridSample

__all__ = [
    "interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "grid_sample",
    "affine_grid", "unfold", "fold", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle",
    "native_channel_shuffle",
]


_INTERP_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "trilinear": 3}


def _interp_sizes(op: str, in_sp: tuple[int, ...], size: Any, scale_factor: Any,
                  recompute: bool | None) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
    nd = len(in_sp)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{op}: exactly one of size or scale_factor must be given")
    if size is not None:
        out = _ntuple(size, nd, "size", op)
        return out, (None,) * nd
    sf = tuple(float(v) for v in scale_factor) if isinstance(scale_factor, (list, tuple)) \
        else (float(scale_factor),) * nd
    if len(sf) != nd:
        raise ValueError(f"{op}: scale_factor must have {nd} elements, got {scale_factor}")
    out = tuple(int(math.floor(n * f)) for n, f in zip(in_sp, sf))
    return out, ((None,) * nd if recompute else sf)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None,
                mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None, antialias: bool = False) -> Tensor:
    """Resize ``(N, C, *spatial)`` by resampling, as ``torch.nn.functional.interpolate``.

    Args:
        input: 3D, 4D or 5D tensor.
        size: output spatial size.
        scale_factor: multiplier for the spatial size (instead of ``size``).
        mode: ``"nearest"``, ``"nearest-exact"``, ``"linear"`` (3D), ``"bilinear"`` /
            ``"bicubic"`` (4D), ``"lanczos"`` (4D, with ``antialias=True``), ``"trilinear"``
            (5D) or ``"area"``.
        align_corners: for the linear and cubic modes, map corner pixel centres onto each other.
        recompute_scale_factor: compute the source scale from the output size instead of
            using ``scale_factor``.
        antialias: for ``"bilinear"``, ``"bicubic"`` and ``"lanczos"``, stretch the
            interpolation filter by the downscale factor so every input pixel contributes (no
            aliasing when shrinking), as PyTorch's (and PIL's) antialiased resize.

    Returns:
        The resized tensor.

    Example:
        >>> F.interpolate(ember.tensor([[[1.0, 2.0]]]), scale_factor=2, mode="linear")
        tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
    """
    _check_input("interpolate", input, (3, 4, 5))
    nd = input.ndim - 2
    if antialias and (mode not in ("bilinear", "bicubic", "lanczos") or nd != 2):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if mode == "lanczos" and align_corners:
        raise ValueError("Lanczos mode does not support align_corners=True")
    if mode == "lanczos" and not antialias:
        raise ValueError("Lanczos mode requires antialias=True")
    if mode in _INTERP_DIMS and _INTERP_DIMS[mode] != nd:
        raise NotImplementedError(f"interpolate: mode {mode!r} needs a {_INTERP_DIMS[mode] + 2}D "
                                  f"input, got {input.ndim}D")
    if mode not in _INTERP_DIMS and mode not in ("nearest", "nearest-exact", "area"):
        raise NotImplementedError(f"interpolate: unknown mode {mode!r}")
    if align_corners is not None and mode not in _INTERP_DIMS:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    _check_float("interpolate", input)
    in_sp = tuple(input.shape[2:])
    out, scales = _interp_sizes("interpolate", in_sp, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        return _adaptive_avg("interpolate", nd, input, out)
    kind = {"bicubic": "cubic", "lanczos": "lanczos"}.get(
        mode, "linear" if mode in _INTERP_DIMS else mode)
    matrix = pk.aa_matrix if antialias else pk.interp_matrix
    m = pk.AxisMatrices(tuple(matrix(n, o, kind, bool(align_corners), sc)
                              for n, o, sc in zip(in_sp, out, scales)))
    return linear_map(input, Lin(m.fwd, m.T.fwd))


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of ``interpolate``."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """``interpolate(..., mode="nearest")`` (deprecated in PyTorch)."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """``interpolate(..., mode="bilinear", align_corners=True)`` (deprecated in PyTorch)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` at the normalised ``(x, y)`` points of ``grid``, as PyTorch's.

    Args:
        input: ``(N, C, H, W)``.
        grid: ``(N, H_out, W_out, 2)``, coordinates in [-1, 1] (x first).
        mode: ``"bilinear"`` or ``"nearest"``.
        padding_mode: ``"zeros"``, ``"border"`` or ``"reflection"`` for points outside.
        align_corners: -1 and 1 are the centres (True) or the outer edges (False) of the
            corner pixels.

    Returns:
        ``(N, C, H_out, W_out)``.

    Example:
        >>> x = ember.arange(4.0).reshape(1, 1, 2, 2)
        >>> F.grid_sample(x, ember.zeros(1, 1, 1, 2), align_corners=False)
        tensor([[[[1.5000]]]])
    """
    _check_input("grid_sample", input, (4, 5))
    if input.ndim == 5 or mode == "bicubic":
        raise NotImplementedError("grid_sample: only 4D input with 'bilinear' or 'nearest' "
                                  "mode is supported")
    if mode not in ("bilinear", "nearest"):
        raise ValueError(f"grid_sample: expected mode 'bilinear' or 'nearest', got {mode!r}")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', "
                         f"got {padding_mode!r}")
    if grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError(f"grid_sample: expected grid of shape (N={input.shape[0]}, H, W, 2), "
                           f"got {list(grid.shape)}")
    if grid._data.dtype != input._data.dtype:
        raise RuntimeError(f"grid_sample: input ({input.dtype}) and grid ({grid.dtype}) must "
                           "have the same dtype")
    _check_float("grid_sample", input)
    return GridSample.apply(input, grid, (mode, padding_mode, bool(align_corners)))


def _base_coords(n: int, align_corners: bool) -> np.ndarray:
    if n <= 1:
        return np.zeros(max(n, 0))
    c = np.linspace(-1.0, 1.0, n)
    return c if align_corners else c * (n - 1) / n


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """Sampling grid of an affine transform, as ``torch.nn.functional.affine_grid``.

    Args:
        theta: ``(N, 2, 3)`` (2-D) or ``(N, 3, 4)`` (3-D) affine matrices.
        size: the target ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        align_corners: as in ``grid_sample``.

    Returns:
        ``(N, H, W, 2)`` or ``(N, D, H, W, 3)`` normalised coordinates.

    Example:
        >>> theta = ember.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
        >>> F.affine_grid(theta, (1, 1, 2, 2), align_corners=True)[0, 0, 0]
        tensor([-1., -1.])
    """
    size = [int(s) for s in size]
    nd = len(size) - 2
    if nd not in (2, 3) or theta.ndim != 3 or tuple(theta.shape[1:]) != (nd, nd + 1) \
            or theta.shape[0] != size[0]:
        raise ValueError(f"affine_grid: expected theta of shape (N={size[0]}, 2, 3) for 4D size "
                         f"or (N, 3, 4) for 5D size, got theta {list(theta.shape)} and size "
                         f"{size}")
    sp = size[2:]
    axes = [_base_coords(n, bool(align_corners)) for n in sp]
    mesh = np.meshgrid(*axes, indexing="ij")  # (D,) H, W
    base = np.stack([*mesh[::-1], np.ones(sp)], axis=-1)  # x, y, (z), 1
    xp = get_xp(theta._data)
    b = _wrap(xp.asarray(base.astype(theta._data.dtype))).reshape((1, *sp, 1, nd + 1))
    th = theta.reshape((size[0],) + (1,) * nd + (nd, nd + 1))
    return (b * th).sum(dim=-1)


def _fold_geom(op: str, size: Any, kernel_size: Any, dilation: Any, padding: Any,
               stride: Any) -> ck.ConvGeom:
    k = _ntuple(kernel_size, 2, "kernel_size", op)
    d = _ntuple(dilation, 2, "dilation", op)
    p = _ntuple(padding, 2, "padding", op)
    s = _ntuple(stride, 2, "stride", op)
    if any(v <= 0 for v in k + d + s) or any(v < 0 for v in p):
        raise RuntimeError(f"{op}: kernel_size, dilation and stride must be positive and "
                           f"padding non-negative, got k={k}, d={d}, p={p}, s={s}")
    g = ck.ConvGeom(tuple(int(v) for v in size), k, s, p, p, d)
    if any(o <= 0 for o in g.out_size):
        raise RuntimeError(f"{op}: Given input size {tuple(size)}, kernel_size={k}, "
                           f"dilation={d}, padding={p}, stride={s}, calculated shape of the "
                           f"array of sliding blocks {g.out_size} is too small")
    return g


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """Extract sliding blocks (im2col), as ``torch.nn.functional.unfold``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: block size.
        dilation: spacing inside a block.
        padding: zero padding on both sides.
        stride: step between blocks.

    Returns:
        ``(N, C * kH * kW, L)`` with ``L`` the number of blocks.

    Example:
        >>> F.unfold(ember.ones(1, 2, 3, 3), 2).shape
        ember.Size([1, 8, 4])
    """
    _check_input("unfold", input, (3, 4))
    x = input.reshape((1,) + tuple(input.shape)) if input.ndim == 3 else input
    g = _fold_geom("unfold", x.shape[2:], kernel_size, dilation, padding, stride)
    out = linear_map(x, Lin(partial(ck.im2col, g=g), partial(ck.col2im, g=g)))
    return out.reshape(tuple(out.shape[1:])) if input.ndim == 3 else out


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Sum sliding blocks back into an image (col2im), as ``torch.nn.functional.fold``.

    Args:
        input: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``.
        output_size: the image's ``(H, W)``.
        kernel_size: block size.
        dilation: spacing inside a block.
        padding: zero padding on both sides.
        stride: step between blocks.

    Returns:
        ``(N, C, H, W)``; overlapping blocks are summed.

    Example:
        >>> F.fold(ember.ones(1, 4, 4), (3, 3), 2)[0, 0]
        tensor([[1., 2., 1.],
                [2., 4., 2.],
                [1., 2., 1.]])
    """
    _check_input("fold", input, (2, 3))
    x = input.reshape((1,) + tuple(input.shape)) if input.ndim == 2 else input
    g = _fold_geom("fold", _ntuple(output_size, 2, "output_size", "fold"), kernel_size,
                   dilation, padding, stride)
    kk = math.prod(g.kernel)
    if x.shape[1] % kk or x.shape[2] != math.prod(g.out_size):
        raise RuntimeError(f"fold: expected input of shape (N, C * {kk}, "
                           f"{math.prod(g.out_size)}) for output_size {g.in_size} and "
                           f"kernel_size {g.kernel}, got {list(input.shape)}")
    out = linear_map(x, Lin(partial(ck.col2im, g=g), partial(ck.im2col, g=g)))
    return out.reshape(tuple(out.shape[1:])) if input.ndim == 2 else out


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """``(*, C * r * r, H, W) -> (*, C, H * r, W * r)``, as ``torch.nn.functional.pixel_shuffle``.

    Args:
        input: at least 3D.
        upscale_factor: ``r``.

    Returns:
        The rearranged tensor.

    Example:
        >>> F.pixel_shuffle(ember.ones(1, 8, 2, 3), 2).shape
        ember.Size([1, 2, 4, 6])
    """
    r = int(upscale_factor)
    if input.ndim < 3 or r <= 0 or input.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle: expected a >=3D input whose channels "
                           f"({input.shape[-3] if input.ndim >= 3 else '?'}) are divisible by "
                           f"upscale_factor**2 = {r * r}, got {list(input.shape)}")
    *lead, c, h, w = input.shape
    x = input.reshape((*lead, c // (r * r), r, r, h, w))
    n = len(lead)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape((*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """``(*, C, H * r, W * r) -> (*, C * r * r, H, W)``, the inverse of ``pixel_shuffle``.

    Args:
        input: at least 3D.
        downscale_factor: ``r``.

    Returns:
        The rearranged tensor.

    Example:
        >>> F.pixel_unshuffle(ember.ones(1, 2, 4, 6), 2).shape
        ember.Size([1, 8, 2, 3])
    """
    r = int(downscale_factor)
    if input.ndim < 3 or r <= 0 or input.shape[-1] % r or input.shape[-2] % r:
        raise RuntimeError(f"pixel_unshuffle: expected a >=3D input whose height and width are "
                           f"divisible by downscale_factor={r}, got {list(input.shape)}")
    *lead, c, h, w = input.shape
    x = input.reshape((*lead, c, h // r, r, w // r, r))
    n = len(lead)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape((*lead, c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Interleave channel groups, as ``torch.nn.functional.channel_shuffle``.

    Args:
        input: ``(N, C, *)`` with ``C`` divisible by ``groups``.
        groups: number of groups.

    Returns:
        The tensor with channels reordered ``(g, c) -> (c, g)``.

    Example:
        >>> F.channel_shuffle(ember.arange(4.0).reshape(1, 4, 1), 2).flatten()
        tensor([0., 2., 1., 3.])
    """
    g = int(groups)
    if input.ndim < 3 or g <= 0 or input.shape[1] % g:
        raise RuntimeError(f"channel_shuffle: expected a >=3D input whose channels are "
                           f"divisible by groups={g}, got {list(input.shape)}")
    n, c, *rest = input.shape
    x = input.reshape((n, g, c // g, *rest)).transpose(1, 2)
    return x.reshape((n, c, *rest))


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """``channel_shuffle`` under the name of PyTorch's native kernel (same result)."""
    return channel_shuffle(input, groups)
