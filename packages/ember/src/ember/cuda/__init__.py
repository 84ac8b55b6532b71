"""CUDA queries and helpers: ``ember.cuda.is_available()`` and friends (CuPy underneath)."""

from __future__ import annotations

from ember.backends import cuda_available, cupy_module

__all__ = [
    "is_available",
    "device_count",
    "current_device",
    "synchronize",
    "manual_seed",
    "manual_seed_all",
    "empty_cache",
]


def is_available() -> bool:
    """True when CuPy is installed (``ember[cuda]``) and a CUDA GPU is visible."""
    return cuda_available()


def device_count() -> int:
    """The number of visible CUDA devices (0 without CuPy or a GPU)."""
    cp = cupy_module()
    return 0 if cp is None else int(cp.cuda.runtime.getDeviceCount())


def current_device() -> int:
    """The ordinal of the current CUDA device."""
    cp = cupy_module()
    if cp is None:
        raise RuntimeError("CUDA is not available: install ember[cuda] on a machine with a GPU")
    return int(cp.cuda.Device().id)


def synchronize(device: int | None = None) -> None:
    """Wait for all work queued on the device to finish."""
    cp = cupy_module()
    if cp is not None:
        cp.cuda.Device(device or 0).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the current CUDA device's default generator."""
    from ember import _random
    from ember.backends import Device

    if is_available():
        _random._gen_for(Device("cuda", current_device()), None).manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    """Seed every CUDA device's default generator."""
    from ember import _random
    from ember.backends import Device

    for i in range(device_count()):
        _random._gen_for(Device("cuda", i), None).manual_seed(seed)


def empty_cache() -> None:
    """Release cached, unused GPU memory held by CuPy's pool."""
    cp = cupy_module()
    if cp is not None:
        cp.get_default_memory_pool().free_all_blocks()


def __getattr__(name: str) -> type:
    # ember.cuda.FloatTensor and friends: the legacy CUDA tensor types, built on first use.
    from ember._legacy import CUDA_TYPES

    try:
        return CUDA_TYPES[name]
    except KeyError:
        raise AttributeError(f"module 'ember.cuda' has no attribute {name!r}") from None
