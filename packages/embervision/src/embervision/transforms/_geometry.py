"""Geometric functional transforms for images, boxes and masks."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image

import ember
from ember import Tensor
from embervision.transforms import _boxes as B
from embervision.transforms import _resample as R
from embervision.transforms._meta import (
    BoundingBoxes,
    InterpolationMode,
    dispatch,
    get_size,
    interpolation_mode,
    pil_filter,
)

__all__ = [
    "resize",
    "crop",
    "center_crop",
    "resized_crop",
    "pad",
    "hflip",
    "vflip",
    "horizontal_flip",
    "vertical_flip",
    "rotate",
    "affine",
    "perspective",
    "five_crop",
    "ten_crop",
]

NEAREST = InterpolationMode.NEAREST


def _pair(size: Any, name: str) -> tuple[int, int]:
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return int(size[0]), int(size[0])
    if isinstance(size, Sequence) and len(size) == 2:
        return int(size[0]), int(size[1])
    raise ValueError(f"{name} must be an int or a sequence of one or two ints, got {size!r}")


# -- resize --------------------------------------------------------------------------------


def output_size(canvas: Sequence[int], size: Any, max_size: int | None) -> tuple[int, int]:
    """torchvision's output ``(h, w)``: an int (or 1-sequence) sets the shorter edge."""
    h, w = int(canvas[0]), int(canvas[1])
    if isinstance(size, Sequence) and len(size) == 2:
        if max_size is not None:
            raise ValueError(
                "max_size is only supported when size is an int or a sequence of "
                f"length 1, got size={list(size)}"
            )
        return int(size[0]), int(size[1])
    short, long = (w, h) if w <= h else (h, w)
    if size is None:
        if max_size is None:
            raise ValueError("resize needs size, or max_size when size is None")
        new_long = int(max_size)
        new_short = int(new_long * short / long)
    else:
        req = _pair(size, "size")[0]
        new_short, new_long = req, int(req * long / short)
        if max_size is not None:
            if max_size <= req:
                raise ValueError(
                    f"max_size = {max_size} must be strictly greater than the "
                    f"requested size for the smaller edge size = {req}"
                )
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), int(max_size)
    return (new_long, new_short) if w <= h else (new_short, new_long)


def resize(
    inpt: Any,
    size: Any,
    interpolation: InterpolationMode | str | int = "bilinear",
    max_size: int | None = None,
    antialias: bool = True,
) -> Any:
    """Resize an image (or boxes/mask) to ``size``.

    Args:
        inpt: PIL image, HWC array, ``(..., C, H, W)`` tensor, ``BoundingBoxes`` or ``Mask``.
        size: ``(h, w)``, or an int for the shorter edge (aspect ratio kept), or None with
            ``max_size`` for the longer edge.
        interpolation: an ``InterpolationMode`` (masks always use NEAREST).
        max_size: cap on the longer edge when ``size`` is an int.
        antialias: filter when downsampling (PIL images are always antialiased). Tensors
            use Pillow's filter windows, so results match ``PIL.Image.resize`` closely.

    Returns:
        The resized input, same kind.

    Example:
        >>> resize(ember.zeros(3, 10, 20), 5).shape
        ember.Size([3, 5, 10])
    """
    mode = interpolation_mode(interpolation)
    out = output_size(get_size(inpt), size, max_size)
    return dispatch(
        inpt,
        "resize",
        _resize_pil,
        R.resize_tensor,
        _resize_boxes,
        _resize_mask,
        out,
        mode,
        antialias,
    )


def _resize_pil(
    img: Image.Image, size: tuple[int, int], mode: InterpolationMode, antialias: bool
) -> Image.Image:
    if (img.height, img.width) == size:
        return img
    return img.resize((size[1], size[0]), pil_filter(mode))


def _resize_mask(
    m: Tensor, size: tuple[int, int], mode: InterpolationMode, antialias: bool
) -> Tensor:
    return R.resize_tensor(m, size, NEAREST, False)


def _resize_boxes(b: BoundingBoxes, size: tuple[int, int], mode: Any, aa: Any) -> BoundingBoxes:
    h, w = b.canvas_size
    return B.map_xyxy(b, lambda x: B.scale(x, size[1] / w, size[0] / h), size, clamp=False)


# -- crop and pad --------------------------------------------------------------------------


def crop(inpt: Any, top: int, left: int, height: int, width: int) -> Any:
    """Cut the ``height`` x ``width`` region at ``(top, left)``; outside the image is 0.

    Example:
        >>> crop(ember.arange(16).reshape(1, 4, 4), 1, 1, 2, 2).tolist()
        [[[5, 6], [9, 10]]]
    """
    args = (int(top), int(left), int(height), int(width))
    return dispatch(inpt, "crop", _crop_pil, _crop_tensor, _crop_boxes, None, *args)


