"""Samplers: the order in which a map-style dataset's indices are visited.

Every sampler here can save its position with ``state_dict()`` and resume it with
``load_state_dict()``: the next ``iter()`` replays the interrupted pass and yields exactly the
indices that were still to come. A state is ``{"start": <how to replay the pass>, "yielded": n}``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence, Sized
from itertools import islice
from typing import Any, Generic, TypeVar

import ember
from ember._random import Generator

__all__ = [
    "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
    "WeightedRandomSampler", "BatchSampler",
]

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class: ``__iter__`` yields dataset indices (or batches of indices).

    Args:
        data_source: accepted for compatibility with PyTorch and ignored.
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


_SIZED_ITERATORS = (type(iter([])), type(iter(range(0))))


class _Resumable:
    """Pass bookkeeping shared by the built-in samplers.

    ``__iter__`` calls ``_run(make)``: ``make`` returns the replay snapshot (restoring a loaded
    state when there is one) and the pass's iterator, which is then fast-forwarded over what was
    already yielded. List and range iterators are counted through their length hint, so the
    position costs nothing per index; other iterators are counted one item at a time.
    """

    _start: Any = None
    _pending: dict[str, Any] | None = None
    _pass_iter: Iterator[Any] | None = None
    _pass_total = 0
    _pass_count = 0

    @property
    def _yielded(self) -> int:
        if self._pass_iter is not None:
            return self._pass_total - operator.length_hint(self._pass_iter)
        return self._pass_count

    def state_dict(self) -> dict[str, Any]:
        """The current pass's replay snapshot and how many items it has yielded."""
        return {"start": self._start, "yielded": self._yielded}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Make the next ``iter()`` resume the saved pass after its ``yielded`` items."""
        self._pending = dict(state_dict)

    def _counted(self, items: Iterator[Any], skip: int) -> Iterator[Any]:
        if isinstance(items, _SIZED_ITERATORS):
            self._pass_iter, self._pass_total = items, operator.length_hint(items)
            it = items
        else:
            self._pass_iter, self._pass_count = None, 0
            it = self._count(items)
        if skip:
            next(islice(it, skip, skip), None)  # consume ``skip`` items
        return it

    def _count(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            self._pass_count += 1
            yield item

    def _run(self, make: Any) -> Iterator[Any]:
        """Start a pass: ``make(start_or_None)`` returns ``(start, iterator)``."""
        pending, self._pending = self._pending, None
        self._start, items = make(None if pending is None else pending["start"])
        return self._counted(items, 0 if pending is None else int(pending["yielded"]))


def _draw_seed(generator: Generator | None) -> int:
    """A fresh 63-bit seed from ``generator`` (the default CPU generator when None)."""
    return int(ember.randint(0, 2**63 - 1, (), generator=generator).item())


def _pass_generator(generator: Generator | None, start: Any) -> tuple[Generator, Any]:
    """The generator for one pass and the snapshot that replays it.

    Without a user generator a seed is drawn from the default one (as PyTorch's RandomSampler
    does), so the snapshot is just that seed; with one, it is the generator's state.
    """
    if start is not None:
        if "seed" in start:
            return Generator().manual_seed(start["seed"]), start
        assert generator is not None, "this state was saved from a sampler with a generator"
        generator.set_state(start["generator_state"])
        return generator, start
    if generator is None:
        seed = _draw_seed(None)
        return Generator().manual_seed(seed), {"seed": seed}
    return generator, {"generator_state": generator.get_state()}


class SequentialSampler(_Resumable, Sampler[int]):
    """Yields ``0, 1, ..., len(data_source) - 1``.

    Example:
        >>> list(SequentialSampler(range(3)))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return self._run(lambda start: ({}, iter(range(len(self.data_source)))))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(_Resumable, Sampler[int]):
    """Yields a random permutation of the indices, or draws with replacement.

    Args:
        data_source: the dataset (only its length is used).
        replacement: draw ``num_samples`` indices with replacement.
        num_samples: how many indices to yield (default ``len(data_source)``); without
            replacement, more than the length chains several permutations.
        generator: the random stream (a seed is drawn from the default generator per pass
            when None).

    Example:
        >>> sorted(RandomSampler(range(4)))
        [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={self.replacement}"
            )
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got "
                f"num_samples={self.num_samples}"
            )

    @property
    def num_samples(self) -> int:
        """Indices per pass."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        return self._run(self._make)

    def _make(self, start: Any) -> tuple[Any, Iterator[int]]:
        gen, start = _pass_generator(self.generator, start)
        return start, self._indices(gen)

    def _indices(self, gen: Generator) -> Iterator[int]:
        # Drawn eagerly, so the generator's saved state replays exactly this pass.
        n = len(self.data_source)
        if self.replacement:
            return iter(ember.randint(0, n, (self.num_samples,), generator=gen).tolist())
        order: list[int] = []
        for _ in range(self.num_samples // n):
            order += ember.randperm(n, generator=gen).tolist()
        order += ember.randperm(n, generator=gen).tolist()[: self.num_samples % n]
        return iter(order)

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(_Resumable, Sampler[int]):
    """Yields the given indices in a random order, without replacement.

    Args:
        indices: the indices to visit.
        generator: the random stream.

    Example:
        >>> sorted(SubsetRandomSampler([5, 7, 9]))
        [5, 7, 9]
    """

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        def make(start: Any) -> tuple[Any, Iterator[int]]:
            gen, start = _pass_generator(self.generator, start)
            order = ember.randperm(len(self.indices), generator=gen).tolist()
            return start, iter([self.indices[i] for i in order])

        return self._run(make)

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(_Resumable, Sampler[int]):
    """Yields indices in ``[0, len(weights))`` drawn with probabilities proportional to weights.

    Args:
        weights: a 1-D sequence of non-negative weights (they need not sum to one).
        num_samples: how many indices to draw.
        replacement: draw with replacement; without it each index appears at most once.
        generator: the random stream.

    Example:
        >>> list(WeightedRandomSampler([0.0, 1.0], 3, replacement=True))
        [1, 1, 1]
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Generator | None = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got "
                f"num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        weights_tensor = ember.as_tensor(weights, dtype=ember.float64)
        if len(weights_tensor.shape) != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape "
                f"{tuple(weights_tensor.shape)}"
            )
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        def make(start: Any) -> tuple[Any, Iterator[int]]:
            gen, start = _pass_generator(self.generator, start)
            draw = ember.multinomial(self.weights, self.num_samples, self.replacement,
                                     generator=gen)
            return start, iter(draw.tolist())

        return self._run(make)

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(_Resumable, Sampler[list[int]]):
    """Groups another sampler's indices into lists of ``batch_size``.

    Args:
        sampler: any iterable of indices.
        batch_size: indices per batch.
        drop_last: drop the last batch when it is short.

    Example:
        >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        if (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                or batch_size <= 0):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        return self._run(self._make)

    def _make(self, start: Any) -> tuple[Any, Iterator[list[int]]]:
        inner = self.sampler
        if start is not None and start.get("sampler") is not None:
            inner.load_state_dict(start["sampler"])  # type: ignore[union-attr]
        it = iter(inner)
        state = inner.state_dict() if hasattr(inner, "state_dict") else None
        return {"sampler": state}, self._batches(it)

    def _batches(self, it: Iterator[int]) -> Iterator[list[int]]:
        size = self.batch_size
        while True:
            batch = list(islice(it, size))
            if len(batch) < size and (self.drop_last or not batch):
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size
