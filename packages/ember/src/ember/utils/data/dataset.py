"""Datasets: the map-style and iterable protocols and the standard combinators."""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, Generic, TypeVar

import numpy as np

import ember
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset", "Subset",
    "StackDataset", "random_split", "BatchedSamples",
]

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """A map-style dataset: ``dataset[i]`` for ``0 <= i < len(dataset)``.

    Subclasses implement ``__getitem__`` and usually ``__len__``. They may also implement
    ``__getitems__(indices)``, returning the list of samples for a whole batch at once; the
    DataLoader then fetches each batch with one call (the fast path ``TensorDataset`` uses).
    ``a + b`` concatenates two datasets.

    Example:
        >>> class Squares(Dataset):
        ...     def __len__(self): return 4
        ...     def __getitem__(self, i): return i * i
        >>> len(Squares() + Squares())
        8
    """

    def __getitem__(self, index: Any) -> T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset[T_co]) -> ConcatDataset[T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """A dataset that is a stream: subclasses implement ``__iter__``.

    With ``num_workers > 0`` every worker process gets its own copy, so each worker should
    yield a different shard; use :func:`get_worker_info` inside ``__iter__`` to choose it.
    ``a + b`` chains two iterable datasets.

    Example:
        >>> class Count(IterableDataset):
        ...     def __iter__(self): return iter(range(3))
        >>> list(Count() + Count())
        [0, 1, 2, 0, 1, 2]
    """

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset[T_co]) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class BatchedSamples(Sequence):
    """A batch of samples stored column-wise, as returned by ``TensorDataset.__getitems__``.

    It behaves as the list of per-sample tuples a ``collate_fn`` expects, but ``default_collate``
    turns it into stacked tensors without building the samples one by one.

    Args:
        columns: raw arrays (NumPy or CuPy), each with the batch along dimension 0.
    """

    def __init__(self, columns: Sequence[Any]) -> None:
        self.columns = tuple(columns)

    def __len__(self) -> int:
        return len(self.columns[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return tuple(_wrap(col[i]) for col in self.columns)

    def collate(self) -> list[Tensor]:
        """The batch as one tensor per column (what ``default_collate`` returns)."""
        return [_wrap(col) for col in self.columns]


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Samples are rows of the given tensors: ``dataset[i] == (t[i] for t in tensors)``.

    Batches are fetched with one fancy index per tensor (``__getitems__``), not sample by sample.

    Args:
        *tensors: tensors with the same size in dimension 0.

    Example:
        >>> ds = TensorDataset(ember.arange(6).reshape(3, 2), ember.tensor([0, 1, 0]))
        >>> ds[1]
        (tensor([2, 3]), tensor(1))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        n = tensors[0].shape[0]
        if any(t.shape[0] != n for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(_index(t, index) for t in self.tensors)

    def __getitems__(self, indices: Sequence[int]) -> Sequence[tuple[Tensor, ...]]:
        if any(t.requires_grad for t in self.tensors):
            return [self[i] for i in indices]  # keep autograd history sample by sample
        return BatchedSamples([_take(t._data, indices) for t in self.tensors])

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


def _index(t: Tensor, index: Any) -> Tensor:
    if t.requires_grad and hasattr(Tensor, "__getitem__"):
        return t[index]
    return _wrap(t._data[index])


def _take(data: Any, indices: Sequence[int]) -> Any:
    """Rows ``indices`` of a raw array, in one fancy index."""
    if isinstance(data, np.ndarray):
        return data[np.asarray(indices, dtype=np.intp)]
    return data[get_xp(data).asarray(indices)]


class StackDataset(Dataset):
    """Samples are tuples (positional datasets) or dicts (keyword datasets) of the parts' samples.

    Args:
        *args: datasets of equal length, giving tuple samples.
        **kwargs: datasets of equal length, giving dict samples.

    Example:
        >>> ds = StackDataset(image=[10, 11], label=[0, 1])
        >>> ds[1]
        {'image': 11, 'label': 1}
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                "input/output, but both types are given."
            )
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        parts = list(args) if args else list(kwargs.values())
        self._length = len(parts[0])
        if any(self._length != len(d) for d in parts):
            raise ValueError("Size mismatch between datasets")
        self.datasets: tuple[Any, ...] | dict[str, Any] = args if args else kwargs

    def __getitem__(self, index: Any) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __getitems__(self, indices: list[int]) -> list[Any]:
        if isinstance(self.datasets, dict):
            columns = {k: _fetch_many(d, indices) for k, d in self.datasets.items()}
            return [{k: col[i] for k, col in columns.items()} for i in range(len(indices))]
        cols = [_fetch_many(d, indices) for d in self.datasets]
        return [tuple(col[i] for col in cols) for i in range(len(indices))]

    def __len__(self) -> int:
        return self._length


def _fetch_many(dataset: Any, indices: list[int]) -> Sequence[Any]:
    """A dataset's samples at ``indices``, through ``__getitems__`` when it has one."""
    if callable(getattr(dataset, "__getitems__", None)):
        items = dataset.__getitems__(indices)
        if len(items) != len(indices):
            raise ValueError(
                f"Nested dataset's output size mismatch. Expected {len(indices)}, got {len(items)}"
            )
        return items
    return [dataset[i] for i in indices]


class ConcatDataset(Dataset[T_co]):
    """The concatenation of map-style datasets.

    Args:
        datasets: the datasets, in order (not iterable datasets).

    Example:
        >>> ds = ConcatDataset([[1, 2], [3]])
        >>> len(ds), ds[2], ds[-1]
        (3, 3, 3)
    """

    @staticmethod
    def cumsum(sequence: Iterable[Any]) -> list[int]:
        """Cumulative lengths of the datasets."""
        return list(accumulate(len(d) for d in sequence))

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> T_co:
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        sample_idx = idx if dataset_idx == 0 else idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]


class ChainDataset(IterableDataset):
    """Iterable datasets chained one after another (on the fly, nothing is stored).

    Args:
        datasets: the iterable datasets.

    Example:
        >>> class R(IterableDataset):
        ...     def __init__(self, n): self.n = n
        ...     def __iter__(self): return iter(range(self.n))
        >>> list(ChainDataset([R(2), R(1)]))
        [0, 1, 0]
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        super().__init__()
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)  # type: ignore[arg-type]
        return total


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices``, in that order.

    Args:
        dataset: the whole dataset.
        indices: positions in ``dataset`` selected for the subset.

    Example:
        >>> s = Subset(["a", "b", "c"], [2, 0])
        >>> len(s), s[0]
        (2, 'c')
    """

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> Sequence[Any]:
        mapped = [self.indices[i] for i in indices]
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__(mapped)  # type: ignore[attr-defined]
        return [self.dataset[i] for i in mapped]

    def __len__(self) -> int:
        return len(self.indices)


def _fraction_lengths(n: int, fractions: Sequence[float]) -> list[int]:
    """PyTorch's rule: floor each share, then hand the remainder out one by one from the first."""
    lengths = [int(math.floor(n * frac)) for frac in fractions]
    for i in range(n - sum(lengths)):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(
                f"Length of split at index {i} is 0. This might result in an empty dataset.",
                stacklevel=3,
            )
    return lengths


def random_split(
    dataset: Dataset[T_co], lengths: Sequence[int | float],
    generator: ember.Generator | None = None,
) -> list[Subset[T_co]]:
    """Split a dataset into non-overlapping random subsets.

    Args:
        dataset: the dataset to split.
        lengths: the sizes of the splits, or fractions summing to 1 (then each split gets
            ``floor(len * fraction)`` and the remainder is given out one sample at a time,
            round robin from the first split).
        generator: the random stream for the permutation (the default generator when None).

    Returns:
        One ``Subset`` per entry of ``lengths``.

    Example:
        >>> a, b = random_split(range(10), [0.7, 0.3], generator=ember.Generator().manual_seed(0))
        >>> len(a), len(b)
        (7, 3)
    """
    n = len(dataset)  # type: ignore[arg-type]
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, frac in enumerate(lengths):
            if not 0 <= frac <= 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        lengths = _fraction_lengths(n, lengths)
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = ember.randperm(int(sum(lengths)), generator=generator).tolist()
    return [
        Subset(dataset, indices[offset - int(length):offset])
        for offset, length in zip(accumulate(int(x) for x in lengths), lengths)
    ]
