"""The small pieces of PyTorch's API that real programs reach for (issue 6), one check each."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn as nn


def test_data_read_and_assign():
    p = nn.Parameter(ember.zeros(3))
    assert p.data.requires_grad is False
    p.data = ember.ones(3)
    assert isinstance(p, nn.Parameter) and p.requires_grad
    np.testing.assert_array_equal(p.detach().numpy(), np.ones(3, np.float32))
    p.data.mul_(2)  # in-place on .data writes through
    np.testing.assert_array_equal(p.detach().numpy(), np.full(3, 2, np.float32))


def test_new_factories_keep_dtype():
    t = ember.zeros(2, dtype=ember.float64)
    assert t.new_zeros(2, 3).shape == (2, 3) and t.new_zeros((2, 3)).dtype == ember.float64
    assert t.new_ones(4).dtype == ember.float64
    np.testing.assert_array_equal(t.new_full((2,), 3.5).numpy(), [3.5, 3.5])
    assert t.new_empty(1, 2).shape == (1, 2)
    assert t.new_tensor([1, 2]).dtype == ember.float64
    assert t.new_zeros(2, dtype=ember.int64).dtype == ember.int64


def test_numpy_interop():
    t = ember.arange(6, dtype=ember.float32).reshape(2, 3)
    a = np.asarray(t)
    assert a.dtype == np.float32 and a.shape == (2, 3)
    assert np.array(t, dtype=np.float64).dtype == np.float64
    c = np.array(t, copy=True)
    c[0, 0] = 100
    assert t[0, 0].item() == 0
    np.testing.assert_array_equal(np.array(t), np.arange(6).reshape(2, 3))


def test_format_iter_len_bool_index_contains():
    loss = ember.tensor(0.123456)
    assert '{:.4f}'.format(loss) == '0.1235'  # noqa: UP032 and f'{loss:.2f}' == '0.12'
    t = ember.tensor([[1, 2], [3, 4]])
    assert [row.tolist() for row in t] == [[1, 2], [3, 4]]
    assert len(t) == 2 and 3 in t and 7 not in t and ember.tensor(4) in t
    assert bool(ember.tensor([1])) and not bool(ember.tensor(0.0))
    with pytest.raises(RuntimeError):
        bool(t)
    assert [10, 20, 30][ember.tensor(2)] == 30 and list(range(ember.tensor(2))) == [0, 1]
    with pytest.raises(TypeError):
        len(ember.tensor(1.0))
    with pytest.raises(TypeError):
        iter(ember.tensor(1.0))


def test_hash_is_identity():
    a, b = ember.zeros(2), ember.zeros(2)
    seen = {a: "a", b: "b"}
    assert seen[a] == "a" and seen[b] == "b" and len({a, a, b}) == 2


@pytest.mark.parametrize(("name", "dtype"), [
    ("FloatTensor", ember.float32), ("DoubleTensor", ember.float64),
    ("HalfTensor", ember.float16), ("LongTensor", ember.int64), ("IntTensor", ember.int32),
    ("ShortTensor", ember.int16), ("CharTensor", ember.int8), ("ByteTensor", ember.uint8),
    ("BoolTensor", ember.bool),
])
def test_legacy_constructors(name, dtype):
    cls = getattr(ember, name)
    sized = cls(2, 3)
    assert isinstance(sized, ember.Tensor) and sized.shape == (2, 3) and sized.dtype == dtype
    data = cls([1, 0])
    assert data.dtype == dtype and data.tolist() == [1, 0]
    assert cls().shape == (0,)
    assert isinstance(data, cls) and isinstance(data, ember.Tensor)
    other = ember.FloatTensor if cls is not ember.FloatTensor else ember.LongTensor
    assert not isinstance(data, other) and not isinstance([1, 0], cls)
    assert ember.arange(3).type(cls).dtype == dtype
    assert name in repr(cls) and name in ember.__all__


def test_legacy_constructor_from_numpy_and_tensor():
    f = ember.FloatTensor(np.arange(3))
    assert f.dtype == ember.float32 and f.tolist() == [0.0, 1.0, 2.0]
    assert ember.LongTensor(ember.tensor([1.7, 2.2])).tolist() == [1, 2]
    assert ember.LongTensor(3).random_(0, 10).shape == (3,)
    assert ember.FloatTensor(2, 2).uniform_().dtype == ember.float32


def test_type_strings_and_flags():
    t = ember.zeros(2)
    assert t.type(ember.DoubleTensor).dtype == ember.float64
    assert t.type("ember.LongTensor").dtype == ember.int64
    assert t.is_cuda is False and ember.is_tensor(t) and not ember.is_tensor(np.zeros(2))
    assert ember.numel(ember.zeros(2, 5)) == 10 and t.numel() == 2


def test_threads_and_determinism():
    before = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        assert ember.get_num_threads() == 1
    finally:
        ember.set_num_threads(before)
    assert ember.get_num_threads() == before
    try:
        ember.use_deterministic_algorithms(True)
        assert ember.are_deterministic_algorithms_enabled()
    finally:
        ember.use_deterministic_algorithms(False)


def test_manual_seed_returns_the_generator():
    g = ember.manual_seed(3)
    assert isinstance(g, ember.Generator)
    a = ember.randn(3, generator=g)
    ember.manual_seed(3)
    assert ember.equal(a, ember.randn(3))


def test_accelerator_and_backend_flags():
    dev = "cuda" if ember.cuda.is_available() else "cpu"
    assert ember.device(dev).type == dev
    assert ember.accelerator.is_available() == ember.cuda.is_available()
    saved = (ember.backends.cudnn.benchmark, ember.backends.cudnn.deterministic)
    try:
        ember.backends.cudnn.benchmark = True
        ember.backends.cudnn.deterministic = True
        assert ember.backends.cudnn.benchmark and ember.backends.cudnn.deterministic
    finally:
        ember.backends.cudnn.benchmark, ember.backends.cudnn.deterministic = saved
    assert isinstance(ember.backends.cudnn.enabled, bool)
    assert ember.backends.mps.is_available() is False
    assert isinstance(ember.backends.mps.is_built(), bool)
