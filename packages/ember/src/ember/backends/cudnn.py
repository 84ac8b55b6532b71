"""``ember.backends.cudnn`` flags: ember does not use cuDNN; they are kept for compatibility."""

from __future__ import annotations

__all__ = ["enabled", "benchmark", "deterministic", "allow_tf32", "is_available", "version"]

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: ember's GPU kernels come from CuPy, not cuDNN."""
    return False


def version() -> None:
    """None: no cuDNN is linked."""
    return None
