"""Devices and array modules: the only place in ember that imports CuPy.

Every kernel is written once against ``xp``, the array module of the device its inputs live on:
``numpy`` for ``cpu``, ``cupy`` for ``cuda:N``, and a data-less stand-in for ``meta``
(:mod:`ember.backends.meta`). CuPy is imported lazily, the first time a CUDA
device is asked for, so ``import ember`` never touches a GPU.
"""

from __future__ import annotations

import contextlib
import functools
import types
from typing import Any

import numpy as np

from ember.backends import meta as _meta

__all__ = [
    "Device", "device", "get_xp", "device_of", "to_device", "cupy_module", "cuda_available",
    "memory_stats", "reset_peak_memory", "device_scope", "pinned_copy", "is_pinned",
    "device_guard",
]


class Device:
    """Where a tensor's memory lives: ``Device("cpu")``, ``Device("cuda", 0)``, or
    ``Device("meta")`` (shapes and dtypes only, no data: see :mod:`ember.backends.meta`).

    Args:
        type: ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"meta"``; a ``Device`` is returned as is.
        index: the GPU ordinal for ``"cuda"`` (default 0).

    Example:
        >>> ember.device("cuda:1")
        device(type='cuda', index=1)
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None
    _cache: dict[tuple[str, int | None], Device] = {}

    def __new__(cls, type: str | Device = "cpu", index: int | None = None) -> Device:  # noqa: A002
        if isinstance(type, Device):
            return type
        if not isinstance(type, str):
            raise TypeError(f"device() expected a string like 'cpu' or 'cuda:0', got {type!r}")
        kind, _, num = type.partition(":")
        if num:
            if index is not None:
                raise ValueError(f"device string {type!r} already has an index; got index={index}")
            if not num.isdigit():
                raise RuntimeError(f"Invalid device string: {type!r}")
            index = int(num)
        if kind not in ("cpu", "cuda", "meta"):
            raise RuntimeError(
                f"Expected one of cpu, cuda, meta device type at start of device string: {type!r}"
            )
        key = (kind, index)
        dev = cls._cache.get(key)
        if dev is None:
            dev = object.__new__(cls)
            object.__setattr__(dev, "type", kind)
            object.__setattr__(dev, "index", index)
            cls._cache[key] = dev
        return dev

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ember.device is immutable")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = Device(other)
            except (RuntimeError, ValueError):
                return False
        if not isinstance(other, Device):
            return NotImplemented
        return self.type == other.type and _norm_index(self) == _norm_index(other)

    def __hash__(self) -> int:
        return hash((self.type, _norm_index(self)))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Device, (str(self),))


def _norm_index(d: Device) -> int | None:
    return (d.index or 0) if d.type == "cuda" else None


device = Device
CPU = Device("cpu")
META = Device("meta")


_cuda_override: types.ModuleType | None = None


def cupy_module() -> types.ModuleType | None:
    """CuPy, imported on first use; None when it or a working GPU is missing."""
    if _cuda_override is not None:
        return _cuda_override
    return _import_cupy()


@functools.cache
def _import_cupy() -> types.ModuleType | None:
    try:
        import cupy  # noqa: PLC0415 - deliberately lazy

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        _track_memory(cupy)
        _install_guard(cupy)
        return cupy
    except Exception:  # noqa: BLE001 - any failure means "no usable GPU"
        return None


def _use_test_cuda_module(module: types.ModuleType | None) -> None:
    """Serve ``cuda`` devices from ``module`` instead of CuPy (None restores CuPy).

    For ember's own test suite only: a NumPy-backed stand-in with CuPy's interface lets CI,
    which has no GPU, exercise the device plumbing (transfers, propagation, mismatch errors).
    It is never offered as a device to users.
    """
    global _cuda_override
    _cuda_override = module
    _install_guard(module if module is not None else _import_cupy())


def _install_guard(cp: types.ModuleType | None) -> None:
    """Switch the per-op device guard on when more than one GPU is visible (off otherwise)."""
    from ember.ops.registry import DISPATCH  # noqa: PLC0415 - registry imports nothing back

    many = cp is not None and int(cp.cuda.runtime.getDeviceCount()) > 1
    DISPATCH.guard = _GUARD[0] = device_guard if many else None


def device_guard(args: Any) -> Any:
    """The ``with`` context that makes the GPU of an op's tensors current, or None.

    Every primitive asks this first when more than one GPU is visible: an op on tensors on
    ``cuda:1`` runs with device 1 current, as PyTorch's device guard does, so CuPy allocates
    its result and launches its kernels there whatever ``ember.cuda.current_device()`` says.
    The first GPU array among ``args`` (Tensors or arrays) decides; arrays of two GPUs are
    refused here with PyTorch's error naming both (CuPy may not refuse them: with peer access
    it reads the other GPU's memory), a GPU array beside a host one later by the op itself.
    None when that device is current already or no GPU array is given.
    """
    first = -1
    for a in args:
        arr = getattr(a, "_data", a)
        if type(arr) is np.ndarray:
            continue
        dev = getattr(arr, "device", None)
        if dev is None or not hasattr(dev, "id"):
            continue
        if first < 0:
            first = int(dev.id)
        elif int(dev.id) != first:
            raise RuntimeError(
                "Expected all tensors to be on the same device, but found at least two devices, "
                f"cuda:{first} and cuda:{int(dev.id)}! Move them with .to(device) first."
            )
    if first < 0:
        return None
    cp = cupy_module()
    if cp is None or int(cp.cuda.Device().id) == first:
        return None
    return cp.cuda.Device(first)


_peak: dict[int, int] = {}


def _track_memory(cp: types.ModuleType) -> None:
    """Route CuPy's allocations through its pool while keeping each device's peak usage."""
    pool = cp.get_default_memory_pool()

    def malloc(size: int) -> Any:
        mem = pool.malloc(size)
        dev = int(mem.device_id)
        used = int(pool.used_bytes())
        if used > _peak.get(dev, 0):
            _peak[dev] = used
        return mem

    cp.cuda.set_allocator(malloc)


def memory_stats(index: int) -> dict[str, int]:
    """Bytes in use by arrays on GPU ``index`` and their peak since the last reset."""
    cp = cupy_module()
    if cp is None:
        return {"allocated": 0, "peak": 0}
    with cp.cuda.Device(index):
        used = int(cp.get_default_memory_pool().used_bytes())
    return {"allocated": used, "peak": max(used, _peak.get(index, 0))}


def reset_peak_memory(index: int) -> None:
    """Restart the peak of GPU ``index`` from its current usage."""
    _peak[index] = memory_stats(index)["allocated"]


def cuda_available() -> bool:
    """True when CuPy imports and at least one CUDA device is visible."""
    return cupy_module() is not None


def get_xp(arr: object) -> Any:
    """The array module (``numpy`` or ``cupy``) that owns ``arr``.

    With several GPUs visible, for an array on a GPU that is not the current one, CuPy wrapped
    so that each of its functions runs with that GPU current (see :func:`device_guard`).
    """
    if type(arr) is np.ndarray:
        return np
    if type(arr) is _meta.MetaArray:
        return _meta.META_XP
    cp = cupy_module()
    if cp is not None and isinstance(arr, cp.ndarray):
        return cp if _GUARD[0] is None else _xp_on(cp, arr)
    return np


_GUARD: list[Any] = [None]  # device_guard while several GPUs are visible (set with DISPATCH's)


class _OnDevice:
    """CuPy (or one of its submodules and ufuncs) calling every function with one GPU current.

    What :func:`get_xp` hands back for an array on a GPU that is not the current one, when
    several are visible: kernel bodies that call ``xp.argsort(x)`` outside a primitive then
    run, and allocate, on ``x``'s GPU, as the primitives' device guard does for theirs.
    """

    def __init__(self, target: Any, index: int) -> None:
        self._target, self._index = target, index

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        plain = not callable(value) and not isinstance(value, types.ModuleType)
        if plain or isinstance(value, type):
            return value  # dtypes, classes (isinstance checks), constants
        wrapped = _OnDevice(value, self._index)
        setattr(self, name, wrapped)
        return wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with cupy_module().cuda.Device(self._index):
            return self._target(*args, **kwargs)


_ON_DEVICE: dict[tuple[int, int], _OnDevice] = {}


def _xp_on(cp: types.ModuleType, arr: Any) -> Any:
    index = int(arr.device.id)
    if index == int(cp.cuda.Device().id):
        return cp
    key = (id(cp), index)
    found = _ON_DEVICE.get(key)
    if found is None or found._target is not cp:
        found = _ON_DEVICE[key] = _OnDevice(cp, index)
    return found


def device_of(arr: object) -> Device:
    """The device an array lives on."""
    if type(arr) is np.ndarray:
        return CPU
    if type(arr) is _meta.MetaArray:
        return META
    dev = getattr(arr, "device", None)
    if dev is not None and hasattr(dev, "id"):
        return Device("cuda", int(dev.id))
    return CPU


def xp_for(dev: Device) -> types.ModuleType:
    """The array module that serves ``dev``; RuntimeError when CUDA is asked for but missing."""
    if dev.type == "cpu":
        return np
    if dev.type == "meta":
        return _meta.META_XP
    cp = cupy_module()
    if cp is None:
        raise RuntimeError(
            f"device {dev} requested but CUDA is not available: install ember[cuda] (CuPy) on a "
            "machine with an NVIDIA GPU, or use device='cpu'"
        )
    return cp


def device_scope(dev: Device) -> Any:
    """A context in which new arrays are allocated on ``dev`` (the GPU ordinal for CUDA)."""
    if dev.type != "cuda":
        return contextlib.nullcontext()
    return xp_for(dev).cuda.Device(dev.index or 0)


def pinned_copy(arr: np.ndarray) -> np.ndarray:
    """A copy of host array ``arr`` in page-locked (pinned) memory, for fast GPU transfers."""
    cp = cupy_module()
    if cp is None:
        raise RuntimeError("Cannot access accelerator device when none is available.")
    mem = cp.cuda.alloc_pinned_memory(max(arr.nbytes, 1))
    out = np.frombuffer(mem, dtype=arr.dtype, count=arr.size).reshape(arr.shape)
    out[...] = arr
    return out


def is_pinned(arr: Any) -> bool:
    """Whether host array ``arr`` lives in pinned memory (False without CUDA)."""
    if type(arr) is not np.ndarray or arr.size == 0:
        return False
    cp = cupy_module()
    if cp is None:
        return False
    try:
        attrs = cp.cuda.runtime.pointerGetAttributes(arr.ctypes.data)
    except Exception:  # noqa: BLE001 - pageable memory unknown to the driver
        return False
    return int(getattr(attrs, "type", 0)) == 1  # cudaMemoryTypeHost


def to_device(arr: Any, dev: Device, *, copy: bool = False) -> Any:
    """Move ``arr`` to ``dev`` (a no-op, unless ``copy``, when it is already there)."""
    src = device_of(arr)
    if src == dev:
        return arr.copy() if copy else arr
    if dev.type == "meta":
        return _meta.to_meta(arr)
    if src.type == "meta":
        return _meta.from_meta(arr)
    if dev.type == "cpu":
        return arr.get()
    cp = xp_for(dev)
    with cp.cuda.Device(dev.index or 0):
        return cp.asarray(arr)
