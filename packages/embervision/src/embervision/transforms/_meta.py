"""Input kinds, box and mask wrappers, and conversions between PIL images, arrays and tensors.

Images travel through the functional API in three forms: PIL images, NumPy arrays laid out
``(H, W)`` / ``(H, W, C)``, and ember tensors laid out ``(..., C, H, W)``. Array inputs are turned
into CHW tensors, processed by the tensor code and turned back, so the two share one
implementation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

import ember
from ember import Tensor

__all__ = [
    "InterpolationMode",
    "BoundingBoxFormat",
    "BoundingBoxes",
    "Mask",
    "get_dimensions",
    "get_image_size",
    "get_image_num_channels",
    "to_tensor",
    "pil_to_tensor",
    "to_pil_image",
    "to_image",
    "convert_image_dtype",
    "to_dtype",
]


class InterpolationMode(enum.Enum):
    """Resampling filters, named as in torchvision; the value is the PIL filter name."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_FILTERS = {
    InterpolationMode.NEAREST: Image.Resampling.NEAREST,
    InterpolationMode.NEAREST_EXACT: Image.Resampling.NEAREST,
    InterpolationMode.BILINEAR: Image.Resampling.BILINEAR,
    InterpolationMode.BICUBIC: Image.Resampling.BICUBIC,
    InterpolationMode.BOX: Image.Resampling.BOX,
    InterpolationMode.HAMMING: Image.Resampling.HAMMING,
    InterpolationMode.LANCZOS: Image.Resampling.LANCZOS,
}
_INT_TO_MODE = {
    0: InterpolationMode.NEAREST,
    2: InterpolationMode.BILINEAR,
    3: InterpolationMode.BICUBIC,
    4: InterpolationMode.BOX,
    5: InterpolationMode.HAMMING,
    1: InterpolationMode.LANCZOS,
}


def interpolation_mode(mode: InterpolationMode | str | int) -> InterpolationMode:
    """Accept an ``InterpolationMode``, its string value, or a PIL integer constant."""
    if isinstance(mode, InterpolationMode):
        return mode
    if isinstance(mode, str):
        return InterpolationMode(mode.lower())
    if isinstance(mode, (int, np.integer)) and int(mode) in _INT_TO_MODE:
        return _INT_TO_MODE[int(mode)]
    raise TypeError(
        f"interpolation must be an InterpolationMode, a mode name or a PIL filter "
        f"constant, got {mode!r}"
    )


def pil_filter(mode: InterpolationMode) -> Any:
    return _PIL_FILTERS[mode]


class BoundingBoxFormat(enum.Enum):
    """Corner (XYXY), corner-and-size (XYWH) or centre-and-size (CXCYWH) box coordinates."""

    XYXY = "XYXY"
    XYWH = "XYWH"
    CXCYWH = "CXCYWH"


class _Wrapped(Tensor):
    """A tensor that carries metadata; ember ops on it return plain tensors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass  # everything happens in __new__

    @classmethod
    def _from(cls, data: Any, dtype: Any = None, device: Any = None) -> Any:
        t = data if isinstance(data, Tensor) else ember.as_tensor(np.asarray(data))
        t = t.detach()
        if dtype is not None or device is not None:
            t = t.to(device=device, dtype=dtype)
        t.__class__ = cls
        return t

    def as_tensor(self) -> Tensor:
        """The plain tensor holding the values."""
        return self.view_as(self)


class BoundingBoxes(_Wrapped):
    """Boxes ``(N, 4)`` with their coordinate format and the ``(H, W)`` of their image.

    Geometric transforms given these together with an image move the boxes with the image.

    Args:
        data: the box coordinates, ``(N, 4)`` or ``(4,)``.
        format: a ``BoundingBoxFormat`` or its name.
        canvas_size: ``(height, width)`` of the image the boxes belong to.
        dtype: optional dtype (float32 when the data has none).

    Example:
        >>> b = BoundingBoxes([[0, 0, 10, 20]], format="XYXY", canvas_size=(32, 32))
        >>> b.format, b.canvas_size
        (<BoundingBoxFormat.XYXY: 'XYXY'>, (32, 32))
    """

    format: BoundingBoxFormat
    canvas_size: tuple[int, int]

    def __new__(
        cls,
        data: Any,
        *,
        format: BoundingBoxFormat | str,
        canvas_size: tuple[int, int],
        dtype: Any = None,
        device: Any = None,
    ) -> BoundingBoxes:
        if not isinstance(data, Tensor) and dtype is None:
            dtype = ember.float32
        obj = cls._from(data, dtype, device)
        if obj.ndim not in (1, 2) or obj.shape[-1] != 4:
            raise ValueError(f"BoundingBoxes expects shape (N, 4) or (4,), got {tuple(obj.shape)}")
        if isinstance(format, str):
            format = BoundingBoxFormat(format.upper())
        obj.format = format
        obj.canvas_size = (int(canvas_size[0]), int(canvas_size[1]))
        return obj

    @classmethod
    def wrap_like(
        cls,
        other: BoundingBoxes,
        data: Tensor,
        *,
        canvas_size: tuple[int, int] | None = None,
        format: BoundingBoxFormat | None = None,
    ) -> BoundingBoxes:
        """New boxes with ``data`` and ``other``'s metadata (optionally overridden)."""
        return cls(
            data, format=format or other.format, canvas_size=canvas_size or other.canvas_size
        )

    def __reduce_ex__(self, protocol: int) -> Any:
        return (_rebuild_boxes, (self.as_tensor(), self.format.value, self.canvas_size))

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return (
            f"BoundingBoxes({self.as_tensor()!r}, format={self.format.name}, "
            f"canvas_size={self.canvas_size})"
        )


