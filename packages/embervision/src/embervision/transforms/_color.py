"""Colour and pixel-value functional transforms; boxes and masks pass through unchanged.

Tensor images are float in [0, 1] or integer in [0, max]; integer results are truncated back to
the input dtype after float arithmetic, as torchvision does. PIL images use ImageEnhance and
ImageOps, the reference behaviour these tensor kernels are tested against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

import ember
from ember import Tensor
from ember.nn import functional as F
from embervision.transforms._meta import (
    BoundingBoxes,
    Mask,
    _max_value,
    array_to_chw,
    chw_to_array,
    convert_image_dtype,
    dispatch,
    is_pil,
    to_pil_image,
)

__all__ = [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_saturation",
    "adjust_hue",
    "adjust_gamma",
    "adjust_sharpness",
    "rgb_to_grayscale",
    "to_grayscale",
    "invert",
    "posterize",
    "solarize",
    "autocontrast",
    "equalize",
    "gaussian_blur",
    "normalize",
    "erase",
]


def _color(inpt: Any, op: str, pil: Any, tensor: Any, *args: Any) -> Any:
    """Dispatch a colour op: images are changed, boxes and masks are returned as they are."""
    if isinstance(inpt, (BoundingBoxes, Mask)):
        return inpt
    return dispatch(inpt, op, pil, tensor, None, None, *args)


def _bound(img: Tensor) -> float:
    return _max_value(img.dtype)


def _blend(a: Tensor, b: Tensor | float, ratio: float) -> Tensor:
    fa = a if a.is_floating_point() else a.to(ember.float32)
    out = (fa * ratio + b * (1.0 - ratio)).clamp(0, _bound(a))
    return out if a.is_floating_point() else out.to(a.dtype)


def _check_factor(factor: float, name: str) -> None:
    if factor < 0:
        raise ValueError(f"{name} must be non-negative, got {factor}")


def _gray(img: Tensor) -> Tensor:
    """Luma of an RGB float/int image, as float, with torchvision's tensor weights.

    torchvision weighs red 0.2989 on tensors (following TensorFlow), where PIL's convert('L')
    uses 0.299; integer images are floored afterwards, as torchvision does.
    """
    x = img if img.is_floating_point() else img.to(ember.float32)
    if x.shape[-3] == 1:
        return x
    r, g, b = x[..., 0:1, :, :], x[..., 1:2, :, :], x[..., 2:3, :, :]
    out = r * 0.2989 + g * 0.587 + b * 0.114
    return out if img.is_floating_point() else out.floor()


def _check_rgb(img: Tensor, op: str) -> int:
    c = int(img.shape[-3]) if img.ndim >= 3 else 1
    if c not in (1, 3):
        raise TypeError(
            f"{op} expects a 1- or 3-channel image, got {c} channels (shape {tuple(img.shape)})"
        )
    return c


def adjust_brightness(inpt: Any, brightness_factor: float) -> Any:
    """Scale the pixel values (0 gives black, 1 the original).

    Example:
        >>> adjust_brightness(ember.full((3, 1, 1), 0.4), 2.0).flatten().tolist()
        [0.800000011920929, 0.800000011920929, 0.800000011920929]
    """
    _check_factor(brightness_factor, "brightness_factor")
    return _color(
        inpt,
        "adjust_brightness",
        lambda i: ImageEnhance.Brightness(i).enhance(brightness_factor),
        lambda t: _blend(t, 0.0, brightness_factor),
    )


def adjust_contrast(inpt: Any, contrast_factor: float) -> Any:
    """Blend with the mean grey level (0 gives a uniform grey, 1 the original).

    Example:
        >>> adjust_contrast(ember.tensor([[[0.0, 1.0]]]), 0.0).tolist()
        [[[0.5, 0.5]]]
    """
    _check_factor(contrast_factor, "contrast_factor")

    def tensor(t: Tensor) -> Tensor:
        _check_rgb(t, "adjust_contrast")
        mean = _gray(t).mean(dim=(-3, -2, -1), keepdim=True)
        return _blend(t, mean, contrast_factor)

    return _color(
        inpt, "adjust_contrast", lambda i: ImageEnhance.Contrast(i).enhance(contrast_factor), tensor
    )


def adjust_saturation(inpt: Any, saturation_factor: float) -> Any:
    """Blend with the greyscale image (0 gives grey, 1 the original, 2 doubles saturation).

    Example:
        >>> adjust_saturation(ember.tensor([[[1.0]], [[0.0]], [[0.0]]]), 0.0).flatten().tolist()
        [0.2989000082015991, 0.2989000082015991, 0.2989000082015991]
    """
    _check_factor(saturation_factor, "saturation_factor")

    def tensor(t: Tensor) -> Tensor:
        if _check_rgb(t, "adjust_saturation") == 1:
            return t
        return _blend(t, _gray(t), saturation_factor)

    return _color(
        inpt,
        "adjust_saturation",
        lambda i: ImageEnhance.Color(i).enhance(saturation_factor),
        tensor,
    )


def adjust_sharpness(inpt: Any, sharpness_factor: float) -> Any:
    """Blend with a smoothed copy (0 blurs, 1 is the original, 2 sharpens); borders stay.

    Example:
        >>> adjust_sharpness(ember.ones(3, 5, 5), 2.0).shape
        ember.Size([3, 5, 5])
    """
    _check_factor(sharpness_factor, "sharpness_factor")
    return _color(
        inpt,
        "adjust_sharpness",
        lambda i: ImageEnhance.Sharpness(i).enhance(sharpness_factor),
        lambda t: _sharpness_tensor(t, sharpness_factor),
    )


def _sharpness_tensor(img: Tensor, factor: float) -> Tensor:
    h, w = int(img.shape[-2]), int(img.shape[-1])
    if h <= 2 or w <= 2:
        return img
    x = img if img.is_floating_point() else img.to(ember.float32)
    flat = x.reshape(-1, 1, h, w)
    k = (
        ember.tensor(
            [[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]], dtype=x.dtype, device=x.device
        )
        / 13.0
    )
    inner = F.conv2d(flat, k.reshape(1, 1, 3, 3))
    if not img.is_floating_point():
        inner = inner.round()
    degenerate = flat.clone()
    degenerate[..., 1:-1, 1:-1] = inner
    return _blend(img, degenerate.reshape(img.shape), factor)


def _rgb_to_hsv(x: Tensor) -> Tensor:
    r, g, b = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
    maxc = ember.maximum(ember.maximum(r, g), b)
    minc = ember.minimum(ember.minimum(r, g), b)
    eqc = maxc == minc
    cr = maxc - minc
    ones = ember.ones_like(maxc)
    s = cr / ember.where(eqc, ones, maxc)
    crd = ember.where(eqc, ones, cr)
    rc, gc, bc = (maxc - r) / crd, (maxc - g) / crd, (maxc - b) / crd
    hr = (maxc == r).to(x.dtype) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)).to(x.dtype) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)).to(x.dtype) * (4.0 + gc - rc)
    h = ember.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return ember.stack([h, s, maxc], dim=-3)


def _hsv_to_rgb(x: Tensor) -> Tensor:
    h, s, v = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
    i = ember.floor(h * 6.0)
    f = h * 6.0 - i
    i = ember.remainder(i, 6.0)
    p = (v * (1.0 - s)).clamp(0.0, 1.0)
    q = (v * (1.0 - s * f)).clamp(0.0, 1.0)
    t = (v * (1.0 - s * (1.0 - f))).clamp(0.0, 1.0)
    table = ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))
    out = [ember.zeros_like(v) for _ in range(3)]
    for k, row in enumerate(table):
        sel = i == float(k)
        out = [ember.where(sel, val, acc) for val, acc in zip(row, out)]
    return ember.stack(out, dim=-3)


def adjust_hue(inpt: Any, hue_factor: float) -> Any:
    """Rotate the hue by ``hue_factor`` turns, in [-0.5, 0.5].

    Example:
        >>> adjust_hue(ember.tensor([[[1.0]], [[0.0]], [[0.0]]]), 1 / 3).flatten().tolist()
        [0.0, 1.0, 0.0]
    """
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5]")

    def tensor(t: Tensor) -> Tensor:
        if _check_rgb(t, "adjust_hue") == 1 or hue_factor == 0:
            return t
        hsv = _rgb_to_hsv(convert_image_dtype(t, ember.float32))
        h = ember.remainder(hsv[..., 0:1, :, :] + hue_factor, 1.0)
        rgb = _hsv_to_rgb(ember.cat([h, hsv[..., 1:, :, :]], dim=-3))
        return convert_image_dtype(rgb.to(t.dtype) if t.is_floating_point() else rgb, t.dtype)

    return _color(inpt, "adjust_hue", lambda i: _hue_pil(i, hue_factor), tensor)


def _hue_pil(img: Image.Image, hue_factor: float) -> Image.Image:
    if img.mode in ("L", "1", "I", "F"):
        return img
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    np_h += np.array(np.int32(hue_factor * 255)).astype(np.uint8)
    return Image.merge("HSV", (Image.fromarray(np_h, "L"), s, v)).convert(img.mode)


def adjust_gamma(inpt: Any, gamma: float, gain: float = 1.0) -> Any:
    """``gain * img ** gamma`` on [0, 1]-scaled values.

    Example:
        >>> adjust_gamma(ember.tensor([[[0.25]]]), 0.5).item()
        0.5
    """
    if gamma < 0:
        raise ValueError(f"gamma must be non-negative, got {gamma}")

    def pil(img: Image.Image) -> Image.Image:
        lut = [int((255 + 1 - 1e-3) * gain * pow(i / 255.0, gamma)) for i in range(256)]
        return img.point(lut * len(img.getbands()))

    def tensor(t: Tensor) -> Tensor:
        x = convert_image_dtype(t, ember.float32) if not t.is_floating_point() else t
        out = (ember.pow(x, gamma) * gain).clamp(0.0, 1.0)
        return out if t.is_floating_point() else convert_image_dtype(out, t.dtype)

    return _color(inpt, "adjust_gamma", pil, tensor)


def rgb_to_grayscale(inpt: Any, num_output_channels: int = 1) -> Any:
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` (PIL's 'L' for PIL images), as 1 or 3 channels.

    Example:
        >>> rgb_to_grayscale(ember.ones(3, 2, 2)).shape
        ember.Size([1, 2, 2])
    """
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels must be 1 or 3, got {num_output_channels}")

    def pil(img: Image.Image) -> Image.Image:
        g = img.convert("L")
        return g if num_output_channels == 1 else Image.merge("RGB", (g, g, g))

    def tensor(t: Tensor) -> Tensor:
        _check_rgb(t, "rgb_to_grayscale")
        g = _gray(t).to(t.dtype)
        return g if num_output_channels == 1 else ember.cat([g, g, g], dim=-3)

    return _color(inpt, "rgb_to_grayscale", pil, tensor)


