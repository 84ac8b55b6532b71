"""FakeData: random images with random labels, for smoke tests and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from embervision.datasets.vision import VisionDataset

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    """A dataset of random PIL images and int labels; item ``i`` is the same on every call.

    Each item is drawn from a generator seeded with ``i + random_offset`` (NumPy's, so the
    pixel values differ from torchvision's; the shapes, modes and determinism match).

    Args:
        size: the number of items.
        image_size: ``(C, H, W)`` with C in 1 (mode L), 2 (LA), 3 (RGB) or 4 (RGBA).
        num_classes: labels are drawn from ``range(num_classes)``.
        transform: called on each PIL image.
        target_transform: called on each int label.
        random_offset: added to the index to choose the seed.

    Example:
        >>> image, label = FakeData(size=2, image_size=(3, 8, 6))[1]
        >>> image.size, image.mode, 0 <= label < 10
        ((6, 8), 'RGB', True)
    """

    def __init__(
        self,
        size: int = 1000,
        image_size: tuple[int, int, int] = (3, 224, 224),
        num_classes: int = 10,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        random_offset: int = 0,
    ) -> None:
        super().__init__(None, transform=transform, target_transform=target_transform)
        if len(image_size) != 3 or image_size[0] not in (1, 2, 3, 4):
            raise ValueError(
                f"FakeData: image_size must be (C, H, W) with C in 1..4, got {tuple(image_size)}"
            )
        self.size = size
        self.num_classes = num_classes
        self.image_size = tuple(image_size)
        self.random_offset = random_offset

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        index = int(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"{self.__class__.__name__} index out of range")
        rng = np.random.default_rng(index + self.random_offset)
        pixels = rng.integers(0, 256, size=self.image_size, dtype=np.uint8)
        target = int(rng.integers(0, self.num_classes))
        hwc = pixels.transpose(1, 2, 0)
        image = Image.fromarray(hwc[:, :, 0] if hwc.shape[2] == 1 else hwc)
        return self.apply_transforms(image, target)

    def __len__(self) -> int:
        return self.size
