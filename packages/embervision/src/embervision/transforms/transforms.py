"""Transform classes: each stores its arguments, draws its random parameters from ember's
generator and calls one function of ``embervision.transforms.functional``.

Example:
    >>> import ember
    >>> from embervision import transforms as T
    >>> t = T.Compose([T.RandomResizedCrop(8), T.RandomHorizontalFlip(),
    ...                T.ToDtype(ember.float32, scale=True)])
    >>> t(ember.zeros(3, 16, 16, dtype=ember.uint8)).shape
    ember.Size([3, 8, 8])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

import ember
from ember import Tensor
from ember.utils.data import transforms as _core
from ember.utils.data.transforms import Compose, RandomApply, RandomChoice, RandomOrder
from embervision.transforms import functional as F
from embervision.transforms._base import (
    RandomTransform,
    Transform,
    is_image,
    log_uniform,
    query_chw,
    query_size,
    randint,
    uniform,
)
from embervision.transforms._geometry import _padding, _pair
from embervision.transforms._meta import (
    BoundingBoxes,
    InterpolationMode,
    chw_to_array,
    interpolation_mode,
    is_pil,
)

__all__ = [
    "Compose",
    "RandomApply",
    "RandomChoice",
    "RandomOrder",
    "Lambda",
    "Identity",
    "ToImage",
    "ToDtype",
    "ConvertImageDtype",
    "ToTensor",
    "PILToTensor",
    "ToPILImage",
    "Normalize",
    "Resize",
    "CenterCrop",
    "RandomCrop",
    "RandomResizedCrop",
    "FiveCrop",
    "TenCrop",
    "Pad",
    "RandomHorizontalFlip",
    "RandomVerticalFlip",
    "RandomRotation",
    "RandomAffine",
    "RandomPerspective",
    "ColorJitter",
    "Grayscale",
    "RandomGrayscale",
    "GaussianBlur",
    "RandomErasing",
    "RandomInvert",
    "RandomPosterize",
    "RandomSolarize",
    "RandomAdjustSharpness",
    "RandomAutocontrast",
    "RandomEqualize",
    "ClampBoundingBoxes",
    "ConvertBoundingBoxFormat",
]


# -- containers ----------------------------------------------------------------------------
# Compose, RandomApply, RandomChoice, RandomOrder are the core's (ember.utils.data.transforms);
# Lambda keeps torchvision v2's rule for structured samples: only images, boxes and masks.


class Lambda(_core.Lambda, Transform):
    """Apply a user function to each input of the given ``types`` (any type by default).

    On one plain input it is called directly. On a structured sample (several inputs, a tuple
    or a dict) it is applied, as in torchvision's v2, only to the leaves a vision transform
    changes: images, boxes and masks (see :class:`Transform`); labels pass through.

    Example:
        >>> Lambda(lambda x: x + 1)(ember.zeros(1)).tolist()
        [1.0]
    """

    def leaf_forward(self, *inputs: Any) -> Any:
        return Transform.forward(self, *inputs)

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return self.apply_one(inpt)


class Identity(Transform):
    """Return the inputs unchanged."""

    def forward(self, *inputs: Any) -> Any:
        return inputs if len(inputs) > 1 else inputs[0]


# -- conversion ----------------------------------------------------------------------------


class ToImage(Transform):
    """PIL image or HWC array -> ``(C, H, W)`` tensor of the same dtype.

    Example:
        >>> ToImage()(np.zeros((4, 5, 3), np.uint8)).shape
        ember.Size([3, 4, 5])
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.to_image(inpt) if is_image(inpt) else inpt


class ToDtype(Transform):
    """Cast images (and, with a dict, boxes/masks) to ``dtype``; ``scale`` rescales images.

    Args:
        dtype: a dtype, or a dict from ``Tensor`` (images) / ``Mask`` / ``BoundingBoxes`` /
            ``"others"`` to dtypes (types missing from the dict are left alone).
        scale: rescale image values between [0, 1] floats and [0, max] integers.

    Example:
        >>> ToDtype(ember.float32, scale=True)(ember.full((1, 1, 1), 255, dtype=ember.uint8)).item()
        1.0
    """

    def __init__(self, dtype: Any, scale: bool = False) -> None:
        super().__init__()
        self.dtype = dtype
        self.scale = scale

    def _dtype_for(self, inpt: Any) -> Any:
        if not isinstance(self.dtype, dict):
            return self.dtype if is_image(inpt) else None
        for key in (type(inpt), Tensor if is_image(inpt) else None, "others"):
            if key in self.dtype:
                return self.dtype[key]
        return None

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        dtype = self._dtype_for(inpt)
        if dtype is None or is_pil(inpt):
            return inpt
        if isinstance(inpt, np.ndarray):
            inpt = F.to_image(inpt)
        return F.to_dtype(inpt, dtype, scale=self.scale and is_image(inpt))


