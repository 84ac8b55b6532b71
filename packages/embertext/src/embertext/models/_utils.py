"""Helpers shared by the text model builders: weights handling and config from the weights."""

from __future__ import annotations

from typing import Any, TypeVar

from ember import nn

M = TypeVar("M", bound=nn.Module)


def fix_kwargs(weights: Any, kwargs: dict[str, Any]) -> None:
    """Set the model's configuration from ``weights.meta["config"]``; a conflicting value raises."""
    config = getattr(weights, "meta", {}).get("config") if weights is not None else None
    for name, value in (config or {}).items():
        if name in kwargs and kwargs[name] != value:
            raise ValueError(
                f"the weights fix {name}={value!r}, but {name}={kwargs[name]!r} was given; "
                f"drop {name}= or build without weights and load a state dict yourself"
            )
        kwargs[name] = value


def load_weights(model: M, weights: Any, progress: bool) -> M:
    """Load ``weights`` (a WeightsEnum member or Weights) into ``model``, checking the sha256."""
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model