def _rebuild_boxes(data: Tensor, fmt: str, canvas: tuple[int, int]) -> BoundingBoxes:
    return BoundingBoxes(data, format=fmt, canvas_size=canvas)


class Mask(_Wrapped):
    """A segmentation mask ``(..., H, W)``; geometric transforms resample it with NEAREST.

    Args:
        data: the mask values (tensor, array or PIL image).
        dtype: optional dtype.

    Example:
        >>> Mask(ember.zeros(1, 4, 4, dtype=ember.uint8)).shape
        ember.Size([1, 4, 4])
    """

    def __new__(cls, data: Any, *, dtype: Any = None, device: Any = None) -> Mask:
        if isinstance(data, Image.Image):
            data = np.asarray(data)
        return cls._from(data, dtype, device)

    @classmethod
    def wrap_like(cls, other: Mask, data: Tensor) -> Mask:
        """A mask holding ``data``."""
        return cls(data)

    def __reduce_ex__(self, protocol: int) -> Any:
        return (Mask, (self.as_tensor(),))

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return f"Mask({self.as_tensor()!r})"


# -- input kinds ---------------------------------------------------------------------------


def is_pil(x: Any) -> bool:
    return isinstance(x, Image.Image)


def is_plain_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) and not isinstance(x, _Wrapped)


def _check_image_tensor(img: Tensor, op: str) -> None:
    if img.ndim < 2:
        raise TypeError(
            f"{op}: expected an image tensor of shape (..., C, H, W), got {tuple(img.shape)}"
        )


def array_to_chw(arr: np.ndarray) -> Tensor:
    """An (H, W[, C]) array as a (C, H, W) tensor (copied so the input stays untouched)."""
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3:
        raise TypeError(f"expected an image array of shape (H, W) or (H, W, C), got {arr.shape}")
    return ember.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def chw_to_array(t: Tensor, like: np.ndarray) -> np.ndarray:
    """Back to an array shaped like ``like`` ((H, W) stays 2-D when one channel remains)."""
    arr = t.numpy().transpose(1, 2, 0)
    if like.ndim == 2 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    return np.ascontiguousarray(arr)


