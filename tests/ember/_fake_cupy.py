"""A NumPy-backed stand-in for CuPy, so the CUDA device plumbing runs in CI without a GPU.

Arrays on the simulated GPU are ``DeviceArray``, a NumPy subclass that carries a ``device``
(as CuPy arrays do) and refuses to turn into a host array implicitly: ``np.asarray`` on one
raises, as ``numpy.asarray(cupy_array)`` does, so a kernel that calls NumPy directly on a GPU
array, or mixes host and device arrays, fails here as it would on a GPU. ``get()`` copies back
to the host. Every NumPy function reached through this module returns device arrays.

Used only by the test suite (``tests/conftest.py``'s ``device`` fixture); never shipped.
"""

from __future__ import annotations

import contextlib
import functools
import types
from typing import Any

import numpy as np

N_DEVICES = 2


class _DeviceId:
    def __init__(self, index: int) -> None:
        self.id = index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DeviceId) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)


class _MemPtr:
    """CuPy's ``MemoryPointer``: a device buffer plus a byte offset (``ptr`` is the address)."""

    def __init__(self, owner: np.ndarray, offset: int = 0) -> None:
        self.owner, self.offset = owner, offset

    @property
    def ptr(self) -> int:
        return int(self.owner.__array_interface__["data"][0]) + self.offset

    def __add__(self, n: int) -> _MemPtr:
        return _MemPtr(self.owner, self.offset + int(n))


class DeviceArray(np.ndarray):
    """An array "on the GPU": NumPy storage, CuPy's surface."""

    # What ember reads to tell a backend's arrays apart (``register_kernel(name, "cupy")``
    # kernels, index handling) says "cupy", as it does for CuPy's own ndarray.
    __module__ = "cupy"

    _dev: int = 0

    def __new__(cls, shape: Any, dtype: Any = float, memptr: _MemPtr | None = None,
                strides: Any = None, order: str = "C") -> DeviceArray:
        if memptr is None:
            return np.ndarray.__new__(cls, shape, dtype, strides=strides, order=order)
        base = memptr.owner.view(np.ndarray)
        out = np.ndarray.__new__(cls, shape, dtype, buffer=base, offset=memptr.offset,
                                 strides=strides)
        out._dev = getattr(memptr.owner, "_dev", _current[0])
        return out

    @property
    def data(self) -> _MemPtr:  # type: ignore[override]
        """A ``MemoryPointer`` to the first element, as CuPy's ``ndarray.data``."""
        return _MemPtr(self)

    def __array_finalize__(self, obj: Any) -> None:
        self._dev = getattr(obj, "_dev", _current[0])

    @property
    def device(self) -> _DeviceId:
        return _DeviceId(self._dev)

    def get(self, stream: Any = None) -> np.ndarray:
        """A host copy (CuPy's ``ndarray.get``)."""
        return np.array(self.view(np.ndarray), copy=True)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        _no_host_arrays(inputs, ufunc.__name__)
        raw = tuple(i.view(np.ndarray) if isinstance(i, DeviceArray) else i for i in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) for o in kwargs["out"])
        out = getattr(ufunc, method)(*raw, **kwargs)
        return _to_device(out, self._dev)

    def __array_function__(self, func: Any, types_: Any, args: Any, kwargs: Any) -> Any:
        return _call(func, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. Please use `.get()` to "
            "construct a NumPy array explicitly."
        )

    def __reduce__(self) -> Any:  # pickling goes through the host, as in CuPy
        return (_from_host, (self.get(), self._dev))


def _from_host(arr: np.ndarray, dev: int) -> DeviceArray:
    out = np.array(arr).view(DeviceArray)
    out._dev = dev
    return out


_current = [0]


def _no_host_arrays(items: Any, what: str) -> None:
    for item in items:
        if type(item) is np.ndarray and item.ndim > 0:
            raise TypeError(
                f"{what}: Unsupported type <class 'numpy.ndarray'> (a host array mixed with "
                "device arrays)"
            )
        if isinstance(item, (list, tuple)):
            _no_host_arrays(item, what)


def _unwrap(obj: Any) -> Any:
    if isinstance(obj, DeviceArray):
        return obj.view(np.ndarray)
    if isinstance(obj, (list, tuple)):
        return type(obj)(_unwrap(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _unwrap(v) for k, v in obj.items()}
    return obj


def _to_device(obj: Any, dev: int | None = None) -> Any:
    dev = _current[0] if dev is None else dev
    if isinstance(obj, np.generic):  # CuPy reductions give 0-d device arrays, not scalars
        obj = np.asarray(obj)
    if type(obj) is np.ndarray:
        out = obj.view(DeviceArray)
        out._dev = dev
        return out
    if isinstance(obj, tuple):
        return (
            type(obj)(*(_to_device(o, dev) for o in obj))
            if hasattr(obj, "_fields")
            else tuple(_to_device(o, dev) for o in obj)
        )
    if isinstance(obj, list):
        return [_to_device(o, dev) for o in obj]
    return obj


def _call(func: Any, args: Any, kwargs: Any) -> Any:
    _no_host_arrays(args, getattr(func, "__name__", "op"))
    return _to_device(func(*_unwrap(args), **_unwrap(kwargs)))


class _Namespace(types.ModuleType):
    """Every callable of ``source`` returns device arrays."""

    def __init__(self, name: str, source: Any) -> None:
        super().__init__(name)
        self._source = source

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._source, name)
        if isinstance(value, types.ModuleType):
            sub = _Namespace(f"{self.__name__}.{name}", value)
            setattr(self, name, sub)
            return sub
        if isinstance(value, np.ufunc):
            wrapped = _Ufunc(value)
            setattr(self, name, wrapped)
            return wrapped
        if callable(value) and not isinstance(value, type):
            wrapped = functools.wraps(value)(lambda *a, _f=value, **k: _call(_f, a, k))
            setattr(self, name, wrapped)
            return wrapped
        return value


