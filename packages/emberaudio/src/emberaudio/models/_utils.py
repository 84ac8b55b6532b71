"""Helpers shared by the audio model builders: weights handling."""

from __future__ import annotations

from typing import Any, TypeVar

from ember import nn

M = TypeVar("M", bound=nn.Module)


def _prepare(weights: Any, kwargs: dict[str, Any], param: str = "num_classes") -> None:
    """Fix ``num_classes`` from the weights' categories, refusing a conflicting user value."""
    categories = getattr(weights, "meta", {}).get("categories") if weights is not None else None
    if not categories:
        return
    if param in kwargs and kwargs[param] != len(categories):
        raise ValueError(
            f"the weights fix {param}={len(categories)}, but {param}={kwargs[param]} was "
            f"given; drop {param}= or build without weights and load a state dict yourself"
        )
    kwargs[param] = len(categories)


def _load(model: M, weights: Any, progress: bool) -> M:
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model