class ConvertImageDtype(Transform):
    """``convert_image_dtype`` on image tensors (the same as ``ToDtype(dtype, scale=True)``).

    Example:
        >>> ConvertImageDtype(ember.uint8)(ember.ones(1, 1, 1)).item()
        255
    """

    def __init__(self, dtype: Any = ember.float32) -> None:
        super().__init__()
        self.dtype = dtype

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return (
            F.convert_image_dtype(inpt, self.dtype)
            if isinstance(inpt, Tensor) and is_image(inpt)
            else inpt
        )


class ToTensor(Transform):
    """PIL image or HWC array -> float32 ``(C, H, W)`` tensor in [0, 1] (legacy API).

    Example:
        >>> ToTensor()(np.full((2, 2, 3), 255, np.uint8)).max().item()
        1.0
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.to_tensor(inpt) if is_pil(inpt) or isinstance(inpt, np.ndarray) else inpt


class PILToTensor(Transform):
    """PIL image -> ``(C, H, W)`` tensor with the image's dtype.

    Example:
        >>> from PIL import Image
        >>> PILToTensor()(Image.new("L", (3, 2))).shape
        ember.Size([1, 2, 3])
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.pil_to_tensor(inpt) if is_pil(inpt) else inpt


class ToPILImage(Transform):
    """CHW tensor or HWC array -> PIL image (floats scaled by 255).

    Example:
        >>> ToPILImage()(ember.zeros(3, 2, 4)).size
        (4, 2)
    """

    def __init__(self, mode: str | None = None) -> None:
        super().__init__()
        self.mode = mode

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.to_pil_image(inpt, self.mode) if is_image(inpt) and not is_pil(inpt) else inpt


