"""Image transforms for PIL images, HWC arrays and CHW ember tensors, moving boxes and masks.

Example:
    >>> import ember
    >>> from embervision import transforms as T
    >>> pipeline = T.Compose([T.Resize(8), T.CenterCrop(8), T.ToDtype(ember.float32, scale=True),
    ...                       T.Normalize([0.5] * 3, [0.5] * 3)])
    >>> pipeline(ember.zeros(3, 12, 16, dtype=ember.uint8)).shape
    ember.Size([3, 8, 8])
"""

from __future__ import annotations

from embervision.transforms import functional
from embervision.transforms._base import Transform
from embervision.transforms._meta import BoundingBoxes, BoundingBoxFormat, InterpolationMode, Mask
from embervision.transforms.autoaugment import (
    AugMix,
    AutoAugment,
    AutoAugmentPolicy,
    CutMix,
    MixUp,
    RandAugment,
    TrivialAugmentWide,
)
from embervision.transforms.transforms import *  # noqa: F403
from embervision.transforms.transforms import __all__ as _classes

__all__ = [
    "functional",
    "Transform",
    "BoundingBoxes",
    "BoundingBoxFormat",
    "InterpolationMode",
    "Mask",
    "AutoAugment",
    "AutoAugmentPolicy",
    "RandAugment",
    "TrivialAugmentWide",
    "AugMix",
    "MixUp",
    "CutMix",
    *_classes,
]
