"""Moving batches from workers to the main process through POSIX shared memory.

A worker copies every array of a collated batch into one ``multiprocessing.shared_memory``
segment and sends only the batch's skeleton (shapes, dtypes, offsets) through the queue; the main
process maps the segment, builds arrays that view it, and unlinks its name at once. The mapping
lives as long as those arrays do, so the data is copied once and never pickled.
"""

from __future__ import annotations

import glob
import os
import sys
from multiprocessing import resource_tracker, shared_memory
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap

_ALIGN = 64
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
    """A batch whose arrays live in shared memory segment ``name``."""

    __slots__ = ("tree", "name", "layout")

    def __init__(self, tree: Any, name: str, layout: list[tuple[int, tuple[int, ...], str]]):
        self.tree = tree
        self.name = name
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


def _layout(arrays: list[np.ndarray]) -> tuple[list[tuple[int, tuple[int, ...], str]], int]:
    layout, offset = [], 0
    for a in arrays:
        layout.append((offset, a.shape, a.dtype.str))
        offset += (a.nbytes + _ALIGN - 1) // _ALIGN * _ALIGN
    return layout, offset


def pack(obj: Any, name: str) -> Any:
    """``obj`` with its arrays moved into a new segment called ``name`` (small batches as is)."""
    arrays: list[np.ndarray] = []
    tree = _strip(obj, arrays)
    if sum(a.nbytes for a in arrays) < MIN_SHARED_BYTES:
        return obj
    layout, size = _layout(arrays)
    shm = shared_memory.SharedMemory(name=name, create=True, size=size, **_TRACK_KW)
    if not _TRACK_KW:
        # The main process owns the segment from here on; the worker's tracker must not unlink it.
        resource_tracker.unregister(shm._name, "shared_memory")  # type: ignore[attr-defined]
    try:
        for a, (off, shape, dt) in zip(arrays, layout):
            np.ndarray(shape, dtype=dt, buffer=shm.buf, offset=off)[...] = a
    except BaseException:
        shm.close()
        _unlink_name(name)
        raise
    shm.close()
    return Packed(tree, name, layout)


class _Attached(shared_memory.SharedMemory):
    """A mapped segment that stays mapped while any array views it (no close on collection)."""

    def __del__(self) -> None:
        pass


def unpack(msg: Any) -> Any:
    """Rebuild a ``pack``-ed batch as arrays viewing the segment, and unlink the segment's name."""
    if type(msg) is not Packed:
        return msg
    shm = _Attached(name=msg.name, **_TRACK_KW)
    try:
        arrays = [np.ndarray(shape, dtype=dt, buffer=shm.buf, offset=off)
                  for off, shape, dt in msg.layout]
    finally:
        _release_name(shm)
    return _fill(msg.tree, arrays)


def _release_name(shm: shared_memory.SharedMemory) -> None:
    fd = getattr(shm, "_fd", -1)
    if fd >= 0:
        os.close(fd)
        shm._fd = -1  # type: ignore[attr-defined]
    if _TRACK_KW:
        _unlink_name(shm.name)
    else:
        shm.unlink()  # also tells the resource tracker we are done with it


def discard(msg: Any) -> None:
    """Free the segment of a batch that will never be used."""
    if type(msg) is Packed:
        _unlink_name(msg.name)


def _unlink_name(name: str) -> None:
    try:
        path = f"/dev/shm/{name}"
        if os.path.exists(path):
            os.unlink(path)
        elif not os.path.isdir("/dev/shm"):
            shared_memory.SharedMemory(name=name, **_TRACK_KW).unlink()
    except (FileNotFoundError, OSError):
        pass


def unlink_leftovers(prefix: str) -> int:
    """Unlink segments named ``prefix*`` that were created but never received (Linux only)."""
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