class _Ufunc:
    """A ufunc whose call and methods (``at``, ``reduce``, ``accumulate``, ...) stay on device."""

    def __init__(self, ufunc: np.ufunc) -> None:
        self._ufunc = ufunc
        self.__name__ = ufunc.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _call(self._ufunc, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._ufunc, name)
        if not callable(value):
            return value
        if name == "at":  # in place on the first argument
            def at(a: Any, *rest: Any) -> None:
                _no_host_arrays(rest, f"{self.__name__}.at")
                value(_unwrap(a), *_unwrap(rest))
            return at
        return lambda *a, **k: _call(value, a, k)


class _Device:
    def __init__(self, index: int | None = None) -> None:
        self.id = _current[0] if index is None else int(index)
        if not 0 <= self.id < N_DEVICES:
            raise RuntimeError(f"cudaErrorInvalidDevice: invalid device ordinal {self.id}")
        self._prev: list[int] = []

    def use(self) -> None:
        _current[0] = self.id

    def synchronize(self) -> None:
        pass

    def __enter__(self) -> _Device:
        self._prev.append(_current[0])
        _current[0] = self.id
        return self

    def __exit__(self, *exc: Any) -> None:
        _current[0] = self._prev.pop()


class _Pool:
    def used_bytes(self) -> int:
        return 0

    def total_bytes(self) -> int:
        return 0

    def free_all_blocks(self) -> None:
        pass


_pinned: list[tuple[int, int]] = []  # (address, size) of the simulated pinned buffers


def _alloc_pinned(nbytes: int) -> Any:
    buf = np.empty(nbytes, dtype=np.uint8)
    _pinned.append((buf.ctypes.data, nbytes))
    _keep.append(buf)
    return memoryview(buf)


_keep: list[np.ndarray] = []


def _pointer_attributes(ptr: int) -> Any:
    pinned = any(start <= ptr < start + size for start, size in _pinned)
    return types.SimpleNamespace(type=1 if pinned else 0)


class _Stream:
    null: _Stream

    def __init__(self, non_blocking: bool = False, priority: int = 0) -> None:
        self.ptr = id(self)
        self.done = True

    def synchronize(self) -> None:
        pass

    def wait_event(self, event: Any) -> None:
        pass

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


_Stream.null = _Stream()


class _Generator:
    """CuPy's ``default_rng``: NumPy's generator, results on the device."""

    def __init__(self, seed: Any = None) -> None:
        self._rng = np.random.default_rng(seed)

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self._rng, name)
        return lambda *a, **k: _to_device(fn(*_unwrap(a), **_unwrap(k)))


def _asarray(obj: Any, dtype: Any = None, order: Any = None, *, blocking: bool = True) -> Any:
    if isinstance(obj, DeviceArray):
        out = obj if dtype is None else obj.astype(dtype, copy=False)
        if out._dev != _current[0]:
            out = _to_device(out.view(np.ndarray).copy())
        return out
    return _to_device(np.array(_unwrap(obj), dtype=dtype, order=order or "K", copy=True))


def build() -> types.ModuleType:
    """A fresh fake ``cupy`` module."""
    mod = _Namespace("fakecupy", np)
    mod.ndarray = DeviceArray
    mod.asarray = _asarray
    mod.array = lambda obj, dtype=None, copy=True, order="K", **k: _asarray(obj, dtype, order)
    mod.asnumpy = lambda a, stream=None: a.get() if isinstance(a, DeviceArray) else np.asarray(a)
    mod.get_array_module = lambda *args: mod
    mod.get_default_memory_pool = lambda: _Pool()
    mod.random = types.SimpleNamespace(default_rng=_Generator)
    cuda = types.SimpleNamespace(
        Device=_Device,
        runtime=types.SimpleNamespace(
            getDeviceCount=lambda: N_DEVICES,
            pointerGetAttributes=_pointer_attributes,
            getDeviceProperties=lambda i: {
                "name": b"Simulated GPU",
                "major": 9,
                "minor": 0,
                "totalGlobalMem": 1 << 34,
                "multiProcessorCount": 132,
            },
        ),
        Stream=_Stream,
        Event=lambda block=False, disable_timing=False: types.SimpleNamespace(
            record=lambda stream=None: None, synchronize=lambda: None, done=True
        ),
        get_current_stream=lambda: _Stream.null,
        get_elapsed_time=lambda a, b: 0.0,
        set_allocator=lambda fn=None: None,
        alloc_pinned_memory=_alloc_pinned,
    )
    mod.cuda = cuda
    return mod


@contextlib.contextmanager
def installed() -> Any:
    """Serve ember's ``cuda`` devices from a fresh fake CuPy inside the block."""
    from ember import backends

    backends._use_test_cuda_module(build())
    try:
        yield
    finally:
        backends._use_test_cuda_module(None)
