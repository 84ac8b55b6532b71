"""Samplers: PyTorch's documented behaviour, and resuming a pass from state_dict."""

from __future__ import annotations

from collections import Counter

import pytest

import ember
from ember.utils.data import (
    BatchSampler,
    DistributedSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

from ._helpers import REFERENCE


def gen(seed=0):
    return ember.Generator().manual_seed(seed)


def test_sequential():
    s = SequentialSampler(range(4))
    assert list(s) == [0, 1, 2, 3] and len(s) == 4


def test_random_is_a_permutation_and_reshuffles():
    s = RandomSampler(range(50))
    first, second = list(s), list(s)
    assert sorted(first) == list(range(50)) and len(s) == 50
    assert first != second


def test_random_follows_manual_seed():
    ember.manual_seed(5)
    a = list(RandomSampler(range(30)))
    ember.manual_seed(5)
    assert list(RandomSampler(range(30))) == a


def test_random_generator_reproducible():
    assert list(RandomSampler(range(30), generator=gen(1))) == list(
        RandomSampler(range(30), generator=gen(1)))
    assert list(RandomSampler(range(30), generator=gen(1))) != list(
        RandomSampler(range(30), generator=gen(2)))


def test_random_num_samples_without_replacement_chains_permutations():
    out = list(RandomSampler(range(4), num_samples=10, generator=gen()))
    assert len(out) == 10
    assert sorted(out[:4]) == sorted(out[4:8]) == [0, 1, 2, 3]
    assert len(set(out[8:])) == 2


def test_random_with_replacement():
    out = list(RandomSampler(range(3), replacement=True, num_samples=300, generator=gen()))
    assert len(out) == 300 and set(out) == {0, 1, 2}


def test_random_argument_errors():
    with pytest.raises(TypeError, match="replacement should be a boolean"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler([])


def test_subset_random():
    s = SubsetRandomSampler([10, 20, 30, 40], generator=gen())
    out = list(s)
    assert sorted(out) == [10, 20, 30, 40] and len(s) == 4


def test_weighted_zero_weight_never_drawn():
    out = list(WeightedRandomSampler([0.0, 1.0, 3.0, 0.0], 400, generator=gen()))
    counts = Counter(out)
    assert set(counts) == {1, 2}
    assert 0.65 < counts[2] / 400 < 0.85  # expected 0.75


def test_weighted_without_replacement_is_unique():
    out = list(WeightedRandomSampler([1.0, 2, 3, 4, 5], 5, replacement=False, generator=gen()))
    assert sorted(out) == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError):
        list(WeightedRandomSampler([1.0, 2.0], 3, replacement=False))


def test_weighted_errors():
    with pytest.raises(ValueError, match="num_samples"):
        WeightedRandomSampler([1.0], 0)
    with pytest.raises(ValueError, match="replacement should be a boolean"):
        WeightedRandomSampler([1.0], 1, replacement=None)
    with pytest.raises(ValueError, match="1d sequence"):
        WeightedRandomSampler([[1.0, 2.0]], 1)


def test_batch_sampler():
    s = BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)
    assert list(s) == [[0, 1, 2], [3, 4, 5], [6]] and len(s) == 3
    d = BatchSampler(range(7), batch_size=3, drop_last=True)
    assert list(d) == [[0, 1, 2], [3, 4, 5]] and len(d) == 2
    assert list(BatchSampler(range(6), 3, True)) == [[0, 1, 2], [3, 4, 5]]


def test_batch_sampler_errors():
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), True, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        BatchSampler(range(3), 2, 1)


@pytest.mark.parametrize("case", REFERENCE["distributed"], ids=str)
def test_distributed_padding_matches_pytorch(case):
    n, replicas, rank, drop, expected = case
    s = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=False,
                           drop_last=drop)
    assert list(s) == expected and len(s) == len(expected)


def test_distributed_shuffle_partitions_and_epochs():
    parts = [DistributedSampler(range(10), num_replicas=2, rank=r, seed=3) for r in range(2)]
    a = [list(p) for p in parts]
    assert sorted(a[0] + a[1]) == list(range(10))
    for p in parts:
        p.set_epoch(1)
    b = [list(p) for p in parts]
    assert sorted(b[0] + b[1]) == list(range(10)) and b != a
    again = DistributedSampler(range(10), num_replicas=2, rank=0, seed=3)
    assert list(again) == a[0]


def test_distributed_rank_errors():
    with pytest.raises(ValueError, match="Invalid rank 2"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="Invalid rank"):
        DistributedSampler(range(4), num_replicas=2, rank=-1)


SAMPLERS = {
    "sequential": lambda: SequentialSampler(range(23)),
    "random": lambda: RandomSampler(range(23)),
    "random_gen": lambda: RandomSampler(range(23), generator=gen(7)),
    "random_repl": lambda: RandomSampler(range(23), replacement=True, num_samples=40),
    "subset": lambda: SubsetRandomSampler(list(range(5, 28))),
    "weighted": lambda: WeightedRandomSampler([float(i % 5) for i in range(23)], 30),
    "distributed": lambda: DistributedSampler(range(23), num_replicas=3, rank=1, seed=2),
    "batch": lambda: BatchSampler(RandomSampler(range(23)), 4, False),
    "batch_gen": lambda: BatchSampler(RandomSampler(range(23), generator=gen(3)), 4, True),
}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
@pytest.mark.parametrize("stop", [0, 3, 5])
def test_state_dict_resumes_mid_pass(name, stop):
    sampler = SAMPLERS[name]()
    list(sampler)  # a previous pass, so the saved one is not the first
    it = iter(sampler)
    head = [next(it) for _ in range(stop)]
    state = sampler.state_dict()
    tail = list(it)
    list(sampler)  # move on; the state must still replay the saved pass
    fresh = SAMPLERS[name]()
    fresh.load_state_dict(state)
    assert list(fresh) == tail
    assert len(head) + len(tail) == len(sampler)


def test_state_dict_of_sampler_with_generator_restores_its_stream():
    g = gen(11)
    s = RandomSampler(range(9), generator=g)
    it = iter(s)
    next(it)
    state = s.state_dict()
    rest = list(it)
    after = list(s)
    s.load_state_dict(state)
    assert list(s) == rest
    assert list(s) == after  # the generator continues as in the uninterrupted run
