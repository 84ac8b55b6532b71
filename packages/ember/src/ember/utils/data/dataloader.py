"""``DataLoader``: batches from a dataset, in the main process or in parallel worker processes."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import multiprocessing.context
import os
import queue
import signal
import time
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

import ember
from ember._random import Generator
from ember.utils.data import _shm
from ember.utils.data._fetch import ExceptionWrapper, _DatasetKind, create_fetcher
from ember.utils.data._worker import _IterableDatasetStopIteration, _ResumeIteration, _worker_loop
from ember.utils.data.collate import default_collate, default_convert
from ember.utils.data.dataset import Dataset
from ember.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    _draw_seed,
)

__all__ = ["DataLoader"]

T_co = TypeVar("T_co", covariant=True)

# How often the main process checks its workers while it waits for a batch.
_STATUS_CHECK_S = 0.1
# How long a worker may take to exit on shutdown before it is terminated.
_JOIN_TIMEOUT_S = 5.0
_iterator_ids = itertools.count()


class _InfiniteConstantSampler(Sampler[None]):
    """Yields None forever: the 'index' stream of an iterable dataset."""

    def __iter__(self) -> Iterator[None]:
        return itertools.repeat(None)


class DataLoader(Generic[T_co]):
    """Iterate over a dataset in batches, optionally loading them in parallel worker processes.

    Follows ``torch.utils.data.DataLoader``: map-style datasets are read in the order of
    ``sampler`` (or ``batch_sampler``), iterable datasets in their own order; ``collate_fn``
    builds each batch. With ``num_workers > 0`` each batch is loaded by one of that many worker
    processes; batches still come back in sampler order (unless ``in_order=False``), arrays
    travel through shared memory, a worker's exception is re-raised here with its traceback, and
    a worker that dies raises ``RuntimeError`` instead of hanging.

    Args:
        dataset: a map-style ``Dataset`` (or any object with ``__getitem__``/``__len__``) or an
            ``IterableDataset``.
        batch_size: samples per batch; None disables automatic batching.
        shuffle: reshuffle the indices every epoch (a ``RandomSampler``).
        sampler: the index order (exclusive with ``shuffle``).
        batch_sampler: yields lists of indices (exclusive with ``batch_size``, ``shuffle``,
            ``sampler`` and ``drop_last``).
        num_workers: worker processes; 0 loads in the main process.
        collate_fn: merges a list of samples into a batch (``default_collate`` by default,
            ``default_convert`` without batching).
        pin_memory: copy each batch's tensors into pinned host memory (with CUDA), so that
            ``.to("cuda")`` copies them faster; a warning and no effect without CUDA.
        drop_last: drop the last, incomplete batch.
        timeout: seconds to wait for a batch from the workers before ``RuntimeError``; 0 waits
            forever (a dead worker is still detected).
        worker_init_fn: called with the worker id in each worker after seeding.
        multiprocessing_context: a start method name (``"fork"``, ``"spawn"``,
            ``"forkserver"``) or context; the platform default when None.
        generator: the random stream for the sampler's shuffle and the workers' base seed.
        prefetch_factor: batches loaded ahead per worker (2 when workers are used).
        persistent_workers: keep the workers alive between epochs.
        pin_memory_device: accepted for compatibility.
        in_order: return batches in sampler order; False returns them as soon as they are ready.

    Example:
        >>> ds = TensorDataset(ember.arange(10.0))
        >>> [b[0].shape for b in DataLoader(ds, batch_size=4)]
        [ember.Size([4]), ember.Size([4]), ember.Size([2])]
    """

    __initialized = False

    def __init__(self, dataset: Dataset[T_co] | Any, batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable | None = None,
                 batch_sampler: Sampler[list] | Iterable[list] | None = None,
                 num_workers: int = 0, collate_fn: Callable[[Any], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        _check_workers_args(num_workers, timeout, prefetch_factor, persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self._dataset_kind = _DatasetKind.of(dataset)
        if self._dataset_kind == _DatasetKind.Iterable:
            _check_iterable_args(shuffle, sampler, batch_sampler)
        sampler, batch_sampler, batch_size, drop_last = _resolve_samplers(
            dataset, self._dataset_kind, batch_size, shuffle, sampler, batch_sampler, drop_last,
            generator,
        )
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        if pin_memory and not ember.cuda.is_available():
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=2)
        self.__initialized = True
        self._iterator: _BaseDataLoaderIter | None = None
        self._last_iter: Any = None
        self._pending_state: dict[str, Any] | None = None

    @property
    def multiprocessing_context(self) -> Any:
        """The multiprocessing context the workers are started with (None: platform default)."""
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, ctx: Any) -> None:
        self.__multiprocessing_context = _resolve_context(ctx, self.num_workers)

    def __setattr__(self, attr: str, val: Any) -> None:
        if self.__initialized and attr in (
            "batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
            "persistent_workers",
        ):
            raise ValueError(
                f"{attr} attribute should not be set after {self.__class__.__name__} is "
                "initialized"
            )
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def _get_iterator(self, resume: dict[str, Any] | None) -> _BaseDataLoaderIter:
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self, resume)
        return _MultiProcessingDataLoaderIter(self, resume)

    def __iter__(self) -> _BaseDataLoaderIter:
        resume, self._pending_state = self._pending_state, None
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator(resume)
            else:
                self._iterator._reset(self, resume)
            it = self._iterator
        else:
            it = self._get_iterator(resume)
        self._last_iter = weakref.ref(it)
        return it

    def __len__(self) -> int:
        if self._dataset_kind == _DatasetKind.Iterable:
            length = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                if self.drop_last:
                    return length // self.batch_size
                return -(-length // self.batch_size)
            return length
        return len(self._index_sampler)

    def state_dict(self) -> dict[str, Any]:
        """The position of the current (most recent) iteration, for ``load_state_dict``.

        Returns:
            A dict of plain values (and a uint8 tensor for a generator's state); an empty dict
            when no iteration is in progress.

        Example:
            >>> loader = DataLoader(range(6), batch_size=2)
            >>> it = iter(loader); _ = next(it)
            >>> loader.state_dict()["num_yielded"]
            1
        """
        it = self._last_iter() if self._last_iter is not None else None
        return {} if it is None else it.state_dict()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Make the next ``iter(loader)`` resume where ``state_dict`` was saved.

        The resumed iteration yields exactly the batches that the saved one had not yet
        returned (the sampler replays its pass and skips what was delivered).

        Args:
            state_dict: a dict from ``state_dict()`` (or an iterator's ``state_dict()``).
        """
        self._pending_state = dict(state_dict) if state_dict else None


def _check_workers_args(num_workers: int, timeout: float, prefetch_factor: int | None,
                        persistent_workers: bool) -> None:
    if num_workers < 0:
        raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                         "disable multiprocessing.")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                         "let num_workers > 0 to enable multiprocessing, otherwise set "
                         "prefetch_factor to None.")
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")


