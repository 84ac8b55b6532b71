"""The ``Transform`` base class: structure flattening, target selection and random helpers.

A transform is called with one input or several (``t(img)``, ``t(img, boxes, mask)``,
``t({"image": img, "boxes": boxes, "label": 3})``). The containers are flattened; random
parameters are drawn once from the images, boxes and masks found, and the same parameters are
applied to each of them, so boxes and masks move with the image. Other values pass through.
As in torchvision, every PIL image is transformed, but only the first plain tensor or array
(and only when no PIL image is present) is taken to be the image.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember import Tensor, nn
from embervision.transforms._meta import BoundingBoxes, Mask, get_dimensions, is_pil


def flatten(sample: Any) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """Leaves of nested tuples/lists/dicts, and a function that rebuilds the structure."""
    if isinstance(sample, (tuple, list)) and not isinstance(sample, BoundingBoxes):
        parts = [flatten(s) for s in sample]
        return _join(parts, lambda items: type(sample)(items))
    if isinstance(sample, dict):
        keys = list(sample)
        parts = [flatten(sample[k]) for k in keys]
        return _join(parts, lambda items: type(sample)(zip(keys, items)))
    return [sample], lambda leaves: leaves[0]


def _join(parts: list[Any], make: Callable[[list[Any]], Any]) -> tuple[list[Any], Any]:
    leaves: list[Any] = []
    counts = []
    for lv, _ in parts:
        leaves.extend(lv)
        counts.append(len(lv))

    def rebuild(new: list[Any]) -> Any:
        items, pos = [], 0
        for (_, fn), n in zip(parts, counts):
            items.append(fn(new[pos : pos + n]))
            pos += n
        return make(items)

    return leaves, rebuild


def _is_array_image(x: Any) -> bool:
    plain = isinstance(x, Tensor) and not isinstance(x, (BoundingBoxes, Mask))
    return plain or isinstance(x, np.ndarray)


def select_targets(leaves: list[Any]) -> list[bool]:
    """Which leaves a transform changes (see the module docstring)."""
    has_pil = any(is_pil(x) for x in leaves)
    chosen = False
    out = []
    for x in leaves:
        hit = is_pil(x) or isinstance(x, (BoundingBoxes, Mask))
        if not hit and not has_pil and not chosen and _is_array_image(x):
            hit = chosen = True
        out.append(hit)
    return out


def is_image(x: Any) -> bool:
    return is_pil(x) or _is_array_image(x)


def query_chw(flat: list[Any]) -> list[int]:
    """``[C, H, W]`` of the first image among the targets."""
    for x in flat:
        if is_image(x):
            return get_dimensions(x)
    raise TypeError("no image found in the sample; pass a PIL image, an array or a tensor")


def query_size(flat: list[Any]) -> list[int]:
    """``[H, W]`` of the first image, mask or boxes among the targets."""
    for x in flat:
        if is_image(x) or isinstance(x, Mask):
            return get_dimensions(x)[1:]
        if isinstance(x, BoundingBoxes):
            return list(x.canvas_size)
    raise TypeError("no image, mask or bounding boxes found in the sample")


def uniform(lo: float, hi: float) -> float:
    """A float in ``[lo, hi)`` from ember's default generator."""
    return float(lo) + (float(hi) - float(lo)) * float(ember.rand(1).item())


def randint(lo: int, hi: int) -> int:
    """An int in ``[lo, hi)`` from ember's default generator."""
    return int(ember.randint(int(lo), int(hi), (1,)).item())


def log_uniform(lo: float, hi: float) -> float:
    return math.exp(uniform(math.log(lo), math.log(hi)))


class Transform(nn.Module):
    """Base class: override ``make_params`` (random draws) and ``transform`` (one input).

    Example:
        >>> class Scale(Transform):
        ...     def transform(self, inpt, params):
        ...         return inpt * 2
        >>> Scale()(ember.ones(1)).tolist()
        [2.0]
    """

    def forward(self, *inputs: Any) -> Any:
        sample = inputs if len(inputs) > 1 else inputs[0]
        leaves, rebuild = flatten(sample)
        targets = select_targets(leaves)
        flat = [x for x, t in zip(leaves, targets) if t]
        if not self.needs_transform(flat):
            return sample
        params = self.make_params(flat)
        return rebuild([self.transform(x, params) if t else x for x, t in zip(leaves, targets)])

    def needs_transform(self, flat: list[Any]) -> bool:
        return True

    def make_params(self, flat: list[Any]) -> dict[str, Any]:
        """Draw the random parameters shared by every input of one call."""
        return {}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        """Apply the transform to one image, boxes or mask."""
        raise NotImplementedError

    def extra_repr(self) -> str:
        skip = {"training"}
        items = [
            f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_") and k not in skip
        ]
        return ", ".join(items)


class RandomTransform(Transform):
    """A transform applied with probability ``p`` (one draw per call)."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p should be a probability in [0, 1], got {p}")
        self.p = p

    def needs_transform(self, flat: list[Any]) -> bool:
        return not (self.p < 1.0 and float(ember.rand(1).item()) >= self.p)
