"""Process-based parallelism with shared tensors, as ``torch.multiprocessing``.

The standard library's API (``Process``, ``Queue``, ``Pool``, ``set_start_method``...) is
re-exported.
``Tensor.share_memory_()`` moves a tensor's data into a named shared-memory block; such a tensor
pickles as a handle to that block, so a child process (forked or spawned) sees the same memory and
in-place updates (Hogwild-style training) are visible to every process.
"""

from __future__ import annotations

import multiprocessing as _mp
import weakref
from collections.abc import Callable
from multiprocessing import (  # noqa: F401 - re-exported API
    Array,
    Barrier,
    Condition,
    Event,
    JoinableQueue,
    Lock,
    Manager,
    Pipe,
    Pool,
    Process,
    Queue,
    RLock,
    Semaphore,
    SimpleQueue,
    Value,
    active_children,
    cpu_count,
    current_process,
    get_all_start_methods,
    get_context,
    get_start_method,
    set_start_method,
    shared_memory,
)
from typing import Any

import numpy as np

__all__ = [
    "Process",
    "Queue",
    "SimpleQueue",
    "JoinableQueue",
    "Pool",
    "Pipe",
    "Lock",
    "RLock",
    "Event",
    "Semaphore",
    "Condition",
    "Barrier",
    "Manager",
    "Value",
    "Array",
    "get_context",
    "set_start_method",
    "get_start_method",
    "get_all_start_methods",
    "cpu_count",
    "current_process",
    "active_children",
    "spawn",
    "ProcessContext",
    "ProcessRaisedException",
    "ProcessExitedException",
]

# Shared blocks this process created or attached, by the address of their first byte.
_blocks: dict[int, shared_memory.SharedMemory] = {}


def _root(arr: np.ndarray) -> Any:
    while isinstance(getattr(arr, "base", None), np.ndarray):
        arr = arr.base
    return arr


def _block_of(arr: np.ndarray) -> shared_memory.SharedMemory | None:
    if not isinstance(arr, np.ndarray) or not _blocks:
        return None
    addr = arr.__array_interface__["data"][0]
    for start, shm in _blocks.items():
        if start <= addr < start + shm.size:
            return shm
    return None


def _share_array(arr: Any) -> Any:
    """A copy of ``arr`` in a new shared-memory block (``arr`` itself if already shared)."""
    if not isinstance(arr, np.ndarray):
        raise RuntimeError("share_memory_() is only supported for CPU tensors")
    if _block_of(arr) is not None:
        return arr
    shm = shared_memory.SharedMemory(create=True, size=max(arr.nbytes, 1))
    out = np.ndarray(arr.shape, dtype=arr.dtype, buffer=shm.buf)
    out[...] = arr
    start = out.__array_interface__["data"][0]
    _blocks[start] = shm
    owner = _mp.current_process().pid
    weakref.finalize(shm, _release, shm.name, owner)
    return out


def _release(name: str, owner: int | None) -> None:
    try:
        block = shared_memory.SharedMemory(name=name)
        block.close()
        if _mp.current_process().pid == owner:
            block.unlink()
    except FileNotFoundError:
        pass


def _attach(name: str, shape: tuple[int, ...], dtype: str, offset: int, strides: Any) -> Any:
    shm = _open_untracked(name)
    start = np.frombuffer(shm.buf, dtype=np.uint8).__array_interface__["data"][0]
    _blocks.setdefault(start, shm)
    return np.ndarray(shape, dtype=np.dtype(dtype), buffer=shm.buf, offset=offset, strides=strides)


def _open_untracked(name: str) -> shared_memory.SharedMemory:
    """Attach a block without letting this process's resource tracker unlink it at exit."""
    try:
        return shared_memory.SharedMemory(name=name, track=False)  # Python >= 3.13
    except TypeError:
        from multiprocessing import resource_tracker

        shm = shared_memory.SharedMemory(name=name)
        resource_tracker.unregister(shm._name, "shared_memory")  # type: ignore[attr-defined]
        return shm


def shared_handle(arr: Any) -> tuple[Any, ...] | None:
    """``(name, shape, dtype, offset, strides)`` for an array in a shared block, else None."""
    shm = _block_of(arr)
    if shm is None:
        return None
    start = np.frombuffer(shm.buf, dtype=np.uint8).__array_interface__["data"][0]
    offset = arr.__array_interface__["data"][0] - start
    return (shm.name, arr.shape, arr.dtype.str, offset, arr.strides)


def rebuild_shared(handle: tuple[Any, ...], requires_grad: bool) -> Any:
    """The tensor a shared handle describes, attached in this process."""
    from ember._tensor import _wrap

    t = _wrap(_attach(*handle))
    if requires_grad:
        t._requires_grad = True
    return t


class ProcessRaisedException(Exception):
    """A process started by ``spawn`` raised; the message carries its traceback."""


class ProcessExitedException(Exception):
    """A process started by ``spawn`` exited with a non-zero code."""


class ProcessContext:
    """The processes started by ``spawn(..., join=False)``; ``join()`` waits and re-raises."""

    def __init__(self, processes: list[Any], queue: Any) -> None:
        self.processes = processes
        self._queue = queue

    def pids(self) -> list[int]:
        """The processes' ids."""
        return [p.pid for p in self.processes]

    def join(self, timeout: float | None = None) -> bool:
        """Wait for all processes; raise if one failed. True when all have finished."""
        for p in self.processes:
            p.join(timeout)
        while not self._queue.empty():
            rank, tb = self._queue.get()
            raise ProcessRaisedException(f"process {rank} terminated with an exception:\n{tb}")
        for rank, p in enumerate(self.processes):
            if p.exitcode not in (0, None):
                raise ProcessExitedException(
                    f"process {rank} terminated with exit code {p.exitcode}"
                )
        return all(not p.is_alive() for p in self.processes)


def _wrap_fn(fn: Callable[..., Any], rank: int, args: tuple[Any, ...], queue: Any) -> None:
    import traceback

    try:
        fn(rank, *args)
    except BaseException:  # noqa: BLE001 - reported to the parent
        queue.put((rank, traceback.format_exc()))
        raise SystemExit(1) from None


def spawn(
    fn: Callable[..., Any],
    args: tuple[Any, ...] = (),
    nprocs: int = 1,
    join: bool = True,
    daemon: bool = False,
    start_method: str = "spawn",
) -> ProcessContext | None:
    """Start ``nprocs`` processes running ``fn(rank, *args)``, as ``torch.multiprocessing.spawn``.

    Args:
        fn: a picklable function taking the process rank first.
        args: further arguments.
        nprocs: number of processes.
        join: wait for them (and re-raise a failure) before returning.
        daemon: start them as daemons.
        start_method: ``"spawn"``, ``"fork"`` or ``"forkserver"``.

    Returns:
        None when ``join``, else a ``ProcessContext``.
    """
    ctx = get_context(start_method)
    queue = ctx.SimpleQueue()
    procs = []
    for rank in range(nprocs):
        p = ctx.Process(target=_wrap_fn, args=(fn, rank, args, queue), daemon=daemon)
        p.start()
        procs.append(p)
    context = ProcessContext(procs, queue)
    if not join:
        return context
    context.join()
    return None
