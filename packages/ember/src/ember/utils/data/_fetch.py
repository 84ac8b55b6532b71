"""Fetchers turn sampler output into collated batches, in the main process or in a worker."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from ember.utils.data.dataset import IterableDataset


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def of(dataset: Any) -> int:
        return _DatasetKind.Iterable if isinstance(dataset, IterableDataset) else _DatasetKind.Map


class _MapDatasetFetcher:
    """``dataset[i]`` per index (or one ``__getitems__`` per batch), then ``collate_fn``."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable[[Any], Any],
                 drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.getitems = getattr(dataset, "__getitems__", None)

    def fetch(self, possibly_batched_index: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[possibly_batched_index])
        if callable(self.getitems):
            data = self.getitems(possibly_batched_index)
        else:
            data = [self.dataset[idx] for idx in possibly_batched_index]
        return self.collate_fn(data)


class _IterableDatasetFetcher:
    """Pull ``len(batch)`` items from the dataset's iterator per batch (one without batching)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable[[Any], Any],
                 drop_last: bool) -> None:
        self.dataset_iter = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def skip(self, n: int) -> None:
        """Drop the next ``n`` items (they were delivered before a resume)."""
        for _ in range(n):
            try:
                next(self.dataset_iter)
            except StopIteration:
                self.ended = True
                return

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        data = []
        for _ in possibly_batched_index:
            try:
                data.append(next(self.dataset_iter))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(possibly_batched_index)):
            raise StopIteration
        return self.collate_fn(data)


def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Callable[[Any], Any],
                   drop_last: bool) -> Any:
    cls = _MapDatasetFetcher if kind == _DatasetKind.Map else _IterableDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)


class KeyErrorMessage(str):
    """A str whose repr is itself, so KeyError shows a multi-line message readably."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process with its traceback text.

    Args:
        exc_info: ``sys.exc_info()`` of the exception (the current one when None).
        where: where it happened, e.g. ``"in DataLoader worker process 0"``.
    """

    def __init__(self, exc_info: Any = None, where: str = "in background") -> None:
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self) -> None:
        """Raise the same exception type, its message holding the original traceback."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception
