"""Pure functions behind every transform: geometry, colour, conversions.

Each function accepts a PIL image, a NumPy array laid out ``(H, W[, C])`` or an ember tensor laid
out ``(..., C, H, W)``, and returns the same kind. Geometric functions also take
``BoundingBoxes`` and ``Mask``; colour functions return those unchanged.

Example:
    >>> import ember
    >>> from embervision.transforms import functional as F
    >>> F.hflip(ember.tensor([[[1, 2, 3]]])).tolist()
    [[[3, 2, 1]]]
"""

from __future__ import annotations

from embervision.transforms._boxes import clamp_bounding_boxes, convert_bounding_box_format
from embervision.transforms._color import (
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    adjust_sharpness,
    autocontrast,
    equalize,
    erase,
    gaussian_blur,
    invert,
    normalize,
    posterize,
    rgb_to_grayscale,
    solarize,
    to_grayscale,
)
from embervision.transforms._geometry import (
    affine,
    center_crop,
    crop,
    five_crop,
    hflip,
    horizontal_flip,
    pad,
    perspective,
    resize,
    resized_crop,
    rotate,
    ten_crop,
    vertical_flip,
    vflip,
)
from embervision.transforms._meta import (
    InterpolationMode,
    convert_image_dtype,
    get_dimensions,
    get_image_num_channels,
    get_image_size,
    get_size,
    pil_to_tensor,
    to_dtype,
    to_image,
    to_pil_image,
    to_tensor,
)

__all__ = [
    "InterpolationMode",
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "adjust_sharpness",
    "autocontrast",
    "equalize",
    "erase",
    "gaussian_blur",
    "invert",
    "normalize",
    "posterize",
    "rgb_to_grayscale",
    "solarize",
    "to_grayscale",
    "affine",
    "center_crop",
    "crop",
    "five_crop",
    "hflip",
    "horizontal_flip",
    "pad",
    "perspective",
    "resize",
    "resized_crop",
    "rotate",
    "ten_crop",
    "vertical_flip",
    "vflip",
    "convert_image_dtype",
    "get_dimensions",
    "get_image_num_channels",
    "get_size",
    "get_image_size",
    "pil_to_tensor",
    "to_dtype",
    "to_image",
    "to_pil_image",
    "to_tensor",
    "clamp_bounding_boxes",
    "convert_bounding_box_format",
]