to_grayscale = rgb_to_grayscale


def invert(inpt: Any) -> Any:
    """``max - img``.

    Example:
        >>> invert(ember.tensor([[[0, 200]]], dtype=ember.uint8)).tolist()
        [[[255, 55]]]
    """
    return _color(inpt, "invert", ImageOps.invert, _invert_tensor)


def _invert_tensor(t: Tensor) -> Tensor:
    return 1.0 - t if t.is_floating_point() else (ember.full((), _bound(t), dtype=t.dtype) - t)


def posterize(inpt: Any, bits: int) -> Any:
    """Keep the ``bits`` most significant bits of each channel.

    Example:
        >>> posterize(ember.tensor([[[255]]], dtype=ember.uint8), 2).item()
        192
    """
    if not 0 <= bits <= 8:
        raise ValueError(f"bits must be in [0, 8], got {bits}")

    def tensor(t: Tensor) -> Tensor:
        if t.is_floating_point():
            levels = 1 << bits
            return (t * levels).floor().clamp(0, levels - 1) / levels
        if t.dtype != ember.uint8:
            raise TypeError(f"posterize supports uint8 and float images, got {t.dtype}")
        return t & (((1 << bits) - 1) << (8 - bits))

    return _color(inpt, "posterize", lambda i: ImageOps.posterize(i, bits), tensor)


