"""The DataLoader worker process: seeding, ``get_worker_info`` and the fetch loop."""

from __future__ import annotations

import os
import queue
import random
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember.utils.data import _shm
from ember.utils.data._fetch import ExceptionWrapper, _DatasetKind, create_fetcher

__all__ = ["WorkerInfo", "get_worker_info"]

# How often an idle worker checks that the main process is still alive.
_POLL_S = 0.5


class WorkerInfo:
    """What a worker knows about itself: ``id``, ``num_workers``, ``seed`` and ``dataset``.

    ``dataset`` is the worker's own copy of the dataset. The attributes are read-only.
    """

    __initialized = False

    def __init__(self, **kwargs: Any) -> None:
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key: str, val: Any) -> None:
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        super().__setattr__(key, val)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The current worker's ``WorkerInfo`` inside a DataLoader worker process, else None.

    Use it in ``IterableDataset.__iter__`` or ``worker_init_fn`` to give each worker its shard.

    Example:
        >>> get_worker_info() is None  # in the main process
        True
    """
    return _worker_info


class _IterableDatasetStopIteration:
    """Sent by a worker whose iterable dataset is exhausted."""

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id


class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch; echoed back once they are ready.

    ``skip`` is the number of items an iterable-dataset worker should drop (when resuming).
    """

    def __init__(self, skip: int = 0) -> None:
        self.skip = skip


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """The 4 x uint32 seed PyTorch gives NumPy's legacy RNG in worker ``worker_id``.

    A port of PyTorch's ``_generate_state`` (itself NumPy's SeedSequence hashing), so a worker
    seeds ``numpy.random`` exactly as a PyTorch worker with the same base seed does.
    """
    mask32 = 0xFFFFFFFF
    xshift = 16
    hash_const = [0x43B0D7E5]

    def hash32(value: int) -> int:
        value = (value ^ hash_const[0]) & mask32
        hash_const[0] = (hash_const[0] * 0x931E8875) & mask32
        value = (value * hash_const[0]) & mask32
        return (value ^ (value >> xshift)) & mask32

    def mix(x: int, y: int) -> int:
        result = ((0xCA01F9DD * x) & mask32) - ((0x4973F715 * y) & mask32)
        result &= mask32
        return (result ^ (result >> xshift)) & mask32

    entropy = [worker_id, base_seed & mask32, base_seed >> 32, 0]
    pool = [hash32(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hash32(pool[i_src]))
    const_b, state = 0x8B51F9DD, []
    for value in pool:
        value = (value ^ const_b) & mask32
        const_b = (const_b * 0x58F38DED) & mask32
        value = (value * const_b) & mask32
        state.append((value ^ (value >> xshift)) & mask32)
    return state


def seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed ember, Python's ``random`` and NumPy's global RNG for one worker; return its seed."""
    seed = base_seed + worker_id
    random.seed(seed)
    ember.manual_seed(seed)
    np.random.seed(_generate_state(base_seed, worker_id))
    return seed


class _Watchdog:
    """Tells a worker whether the process that started it is gone."""

    def __init__(self) -> None:
        self.parent = os.getppid()

    def parent_alive(self) -> bool:
        return os.getppid() == self.parent


def _worker_loop(kind: int, dataset: Any, index_queue: Any, data_queue: Any, done_event: Any,
                 auto_collation: bool, collate_fn: Callable[[Any], Any], drop_last: bool,
                 base_seed: int, init_fn: Callable[[int], None] | None, worker_id: int,
                 num_workers: int, shm_prefix: str, skip: int, keep_segments: int) -> None:
    """Serve ``(idx, indices)`` requests from ``index_queue`` until told to stop (``None``)."""
    try:
        global _worker_info
        seed = seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        state = _LoopState(kind, dataset, auto_collation, collate_fn, drop_last, worker_id,
                           _shm.WorkerSegments(shm_prefix, worker_id, keep_segments))
        try:
            if init_fn is not None:
                init_fn(worker_id)
            state.new_fetcher(skip)
        except Exception:
            state.init_error = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
        _serve(state, index_queue, data_queue, done_event)
    except KeyboardInterrupt:
        pass  # the main process handles the interrupt
    # Exit even if unread batches are still buffered: the main process stopped reading (it
    # shut down or died), and waiting to flush them could block forever.
    data_queue.cancel_join_thread()
    data_queue.close()


class _LoopState:
    """A worker's fetcher and bookkeeping."""

    def __init__(self, kind: int, dataset: Any, auto_collation: bool, collate_fn: Any,
                 drop_last: bool, worker_id: int, segments: _shm.WorkerSegments) -> None:
        self.kind, self.dataset, self.worker_id = kind, dataset, worker_id
        self.args = (auto_collation, collate_fn, drop_last)
        self.segments = segments
        self.fetcher: Any = None
        self.init_error: ExceptionWrapper | None = None
        self.iteration_end = False

    def new_fetcher(self, skip: int) -> None:
        self.iteration_end = False
        self.fetcher = create_fetcher(self.kind, self.dataset, *self.args)
        if self.kind == _DatasetKind.Iterable and skip:
            self.fetcher.skip(skip)

    def resume(self, skip: int) -> None:
        """Start a new epoch (persistent workers); a failure is reported with the next batch."""
        try:
            self.new_fetcher(skip)
        except Exception:
            self.init_error = ExceptionWrapper(
                where=f"in DataLoader worker process {self.worker_id}")

    def handle(self, idx: int, index: Any) -> Any:
        """The message answering request ``idx``."""
        if self.init_error is not None:
            data, self.init_error = self.init_error, None
            self.iteration_end = self.kind == _DatasetKind.Iterable
            return data
        try:
            batch = self.fetcher.fetch(index)
        except Exception as e:
            if isinstance(e, StopIteration) and self.kind == _DatasetKind.Iterable:
                self.iteration_end = True
                return _IterableDatasetStopIteration(self.worker_id)
            return ExceptionWrapper(where=f"in DataLoader worker process {self.worker_id}")
        try:
            return self.segments.pack(batch)
        except Exception:
            return ExceptionWrapper(where=f"in DataLoader worker process {self.worker_id}")


def _serve(state: _LoopState, index_queue: Any, data_queue: Any, done_event: Any) -> None:
    watchdog = _Watchdog()
    while True:
        if not watchdog.parent_alive():
            # Nobody will map what this worker sent but was never received: free it.
            _shm.unlink_leftovers(state.segments.prefix)
            return
        try:
            r = index_queue.get(timeout=_POLL_S)
        except queue.Empty:
            continue
        if r is None:
            state.segments.close()
            return
        if isinstance(r, _ResumeIteration):
            data_queue.put((r, None))
            state.resume(r.skip)
            continue
        idx, index, freed = r
        if freed:
            state.segments.release(freed)
        if done_event.is_set() or state.iteration_end:
            continue  # shutting down, or nothing left to read
        data_queue.put((idx, state.handle(idx, index)))
        del r, index