def _check_iterable_args(shuffle: Any, sampler: Any, batch_sampler: Any) -> None:
    if shuffle not in (False, None):
        raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle option, "
                         f"but got shuffle={shuffle}")
    if sampler is not None:
        raise ValueError("DataLoader with IterableDataset: expected unspecified sampler option, "
                         f"but got sampler={sampler}")
    if batch_sampler is not None:
        raise ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler "
                         f"option, but got batch_sampler={batch_sampler}")


def _resolve_samplers(dataset: Any, kind: int, batch_size: int | None, shuffle: bool | None,
                      sampler: Any, batch_sampler: Any, drop_last: bool,
                      generator: Generator | None) -> tuple[Any, Any, int | None, bool]:
    """PyTorch's defaults and exclusivity rules for sampler, batch_sampler, batch_size."""
    shuffle = bool(shuffle)
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                             "shuffle, sampler, and drop_last")
        batch_size, drop_last = None, False
    elif batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually "
                         "exclusive with drop_last")
    if sampler is None:
        if kind == _DatasetKind.Iterable:
            sampler = _InfiniteConstantSampler()
        elif shuffle:
            sampler = RandomSampler(dataset, generator=generator)
        else:
            sampler = SequentialSampler(dataset)
    if batch_size is not None and batch_sampler is None:
        batch_sampler = BatchSampler(sampler, batch_size, drop_last)
    return sampler, batch_sampler, batch_size, drop_last


