"""``ember.backends.mps``: Apple's Metal backend is not supported by ember."""

from __future__ import annotations

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """False: ember has no Metal backend."""
    return False


def is_built() -> bool:
    """False: ember has no Metal backend."""
    return False