def _crop_pil(img: Image.Image, top: int, left: int, height: int, width: int) -> Image.Image:
    return img.crop((left, top, left + width, top + height))


def _crop_tensor(img: Tensor, top: int, left: int, height: int, width: int) -> Tensor:
    h, w = int(img.shape[-2]), int(img.shape[-1])
    t0, l0 = max(top, 0), max(left, 0)
    t1, l1 = min(top + height, h), min(left + width, w)
    out = img[..., t0 : max(t1, t0), l0 : max(l1, l0)]
    if (t0, l0, t1, l1) == (top, left, top + height, left + width):
        return out
    pads = [l0 - left, t0 - top, left + width - max(l1, l0), top + height - max(t1, t0)]
    return _pad_tensor(out, pads, 0, "constant")


def _crop_boxes(b: BoundingBoxes, top: int, left: int, height: int, width: int) -> BoundingBoxes:
    return B.map_xyxy(b, lambda x: B.shift(x, -left, -top), (height, width))


def _padding(padding: Any) -> list[int]:
    """``[left, top, right, bottom]`` from torchvision's 1-, 2- or 4-element forms."""
    if isinstance(padding, numbers.Number):
        return [int(padding)] * 4
    if not isinstance(padding, Sequence) or len(padding) not in (1, 2, 4):
        raise ValueError(f"padding must be an int or a sequence of 1, 2 or 4 ints, got {padding!r}")
    p = [int(v) for v in padding]
    return p * 4 if len(p) == 1 else (p * 2 if len(p) == 2 else p)


