"""Small helpers of the loop: moving batches, their size, random states, limits."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import numpy as np

import ember


def move_to(batch: Any, device: ember.device) -> Any:
    """``batch`` with every tensor inside (tuples, lists, dicts) moved to ``device``."""
    if isinstance(batch, ember.Tensor):
        return batch if batch.device == device else batch.to(device)
    if isinstance(batch, Mapping):
        return type(batch)({k: move_to(v, device) for k, v in batch.items()})
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):  # a namedtuple
        return type(batch)(*(move_to(v, device) for v in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(move_to(v, device) for v in batch)
    return batch


def batch_size(batch: Any) -> int:
    """The length of the first tensor with a batch dimension in ``batch`` (1 when none)."""
    if isinstance(batch, ember.Tensor):
        return int(batch.shape[0]) if batch.ndim else 1
    items = batch.values() if isinstance(batch, Mapping) else batch
    if isinstance(items, (list, tuple)) or isinstance(batch, Mapping):
        for item in items:
            if isinstance(item, (ember.Tensor, list, tuple, Mapping)):
                return batch_size(item)
    return 1


def to_float(value: Any, name: str) -> float:
    """A logged value as a Python float (a one-element tensor, a NumPy scalar or a number)."""
    if isinstance(value, ember.Tensor):
        if value.numel() != 1:
            raise ValueError(
                f"self.log({name!r}, ...) needs one number, got a tensor of shape "
                f"{tuple(value.shape)}; reduce it first (for example .mean())"
            )
        return float(value.detach().item())
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"self.log({name!r}, ...) needs a number, a one-element tensor or an "
            f"embertrain.metrics.Metric, got {type(value).__name__}"
        ) from None


def rng_states() -> dict[str, Any]:
    """The states of ember's CPU generator, Python's ``random`` and NumPy's global generator."""
    return {
        "ember": ember.get_rng_state(),
        "python": random.getstate(),
        "numpy": np.random.get_state(),
    }


def set_rng_states(states: dict[str, Any]) -> None:
    """Restore what ``rng_states`` returned."""
    ember.set_rng_state(states["ember"])
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))
    np.random.set_state(tuple(states["numpy"]))


def limit_batches(limit: int | float, length: int | None, what: str) -> int | None:
    """How many batches a ``limit_*_batches`` value allows (None: as many as there are).

    An int is a count, a float a fraction of ``length``.
    """
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        raise ValueError(
            f"limit_{what}_batches must be a count (int) or a fraction (float "
            f"in [0, 1]), got {limit!r}"
        )
    if isinstance(limit, int):
        return limit
    if limit > 1.0:
        raise ValueError(
            f"limit_{what}_batches={limit} is a float above 1.0; pass an int for "
            "a number of batches"
        )
    if length is None:
        if limit == 1.0:
            return None
        raise ValueError(
            f"limit_{what}_batches={limit} is a fraction, but the {what} "
            "dataloader has no length; pass an int"
        )
    return int(length * limit)


def loader_length(loader: Any) -> int | None:
    """``len(loader)``, or None for a loader without one."""
    try:
        return len(loader)
    except TypeError:
        return None


def seed_everything(seed: int) -> int:
    """Seed ember's generators, Python's ``random`` and NumPy's global generator.

    Args:
        seed: the seed.

    Returns:
        The seed.

    Example:
        >>> seed_everything(7)
        7
    """
    ember.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    return seed
