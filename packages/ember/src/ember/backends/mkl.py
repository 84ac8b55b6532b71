"""``ember.backends.mkl``: ember's BLAS is NumPy's (OpenBLAS in the wheels), not Intel MKL."""

from __future__ import annotations

__all__ = ["is_available"]


def is_available() -> bool:
    """False: ember does not call MKL itself.

    Example:
        >>> ember.backends.mkl.is_available()
        False
    """
    return False
