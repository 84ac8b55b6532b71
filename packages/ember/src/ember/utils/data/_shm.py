"""Moving batches from workers to the main process through POSIX shared memory.

A worker copies every array of a collated batch into one ``multiprocessing.shared_memory``
segment and sends only the batch's skeleton (shapes, dtypes, offsets) through the queue; the main
process maps the segment and builds arrays that view it, so the data is copied once and never
pickled. When the main process has dropped every array of a batch, the segment's name goes back to
its worker (with the worker's next request) and is reused: allocating and faulting in fresh
shared pages costs more than the copy itself.
"""

from __future__ import annotations

import glob
import os
import sys
import weakref
from collections.abc import Callable
from multiprocessing import resource_tracker, shared_memory
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap

_ALIGN = 64
# Segment sizes are rounded up to this, so batches of slightly different sizes share segments.
_GRANULE = 64 * 1024
# Below this a batch goes through the queue's pickle: a segment costs a few system calls.
MIN_SHARED_BYTES = 16 * 1024
_TRACK_KW = {"track": False} if sys.version_info >= (3, 13) else {}


class _Ref:
    """Stands for array ``i`` of the segment inside a batch's skeleton."""

    __slots__ = ("i", "tensor")

    def __init__(self, i: int, tensor: bool) -> None:
        self.i = i
        self.tensor = tensor


class Packed:
    """A batch whose arrays live in shared memory segment ``name`` of worker ``wid``."""

    __slots__ = ("tree", "name", "wid", "layout")

    def __init__(self, tree: Any, name: str, wid: int,
                 layout: list[tuple[int, tuple[int, ...], np.dtype]]) -> None:
        self.tree = tree
        self.name = name
        self.wid = wid
        self.layout = layout


def _strip(obj: Any, arrays: list[np.ndarray]) -> Any:
    """Replace each NumPy array (or tensor over one) in ``obj`` by a ``_Ref``."""
    if type(obj) is Tensor and type(obj._data) is np.ndarray and not obj._requires_grad:
        if obj._data.dtype.hasobject:
            return obj
        arrays.append(obj._data)
        return _Ref(len(arrays) - 1, True)
    if type(obj) is np.ndarray and not obj.dtype.hasobject:
        arrays.append(obj)
        return _Ref(len(arrays) - 1, False)
    if type(obj) is list:
        return [_strip(x, arrays) for x in obj]
    if type(obj) is dict:
        return {k: _strip(v, arrays) for k, v in obj.items()}
    if type(obj) is tuple:
        return tuple(_strip(x, arrays) for x in obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_strip(x, arrays) for x in obj))
    return obj


def _fill(tree: Any, arrays: list[np.ndarray]) -> Any:
    if type(tree) is _Ref:
        arr = arrays[tree.i]
        return _wrap(arr) if tree.tensor else arr
    if type(tree) is list:
        return [_fill(x, arrays) for x in tree]
    if type(tree) is dict:
        return {k: _fill(v, arrays) for k, v in tree.items()}
    if type(tree) is tuple:
        return tuple(_fill(x, arrays) for x in tree)
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):
        return type(tree)(*(_fill(x, arrays) for x in tree))
    return tree


def _layout(arrays: list[np.ndarray]) -> tuple[list[tuple[int, tuple[int, ...], np.dtype]], int]:
    layout, offset = [], 0
    for a in arrays:
        layout.append((offset, a.shape, a.dtype))
        offset += (a.nbytes + _ALIGN - 1) // _ALIGN * _ALIGN
    return layout, offset