def solarize(inpt: Any, threshold: float) -> Any:
    """Invert the pixels at or above ``threshold``.

    Example:
        >>> solarize(ember.tensor([[[10, 200]]], dtype=ember.uint8), 128).tolist()
        [[[10, 55]]]
    """

    def tensor(t: Tensor) -> Tensor:
        if threshold > _bound(t):
            raise TypeError(f"threshold {threshold} should be at most {_bound(t)} for {t.dtype}")
        return ember.where(t >= threshold, _invert_tensor(t), t)

    return _color(inpt, "solarize", lambda i: ImageOps.solarize(i, threshold), tensor)


def autocontrast(inpt: Any) -> Any:
    """Stretch each channel so its darkest pixel becomes 0 and its brightest the maximum.

    Example:
        >>> autocontrast(ember.tensor([[[0.25, 0.5]]])).tolist()
        [[[0.0, 1.0]]]
    """

    def tensor(t: Tensor) -> Tensor:
        bound = _bound(t)
        x = t if t.is_floating_point() else t.to(ember.float32)
        lo = x.amin(dim=(-2, -1), keepdim=True)
        hi = x.amax(dim=(-2, -1), keepdim=True)
        same = hi == lo
        scale = ember.where(same, ember.ones_like(hi), bound / ember.where(same, 1.0 + hi, hi - lo))
        lo = ember.where(same, ember.zeros_like(lo), lo)
        out = ((x - lo) * scale).clamp(0, bound)
        return out if t.is_floating_point() else out.to(t.dtype)

    return _color(inpt, "autocontrast", ImageOps.autocontrast, tensor)