class Normalize(Transform):
    """``(img - mean) / std`` per channel on float image tensors.

    Example:
        >>> Normalize([0.5], [0.5])(ember.ones(1, 2, 2)).max().item()
        1.0
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        super().__init__()
        self.mean = list(mean)
        self.std = list(std)
        self.inplace = inplace

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not is_image(inpt):
            return inpt
        return F.normalize(inpt, self.mean, self.std, self.inplace)


# -- geometry ------------------------------------------------------------------------------


def _size_arg(size: Any, name: str = "size") -> list[int]:
    if isinstance(size, numbers.Number):
        return [int(size)]
    if isinstance(size, Sequence) and len(size) in (1, 2):
        return [int(s) for s in size]
    raise ValueError(f"{name} must be an int or a sequence of one or two ints, got {size!r}")


class Resize(Transform):
    """Resize to ``size`` (an int matches the shorter edge, keeping the aspect ratio).

    Args:
        size: ``(h, w)`` or int, or None with ``max_size``.
        interpolation: an ``InterpolationMode`` (masks use NEAREST).
        max_size: the longest allowed edge when ``size`` is an int.
        antialias: low-pass filter when downsampling tensors (PIL always does).

    Example:
        >>> Resize(4)(ember.zeros(3, 8, 16)).shape
        ember.Size([3, 4, 8])
    """

    def __init__(
        self,
        size: Any,
        interpolation: Any = InterpolationMode.BILINEAR,
        max_size: int | None = None,
        antialias: bool = True,
    ) -> None:
        super().__init__()
        self.size = None if size is None else _size_arg(size)
        self.interpolation = interpolation_mode(interpolation)
        self.max_size = max_size
        self.antialias = antialias
        if size is None and max_size is None:
            raise ValueError("Resize needs size, or max_size when size is None")

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.resize(inpt, self.size, self.interpolation, self.max_size, self.antialias)


class CenterCrop(Transform):
    """Crop the centre to ``size`` (padding with 0 when the image is smaller).

    Example:
        >>> CenterCrop(2)(ember.zeros(1, 5, 5)).shape
        ember.Size([1, 2, 2])
    """

    def __init__(self, size: Any) -> None:
        super().__init__()
        self.size = _pair(size, "size")

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.center_crop(inpt, self.size)


class RandomCrop(Transform):
    """Crop a random ``size`` window, optionally after padding.

    Args:
        size: ``(h, w)`` or int.
        padding: applied first (int, ``[lr, tb]`` or ``[l, t, r, b]``).
        pad_if_needed: pad images smaller than ``size``.
        fill: constant padding value.
        padding_mode: ``constant``, ``edge``, ``reflect`` or ``symmetric``.

    Example:
        >>> RandomCrop(4, padding=2)(ember.zeros(3, 4, 4)).shape
        ember.Size([3, 4, 4])
    """

    def __init__(
        self,
        size: Any,
        padding: Any = None,
        pad_if_needed: bool = False,
        fill: Any = 0,
        padding_mode: str = "constant",
    ) -> None:
        super().__init__()
        self.size = _pair(size, "size")
        self.padding = None if padding is None else _padding(padding)
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(
                f"padding_mode must be constant, edge, reflect or symmetric, got {padding_mode!r}"
            )
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        """Draw ``(top, left, height, width)`` of a random crop, as torchvision's v1 API.

        Args:
            img: an image tensor or PIL image.
            output_size: the crop ``(h, w)``.

        Returns:
            ``(i, j, h, w)``, to apply with ``F.crop`` to an image and its mask alike.
        """
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(
                f"Required crop size {(th, tw)} is larger than input image size {(h, w)}"
            )
        if w == tw and h == th:
            return 0, 0, h, w
        return randint(0, h - th + 1), randint(0, w - tw + 1), th, tw

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        h, w = query_size(flat)
        left, top, right, bottom = self.padding or [0, 0, 0, 0]
        h, w = h + top + bottom, w + left + right
        ch, cw = self.size
        if self.pad_if_needed and h < ch:
            top, bottom, h = top + ch - h, bottom + ch - h, h + 2 * (ch - h)
        if self.pad_if_needed and w < cw:
            left, right, w = left + cw - w, right + cw - w, w + 2 * (cw - w)
        if h < ch or w < cw:
            raise ValueError(
                f"required crop size {(ch, cw)} is larger than the (padded) input size {(h, w)}"
            )
        return {
            "pad": [left, top, right, bottom],
            "top": randint(0, h - ch + 1),
            "left": randint(0, w - cw + 1),
        }

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if any(params["pad"]):
            inpt = F.pad(inpt, params["pad"], self.fill, self.padding_mode)
        return F.crop(inpt, params["top"], params["left"], *self.size)


def _range(value: Any, name: str) -> tuple[float, float]:
    if not isinstance(value, Sequence) or len(value) != 2:
        raise TypeError(f"{name} should be a sequence of two numbers, got {value!r}")
    lo, hi = float(value[0]), float(value[1])
    if lo > hi:
        raise ValueError(f"{name} should be (min, max), got {value!r}")
    return lo, hi


class RandomResizedCrop(Transform):
    """Crop a random area and aspect ratio, then resize to ``size``.

    Args:
        size: output ``(h, w)`` or int.
        scale: range of the crop area as a fraction of the image area.
        ratio: range of the crop aspect ratio (w / h), sampled log-uniformly.
        interpolation: an ``InterpolationMode``.
        antialias: as in ``Resize``.

    Example:
        >>> RandomResizedCrop(8)(ember.zeros(3, 32, 32)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        size: Any,
        scale: Sequence[float] = (0.08, 1.0),
        ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
        interpolation: Any = InterpolationMode.BILINEAR,
        antialias: bool = True,
    ) -> None:
        super().__init__()
        self.size = _pair(size, "size")
        self.scale = _range(scale, "scale")
        self.ratio = _range(ratio, "ratio")
        self.interpolation = interpolation_mode(interpolation)
        self.antialias = antialias

    @staticmethod
    def get_params(
        img: Any, scale: Sequence[float], ratio: Sequence[float]
    ) -> tuple[int, int, int, int]:
        """Draw ``(top, left, height, width)`` of a random-area, random-ratio crop (v1 API).

        Args:
            img: an image tensor or PIL image.
            scale: range of the crop area as a fraction of the image area.
            ratio: range of the aspect ratio (w / h), drawn log-uniformly.

        Returns:
            ``(i, j, h, w)``; after 10 failed draws, the central crop torchvision falls back to.
        """
        _, height, width = F.get_dimensions(img)
        p = RandomResizedCrop._draw(height, width, _range(scale, "scale"), _range(ratio, "ratio"))
        return p["top"], p["left"], p["height"], p["width"]

    @staticmethod
    def _draw(
        height: int, width: int, scale: tuple[float, float], ratio: tuple[float, float]
    ) -> dict[str, Any]:
        area = height * width
        for _ in range(10):
            target = area * uniform(*scale)
            aspect = log_uniform(*ratio)
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return {
                    "top": randint(0, height - h + 1),
                    "left": randint(0, width - w + 1),
                    "height": h,
                    "width": w,
                }
        return _central_crop(height, width, ratio)

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        height, width = query_size(flat)
        return self._draw(height, width, self.scale, self.ratio)

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.resized_crop(
            inpt,
            params["top"],
            params["left"],
            params["height"],
            params["width"],
            list(self.size),
            self.interpolation,
            self.antialias,
        )