_NP_MODES = {"edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}


def pad(inpt: Any, padding: Any, fill: Any = None, padding_mode: str = "constant") -> Any:
    """Pad the borders.

    Args:
        inpt: image, boxes or mask.
        padding: int (all sides), ``[lr, tb]`` or ``[left, top, right, bottom]``.
        fill: constant value (number, or one value per channel) for ``constant`` mode.
        padding_mode: ``constant``, ``edge``, ``reflect`` or ``symmetric``.

    Example:
        >>> pad(ember.ones(1, 2, 2), 1).shape
        ember.Size([1, 4, 4])
    """
    if padding_mode not in ("constant", *_NP_MODES):
        raise ValueError(
            f"padding_mode must be constant, edge, reflect or symmetric, got {padding_mode!r}"
        )
    p = _padding(padding)
    fill = 0 if fill is None else fill
    return dispatch(
        inpt, "pad", _pad_pil, _pad_tensor, _pad_boxes, _pad_mask, p, fill, padding_mode
    )


def _pad_pil(img: Image.Image, p: list[int], fill: Any, mode: str) -> Image.Image:
    from embervision.transforms._meta import array_to_chw, chw_to_array

    arr = np.asarray(img)
    out = chw_to_array(_pad_tensor(array_to_chw(arr), p, fill, mode), arr)
    res = Image.fromarray(out, mode=img.mode if img.mode in ("L", "RGB", "RGBA", "LA") else None)
    if img.mode == "P":
        res.putpalette(img.getpalette())
    return res


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    idx = np.arange(n)
    if lo < 0:
        idx, lo = idx[-lo:], 0
    if hi < 0:
        idx, hi = idx[:hi], 0
    return np.pad(idx, (lo, hi), mode=_NP_MODES[mode])


def _pad_tensor(img: Tensor, p: list[int], fill: Any, mode: str) -> Tensor:
    left, top, right, bottom = p
    h, w = int(img.shape[-2]), int(img.shape[-1])
    if mode != "constant":
        rows = ember.from_numpy(_pad_index(h, top, bottom, mode)).to(img.device)
        cols = ember.from_numpy(_pad_index(w, left, right, mode)).to(img.device)
        return img[..., rows, :][..., cols]
    img = img[..., max(-top, 0) : h - max(-bottom, 0), max(-left, 0) : w - max(-right, 0)]
    lo_t, lo_l, hi_b, hi_r = (max(v, 0) for v in (top, left, bottom, right))
    shape = (*img.shape[:-2], img.shape[-2] + lo_t + hi_b, img.shape[-1] + lo_l + hi_r)
    out = ember.zeros(shape, dtype=img.dtype, device=img.device)
    fill_t = R._fill_tensor(fill, img)
    if fill_t is not None:
        out = out + fill_t.to(img.dtype)
    out[..., lo_t : lo_t + img.shape[-2], lo_l : lo_l + img.shape[-1]] = img
    return out


def _pad_mask(m: Tensor, p: list[int], fill: Any, mode: str) -> Tensor:
    return _pad_tensor(m, p, 0 if mode == "constant" else fill, mode)


def _pad_boxes(b: BoundingBoxes, p: list[int], fill: Any, mode: str) -> BoundingBoxes:
    h, w = b.canvas_size
    canvas = (h + p[1] + p[3], w + p[0] + p[2])
    return B.map_xyxy(b, lambda x: B.shift(x, p[0], p[1]), canvas)


def center_crop(inpt: Any, output_size: Any) -> Any:
    """Crop the centre; pads with 0 first when the crop is larger than the image.

    Example:
        >>> center_crop(ember.arange(16).reshape(1, 4, 4), 2).tolist()
        [[[5, 6], [9, 10]]]
    """
    th, tw = _pair(output_size, "output_size")
    h, w = get_size(inpt)
    if th > h or tw > w:
        ltrb = [
            (tw - w) // 2 if tw > w else 0,
            (th - h) // 2 if th > h else 0,
            (tw - w + 1) // 2 if tw > w else 0,
            (th - h + 1) // 2 if th > h else 0,
        ]
        inpt = pad(inpt, ltrb, fill=0)
        h, w = get_size(inpt)
        if (th, tw) == (h, w):
            return inpt
    return crop(inpt, int(round((h - th) / 2.0)), int(round((w - tw) / 2.0)), th, tw)


def resized_crop(
    inpt: Any,
    top: int,
    left: int,
    height: int,
    width: int,
    size: Any,
    interpolation: InterpolationMode | str | int = "bilinear",
    antialias: bool = True,
) -> Any:
    """``crop`` then ``resize`` to ``size``.

    Example:
        >>> resized_crop(ember.zeros(3, 8, 8), 0, 0, 4, 4, [2, 2]).shape
        ember.Size([3, 2, 2])
    """
    cropped = crop(inpt, top, left, height, width)
    return resize(cropped, size, interpolation=interpolation, antialias=antialias)


def five_crop(inpt: Any, size: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The four corner crops and the centre crop (top-left, top-right, bottom-left,
    bottom-right, centre).

    Example:
        >>> [c.shape[-1] for c in five_crop(ember.zeros(1, 4, 4), 2)]
        [2, 2, 2, 2, 2]
    """
    ch, cw = _pair(size, "size")
    h, w = get_size(inpt)
    if ch > h or cw > w:
        raise ValueError(f"requested crop size {(ch, cw)} is bigger than the input size {(h, w)}")
    return (
        crop(inpt, 0, 0, ch, cw),
        crop(inpt, 0, w - cw, ch, cw),
        crop(inpt, h - ch, 0, ch, cw),
        crop(inpt, h - ch, w - cw, ch, cw),
        center_crop(inpt, (ch, cw)),
    )


def ten_crop(inpt: Any, size: Any, vertical_flip: bool = False) -> tuple[Any, ...]:
    """``five_crop`` of the image and of its horizontally (or vertically) flipped copy.

    Example:
        >>> len(ten_crop(ember.zeros(1, 4, 4), 2))
        10
    """
    flipped = vflip(inpt) if vertical_flip else hflip(inpt)
    return five_crop(inpt, size) + five_crop(flipped, size)


# -- flips ---------------------------------------------------------------------------------


def hflip(inpt: Any) -> Any:
    """Mirror left-right.

    Example:
        >>> hflip(ember.tensor([[[1, 2, 3]]])).tolist()
        [[[3, 2, 1]]]
    """
    return dispatch(
        inpt,
        "hflip",
        lambda i: i.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        lambda t: ember.flip(t, [-1]),
        lambda b: B.map_xyxy(b, lambda x: B.hflip(x, b.canvas_size[1])),
    )


def vflip(inpt: Any) -> Any:
    """Mirror top-bottom.

    Example:
        >>> vflip(ember.tensor([[[1], [2]]])).tolist()
        [[[2], [1]]]
    """
    return dispatch(
        inpt,
        "vflip",
        lambda i: i.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        lambda t: ember.flip(t, [-2]),
        lambda b: B.map_xyxy(b, lambda x: B.vflip(x, b.canvas_size[0])),
    )


horizontal_flip = hflip
vertical_flip = vflip


# -- warps ---------------------------------------------------------------------------------


def _pil_fill(fill: Any, img: Image.Image) -> Any:
    if fill is None:
        return None
    if isinstance(fill, (int, float)):
        return fill if len(img.getbands()) == 1 else tuple([fill] * len(img.getbands()))
    vals = tuple(fill)
    return vals[0] if len(vals) == 1 and len(img.getbands()) == 1 else vals


def _warp_mode(mode: InterpolationMode) -> InterpolationMode:
    if mode not in (InterpolationMode.NEAREST, InterpolationMode.BILINEAR):
        raise ValueError(
            f"interpolation must be NEAREST or BILINEAR for this transform, got {mode}"
        )
    return mode


def _warp(
    inpt: Any,
    op: str,
    inverse: np.ndarray,
    out_size: tuple[int, int],
    mode: InterpolationMode,
    fill: Any,
) -> Any:
    """Apply a projective map given as its 3x3 ``inverse`` (output -> input pixel coords)."""

    def pil(img: Image.Image) -> Image.Image:
        data = (inverse / inverse[2, 2]).reshape(-1)[:8]
        kind = (
            Image.Transform.AFFINE
            if np.allclose(inverse[2, :2], 0)
            else Image.Transform.PERSPECTIVE
        )
        coeffs = tuple(data[:6]) if kind == Image.Transform.AFFINE else tuple(data)
        return img.transform(
            (out_size[1], out_size[0]),
            kind,
            coeffs,
            pil_filter(mode),
            fillcolor=_pil_fill(fill, img),
        )

    def boxes(b: BoundingBoxes) -> BoundingBoxes:
        forward = np.linalg.inv(inverse)
        return B.map_xyxy(b, lambda x: B.warp(x, forward), out_size)

    return dispatch(
        inpt,
        op,
        pil,
        lambda t: R.warp_tensor(t, inverse, out_size, mode, fill),
        boxes,
        lambda m: R.warp_tensor(m, inverse, out_size, NEAREST, None),
    )


def rotate(
    inpt: Any,
    angle: float,
    interpolation: InterpolationMode | str | int = "nearest",
    expand: bool = False,
    center: Sequence[float] | None = None,
    fill: Any = None,
) -> Any:
    """Rotate counter-clockwise by ``angle`` degrees, as ``PIL.Image.rotate``.

    Args:
        inpt: image, boxes or mask.
        angle: degrees, counter-clockwise.
        interpolation: NEAREST or BILINEAR.
        expand: grow the output to hold the whole rotated image.
        center: ``(x, y)`` rotation centre in pixels (default: the image centre).
        fill: value for areas outside the source.

    Example:
        >>> rotate(ember.zeros(1, 4, 6), 90, expand=True).shape
        ember.Size([1, 6, 4])
    """
    mode = _warp_mode(interpolation_mode(interpolation))
    inverse, out = R.rotate_matrix(float(angle), tuple(get_size(inpt)), center, expand)
    return _warp(inpt, "rotate", inverse, out, mode, fill)


def _shear(shear: Any) -> tuple[float, float]:
    if isinstance(shear, numbers.Number):
        return float(shear), 0.0
    s = [float(v) for v in shear]
    if len(s) not in (1, 2):
        raise ValueError(f"shear must be a number or a sequence of 1 or 2 numbers, got {shear}")
    return (s[0], 0.0) if len(s) == 1 else (s[0], s[1])


def affine(
    inpt: Any,
    angle: float,
    translate: Sequence[float],
    scale: float,
    shear: Any,
    interpolation: InterpolationMode | str | int = "nearest",
    fill: Any = None,
    center: Sequence[float] | None = None,
) -> Any:
    """Rotate, scale, shear and translate around ``center`` keeping the image size.

    Example:
        >>> affine(ember.ones(1, 4, 4), 0.0, [1, 0], 1.0, 0.0)[0, 0].tolist()
        [0.0, 1.0, 1.0, 1.0]
    """
    if not isinstance(translate, Sequence) or len(translate) != 2:
        raise TypeError(f"translate must be a sequence of two numbers, got {translate!r}")
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    mode = _warp_mode(interpolation_mode(interpolation))
    h, w = get_size(inpt)
    ctr = (w * 0.5, h * 0.5) if center is None else (float(center[0]), float(center[1]))
    inverse = R.affine_inverse_matrix(
        ctr, float(angle), (float(translate[0]), float(translate[1])), float(scale), _shear(shear)
    )
    return _warp(inpt, "affine", inverse, (h, w), mode, fill)


def perspective(
    inpt: Any,
    startpoints: Sequence[Sequence[float]],
    endpoints: Sequence[Sequence[float]],
    interpolation: InterpolationMode | str | int = "bilinear",
    fill: Any = None,
) -> Any:
    """Warp so the four ``startpoints`` land on ``endpoints`` (``[x, y]`` pixel corners).

    Example:
        >>> pts = [[0, 0], [3, 0], [3, 3], [0, 3]]
        >>> perspective(ember.ones(1, 4, 4), pts, pts).shape
        ember.Size([1, 4, 4])
    """
    if len(startpoints) != 4 or len(endpoints) != 4:
        raise ValueError("startpoints and endpoints must each hold four [x, y] points")
    mode = _warp_mode(interpolation_mode(interpolation))
    inverse = R.coeffs_matrix(R.perspective_coeffs(startpoints, endpoints))
    return _warp(inpt, "perspective", inverse, tuple(get_size(inpt)), mode, fill)
