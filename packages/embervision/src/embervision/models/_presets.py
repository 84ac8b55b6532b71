"""Inference preprocessing that pretrained weights expect (``weights.transforms()``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ember
from ember import Tensor, nn

__all__ = ["ImageClassification"]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageClassification(nn.Module):
    """Resize, center-crop, scale to [0, 1] and normalise, as torchvision's preset.

    Accepts a PIL image, a ``(..., C, H, W)`` uint8 or float tensor; returns a float32 tensor.

    Args:
        crop_size: side of the square center crop.
        resize_size: the shorter side is resized to this first (None: no resize).
        mean: per-channel mean subtracted after scaling to [0, 1].
        std: per-channel standard deviation divided by.
        interpolation: resampling filter name or ``InterpolationMode``.
        antialias: antialias when downsampling tensors.

    Example:
        >>> preset = ImageClassification(crop_size=28, resize_size=28, mean=(0.5,), std=(0.5,))
        >>> preset(ember.zeros(1, 28, 28, dtype=ember.uint8)).shape
        (1, 28, 28)
    """

    def __init__(
        self,
        *,
        crop_size: int,
        resize_size: int | None = 256,
        mean: Sequence[float] = IMAGENET_MEAN,
        std: Sequence[float] = IMAGENET_STD,
        interpolation: Any = "bilinear",
        antialias: bool = True,
    ) -> None:
        super().__init__()
        self.crop_size = [crop_size]
        self.resize_size = None if resize_size is None else [resize_size]
        self.mean = list(mean)
        self.std = list(std)
        self.interpolation = interpolation
        self.antialias = antialias

    def forward(self, img: Any) -> Tensor:
        from embervision.transforms import functional as F

        if self.resize_size is not None:
            img = F.resize(img, self.resize_size, self.interpolation, antialias=self.antialias)
        img = F.center_crop(img, self.crop_size)
        if not isinstance(img, Tensor):
            img = F.pil_to_tensor(img)
        img = F.convert_image_dtype(img, ember.float32)
        return F.normalize(img, mean=self.mean, std=self.std)

    def extra_repr(self) -> str:
        return (
            f"crop_size={self.crop_size}, resize_size={self.resize_size}, mean={self.mean}, "
            f"std={self.std}, interpolation={self.interpolation}"
        )

    def describe(self) -> str:
        """One paragraph saying what the preset does, as torchvision's ``describe``."""
        return (
            f"Accepts PIL images and (..., C, H, W) tensors. Resized to {self.resize_size} "
            f"({self.interpolation}), center-cropped to {self.crop_size}, scaled to [0.0, 1.0] "
            f"and normalized with mean={self.mean} and std={self.std}."
        )
