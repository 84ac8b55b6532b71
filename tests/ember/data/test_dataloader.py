"""DataLoader in the main process: arguments, batching, len, and resuming from state_dict."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.utils.data import (
    BatchSampler,
    DataLoader,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    TensorDataset,
    default_collate,
    get_worker_info,
)

from ._helpers import ShardedRange, Squares, to_lists


def tensor_ds(n=10):
    return TensorDataset(ember.from_numpy(np.arange(n, dtype=np.float32).reshape(n, 1)),
                         ember.from_numpy(np.arange(n)))


def test_batches_in_order():
    batches = list(DataLoader(tensor_ds(), batch_size=4))
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][0].shape == (4, 1) and batches[0][0].dtype == ember.float32


def test_drop_last_and_len():
    assert len(DataLoader(tensor_ds(), batch_size=4)) == 3
    loader = DataLoader(tensor_ds(), batch_size=4, drop_last=True)
    assert len(loader) == 2 and len(list(loader)) == 2


def test_default_batch_size_is_one():
    batches = list(DataLoader(Squares(3)))
    assert len(batches) == 3 and batches[2][0].tolist() == [[2.0, 4.0]]


def test_batch_size_none_converts_samples():
    out = list(DataLoader(Squares(2), batch_size=None))
    assert isinstance(out[1][0], ember.Tensor) and out[1][0].tolist() == [1.0, 1.0]
    assert out[1][1] == 1


def test_shuffle_uses_generator_and_covers_everything():
    a = [b[1].tolist() for b in DataLoader(tensor_ds(20), batch_size=5, shuffle=True,
                                           generator=ember.Generator().manual_seed(0))]
    b = [b[1].tolist() for b in DataLoader(tensor_ds(20), batch_size=5, shuffle=True,
                                           generator=ember.Generator().manual_seed(0))]
    assert a == b and sorted(sum(a, [])) == list(range(20)) and sum(a, []) != list(range(20))


def test_shuffle_follows_manual_seed():
    ember.manual_seed(3)
    a = to_lists(DataLoader(Squares(12), batch_size=4, shuffle=True))
    ember.manual_seed(3)
    assert to_lists(DataLoader(Squares(12), batch_size=4, shuffle=True)) == a


def test_custom_sampler_batch_sampler_and_collate():
    loader = DataLoader(Squares(6), sampler=[5, 3, 1], batch_size=2)
    assert [b[1].tolist() for b in loader] == [[5, 3], [1]]
    loader = DataLoader(Squares(6), batch_sampler=[[0, 2], [4]])
    assert [b[1].tolist() for b in loader] == [[0, 2], [4]] and len(loader) == 2
    loader = DataLoader(Squares(4), batch_size=2, collate_fn=lambda batch: [s[1] for s in batch])
    assert list(loader) == [[0, 1], [2, 3]]


def test_getitems_fast_path_matches_per_sample_path():
    ds = tensor_ds(9)
    fast = to_lists(DataLoader(ds, batch_size=4, shuffle=True,
                               generator=ember.Generator().manual_seed(1)))
    slow = to_lists(DataLoader(ds, batch_size=4, shuffle=True,
                               generator=ember.Generator().manual_seed(1),
                               collate_fn=lambda b: default_collate(list(b))))
    assert fast == slow


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_workers=-1), "num_workers option should be non-negative"),
    (dict(timeout=-1), "timeout option should be non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor option could only be specified"),
    (dict(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
    (dict(sampler=[0], shuffle=True), "sampler option is mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler option is mutually exclusive"),
    (dict(batch_sampler=[[0]], drop_last=True), "batch_sampler option is mutually exclusive"),
    (dict(batch_size=None, drop_last=True), "batch_size=None option disables auto-batching"),
    (dict(multiprocessing_context="spawn"), "multiprocessing_context can only be used"),
    (dict(num_workers=1, multiprocessing_context="nope"), "should specify a valid start method"),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(Squares(4), **kwargs)


def test_multiprocessing_context_type_error():
    with pytest.raises(TypeError, match="valid context object"):
        DataLoader(Squares(4), num_workers=1, multiprocessing_context=3)


def test_iterable_dataset_argument_errors():
    for kwargs in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
        with pytest.raises(ValueError, match="DataLoader with IterableDataset: expected unspecified"):
            DataLoader(ShardedRange(4), **kwargs)


def test_attributes_frozen_after_init():
    loader = DataLoader(Squares(4))
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader"):
        loader.batch_size = 3
    loader.num_workers = 0  # other attributes may change


def test_default_samplers():
    assert isinstance(DataLoader(Squares(4)).sampler, SequentialSampler)
    loader = DataLoader(Squares(4), shuffle=True)
    assert isinstance(loader.sampler, RandomSampler)
    assert isinstance(loader.batch_sampler, BatchSampler)
    assert DataLoader(Squares(4), batch_size=None).batch_sampler is None


def test_iterable_dataset_batches_and_len():
    loader = DataLoader(ShardedRange(7), batch_size=3)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    loader = DataLoader(ShardedRange(7), batch_size=3, drop_last=True)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5]] and len(loader) == 2


def test_iterable_without_len():
    class Gen(IterableDataset):
        def __iter__(self):
            yield from range(3)

    loader = DataLoader(Gen(), batch_size=2)
    assert [b.tolist() for b in loader] == [[0, 1], [2]]
    with pytest.raises(TypeError):
        len(loader)


def test_get_worker_info_is_none_in_main():
    assert get_worker_info() is None


def test_pin_memory_is_accepted():
    with pytest.warns(UserWarning, match="pin_memory"):
        loader = DataLoader(Squares(2), pin_memory=not ember.cuda.is_available())
    assert len(list(loader)) == 2


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("stop", [0, 2, 5])
def test_resume_from_state_dict_yields_the_rest(shuffle, stop):
    loader = DataLoader(Squares(23), batch_size=4, shuffle=shuffle)
    it = iter(loader)
    head = [next(it) for _ in range(stop)]
    state = loader.state_dict()
    tail = to_lists(it)
    fresh = DataLoader(Squares(23), batch_size=4, shuffle=shuffle)
    fresh.load_state_dict(state)
    assert to_lists(fresh) == tail and len(head) + len(tail) == 6
    assert len(to_lists(fresh)) == 6  # the resume applies to one iteration only


def test_resume_with_custom_sampler_and_iterable():
    loader = DataLoader(Squares(10), sampler=[9, 7, 5, 3, 1, 0], batch_size=2)
    it = iter(loader)
    next(it)
    state = it.state_dict()
    fresh = DataLoader(Squares(10), sampler=[9, 7, 5, 3, 1, 0], batch_size=2)
    fresh.load_state_dict(state)
    assert [b[1].tolist() for b in fresh] == [[5, 3], [1, 0]]
    loader = DataLoader(ShardedRange(9), batch_size=2)
    it = iter(loader)
    next(it), next(it)
    fresh = DataLoader(ShardedRange(9), batch_size=2)
    fresh.load_state_dict(loader.state_dict())
    assert [b.tolist() for b in fresh] == [[4, 5], [6, 7], [8]]


def test_state_dict_after_epoch_starts_fresh():
    loader = DataLoader(Squares(4), batch_size=2)
    list(loader)
    assert loader.state_dict() == {}
