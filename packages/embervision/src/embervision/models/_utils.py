"""Helpers shared by the model builders: weights handling and channel rounding."""

from __future__ import annotations

import json
import re
from functools import lru_cache, partial
from importlib import resources
from typing import Any, TypeVar

from ember import nn
from ember.hub import Weights
from embervision.models._presets import ImageClassification

_HASH_IN_NAME = re.compile(r"-([a-f0-9]{6,64})\.")
M = TypeVar("M", bound=nn.Module)


def _make_divisible(v: float, divisor: int, min_value: int | None = None) -> int:
    """Round ``v`` to a multiple of ``divisor``, never more than 10% below it (MobileNet rule)."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _ovewrite_named_param(kwargs: dict[str, Any], param: str, new_value: Any) -> None:
    """Set ``kwargs[param]`` from the weights, refusing a conflicting user value."""
    if param in kwargs and kwargs[param] != new_value:
        raise ValueError(
            f"the weights fix {param}={new_value}, but {param}={kwargs[param]} was given; "
            f"drop {param}= or build without weights and load a state dict yourself"
        )
    kwargs[param] = new_value


def _prepare(weights: Any, kwargs: dict[str, Any]) -> None:
    """Fix ``num_classes`` from the weights' categories (when they list any)."""
    categories = getattr(weights, "meta", {}).get("categories") if weights is not None else None
    if categories:
        _ovewrite_named_param(kwargs, "num_classes", len(categories))


def _load(model: M, weights: Any, progress: bool) -> M:
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model


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
    match = _HASH_IN_NAME.search(entry["url"].rsplit("/", 1)[-1])
    preset = partial(
        ImageClassification,
        crop_size=t["crop_size"],
        resize_size=t["resize_size"],
        interpolation=t["interpolation"],
    )
    return Weights(entry["url"], preset, meta, sha256=match.group(1) if match else None)