def _resolve_context(ctx: Any, num_workers: int) -> Any:
    if ctx is None:
        return None
    if num_workers <= 0:
        raise ValueError("multiprocessing_context can only be used with multi-process loading "
                         f"(num_workers > 0), but got num_workers={num_workers}")
    if isinstance(ctx, str):
        valid = multiprocessing.get_all_start_methods()
        if ctx not in valid:
            raise ValueError("multiprocessing_context option should specify a valid start "
                             f"method in {valid!r}, but got multiprocessing_context={ctx!r}")
        return multiprocessing.get_context(ctx)
    if not isinstance(ctx, multiprocessing.context.BaseContext):
        raise TypeError("multiprocessing_context option should be a valid context object or a "
                        f"string specifying the start method, but got "
                        f"multiprocessing_context={ctx}")
    return ctx


class _BaseDataLoaderIter:
    """What both iterators share: the sampler pass, counting and the saved position."""

    def __init__(self, loader: DataLoader, resume: dict[str, Any] | None) -> None:
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._batch_size = loader.batch_size
        self._collate_fn = loader.collate_fn
        self._num_workers = loader.num_workers
        self._timeout = loader.timeout
        self._persistent_workers = loader.persistent_workers
        self._in_order = loader.in_order
        self._pin = loader.pin_memory and ember.cuda.is_available()
        self._len = _safe_len(loader)
        if resume and "base_seed" in resume:
            self._base_seed = int(resume["base_seed"])
        else:
            self._base_seed = _draw_seed(loader.generator)
        self._finished = False

    def _start_pass(self, resume: dict[str, Any] | None) -> None:
        """Begin an epoch's index stream, resumed from ``resume`` when given."""
        sampler = self._index_sampler
        stateful = hasattr(sampler, "state_dict") and hasattr(sampler, "load_state_dict")
        done = int(resume.get("num_yielded", 0)) if resume else 0
        if resume and stateful and resume.get("index_sampler") is not None:
            sampler.load_state_dict(resume["index_sampler"])
        self._sampler_iter = iter(sampler)
        self._sampler_start = sampler.state_dict() if stateful else None
        if resume and done and self._dataset_kind == _DatasetKind.Map and (
                not stateful or resume.get("index_sampler") is None):
            for _ in islice(self._sampler_iter, done):
                pass  # a sampler without state: replay it and skip what was delivered
        self._num_yielded = done
        self._finished = False

    def _next_index(self) -> Any:
        return next(self._sampler_iter)

    def _items_per_batch(self) -> int:
        return self._batch_size if self._auto_collation and self._batch_size else 1

    def __iter__(self) -> _BaseDataLoaderIter:
        return self

    def __next__(self) -> Any:
        try:
            data = self._next_data()
        except StopIteration:
            self._finished = True
            raise
        self._num_yielded += 1
        if self._pin:
            data = _pin(data)
        return data

    def __len__(self) -> int:
        if self._len is None:
            raise TypeError(f"object of type '{type(self._dataset).__name__}' has no len()")
        return self._len

    def state_dict(self) -> dict[str, Any]:
        """Where this iteration stands; pass it to ``DataLoader.load_state_dict`` to resume."""
        if self._finished:
            return {}
        sampler_state = None
        if self._sampler_start is not None:
            sampler_state = dict(self._sampler_start, yielded=self._num_yielded)
        return {"num_yielded": self._num_yielded, "base_seed": self._base_seed,
                "index_sampler": sampler_state, **self._extra_state()}

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _next_data(self) -> Any:
        raise NotImplementedError


def _pin(data: Any) -> Any:
    """``data`` with every CPU tensor in it copied to pinned memory (containers rebuilt)."""
    if isinstance(data, ember.Tensor):
        return data.pin_memory() if data.device.type == "cpu" else data
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(_pin(d) for d in data))
    if isinstance(data, (list, tuple)):
        return type(data)(_pin(d) for d in data)
    if isinstance(data, dict):
        return {k: _pin(v) for k, v in data.items()}
    return data


def _safe_len(loader: DataLoader) -> int | None:
    try:
        return len(loader)
    except TypeError:
        return None  # an iterable dataset without __len__


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    """Loads every batch in the calling process."""

    def __init__(self, loader: DataLoader, resume: dict[str, Any] | None) -> None:
        super().__init__(loader, resume)
        self._start_pass(resume)
        self._fetcher = create_fetcher(self._dataset_kind, self._dataset, self._auto_collation,
                                       self._collate_fn, self._drop_last)
        if self._dataset_kind == _DatasetKind.Iterable and self._num_yielded:
            self._fetcher.skip(self._num_yielded * self._items_per_batch())

    def _next_data(self) -> Any:
        index = self._next_index()
        return self._fetcher.fetch(index)