def dispatch(
    inpt: Any,
    op: str,
    pil: Callable[..., Any] | None,
    tensor: Callable[..., Any],
    boxes: Callable[..., Any] | None = None,
    mask: Callable[..., Any] | None = None,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Run the kernel that matches ``inpt``'s kind; arrays go through the tensor kernel."""
    if isinstance(inpt, BoundingBoxes):
        return inpt if boxes is None else boxes(inpt, *args, **kwargs)
    if isinstance(inpt, Mask):
        out = (
            tensor(inpt.as_tensor(), *args, **kwargs)
            if mask is None
            else mask(inpt.as_tensor(), *args, **kwargs)
        )
        return Mask(out)
    if isinstance(inpt, Tensor):
        _check_image_tensor(inpt, op)
        return tensor(inpt, *args, **kwargs)
    if is_pil(inpt):
        if pil is None:
            raise TypeError(f"{op} does not support PIL images; convert with to_image first")
        return pil(inpt, *args, **kwargs)
    if isinstance(inpt, np.ndarray):
        return chw_to_array(tensor(array_to_chw(inpt), *args, **kwargs), inpt)
    raise TypeError(
        f"{op}: expected a PIL image, a NumPy array or an ember tensor, got {type(inpt).__name__}"
    )


# -- sizes ---------------------------------------------------------------------------------


def get_dimensions(inpt: Any) -> list[int]:
    """``[channels, height, width]`` of an image (PIL, HWC array or CHW tensor).

    Example:
        >>> get_dimensions(ember.zeros(3, 4, 5))
        [3, 4, 5]
    """
    if is_pil(inpt):
        return [len(inpt.getbands()), inpt.height, inpt.width]
    if isinstance(inpt, np.ndarray):
        c = 1 if inpt.ndim == 2 else inpt.shape[2]
        return [c, inpt.shape[0], inpt.shape[1]]
    if isinstance(inpt, BoundingBoxes):
        return [0, *inpt.canvas_size]
    if isinstance(inpt, Tensor):
        if inpt.ndim < 2:
            raise TypeError(f"expected an image of shape (..., C, H, W), got {tuple(inpt.shape)}")
        c = 1 if inpt.ndim == 2 else int(inpt.shape[-3])
        return [c, int(inpt.shape[-2]), int(inpt.shape[-1])]
    raise TypeError(
        f"expected a PIL image, a NumPy array or an ember tensor, got {type(inpt).__name__}"
    )


def get_image_size(inpt: Any) -> list[int]:
    """``[width, height]`` (torchvision's legacy order).

    Example:
        >>> get_image_size(ember.zeros(3, 4, 5))
        [5, 4]
    """
    _, h, w = get_dimensions(inpt)
    return [w, h]


def get_size(inpt: Any) -> list[int]:
    """``[height, width]``."""
    return get_dimensions(inpt)[1:]


def get_image_num_channels(inpt: Any) -> int:
    """The number of channels."""
    return get_dimensions(inpt)[0]


# -- conversions ---------------------------------------------------------------------------


def _pil_to_array(pic: Image.Image) -> np.ndarray:
    mode_dtypes = {"I": np.int32, "I;16": np.int16, "F": np.float32}
    arr = np.array(pic, dtype=mode_dtypes.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        arr = arr * 255
    return arr


def pil_to_tensor(pic: Image.Image) -> Tensor:
    """A PIL image as a ``(C, H, W)`` tensor with the image's own dtype (no scaling).

    Example:
        >>> pil_to_tensor(Image.new("RGB", (4, 2))).shape
        ember.Size([3, 2, 4])
    """
    if not is_pil(pic):
        raise TypeError(f"pil_to_tensor expects a PIL image, got {type(pic).__name__}")
    return array_to_chw(np.array(pic, copy=True))


def to_tensor(pic: Any) -> Tensor:
    """A PIL image or HWC array as a float32 ``(C, H, W)`` tensor; uint8 is scaled to [0, 1].

    Example:
        >>> to_tensor(np.full((2, 2, 3), 255, np.uint8)).max().item()
        1.0
    """
    if is_pil(pic):
        arr = _pil_to_array(pic)
    elif isinstance(pic, np.ndarray):
        arr = pic
    else:
        raise TypeError(f"to_tensor expects a PIL image or a NumPy array, got {type(pic).__name__}")
    t = array_to_chw(arr)
    if arr.dtype == np.uint8:
        return t.to(ember.float32).div(255.0)
    return t.to(ember.get_default_dtype()) if arr.dtype == np.float64 else t


def to_image(inpt: Any) -> Tensor:
    """A PIL image or HWC array as a ``(C, H, W)`` tensor of the same dtype; tensors pass.

    Example:
        >>> to_image(np.zeros((4, 5, 3), np.uint8)).shape
        ember.Size([3, 4, 5])
    """
    if is_pil(inpt):
        return pil_to_tensor(inpt)
    if isinstance(inpt, np.ndarray):
        return array_to_chw(inpt)
    if isinstance(inpt, Tensor):
        return inpt
    raise TypeError(f"to_image expects a PIL image, array or tensor, got {type(inpt).__name__}")


_PIL_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def to_pil_image(pic: Any, mode: str | None = None) -> Image.Image:
    """A CHW tensor or HWC array as a PIL image; floats are scaled by 255 and truncated.

    Args:
        pic: ``(C, H, W)`` tensor or ``(H, W[, C])`` array.
        mode: PIL mode (default from the channel count: L, LA, RGB, RGBA).

    Example:
        >>> to_pil_image(ember.ones(3, 2, 4)).size
        (4, 2)
    """
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"to_pil_image expects a 2D or 3D image, got {pic.ndim}D")
        t = pic.unsqueeze(0) if pic.ndim == 2 else pic
        if t.is_floating_point() and mode != "F":
            t = t.mul(255).to(ember.uint8)
        arr = t.numpy().transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"to_pil_image expects a 2D or 3D image, got {pic.ndim}D")
        arr = pic[:, :, None] if pic.ndim == 2 else pic
        if np.issubdtype(arr.dtype, np.floating) and mode != "F":
            arr = (arr * 255).astype(np.uint8)
    else:
        raise TypeError(f"to_pil_image expects a tensor or array, got {type(pic).__name__}")
    return _array_to_pil(np.ascontiguousarray(arr), mode)