def _central_crop(height: int, width: int, ratio: tuple[float, float]) -> dict[str, Any]:
    in_ratio = width / height
    if in_ratio < min(ratio):
        w, h = width, int(round(width / min(ratio)))
    elif in_ratio > max(ratio):
        h, w = height, int(round(height * max(ratio)))
    else:
        w, h = width, height
    return {"top": (height - h) // 2, "left": (width - w) // 2, "height": h, "width": w}


class FiveCrop(Transform):
    """The four corner crops and the centre crop, as a tuple.

    Example:
        >>> len(FiveCrop(2)(ember.zeros(1, 4, 4)))
        5
    """

    def __init__(self, size: Any) -> None:
        super().__init__()
        self.size = _pair(size, "size")

    def forward(self, inpt: Any) -> Any:
        return F.five_crop(inpt, self.size)


class TenCrop(Transform):
    """``FiveCrop`` of the image and of its flipped copy (10 crops).

    Example:
        >>> len(TenCrop(2)(ember.zeros(1, 4, 4)))
        10
    """

    def __init__(self, size: Any, vertical_flip: bool = False) -> None:
        super().__init__()
        self.size = _pair(size, "size")
        self.vertical_flip = vertical_flip

    def forward(self, inpt: Any) -> Any:
        return F.ten_crop(inpt, self.size, self.vertical_flip)


class Pad(Transform):
    """Pad the borders (see ``functional.pad``).

    Example:
        >>> Pad([1, 2])(ember.zeros(1, 2, 2)).shape
        ember.Size([1, 6, 4])
    """

    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> None:
        super().__init__()
        self.padding = _padding(padding)
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(
                f"padding_mode must be constant, edge, reflect or symmetric, got {padding_mode!r}"
            )
        self.fill = fill
        self.padding_mode = padding_mode

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.pad(inpt, self.padding, self.fill, self.padding_mode)


class RandomHorizontalFlip(RandomTransform):
    """Mirror left-right with probability ``p``.

    Example:
        >>> RandomHorizontalFlip(p=1.0)(ember.tensor([[[1, 2]]])).tolist()
        [[[2, 1]]]
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.hflip(inpt)


class RandomVerticalFlip(RandomTransform):
    """Mirror top-bottom with probability ``p``.

    Example:
        >>> RandomVerticalFlip(p=1.0)(ember.tensor([[[1], [2]]])).tolist()
        [[[2], [1]]]
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.vflip(inpt)


def _degrees(degrees: Any, name: str = "degrees") -> tuple[float, float]:
    if isinstance(degrees, numbers.Number):
        if degrees < 0:
            raise ValueError(
                f"if {name} is a single number, it must be non-negative, got {degrees}"
            )
        return -float(degrees), float(degrees)
    return _range(degrees, name)


class RandomRotation(Transform):
    """Rotate by an angle drawn uniformly from ``degrees``.

    Args:
        degrees: ``(min, max)`` or a number ``d`` for ``(-d, d)``.
        interpolation: NEAREST or BILINEAR.
        expand: enlarge the output to hold the whole rotated image.
        center: rotation centre ``(x, y)``; the image centre by default.
        fill: value for pixels outside the source.

    Example:
        >>> RandomRotation(30)(ember.zeros(3, 8, 8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        degrees: Any,
        interpolation: Any = InterpolationMode.NEAREST,
        expand: bool = False,
        center: Sequence[float] | None = None,
        fill: Any = 0,
    ) -> None:
        super().__init__()
        self.degrees = _degrees(degrees)
        self.interpolation = interpolation_mode(interpolation)
        self.expand = expand
        self.center = center
        self.fill = fill

    @staticmethod
    def get_params(degrees: Sequence[float]) -> float:
        """Draw a rotation angle uniformly from ``[degrees[0], degrees[1]]`` (v1 API)."""
        return uniform(float(degrees[0]), float(degrees[1]))

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        return {"angle": uniform(*self.degrees)}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.rotate(
            inpt, params["angle"], self.interpolation, self.expand, self.center, self.fill
        )


def _shear_ranges(shear: Any) -> list[float] | None:
    if shear is None:
        return None
    if isinstance(shear, numbers.Number):
        return [*_degrees(shear, "shear"), 0.0, 0.0]
    if isinstance(shear, Sequence) and len(shear) in (2, 4):
        s = [float(v) for v in shear]
        return s if len(s) == 4 else s + [0.0, 0.0]
    raise ValueError(f"shear must be a number or a sequence of 2 or 4 numbers, got {shear!r}")


class RandomAffine(Transform):
    """Random rotation, translation, scale and shear, keeping the image size.

    Args:
        degrees: rotation range ``(min, max)`` or ``d`` for ``(-d, d)``.
        translate: maximum fractions ``(a, b)`` of width and height to shift by.
        scale: scale range ``(min, max)``.
        shear: ``d``, ``(min, max)`` along x, or ``(xmin, xmax, ymin, ymax)``.
        interpolation: NEAREST or BILINEAR.
        fill: value for pixels outside the source.
        center: centre ``(x, y)`` of the transform.

    Example:
        >>> RandomAffine(10, translate=(0.1, 0.1))(ember.zeros(3, 8, 8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        degrees: Any,
        translate: Sequence[float] | None = None,
        scale: Sequence[float] | None = None,
        shear: Any = None,
        interpolation: Any = InterpolationMode.NEAREST,
        fill: Any = 0,
        center: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        self.degrees = _degrees(degrees)
        if translate is not None and not all(0.0 <= t <= 1.0 for t in _range_any(translate)):
            raise ValueError(f"translate values should be between 0 and 1, got {translate}")
        self.translate = translate
        if scale is not None and any(s <= 0 for s in _range(scale, "scale")):
            raise ValueError(f"scale values should be positive, got {scale}")
        self.scale = scale
        self.shear = _shear_ranges(shear)
        self.interpolation = interpolation_mode(interpolation)
        self.fill = fill
        self.center = center

    @staticmethod
    def get_params(
        degrees: Sequence[float],
        translate: Sequence[float] | None,
        scale_ranges: Sequence[float] | None,
        shears: Sequence[float] | None,
        img_size: Sequence[int],
    ) -> tuple[float, tuple[int, int], float, tuple[float, float]]:
        """Draw one affine transform's parameters (v1 API).

        Args:
            degrees: rotation range ``(min, max)``.
            translate: maximum fractions ``(a, b)`` of width and height, or None.
            scale_ranges: scale range ``(min, max)``, or None.
            shears: ``(xmin, xmax)`` or ``(xmin, xmax, ymin, ymax)``, or None.
            img_size: ``(width, height)``.

        Returns:
            ``(angle, (tx, ty), scale, (shear_x, shear_y))``.
        """
        angle = uniform(float(degrees[0]), float(degrees[1]))
        tx = ty = 0
        if translate is not None:
            max_dx = float(translate[0] * img_size[0])
            max_dy = float(translate[1] * img_size[1])
            tx = int(round(uniform(-max_dx, max_dx)))
            ty = int(round(uniform(-max_dy, max_dy)))
        scale = 1.0 if scale_ranges is None else uniform(scale_ranges[0], scale_ranges[1])
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = uniform(shears[2], shears[3])
        return angle, (tx, ty), scale, (shear_x, shear_y)

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        h, w = query_size(flat)
        angle = uniform(*self.degrees)
        tx = ty = 0
        if self.translate is not None:
            max_dx, max_dy = float(self.translate[0] * w), float(self.translate[1] * h)
            tx = int(round(uniform(-max_dx, max_dx)))
            ty = int(round(uniform(-max_dy, max_dy)))
        scale = uniform(*self.scale) if self.scale is not None else 1.0
        shear = (0.0, 0.0)
        if self.shear is not None:
            sx = uniform(self.shear[0], self.shear[1])
            sy = uniform(self.shear[2], self.shear[3]) if self.shear[2:] != [0.0, 0.0] else 0.0
            shear = (sx, sy)
        return {"angle": angle, "translate": [tx, ty], "scale": scale, "shear": shear}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.affine(
            inpt,
            params["angle"],
            params["translate"],
            params["scale"],
            params["shear"],
            self.interpolation,
            self.fill,
            self.center,
        )


def _range_any(v: Any) -> list[float]:
    if not isinstance(v, Sequence) or len(v) != 2:
        raise TypeError(f"expected a sequence of two numbers, got {v!r}")
    return [float(x) for x in v]


class RandomPerspective(RandomTransform):
    """With probability ``p``, move each corner inwards by up to ``distortion_scale`` / 2.

    Example:
        >>> RandomPerspective(0.5, p=1.0)(ember.zeros(3, 8, 8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        distortion_scale: float = 0.5,
        p: float = 0.5,
        interpolation: Any = InterpolationMode.BILINEAR,
        fill: Any = 0,
    ) -> None:
        super().__init__(p)
        if not 0.0 <= distortion_scale <= 1.0:
            raise ValueError(f"distortion_scale must be in [0, 1], got {distortion_scale}")
        self.distortion_scale = distortion_scale
        self.interpolation = interpolation_mode(interpolation)
        self.fill = fill

    @staticmethod
    def get_params(
        width: int, height: int, distortion_scale: float
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Draw the corner displacements of one perspective warp (v1 API).

        Returns:
            ``(startpoints, endpoints)``: the image corners (top-left, top-right, bottom-right,
            bottom-left) and where each one goes.
        """
        dw = int(distortion_scale * (width // 2))
        dh = int(distortion_scale * (height // 2))
        topleft = [randint(0, dw + 1), randint(0, dh + 1)]
        topright = [randint(width - dw - 1, width), randint(0, dh + 1)]
        botright = [randint(width - dw - 1, width), randint(height - dh - 1, height)]
        botleft = [randint(0, dw + 1), randint(height - dh - 1, height)]
        start = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
        return start, [topleft, topright, botright, botleft]

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        h, w = query_size(flat)
        bh = int(self.distortion_scale * (h // 2)) + 1
        bw = int(self.distortion_scale * (w // 2)) + 1
        tl = [randint(0, bw), randint(0, bh)]
        tr = [randint(w - bw, w), randint(0, bh)]
        br = [randint(w - bw, w), randint(h - bh, h)]
        bl = [randint(0, bw), randint(h - bh, h)]
        start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
        return {"startpoints": start, "endpoints": [tl, tr, br, bl]}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.perspective(
            inpt, params["startpoints"], params["endpoints"], self.interpolation, self.fill
        )


# -- colour --------------------------------------------------------------------------------


def _jitter_range(
    value: Any,
    name: str,
    center: float = 1.0,
    bound: tuple[float, float] = (0.0, math.inf),
    clip_first: bool = True,
) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"if {name} is a single number, it must be non-negative, got {value}")
        lo, hi = center - float(value), center + float(value)
        lo = max(lo, 0.0) if clip_first else lo
    else:
        lo, hi = _range(value, name)
    if not bound[0] <= lo <= hi <= bound[1]:
        raise ValueError(f"{name} values should be within {bound}, got {(lo, hi)}")
    return None if lo == hi == center else (lo, hi)


class ColorJitter(Transform):
    """Random brightness, contrast, saturation and hue changes, applied in a random order.

    Args:
        brightness: ``b`` for factors in ``[max(0, 1 - b), 1 + b]`` or ``(min, max)``.
        contrast: as ``brightness``.
        saturation: as ``brightness``.
        hue: ``h`` in [0, 0.5] for ``[-h, h]`` or ``(min, max)`` within [-0.5, 0.5].

    Example:
        >>> ColorJitter(0.4, 0.4, 0.4, 0.1)(ember.rand(3, 4, 4)).shape
        ember.Size([3, 4, 4])
    """

    def __init__(
        self, brightness: Any = None, contrast: Any = None, saturation: Any = None, hue: Any = None
    ) -> None:
        super().__init__()
        self.brightness = _jitter_range(brightness, "brightness")
        self.contrast = _jitter_range(contrast, "contrast")
        self.saturation = _jitter_range(saturation, "saturation")
        self.hue = _jitter_range(hue, "hue", center=0.0, bound=(-0.5, 0.5), clip_first=False)

    @staticmethod
    def get_params(
        brightness: Sequence[float] | None,
        contrast: Sequence[float] | None,
        saturation: Sequence[float] | None,
        hue: Sequence[float] | None,
    ) -> tuple[Tensor, float | None, float | None, float | None, float | None]:
        """Draw the order and factors of one jitter (v1 API).

        Args:
            brightness: ``(min, max)`` or None; likewise the others.
            contrast: ``(min, max)`` or None.
            saturation: ``(min, max)`` or None.
            hue: ``(min, max)`` or None.

        Returns:
            ``(fn_idx, b, c, s, h)``: a permutation of ``range(4)`` (the order in which
            brightness, contrast, saturation and hue are applied) and each factor, None where
            its range is None.
        """
        fn_idx = ember.randperm(4)
        draws = [
            None if r is None else uniform(r[0], r[1])
            for r in (brightness, contrast, saturation, hue)
        ]
        return fn_idx, draws[0], draws[1], draws[2], draws[3]

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        order = ember.randperm(4).tolist()
        draws = [
            None if r is None else uniform(*r)
            for r in (self.brightness, self.contrast, self.saturation, self.hue)
        ]
        return {"order": order, "factors": draws}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        fns = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for i in params["order"]:
            factor = params["factors"][i]
            if factor is not None:
                inpt = fns[i](inpt, factor)
        return inpt


class Grayscale(Transform):
    """Convert RGB to greyscale with ``num_output_channels`` (1 or 3) channels.

    Example:
        >>> Grayscale()(ember.zeros(3, 2, 2)).shape
        ember.Size([1, 2, 2])
    """

    def __init__(self, num_output_channels: int = 1) -> None:
        super().__init__()
        if num_output_channels not in (1, 3):
            raise ValueError(f"num_output_channels must be 1 or 3, got {num_output_channels}")
        self.num_output_channels = num_output_channels

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.rgb_to_grayscale(inpt, self.num_output_channels)


class RandomGrayscale(RandomTransform):
    """With probability ``p`` (default 0.1), greyscale keeping the channel count.

    Example:
        >>> RandomGrayscale(p=1.0)(ember.rand(3, 2, 2)).shape
        ember.Size([3, 2, 2])
    """

    def __init__(self, p: float = 0.1) -> None:
        super().__init__(p)

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        return {"channels": query_chw(flat)[0]}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.rgb_to_grayscale(inpt, params["channels"])


class GaussianBlur(Transform):
    """Gaussian blur with a sigma drawn uniformly from ``sigma``.

    Args:
        kernel_size: odd int or ``(kx, ky)``.
        sigma: ``(min, max)`` or a fixed positive float.

    Example:
        >>> GaussianBlur(3)(ember.rand(3, 8, 8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(self, kernel_size: Any, sigma: Any = (0.1, 2.0)) -> None:
        super().__init__()
        ks = [kernel_size] * 2 if isinstance(kernel_size, int) else list(kernel_size)
        if len(ks) != 2 or any(k <= 0 or k % 2 == 0 for k in ks):
            raise ValueError(f"kernel_size must be odd and positive, got {kernel_size!r}")
        self.kernel_size = ks
        if isinstance(sigma, numbers.Number):
            if sigma <= 0:
                raise ValueError(f"sigma must be positive, got {sigma}")
            sigma = (float(sigma), float(sigma))
        lo, hi = _range(sigma, "sigma")
        if lo <= 0:
            raise ValueError(f"sigma values should be positive, got {sigma}")
        self.sigma = (lo, hi)

    @staticmethod
    def get_params(sigma_min: float, sigma_max: float) -> float:
        """Draw the blur's standard deviation uniformly from ``[sigma_min, sigma_max]`` (v1 API)."""
        return uniform(float(sigma_min), float(sigma_max))

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        s = uniform(*self.sigma)
        return {"sigma": [s, s]}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.gaussian_blur(inpt, self.kernel_size, params["sigma"])


class RandomErasing(RandomTransform):
    """With probability ``p``, overwrite a random rectangle (tensor and array images).

    Args:
        p: probability.
        scale: range of the erased area as a fraction of the image.
        ratio: range of the rectangle's aspect ratio.
        value: fill value(s), or ``"random"`` for standard-normal noise.
        inplace: modify the input tensor.

    Example:
        >>> RandomErasing(p=1.0)(ember.ones(3, 16, 16)).min().item()
        0.0
    """

    def __init__(
        self,
        p: float = 0.5,
        scale: Sequence[float] = (0.02, 0.33),
        ratio: Sequence[float] = (0.3, 3.3),
        value: Any = 0,
        inplace: bool = False,
    ) -> None:
        super().__init__(p)
        if not isinstance(value, (numbers.Number, str, Sequence)) or (
            isinstance(value, str) and value != "random"
        ):
            raise ValueError(f"value must be a number, a sequence or 'random', got {value!r}")
        self.scale = _range(scale, "scale")
        self.ratio = _range(ratio, "ratio")
        self.value = (
            None
            if value == "random"
            else (
                [float(value)] if isinstance(value, numbers.Number) else [float(v) for v in value]
            )
        )
        self.inplace = inplace

    @staticmethod
    def get_params(
        img: Tensor, scale: Sequence[float], ratio: Sequence[float], value: Any = None
    ) -> tuple[int, int, int, int, Tensor]:
        """Draw the rectangle to erase and its contents (v1 API).

        Args:
            img: a ``(..., C, H, W)`` image tensor.
            scale: range of the erased area as a fraction of the image.
            ratio: range of the rectangle's aspect ratio (h / w), drawn log-uniformly.
            value: fill value per channel, or None for standard-normal noise.

        Returns:
            ``(i, j, h, w, v)``; when 10 draws fail, ``(0, 0, H, W, img)`` (erase nothing).
        """
        c, img_h, img_w = img.shape[-3], img.shape[-2], img.shape[-1]
        area = img_h * img_w
        for _ in range(10):
            erase_area = area * uniform(scale[0], scale[1])
            aspect = log_uniform(ratio[0], ratio[1])
            h = int(round(math.sqrt(erase_area * aspect)))
            w = int(round(math.sqrt(erase_area / aspect)))
            if not (h < img_h and w < img_w):
                continue
            if value is None:
                v = ember.randn(c, h, w)
            else:
                v = ember.tensor(value, dtype=ember.float32).reshape(-1, 1, 1)
            return randint(0, img_h - h + 1), randint(0, img_w - w + 1), h, w, v
        return 0, 0, img_h, img_w, img

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        c, h, w = query_chw(flat)
        if self.value is not None and len(self.value) not in (1, c):
            raise ValueError(f"value should have 1 or {c} entries, got {len(self.value)}")
        for _ in range(10):
            area = h * w * uniform(*self.scale)
            aspect = log_uniform(*self.ratio)
            eh, ew = int(round(math.sqrt(area * aspect))), int(round(math.sqrt(area / aspect)))
            if eh < h and ew < w:
                v = (
                    ember.randn(c, eh, ew)
                    if self.value is None
                    else ember.tensor(self.value).reshape(-1, 1, 1)
                )
                return {
                    "i": randint(0, h - eh + 1),
                    "j": randint(0, w - ew + 1),
                    "h": eh,
                    "w": ew,
                    "v": v,
                }
        return {"i": 0, "j": 0, "h": h, "w": w, "v": None}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if params["v"] is None or not is_image(inpt):
            return inpt
        if is_pil(inpt):
            return F.to_pil_image(self.transform(np.asarray(inpt), params), inpt.mode)
        img = inpt if isinstance(inpt, Tensor) else F.to_image(inpt)
        v = params["v"].to(device=img.device)
        v = v if img.is_floating_point() else v.round().clamp(0, 255)
        out = F.erase(
            img, params["i"], params["j"], params["h"], params["w"], v.to(img.dtype), self.inplace
        )
        return out if isinstance(inpt, Tensor) else chw_to_array(out, inpt)


class RandomInvert(RandomTransform):
    """Invert the colours with probability ``p``.

    Example:
        >>> RandomInvert(p=1.0)(ember.zeros(1, 1, 1)).item()
        1.0
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.invert(inpt)


class RandomPosterize(RandomTransform):
    """Keep ``bits`` bits per channel with probability ``p``.

    Example:
        >>> RandomPosterize(1, p=1.0)(ember.full((1, 1, 1), 200, dtype=ember.uint8)).item()
        128
    """

    def __init__(self, bits: int, p: float = 0.5) -> None:
        super().__init__(p)
        self.bits = bits

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.posterize(inpt, self.bits)


class RandomSolarize(RandomTransform):
    """Invert pixels at or above ``threshold`` with probability ``p``.

    Example:
        >>> RandomSolarize(0.5, p=1.0)(ember.full((1, 1, 1), 0.75)).item()
        0.25
    """

    def __init__(self, threshold: float, p: float = 0.5) -> None:
        super().__init__(p)
        self.threshold = threshold

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.solarize(inpt, self.threshold)


class RandomAdjustSharpness(RandomTransform):
    """Change sharpness by ``sharpness_factor`` with probability ``p``.

    Example:
        >>> RandomAdjustSharpness(2.0, p=1.0)(ember.ones(3, 4, 4)).shape
        ember.Size([3, 4, 4])
    """

    def __init__(self, sharpness_factor: float, p: float = 0.5) -> None:
        super().__init__(p)
        if sharpness_factor < 0:
            raise ValueError(f"sharpness_factor must be non-negative, got {sharpness_factor}")
        self.sharpness_factor = sharpness_factor

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.adjust_sharpness(inpt, self.sharpness_factor)


class RandomAutocontrast(RandomTransform):
    """Stretch each channel to the full range with probability ``p``.

    Example:
        >>> RandomAutocontrast(p=1.0)(ember.tensor([[[0.2, 0.6]]])).tolist()
        [[[0.0, 1.0]]]
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.autocontrast(inpt)


class RandomEqualize(RandomTransform):
    """Equalise the histogram with probability ``p``.

    Example:
        >>> RandomEqualize(p=1.0)(ember.zeros(1, 2, 2, dtype=ember.uint8)).shape
        ember.Size([1, 2, 2])
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.equalize(inpt)


# -- boxes ---------------------------------------------------------------------------------


class ClampBoundingBoxes(Transform):
    """Clip bounding boxes to their canvas.

    Example:
        >>> b = BoundingBoxes([[-1, 0, 9, 2]], format="XYXY", canvas_size=(4, 8))
        >>> ClampBoundingBoxes()(b).as_tensor().tolist()
        [[0.0, 0.0, 8.0, 2.0]]
    """

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        return F.clamp_bounding_boxes(inpt) if isinstance(inpt, BoundingBoxes) else inpt


class ConvertBoundingBoxFormat(Transform):
    """Convert bounding boxes to ``format``.

    Example:
        >>> b = BoundingBoxes([[1, 1, 3, 4]], format="XYXY", canvas_size=(8, 8))
        >>> ConvertBoundingBoxFormat("CXCYWH")(b).as_tensor().tolist()
        [[2.0, 2.5, 2.0, 3.0]]
    """

    def __init__(self, format: Any) -> None:
        super().__init__()
        self.format = format

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, BoundingBoxes):
            return inpt
        return F.convert_bounding_box_format(inpt, self.format)