class _WorkerPool:
    """The worker processes and queues of one iterator, and their clean shutdown.

    Kept apart from the iterator so a ``weakref.finalize`` can shut it down when the iterator is
    collected or the interpreter exits, without keeping the iterator alive.
    """

    def __init__(self, ctx: Any, prefix: str) -> None:
        self.prefix = prefix
        self.data_queue = ctx.Queue()
        self.done_event = ctx.Event()
        self.index_queues: list[Any] = []
        self.workers: list[Any] = []
        self.closed = False

    def shutdown(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.done_event.set()
            for q, w in zip(self.index_queues, self.workers):
                if w.is_alive():
                    q.put(None)
            deadline = time.monotonic() + _JOIN_TIMEOUT_S
            for w in self.workers:
                w.join(timeout=max(0.0, deadline - time.monotonic()))
        finally:
            for w in self.workers:
                if w.is_alive():
                    w.terminate()
                    w.join()
            for q in [*self.index_queues, self.data_queue]:
                q.cancel_join_thread()
                q.close()
            _shm.unlink_leftovers(self.prefix)


def _segment_freed(freed: list[list[str]], wid: int, name: str) -> None:
    freed[wid].append(name)


def _dead_worker_message(worker_id: int, proc: Any) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        how = f"killed by signal {-code} ({name})"
    else:
        how = f"exit code {code}"
    hint = ("If it ran out of memory, try fewer workers or a smaller batch_size."
            if code != -signal.SIGBUS else
            "SIGBUS usually means shared memory (/dev/shm) is full; make it larger.")
    return f"DataLoader worker {worker_id} (pid {proc.pid}) exited unexpectedly ({how}). {hint}"


def _start_error(exc: BaseException, method: str) -> BaseException:
    msg = (f"DataLoader could not start a worker with the {method!r} start method: {exc}. With "
           "'spawn' or 'forkserver' the dataset, collate_fn and worker_init_fn are pickled and "
           "sent to each worker, so they must be picklable (defined at module top level, not "
           "lambdas or local classes).")
    try:
        return type(exc)(msg)
    except Exception:
        return RuntimeError(msg)


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Loads batches in ``num_workers`` worker processes, returning them in sampler order."""

    def __init__(self, loader: DataLoader, resume: dict[str, Any] | None) -> None:
        super().__init__(loader, resume)
        self._prefetch_factor = loader.prefetch_factor or 0
        ctx = loader.multiprocessing_context or multiprocessing.get_context()
        self._pool = _WorkerPool(ctx, f"emb{os.getpid():x}_{next(_iterator_ids)}_")
        self._finalizer = weakref.finalize(self, self._pool.shutdown)
        skips = self._worker_skips(resume)
        # Segments whose batches the program has dropped, per worker, to send back for reuse.
        # The callback holds only these lists, so live batches do not keep the iterator alive.
        self._freed: list[list[str]] = [[] for _ in range(self._num_workers)]
        self._on_free = functools.partial(_segment_freed, self._freed)
        _shm.ensure_tracker()
        for wid in range(self._num_workers):
            self._start_worker(ctx, loader, wid, skips[wid])
        self._reset(loader, resume, first_iter=True)

    @property
    def _shutdown(self) -> bool:
        return self._pool.closed

    def _start_worker(self, ctx: Any, loader: DataLoader, wid: int, skip: int) -> None:
        pool = self._pool
        index_queue = ctx.Queue()
        index_queue.cancel_join_thread()
        args = (self._dataset_kind, self._dataset, index_queue, pool.data_queue, pool.done_event,
                self._auto_collation, self._collate_fn, self._drop_last, self._base_seed,
                loader.worker_init_fn, wid, self._num_workers, f"{pool.prefix}{wid}_", skip,
                self._prefetch_factor + 2)
        proc = ctx.Process(target=_worker_loop, args=args, daemon=True)
        try:
            proc.start()
        except Exception as e:
            index_queue.close()
            pool.shutdown()
            raise _start_error(e, ctx.get_start_method()) from e
        pool.index_queues.append(index_queue)
        pool.workers.append(proc)

    def _worker_skips(self, resume: dict[str, Any] | None) -> list[int]:
        """Items each iterable-dataset worker drops when resuming (its delivered batches)."""
        counts = (resume or {}).get("worker_yielded") or [0] * self._num_workers
        if self._dataset_kind != _DatasetKind.Iterable:
            return [0] * self._num_workers
        return [int(c) * self._items_per_batch() for c in counts]

    def _reset(self, loader: DataLoader, resume: dict[str, Any] | None = None,
               first_iter: bool = False) -> None:
        self._start_pass(resume)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info: dict[int, tuple[Any, ...]] = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._delivered = [int(c) for c in (resume or {}).get("worker_yielded") or
                           [0] * self._num_workers]
        first = int((resume or {}).get("next_worker", 0))
        order = [(first + i) % self._num_workers for i in range(self._num_workers)]
        self._worker_queue_idx_cycle = itertools.cycle(order)
        if not first_iter:
            self._resume_workers(self._worker_skips(resume))
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _resume_workers(self, skips: list[int]) -> None:
        """Start a new epoch on persistent workers, dropping batches left from the last one."""
        for q, skip in zip(self._pool.index_queues, skips):
            q.put(_ResumeIteration(skip))
        waiting = self._num_workers
        while waiting > 0:
            idx, _ = self._get_data()
            if isinstance(idx, _ResumeIteration):
                waiting -= 1

    def _extra_state(self) -> dict[str, Any]:
        if self._dataset_kind != _DatasetKind.Iterable:
            return {}
        last = getattr(self, "_last_worker", -1)
        return {"worker_yielded": list(self._delivered),
                "next_worker": (last + 1) % self._num_workers}

    def _try_get_data(self, timeout: float) -> tuple[bool, Any]:
        try:
            idx, msg = self._pool.data_queue.get(timeout=timeout)
        except queue.Empty:
            self._check_workers()
            return False, None
        return True, (idx, _shm.unpack(msg, self._on_free))

    def _check_workers(self) -> None:
        for wid, proc in enumerate(self._pool.workers):
            if not proc.is_alive():
                message = _dead_worker_message(wid, proc)
                self._shutdown_workers()
                raise RuntimeError(message)

    def _get_data(self) -> tuple[Any, Any]:
        if self._timeout <= 0:
            while True:
                ok, data = self._try_get_data(_STATUS_CHECK_S)
                if ok:
                    return data
        deadline = time.monotonic() + self._timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            ok, data = self._try_get_data(min(remaining, _STATUS_CHECK_S))
            if ok:
                return data

    def _try_put_index(self) -> None:
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            wid = next(self._worker_queue_idx_cycle)
            if self._workers_status[wid]:
                break
        else:
            return  # every worker's iterable dataset is exhausted
        freed = self._freed[wid]
        names = freed.copy()
        del freed[:len(names)]  # the finalizers may append meanwhile; keep those for next time
        self._pool.index_queues[wid].put((self._send_idx, index, names))
        self._task_info[self._send_idx] = (wid,)
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _next_ready(self) -> bool:
        """Advance ``_rcvd_idx`` to the next task that can still produce a batch."""
        while self._rcvd_idx < self._send_idx:
            info = self._task_info.get(self._rcvd_idx)
            if info is not None:
                if len(info) == 2 or self._workers_status[info[0]]:
                    return True
                del self._task_info[self._rcvd_idx]
            self._rcvd_idx += 1
        return False

    def _next_data(self) -> Any:
        while True:
            if self._shutdown or not self._next_ready():
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            info = self._task_info[self._rcvd_idx]
            if len(info) == 2:
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                return self._process_data(info[1], info[0])
            idx, data = self._get_data()
            if isinstance(idx, _ResumeIteration):
                continue
            self._tasks_outstanding -= 1
            if isinstance(data, _IterableDatasetStopIteration):
                self._workers_status[data.worker_id] = False
                self._try_put_index()
                continue
            wid = self._task_info[idx][0]
            if idx == self._rcvd_idx or not self._in_order:
                del self._task_info[idx]
                if idx == self._rcvd_idx:
                    self._rcvd_idx += 1
                return self._process_data(data, wid)
            self._task_info[idx] = (wid, data)

    def _process_data(self, data: Any, wid: int) -> Any:
        self._try_put_index()
        self._delivered[wid] += 1
        self._last_worker = wid
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        return data

    def _shutdown_workers(self) -> None:
        self._pool.shutdown()
