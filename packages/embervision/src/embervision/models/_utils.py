"""Helpers shared by the model builders: weights handling and channel rounding."""

from __future__ import annotations

import json
from functools import lru_cache, partial
from importlib import resources
from typing import Any

from ember.hub import Weights, sha256_prefix_from_name
from embervision.models._presets import ImageClassification


def _make_divisible(v: float, divisor: int, min_value: int | None = None) -> int:
    """Round ``v`` to a multiple of ``divisor``, never more than 10% below it (MobileNet rule)."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


@lru_cache(maxsize=1)
def imagenet_categories() -> list[str]:
    """The 1000 ImageNet-1K class names, in torchvision's order."""
    text = resources.files("embervision.models").joinpath("_imagenet_categories.txt").read_text()
    return text.splitlines()


@lru_cache(maxsize=1)
def _torchvision_table() -> dict[str, Any]:
    text = resources.files("embervision.models").joinpath("_torchvision_weights.json").read_text()
    return json.loads(text)


def tv_weights(enum_name: str, member: str) -> Weights:
    """torchvision's published ImageNet weights ``enum_name.member`` (url, meta, preset).

    The file is fetched from torchvision's URL into the hub cache on first use and checked
    against the sha256 prefix in its name, as ``torch.hub`` does.
    """
    entry = _torchvision_table()[enum_name]["members"][member]
    t = entry["transforms"]
    meta = {**entry["meta"], "categories": imagenet_categories()}
    preset = partial(
        ImageClassification,
        crop_size=t["crop_size"],
        resize_size=t["resize_size"],
        interpolation=t["interpolation"],
    )
    return Weights(entry["url"], preset, meta, sha256=sha256_prefix_from_name(entry["url"]))