class WorkerSegments:
    """A worker's segments: it writes batches into them and reuses those the main process freed.

    Args:
        prefix: the worker's segment-name prefix (unique to the loader iterator and worker).
        wid: the worker id.
        keep: how many freed segments to keep for reuse; more are unlinked.
    """

    def __init__(self, prefix: str, wid: int, keep: int) -> None:
        self.prefix, self.wid, self.keep = prefix, wid, keep
        self.mapped: dict[str, shared_memory.SharedMemory] = {}
        self.free: list[str] = []
        self.count = 0

    def release(self, names: list[str]) -> None:
        """The main process no longer uses these segments."""
        self.free.extend(n for n in names if n in self.mapped)
        while len(self.free) > self.keep:
            self._destroy(self.free.pop(0))

    def _destroy(self, name: str) -> None:
        self.mapped.pop(name).close()
        _unlink_name(name)

    def _acquire(self, size: int) -> shared_memory.SharedMemory:
        for i, name in enumerate(self.free):
            if size <= self.mapped[name].size <= 2 * size + _GRANULE:
                return self.mapped[self.free.pop(i)]
        self.count += 1
        name = f"{self.prefix}{self.count}"
        shm = _create(name, -(-size // _GRANULE) * _GRANULE)
        self.mapped[name] = shm
        return shm

    def pack(self, obj: Any) -> Any:
        """``obj`` with its arrays copied into a segment (small batches are returned as is)."""
        arrays: list[np.ndarray] = []
        tree = _strip(obj, arrays)
        if sum(a.nbytes for a in arrays) < MIN_SHARED_BYTES:
            return obj
        layout, size = _layout(arrays)
        shm = self._acquire(size)
        try:
            for a, (off, shape, dt) in zip(arrays, layout):
                np.ndarray(shape, dtype=dt, buffer=shm.buf, offset=off)[...] = a
        except BaseException:
            self._destroy(shm.name)
            raise
        return Packed(tree, shm.name, self.wid, layout)

    def close(self) -> None:
        """Unmap everything (the main process or the leftover sweep unlinks the names)."""
        for shm in self.mapped.values():
            shm.close()
        self.mapped.clear()


def _create(name: str, size: int) -> shared_memory.SharedMemory:
    shm = shared_memory.SharedMemory(name=name, create=True, size=size, **_TRACK_KW)
    if not _TRACK_KW:
        # The worker's resource tracker must not unlink segments the main process still maps.
        resource_tracker.unregister(shm._name, "shared_memory")  # type: ignore[attr-defined]
    fd = getattr(shm, "_fd", -1)
    if fd >= 0 and hasattr(os, "posix_fallocate"):
        try:
            # Reserve the pages now: a full /dev/shm then raises ENOSPC here, not SIGBUS later.
            os.posix_fallocate(fd, 0, size)
        except OSError as e:
            shm.close()
            _unlink_name(name)
            raise OSError(e.errno, f"could not allocate {size} bytes of shared memory for a "
                                   f"DataLoader batch ({e.strerror}); /dev/shm may be too small "
                                   "(raise its size, or use smaller batches or fewer workers)"
                          ) from None
    return shm


class _Attached(shared_memory.SharedMemory):
    """A mapped segment that stays mapped while any array views it (no close on collection)."""

    def __del__(self) -> None:
        pass


def unpack(msg: Any, on_free: Callable[[int, str], None] | None = None) -> Any:
    """Rebuild a packed batch as arrays viewing its segment.

    ``on_free(wid, name)`` is called once every array of the batch has been collected; the
    segment can then be reused.
    """
    if type(msg) is not Packed:
        return msg
    shm = _Attached(name=msg.name, **_TRACK_KW)
    _close_fd(shm)
    holder = np.frombuffer(shm.buf, dtype=np.uint8)
    arrays = [holder[off:off + dt.itemsize * _count(shape)].view(dt).reshape(shape)
              for off, shape, dt in msg.layout]
    if on_free is not None:
        weakref.finalize(holder, on_free, msg.wid, msg.name)
    return _fill(msg.tree, arrays)


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _close_fd(shm: shared_memory.SharedMemory) -> None:
    """Keep only the mapping, and tell our resource tracker the name is not ours to clean."""
    fd = getattr(shm, "_fd", -1)
    if fd >= 0:
        os.close(fd)
        shm._fd = -1  # type: ignore[attr-defined]
    if not _TRACK_KW:
        resource_tracker.unregister(shm._name, "shared_memory")  # type: ignore[attr-defined]


def _unlink_name(name: str) -> None:
    try:
        if os.path.isdir("/dev/shm"):
            os.unlink(f"/dev/shm/{name}")
        else:
            shared_memory.SharedMemory(name=name, **_TRACK_KW).unlink()
    except OSError:
        pass


def unlink_leftovers(prefix: str) -> int:
    """Unlink every segment named ``prefix*`` (Linux); mappings still in use stay valid."""
    paths = glob.glob(f"/dev/shm/{glob.escape(prefix)}*")
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass
    return len(paths)


def ensure_tracker() -> None:
    """Start the resource tracker before forking, so workers share it (not one each)."""
    if not _TRACK_KW:
        resource_tracker.ensure_running()
