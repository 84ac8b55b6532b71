"""Datasets and random_split, against PyTorch's documented behaviour."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import ember
from ember.utils.data import (
    BatchedSamples,
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)

from ._helpers import REFERENCE, Squares


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_base_dataset_getitem_not_implemented():
    with pytest.raises(NotImplementedError):
        Dataset()[0]


def test_tensor_dataset_rows_and_len():
    x = ember.from_numpy(np.arange(12.0).reshape(6, 2))
    y = ember.from_numpy(np.arange(6))
    ds = TensorDataset(x, y)
    assert len(ds) == 6
    a, b = ds[4]
    assert a.tolist() == [8.0, 9.0] and b.item() == 4 and b.shape == ()


def test_tensor_dataset_size_mismatch():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(ember.zeros(3), ember.zeros(4))


def test_tensor_dataset_getitems_is_one_batch():
    x = ember.from_numpy(np.arange(10.0))
    ds = TensorDataset(x, ember.from_numpy(np.arange(10) * 2))
    batch = ds.__getitems__([3, 1, 7])
    assert isinstance(batch, BatchedSamples) and len(batch) == 3
    assert [s[0].item() for s in batch] == [3.0, 1.0, 7.0]
    cols = batch.collate()
    assert cols[0].tolist() == [3.0, 1.0, 7.0] and cols[1].tolist() == [6, 2, 14]


def test_concat_dataset_indexing():
    ds = ConcatDataset([[0, 1, 2], [3], [4, 5]])
    assert len(ds) == 6 and ds.cumulative_sizes == [3, 4, 6]
    assert [ds[i] for i in range(6)] == [0, 1, 2, 3, 4, 5]
    assert ds[-1] == 5 and ds[-6] == 0
    with pytest.raises(ValueError, match="absolute value of index"):
        ds[-7]


def test_concat_dataset_rejects_bad_input():
    with pytest.raises(AssertionError, match="empty"):
        ConcatDataset([])
    with pytest.raises(AssertionError, match="IterableDataset"):
        ConcatDataset([Count(2)])


def test_add_makes_concat_and_chain():
    s = Squares(3) + Squares(2)
    assert isinstance(s, ConcatDataset) and len(s) == 5 and s[3][1] == 0
    c = Count(2) + Count(3)
    assert isinstance(c, ChainDataset) and list(c) == [0, 1, 0, 1, 2] and len(c) == 5


def test_chain_dataset_requires_iterables():
    with pytest.raises(AssertionError, match="only supports IterableDataset"):
        list(ChainDataset([Count(1), [1, 2]]))


def test_subset_maps_indices():
    ds = Subset(Squares(10), [9, 2, 5])
    assert len(ds) == 3 and ds[0][1] == 9 and ds[2][1] == 5
    assert [s[1] for s in ds.__getitems__([1, 0])] == [2, 9]


def test_subset_forwards_getitems():
    base = TensorDataset(ember.from_numpy(np.arange(10.0)))
    batch = Subset(base, [9, 8, 7]).__getitems__([2, 0])
    assert isinstance(batch, BatchedSamples) and batch.collate()[0].tolist() == [7.0, 9.0]


def test_stack_dataset_tuple_and_dict():
    t = StackDataset([1, 2], ["a", "b"])
    assert len(t) == 2 and t[1] == (2, "b")
    assert t.__getitems__([1, 0]) == [(2, "b"), (1, "a")]
    d = StackDataset(x=[1, 2], y=["a", "b"])
    assert d[0] == {"x": 1, "y": "a"}
    assert d.__getitems__([1]) == [{"x": 2, "y": "b"}]


def test_stack_dataset_errors():
    with pytest.raises(ValueError, match="Size mismatch"):
        StackDataset([1], [1, 2])
    with pytest.raises(ValueError, match="At least one dataset"):
        StackDataset()
    with pytest.raises(ValueError, match="both types are given"):
        StackDataset([1], x=[1])


def test_random_split_lengths_partition():
    parts = random_split(range(10), [3, 7], generator=ember.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7]
    seen = sorted(i for p in parts for i in p)
    assert seen == list(range(10))


@pytest.mark.parametrize("case", REFERENCE["random_split_lengths"], ids=str)
def test_random_split_fractions_match_pytorch(case):
    n, fractions, expected = case
    with pytest.warns(UserWarning) if 0 in expected else contextlib.nullcontext():
        parts = random_split(range(n), fractions)
    assert [len(p) for p in parts] == expected


def test_random_split_generator_reproducible():
    a = random_split(range(20), [0.5, 0.5], generator=ember.Generator().manual_seed(3))
    b = random_split(range(20), [0.5, 0.5], generator=ember.Generator().manual_seed(3))
    assert list(a[0]) == list(b[0])
    c = random_split(range(20), [0.5, 0.5], generator=ember.Generator().manual_seed(4))
    assert list(a[0]) != list(c[0])


def test_random_split_bad_lengths():
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [3, 3])
