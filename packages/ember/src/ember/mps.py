"""``ember.mps``: Apple's Metal backend is not supported; the probes programs use answer "no".

Example:
    >>> ember.mps.device_count()
    0
"""

from __future__ import annotations

from ember.xpu import empty_cache, manual_seed, synchronize

__all__ = ["is_available", "device_count", "synchronize", "manual_seed", "empty_cache"]


def is_available() -> bool:
    """False: ember has no Metal backend."""
    return False


def device_count() -> int:
    """0: no Metal devices."""
    return 0


_ = (empty_cache, manual_seed, synchronize)