def equalize(inpt: Any) -> Any:
    """Histogram equalisation per channel, with PIL's ``ImageOps.equalize`` lookup table.

    Example:
        >>> img = ember.arange(1024).reshape(1, 32, 32).div(16, rounding_mode="floor")
        >>> equalize(img.to(ember.uint8))[0, 0, ::16].tolist()
        [0, 5]
    """

    def tensor(t: Tensor) -> Tensor:
        if t.is_floating_point():
            return convert_image_dtype(_equalize_u8(convert_image_dtype(t, ember.uint8)), t.dtype)
        if t.dtype != ember.uint8:
            raise TypeError(f"equalize supports uint8 and float images, got {t.dtype}")
        return _equalize_u8(t)

    return _color(inpt, "equalize", ImageOps.equalize, tensor)


def _equalize_u8(img: Tensor) -> Tensor:
    h, w = int(img.shape[-2]), int(img.shape[-1])
    flat = img.reshape(-1, h * w).to(ember.int64)
    hist = ember.zeros(flat.shape[0], 256, dtype=ember.int64, device=img.device)
    hist = hist.scatter_add(1, flat, ember.ones_like(flat))
    last = 255 - ember.argmax(ember.flip(hist > 0, [1]).to(ember.int64), dim=1, keepdim=True)
    step = (hist.sum(1, keepdim=True) - hist.gather(1, last)) // 255
    safe = ember.where(step == 0, ember.ones_like(step), step)
    lut = ((ember.cumsum(hist, 1) - hist + safe // 2) // safe).clamp(0, 255)
    ident = ember.arange(256, device=img.device).reshape(1, 256)
    lut = ember.where(step == 0, ident, lut)
    return lut.gather(1, flat).to(ember.uint8).reshape(img.shape)


def _gaussian_kernel(k: int, sigma: float) -> np.ndarray:
    x = np.linspace(-(k - 1) * 0.5, (k - 1) * 0.5, k)
    pdf = np.exp(-0.5 * (x / sigma) ** 2)
    return (pdf / pdf.sum()).astype(np.float32)


def _blur_args(kernel_size: Any, sigma: Any) -> tuple[list[int], list[float]]:
    ks = [kernel_size] * 2 if isinstance(kernel_size, int) else list(kernel_size)
    if len(ks) == 1:
        ks = ks * 2
    if len(ks) != 2 or any(not isinstance(k, int) or k <= 0 or k % 2 == 0 for k in ks):
        raise ValueError(
            f"kernel_size must be an odd positive int or a pair of them, got {kernel_size!r}"
        )
    if sigma is None:
        sig = [k * 0.15 + 0.35 for k in ks]
    else:
        sig = [float(sigma)] * 2 if isinstance(sigma, (int, float)) else [float(s) for s in sigma]
        sig = sig * 2 if len(sig) == 1 else sig
    if len(sig) != 2 or any(s <= 0 for s in sig):
        raise ValueError(f"sigma must be positive (a number or a pair), got {sigma!r}")
    return ks, sig


def gaussian_blur(inpt: Any, kernel_size: Any, sigma: Any = None) -> Any:
    """Separable Gaussian blur with reflect padding, as torchvision's.

    Args:
        inpt: image (boxes and masks pass through).
        kernel_size: odd int or ``[kx, ky]``.
        sigma: float or ``[sx, sy]``; default ``0.3 * ((k - 1) * 0.5 - 1) + 0.8``.

    Example:
        >>> gaussian_blur(ember.ones(3, 8, 8), 3).shape
        ember.Size([3, 8, 8])
    """
    ks, sig = _blur_args(kernel_size, sigma)

    def tensor(t: Tensor) -> Tensor:
        h, w = int(t.shape[-2]), int(t.shape[-1])
        x = t if t.is_floating_point() else t.to(ember.float32)
        flat = x.reshape(-1, 1, h, w)
        flat = F.pad(flat, [ks[0] // 2, ks[0] // 2, ks[1] // 2, ks[1] // 2], mode="reflect")
        kx = ember.from_numpy(_gaussian_kernel(ks[0], sig[0])).to(device=x.device, dtype=x.dtype)
        ky = ember.from_numpy(_gaussian_kernel(ks[1], sig[1])).to(device=x.device, dtype=x.dtype)
        flat = F.conv2d(F.conv2d(flat, kx.reshape(1, 1, 1, -1)), ky.reshape(1, 1, -1, 1))
        out = flat.reshape(t.shape)
        return out if t.is_floating_point() else out.round().clamp(0, _bound(t)).to(t.dtype)

    def pil(img: Image.Image) -> Image.Image:
        arr = np.asarray(img)
        return to_pil_image(chw_to_array(tensor(array_to_chw(arr)), arr), mode=img.mode)

    return _color(inpt, "gaussian_blur", pil, tensor)


def normalize(
    inpt: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False
) -> Tensor:
    """``(img - mean) / std`` per channel on a float tensor.

    Example:
        >>> normalize(ember.ones(3, 1, 1), [0.5] * 3, [0.5] * 3).flatten().tolist()
        [1.0, 1.0, 1.0]
    """
    if is_pil(inpt) or not isinstance(inpt, Tensor):
        raise TypeError(
            f"normalize expects a float tensor, got {type(inpt).__name__}; "
            "convert with ToImage() and ToDtype(ember.float32, scale=True) first"
        )
    if not inpt.is_floating_point():
        raise TypeError(f"normalize expects a float tensor, got {inpt.dtype}")
    if inpt.ndim < 3:
        raise ValueError(f"normalize expects a (..., C, H, W) tensor, got {tuple(inpt.shape)}")
    m = ember.as_tensor(list(mean), dtype=inpt.dtype).to(inpt.device).reshape(-1, 1, 1)
    s = ember.as_tensor(list(std), dtype=inpt.dtype).to(inpt.device).reshape(-1, 1, 1)
    if bool((s == 0).any()):
        raise ValueError(
            f"std evaluated to zero after conversion to {inpt.dtype}, leading to division by zero"
        )
    out = (inpt - m) / s
    if inplace:
        inpt.copy_(out)
        return inpt
    return out


def erase(inpt: Tensor, i: int, j: int, h: int, w: int, v: Any, inplace: bool = False) -> Tensor:
    """Replace ``img[..., i:i+h, j:j+w]`` by ``v`` (a scalar or a broadcastable tensor).

    Example:
        >>> erase(ember.ones(1, 3, 3), 0, 0, 2, 2, 0)[0, :, 0].tolist()
        [0.0, 0.0, 1.0]
    """
    if isinstance(inpt, (BoundingBoxes, Mask)):
        return inpt
    if isinstance(inpt, np.ndarray):
        return chw_to_array(erase(array_to_chw(inpt), i, j, h, w, v), inpt)
    if not isinstance(inpt, Tensor):
        raise TypeError(f"erase expects a tensor image, got {type(inpt).__name__}")
    out = inpt if inplace else inpt.clone()
    out[..., i : i + h, j : j + w] = v
    return out
