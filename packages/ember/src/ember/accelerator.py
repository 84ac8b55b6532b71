"""``ember.accelerator``: which accelerator, if any, this process can use (CUDA via CuPy)."""

from __future__ import annotations

from ember.backends import Device, cuda_available

__all__ = [
    "is_available",
    "current_accelerator",
    "device_count",
    "current_device_index",
    "synchronize",
]


def is_available() -> bool:
    """True when a CUDA device is usable (CuPy installed and a GPU visible)."""
    return cuda_available()


def current_accelerator(check_available: bool = False) -> Device | None:
    """``device('cuda')`` when a GPU is usable, else None."""
    return Device("cuda") if cuda_available() else None


def device_count() -> int:
    """The number of usable accelerator devices."""
    from ember import cuda

    return cuda.device_count()


def current_device_index() -> int:
    """The current CUDA device ordinal (RuntimeError without one)."""
    from ember import cuda

    return cuda.current_device()


def synchronize(device: object = None) -> None:
    """Wait for queued GPU work to finish (no-op without a GPU)."""
    from ember import cuda

    cuda.synchronize()
