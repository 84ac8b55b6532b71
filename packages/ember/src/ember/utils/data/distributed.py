"""``DistributedSampler``: each of ``num_replicas`` processes reads its own share of a dataset."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized
from typing import Any

import ember
from ember.utils.data.sampler import Sampler, _Resumable

__all__ = ["DistributedSampler"]


def _default_group() -> tuple[int, int]:
    """World size and rank of the default process group, when ember.distributed has one."""
    try:
        from ember import distributed as dist  # type: ignore[attr-defined]
    except ImportError:
        dist = None
    if dist is None or not getattr(dist, "is_initialized", lambda: False)():
        raise RuntimeError(
            "DistributedSampler: the default process group is not initialized; pass "
            "num_replicas= and rank= explicitly"
        )
    return dist.get_world_size(), dist.get_rank()


class DistributedSampler(_Resumable, Sampler[int]):
    """Yields the indices of one replica's share of the dataset.

    The (optionally shuffled) index list is padded by repeating its start until its length is a
    multiple of ``num_replicas`` (or cut to one when ``drop_last``), then replica ``rank`` takes
    every ``num_replicas``-th index from position ``rank``. Call ``set_epoch(e)`` before each
    epoch so the shuffle changes; all replicas use ``seed + epoch`` and agree.

    Args:
        dataset: the dataset (only its length is used).
        num_replicas: number of processes (the default group's world size when None).
        rank: this process's rank (the default group's rank when None).
        shuffle: shuffle the indices.
        seed: the shuffle's seed; must be the same on every replica.
        drop_last: drop the tail so every replica gets the same number of distinct samples,
            instead of padding with repeats.

    Example:
        >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
        [1, 3, 0]
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            world, own = _default_group()
            num_replicas = world if num_replicas is None else num_replicas
            rank = own if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        def make(start: Any) -> tuple[Any, Iterator[int]]:
            if start is not None:
                self.epoch = start["epoch"]
            return {"epoch": self.epoch}, iter(self._indices())

        return self._run(make)

    def _indices(self) -> list[int]:
        n = len(self.dataset)
        if self.shuffle:
            g = ember.Generator().manual_seed(self.seed + self.epoch)
            indices = ember.randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[: self.total_size]
        return indices[self.rank:self.total_size:self.num_replicas]

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch; with ``shuffle=True`` it changes the order for the next pass."""
        self.epoch = epoch