def _array_to_pil(arr: np.ndarray, mode: str | None) -> Image.Image:
    c = arr.shape[2]
    if c == 1:
        plane = arr[:, :, 0]
        if mode is None:
            mode = {
                np.dtype(np.uint8): "L",
                np.dtype(np.int16): "I;16",
                np.dtype(np.int32): "I",
                np.dtype(np.float32): "F",
            }.get(arr.dtype)
        if mode is None:
            raise TypeError(f"to_pil_image: unsupported dtype {arr.dtype} for one channel")
        return (
            Image.fromarray(plane.astype(np.float32) if mode == "F" else plane, mode=mode)
            if mode in ("F", "L")
            else Image.fromarray(plane).convert(mode)
        )
    if c not in _PIL_MODES:
        raise ValueError(f"to_pil_image: cannot make a PIL image from {c} channels")
    if arr.dtype != np.uint8:
        raise TypeError(f"to_pil_image: {c}-channel images must be uint8, got {arr.dtype}")
    img = Image.fromarray(arr)
    return img if mode is None or mode == img.mode else img.convert(mode)


_INT_MAX = {
    ember.uint8: 255,
    ember.int8: 127,
    ember.int16: 32767,
    ember.int32: 2**31 - 1,
    ember.int64: 2**63 - 1,
}


def _max_value(dtype: Any) -> float:
    return 1.0 if dtype.is_floating_point else _INT_MAX[dtype]


def convert_image_dtype(image: Tensor, dtype: Any = ember.float32) -> Tensor:
    """Cast an image tensor and rescale its values to the new dtype's range.

    Floats are in [0, 1]; integers in [0, max]. Float to int multiplies by ``max + 1 - eps``
    and truncates, as torchvision does.

    Example:
        >>> convert_image_dtype(ember.tensor([255], dtype=ember.uint8)).item()
        1.0
    """
    if not isinstance(image, Tensor):
        raise TypeError(f"convert_image_dtype expects a tensor, got {type(image).__name__}")
    src = image.dtype
    if src == dtype:
        return image
    if src.is_floating_point and dtype.is_floating_point:
        return image.to(dtype)
    if src.is_floating_point:
        eps = 1e-3
        return image.mul(_max_value(dtype) + 1.0 - eps).to(dtype)
    if dtype.is_floating_point:
        return image.to(dtype).div(_max_value(src))
    return _convert_int(image, src, dtype)


def _convert_int(image: Tensor, src: Any, dtype: Any) -> Tensor:
    smax, dmax = _max_value(src), _max_value(dtype)
    if smax > dmax:
        factor = (smax + 1) // (dmax + 1)
        return image.div(factor, rounding_mode="floor").to(dtype)
    factor = (dmax + 1) // (smax + 1)
    return image.to(dtype).mul(factor)


def to_dtype(inpt: Any, dtype: Any = ember.float32, scale: bool = False) -> Any:
    """Cast an image tensor (rescaling values when ``scale``); boxes and masks are cast only.

    Example:
        >>> to_dtype(ember.tensor([255], dtype=ember.uint8), ember.float32, scale=True).item()
        1.0
    """
    if isinstance(inpt, BoundingBoxes):
        return BoundingBoxes.wrap_like(inpt, inpt.as_tensor().to(dtype))
    if isinstance(inpt, Mask):
        return Mask(inpt.as_tensor().to(dtype))
    if not isinstance(inpt, Tensor):
        raise TypeError(
            f"to_dtype expects a tensor, got {type(inpt).__name__}; use ToImage() first"
        )
    return convert_image_dtype(inpt, dtype) if scale else inpt.to(dtype)
