"""``ember.accelerator``: which accelerator, if any, this process can use (CUDA via CuPy).

As ``torch.accelerator``: the probes (``is_available``, ``current_accelerator``,
``device_count``) answer on any machine; every other function needs an accelerator and raises
RuntimeError without one, so a program notices instead of reading made-up figures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ember.backends import Device, cuda_available

__all__ = [
    "is_available",
    "current_accelerator",
    "device_count",
    "current_device_index",
    "synchronize",
    "current_device_idx",
    "set_device_index",
    "set_device_idx",
    "device_index",
    "empty_cache",
    "memory_allocated",
    "max_memory_allocated",
    "memory_reserved",
    "max_memory_reserved",
    "memory_stats",
    "reset_peak_memory_stats",
    "get_memory_info",
]


def _cuda() -> Any:
    """``ember.cuda``, or RuntimeError (PyTorch's message) when no accelerator is usable."""
    if not cuda_available():
        raise RuntimeError(
            "Cannot access accelerator device when none is available. (ember's accelerator is "
            "CUDA through CuPy: install ember[cuda] on a machine with an NVIDIA GPU)"
        )
    from ember import cuda

    return cuda


def is_available() -> bool:
    """True when a CUDA device is usable (CuPy installed and a GPU visible).

    Example:
        >>> acc = ember.accelerator
        >>> device = acc.current_accelerator() if acc.is_available() else "cpu"
    """
    return cuda_available()


def current_accelerator(check_available: bool = False) -> Device | None:
    """``device('cuda')`` when a GPU is usable, else None."""
    return Device("cuda") if cuda_available() else None


def device_count() -> int:
    """The number of usable accelerator devices (0 without one)."""
    from ember import cuda

    return cuda.device_count()


def current_device_index() -> int:
    """The current CUDA device ordinal."""
    return _cuda().current_device()


current_device_idx = current_device_index


def set_device_index(device: object) -> None:
    """Make ``device`` (an index or ``"cuda:N"``) the current accelerator device."""
    _cuda().set_device(device)


set_device_idx = set_device_index


@contextlib.contextmanager
def device_index(device: int | None) -> Iterator[None]:
    """Context manager: make ``device`` current inside the block (None: do nothing)."""
    if device is None:
        yield
        return
    previous = current_device_index()
    set_device_index(device)
    try:
        yield
    finally:
        set_device_index(previous)


def synchronize(device: object = None) -> None:
    """Wait for the work queued on the accelerator to finish."""
    _cuda().synchronize(device)


def empty_cache() -> None:
    """Release the cached, unused accelerator memory of CuPy's pool."""
    _cuda().empty_cache()


def memory_allocated(device_index: object = None) -> int:
    """Bytes of accelerator memory held by tensors."""
    return _cuda().memory_allocated(device_index)


def max_memory_allocated(device_index: object = None) -> int:
    """The peak of :func:`memory_allocated` since start or :func:`reset_peak_memory_stats`."""
    return _cuda().max_memory_allocated(device_index)


def memory_reserved(device_index: object = None) -> int:
    """Bytes held by CuPy's memory pool, in use or cached."""
    return _cuda().memory_reserved(device_index)


def max_memory_reserved(device_index: object = None) -> int:
    """CuPy's pool keeps no peak of its size: its current size, a lower bound of the peak."""
    return _cuda().memory_reserved(device_index)


def memory_stats(device_index: object = None) -> dict[str, int]:
    """The allocator figures under PyTorch's key names (``allocated_bytes.all.current``, ...)."""
    cuda = _cuda()
    return {
        "allocated_bytes.all.current": cuda.memory_allocated(device_index),
        "allocated_bytes.all.peak": cuda.max_memory_allocated(device_index),
        "reserved_bytes.all.current": cuda.memory_reserved(device_index),
    }


def reset_peak_memory_stats(device_index: object = None) -> None:
    """Start measuring :func:`max_memory_allocated` again from the current usage."""
    _cuda().reset_peak_memory_stats(device_index)


def get_memory_info(device_index: object = None) -> tuple[int, int]:
    """``(free, total)`` bytes of the device, as ``cudaMemGetInfo`` reports them."""
    _cuda()
    from ember.backends import cupy_module

    free, total = cupy_module().cuda.runtime.memGetInfo()
    return int(free), int(total)
