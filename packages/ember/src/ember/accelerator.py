"""``ember.accelerator``: which accelerator, if any, this process can use (CUDA via CuPy)."""

from __future__ import annotations

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
    "empty_cache",
    "memory_allocated",
    "max_memory_allocated",
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


current_device_idx = current_device_index


def set_device_index(device: object) -> None:
    """Make ``device`` (an index or ``"cuda:N"``) the current accelerator device."""
    from ember import cuda
    from ember.backends import cupy_module

    if not cuda.is_available():
        raise RuntimeError("No accelerator is available (ember uses CUDA through CuPy)")
    index = device if isinstance(device, int) else Device(device).index or 0
    cupy_module().cuda.Device(index).use()


set_device_idx = set_device_index


def empty_cache() -> None:
    """Release cached accelerator memory (no-op without a GPU)."""
    from ember import cuda

    cuda.empty_cache()


def memory_allocated(device_index: object = None) -> int:
    """Bytes currently held by CuPy's memory pool (0 without a GPU)."""
    from ember.backends import cupy_module

    cp = cupy_module()
    return 0 if cp is None else int(cp.get_default_memory_pool().used_bytes())


def max_memory_allocated(device_index: object = None) -> int:
    """The pool's total bytes, an upper bound of the peak (0 without a GPU)."""
    from ember.backends import cupy_module

    cp = cupy_module()
    return 0 if cp is None else int(cp.get_default_memory_pool().total_bytes())
