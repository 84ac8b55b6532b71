"""``ember.xpu``: Intel GPUs are not supported; the probes programs use answer "no".

Example:
    >>> ember.xpu.is_available()
    False
"""

from __future__ import annotations

__all__ = [
    "is_available",
    "device_count",
    "is_initialized",
    "synchronize",
    "manual_seed",
    "manual_seed_all",
    "empty_cache",
]


def is_available() -> bool:
    """False: ember has no XPU backend."""
    return False


def device_count() -> int:
    """0: no XPU devices."""
    return 0


def is_initialized() -> bool:
    """False: there is nothing to initialise."""
    return False


def synchronize(device: object = None) -> None:
    """No-op without an XPU."""


def manual_seed(seed: int) -> None:
    """No-op without an XPU."""


def manual_seed_all(seed: int) -> None:
    """No-op without an XPU."""


def empty_cache() -> None:
    """No-op without an XPU."""
