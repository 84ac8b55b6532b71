"""CUDA queries and helpers: ``ember.cuda.is_available()`` and friends (CuPy underneath).

Everything here works without a GPU in the sense PyTorch's CPU build does: ``is_available()``
is False, ``device_count()`` is 0, and the calls that need a device raise a RuntimeError that
says how to get one (``pip install 'ember[cuda]'`` on a machine with an NVIDIA GPU).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ember import _dtype, backends
from ember.cuda._streams import Event, Stream, current_stream, default_stream, stream

__all__ = [
    "is_available", "device_count", "current_device", "set_device", "device", "synchronize",
    "manual_seed", "manual_seed_all", "empty_cache", "memory_allocated",
    "max_memory_allocated", "reset_peak_memory_stats", "memory_reserved",
    "get_device_name", "get_device_properties", "get_device_capability", "is_bf16_supported",
    "Stream", "Event", "stream", "current_stream", "default_stream",
]


def _cp() -> ModuleType:
    cp = backends.cupy_module()
    if cp is None:
        raise RuntimeError(
            "CUDA is not available: install ember[cuda] (CuPy) on a machine with an NVIDIA GPU"
        )
    return cp


def _index(dev: Any) -> int:
    if dev is None:
        return current_device()
    if isinstance(dev, int):
        return dev
    d = backends.Device(dev)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return d.index or 0


def is_available() -> bool:
    """True when CuPy is installed (``ember[cuda]``) and a CUDA GPU is visible."""
    return backends.cuda_available()


def device_count() -> int:
    """The number of visible CUDA devices (0 without CuPy or a GPU)."""
    cp = backends.cupy_module()
    return 0 if cp is None else int(cp.cuda.runtime.getDeviceCount())


def current_device() -> int:
    """The ordinal of the current CUDA device."""
    return int(_cp().cuda.Device().id)


def set_device(device: Any) -> None:
    """Make ``device`` (an index, ``"cuda:N"`` or ``ember.device``) the current CUDA device."""
    _cp().cuda.Device(_index(device)).use()


class device:  # noqa: N801 - PyTorch's name
    """Context manager that makes a CUDA device current inside the block.

    Args:
        device: an index, ``"cuda:N"`` or ``ember.device``; None or a negative index is a no-op.
    """

    def __init__(self, device: Any) -> None:
        self.idx = -1 if device is None else _index(device)

    def __enter__(self) -> device:
        if self.idx >= 0:
            self._ctx = _cp().cuda.Device(self.idx)
            self._ctx.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.idx >= 0:
            self._ctx.__exit__(*exc)


def synchronize(device: Any = None) -> None:
    """Wait for all work queued on the device to finish (no-op without a GPU)."""
    cp = backends.cupy_module()
    if cp is not None:
        cp.cuda.Device(_index(device)).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the current CUDA device's default generator (no-op without a GPU, as PyTorch)."""
    from ember import _random

    if is_available():
        _random._gen_for(backends.Device("cuda", current_device()), None).manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    """Seed every CUDA device's default generator."""
    from ember import _random

    for i in range(device_count()):
        _random._gen_for(backends.Device("cuda", i), None).manual_seed(seed)


def empty_cache() -> None:
    """Release cached, unused GPU memory held by CuPy's pool (no-op without a GPU)."""
    cp = backends.cupy_module()
    if cp is not None:
        cp.get_default_memory_pool().free_all_blocks()


def memory_allocated(device: Any = None) -> int:
    """Bytes of GPU memory held by tensors on ``device`` (0 without a GPU)."""
    if not is_available():
        return 0
    return backends.memory_stats(_index(device))["allocated"]


def max_memory_allocated(device: Any = None) -> int:
    """The peak of :func:`memory_allocated` since start or :func:`reset_peak_memory_stats`."""
    if not is_available():
        return 0
    return backends.memory_stats(_index(device))["peak"]


def memory_reserved(device: Any = None) -> int:
    """Bytes held by CuPy's memory pool on ``device``, in use or cached (0 without a GPU)."""
    if not is_available():
        return 0
    with _cp().cuda.Device(_index(device)):
        return int(_cp().get_default_memory_pool().total_bytes())


def reset_peak_memory_stats(device: Any = None) -> None:
    """Start measuring :func:`max_memory_allocated` again from the current usage."""
    if is_available():
        backends.reset_peak_memory(_index(device))


@dataclass(frozen=True)
class _DeviceProperties:
    name: str
    major: int
    minor: int
    total_memory: int
    multi_processor_count: int

    def __repr__(self) -> str:
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, "
                f"minor={self.minor}, total_memory={self.total_memory // (1 << 20)}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device: Any = None) -> _DeviceProperties:
    """Name, compute capability, memory and SM count of a CUDA device."""
    props = _cp().cuda.runtime.getDeviceProperties(_index(device))
    name = props["name"]
    return _DeviceProperties(name.decode() if isinstance(name, bytes) else str(name),
                             int(props["major"]), int(props["minor"]),
                             int(props["totalGlobalMem"]), int(props["multiProcessorCount"]))


def get_device_name(device: Any = None) -> str:
    """The marketing name of a CUDA device, e.g. ``"NVIDIA H100 80GB HBM3"``."""
    return get_device_properties(device).name


def get_device_capability(device: Any = None) -> tuple[int, int]:
    """The compute capability ``(major, minor)`` of a CUDA device."""
    p = get_device_properties(device)
    return p.major, p.minor


def is_bf16_supported() -> bool:
    """Whether ``ember.bfloat16`` tensors work on the current GPU.

    Needs compute capability 8.0 or newer (Ampere) and a CuPy that stores ``ml_dtypes.bfloat16``
    arrays (CuPy added that, as experimental, after 13.x); False without a GPU.

    Example:
        >>> ember.cuda.is_bf16_supported()  # on a machine without a GPU
        False
    """
    if not is_available() or get_device_capability()[0] < 8:
        return False
    try:
        _cp().zeros(1, dtype=_dtype.bfloat16.np)
    except Exception:  # noqa: BLE001 - any refusal means CuPy cannot hold bfloat16
        return False
    return True


def __getattr__(name: str) -> Any:
    # ember.cuda.FloatTensor and friends: the legacy CUDA tensor types, built on first use;
    # ember.cuda.amp: the older spelling of ember.amp.
    if name == "amp":
        import importlib

        return importlib.import_module("ember.cuda.amp")
    from ember._legacy import CUDA_TYPES

    try:
        return CUDA_TYPES[name]
    except KeyError:
        raise AttributeError(f"module 'ember.cuda' has no attribute {name!r}") from None
