"""Image transforms: PIL images, HWC arrays and CHW ember tensors, with boxes and masks."""

from __future__ import annotations

from embervision.transforms import functional
from embervision.transforms._meta import BoundingBoxes, BoundingBoxFormat, InterpolationMode, Mask

__all__ = ["functional", "BoundingBoxes", "BoundingBoxFormat", "InterpolationMode", "Mask"]
