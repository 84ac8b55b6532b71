"""Tensor basics: creation, dtypes and promotion, conversions, printing, devices, errors."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import ember


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([1, 2], ember.int64),
        ([1.0, 2], ember.float32),
        ([True, False], ember.bool),
        (3.5, ember.float32),
        (np.zeros(2, np.float64), ember.float64),
        (np.zeros(2, np.int32), ember.int32),
        (np.zeros(2, np.uint8), ember.uint8),
    ],
)
def test_tensor_infers_dtype_like_pytorch(data, dtype):
    assert ember.tensor(data).dtype is dtype


def test_tensor_copies_but_from_numpy_and_as_tensor_share():
    a = np.zeros(3, np.float32)
    t = ember.tensor(a)
    t2 = ember.from_numpy(a)
    t3 = ember.as_tensor(a)
    a[0] = 5
    assert t[0].item() == 0 and t2[0].item() == 5 and t3[0].item() == 5
    assert np.shares_memory(t2.numpy(), a)


def test_creation_functions(device):
    assert ember.zeros(2, 3, device=device).shape == (2, 3)
    assert ember.zeros((2, 3)).shape == ember.Size([2, 3])
    assert ember.ones(4, dtype=ember.int32).dtype is ember.int32
    assert ember.full((2,), 7).dtype is ember.int64
    assert ember.full((2,), 7.0).dtype is ember.float32
    np.testing.assert_allclose(ember.arange(0, 1, 0.25).numpy(), [0, 0.25, 0.5, 0.75])
    assert ember.arange(5).dtype is ember.int64
    np.testing.assert_allclose(ember.linspace(0, 1, 5).numpy(), np.linspace(0, 1, 5))
    np.testing.assert_allclose(ember.logspace(0, 2, 3).numpy(), [1, 10, 100])
    np.testing.assert_allclose(ember.eye(2, 3).numpy(), np.eye(2, 3))
    like = ember.ones(2, 2, dtype=ember.float64)
    assert ember.zeros_like(like).dtype is ember.float64
    assert ember.full_like(like, 3).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert ember.empty(0).shape == (0,)
    with pytest.raises(RuntimeError, match="negative dimension"):
        ember.zeros(-1)


def test_random_functions_are_seeded_and_typed():
    ember.manual_seed(3)
    a = ember.rand(5)
    ember.manual_seed(3)
    b = ember.rand(5)
    assert ember.equal(a, b)
    assert a.dtype is ember.float32
    assert ((a >= 0) & (a < 1)).all()
    g = ember.Generator().manual_seed(1)
    r1 = ember.randn(4, generator=g)
    g.manual_seed(1)
    assert ember.equal(r1, ember.randn(4, generator=g))
    assert ember.randint(0, 3, (100,)).dtype is ember.int64
    assert sorted(ember.randperm(6).tolist()) == list(range(6))
    counts = np.bincount(
        ember.multinomial(ember.tensor([0.0, 1.0, 3.0]), 2000, True).numpy(), minlength=3
    )
    assert counts[0] == 0 and 0.65 < counts[2] / 2000 < 0.85
    assert ember.bernoulli(ember.full((10,), 1.0)).sum().item() == 10
    assert isinstance(ember.manual_seed(0), ember.Generator)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ember.tensor([1, 2]), 1.5, ember.float32),
        (ember.tensor([1, 2], dtype=ember.int32), 2, ember.int32),
        (ember.ones(2, dtype=ember.float16), 1.0, ember.float16),
        (ember.ones(2), ember.tensor(1.0, dtype=ember.float64), ember.float32),
        (ember.ones(2, dtype=ember.int32), ember.ones(2, dtype=ember.float64), ember.float64),
        (ember.tensor([True]), 2, ember.int64),
        (ember.tensor([1], dtype=ember.uint8), ember.tensor([1], dtype=ember.int8), ember.int16),
        (ember.tensor([1]), ember.tensor(1.0, dtype=ember.float64), ember.float64),
    ],
)
def test_type_promotion(a, b, expected):
    assert (a + b).dtype is expected
    assert ember.result_type(a, b) is expected


def test_no_silent_float64():
    x = ember.ones(3)
    for y in (x * 2.5, x + 1, x / 3, x**2, x - np.float64(1.0), x.sum(), x.mean()):
        assert y.dtype is ember.float32


def test_numpy_item_tolist():
    t = ember.tensor([[1.0, 2.0]], requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        t.numpy()
    assert t.detach().numpy().shape == (1, 2)
    with pytest.raises(RuntimeError, match="2 elements cannot be converted"):
        t.item()
    assert isinstance(ember.tensor([3]).item(), int)
    assert isinstance(ember.tensor(2.5).item(), float)
    assert t.tolist() == [[1.0, 2.0]]
    assert np.asarray(ember.ones(2)).dtype == np.float32
    assert float(ember.tensor(1.5)) == 1.5 and int(ember.tensor(7)) == 7
    assert f"{ember.tensor(0.123456):.3f}" == "0.123"
    assert [1, 2, 3][ember.tensor(1)] == 2


def test_shape_helpers():
    t = ember.zeros(2, 3, 4)
    assert t.size() == (2, 3, 4) and t.size(-1) == 4 and t.dim() == 3 and t.numel() == 24
    assert repr(t.shape) == "ember.Size([2, 3, 4])"
    assert len(t) == 2 and t.ndim == 3
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.size(3)


def test_repr_matches_pytorch_layout():
    assert repr(ember.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(ember.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(ember.tensor([0.5, -1.25])) == "tensor([ 0.5000, -1.2500])"
    assert repr(ember.tensor([[1.0, 10.0]])) == "tensor([[ 1., 10.]])"
    assert repr(ember.tensor([1, 2], dtype=ember.int32)) == "tensor([1, 2], dtype=ember.int32)"
    assert repr(ember.tensor(3.0, requires_grad=True)) == "tensor(3., requires_grad=True)"
    x = ember.tensor([1.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2.], grad_fn=<MulBackward0>)"
    assert repr(ember.tensor([True, False])) == "tensor([ True, False])"
    assert "..." in repr(ember.arange(5000))
    assert repr(ember.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    ember.set_printoptions(precision=2)
    try:
        assert repr(ember.tensor([0.123])) == "tensor([0.12])"
    finally:
        ember.set_printoptions(profile="default")


def test_device_objects():
    d = ember.device("cuda:1")
    assert d.type == "cuda" and d.index == 1 and str(d) == "cuda:1"
    assert ember.device("cpu") == "cpu"
    assert ember.ones(1).device == ember.device("cpu")
    assert ember.ones(1).is_cpu and not ember.ones(1).is_cuda
    with pytest.raises(RuntimeError):
        ember.device("tpu")


@pytest.mark.skipif(ember.cuda.is_available(), reason="checks the no-GPU error")
def test_cuda_request_without_gpu_is_a_clear_error():
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        ember.ones(2).to("cuda")


def test_to_and_casts():
    t = ember.tensor([1.7, -2.2])
    assert t.to(ember.int64).tolist() == [1, -2]
    assert t.long().dtype is ember.int64 and t.double().dtype is ember.float64
    assert t.half().dtype is ember.float16 and t.bool().dtype is ember.bool
    assert t.to("cpu") is t and t.to(ember.float32) is t
    assert t.to(ember.ones(1, dtype=ember.float64)).dtype is ember.float64
    assert t.type() == "ember.FloatTensor"
    assert nn_linear_double().weight.dtype is ember.float64
    assert t.type("torch.LongTensor").dtype is ember.int64


def test_legacy_constructors():
    assert ember.Tensor(2, 3).shape == (2, 3)
    assert ember.Tensor([1, 2]).dtype is ember.float32


def test_clone_detach_and_copy():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.grad_fn is not None
    d = x.detach()
    assert not d.requires_grad and np.shares_memory(d.numpy(), x.detach().numpy())
    y = ember.zeros(2)
    y.copy_(ember.tensor([3, 4]))
    assert y.tolist() == [3.0, 4.0]
    deep = copy.deepcopy(x)
    assert deep.requires_grad and not np.shares_memory(deep.detach().numpy(), x.detach().numpy())


def test_pickle_round_trip():
    x = ember.tensor([[1.0, 2.0]], requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    assert y.requires_grad and y.tolist() == [[1.0, 2.0]]


def test_bool_of_multi_element_tensor_is_ambiguous():
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ember.ones(2))
    assert bool(ember.ones(1))


def test_binary_op_errors_name_the_problem():
    with pytest.raises(TypeError, match="unsupported operand"):
        ember.ones(2) + "a"
    with pytest.raises(
        RuntimeError, match=r"size of tensor a \(2\) must match the size of tensor b \(3\)"
    ):
        ember.ones(2) + ember.ones(3)
    with pytest.raises(RuntimeError, match="non-singleton dimension 1"):
        ember.ones(2, 3, requires_grad=True) * ember.ones(2, 4)


def test_complex_tensors_print_and_promote_like_pytorch():
    z = ember.tensor([1 + 2j, 3 - 1j])
    assert z.dtype is ember.complex64 and z.is_complex()
    assert repr(z) == "tensor([1.+2.j, 3.-1.j])"
    assert repr(ember.tensor([0.5 + 1j], dtype=ember.complex128)) == (
        "tensor([0.5000+1.j], dtype=ember.complex128)"
    )
    assert (z * 2.0).dtype is ember.complex64
    np.testing.assert_allclose((z * 2.0).numpy(), [2 + 4j, 6 - 2j])
    assert (ember.ones(2) * 1j).dtype is ember.complex64


def test_randint_accepts_pytorch_call_forms():
    assert ember.randint(3, size=(50,)).max().item() < 3
    assert ember.randint(3, (4,)).shape == (4,)
    low = ember.randint(2, 5, (100,))
    assert low.min().item() >= 2 and low.max().item() < 5
    with pytest.raises(TypeError, match="size"):
        ember.randint(3)


def nn_linear_double():
    return ember.nn.Linear(2, 2).type(ember.DoubleTensor)


def test_format_of_multi_element_tensor():
    assert "tensor" in f"{ember.ones(2)}"
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{ember.ones(2):.2f}"


def test_cuda_legacy_types_exist():
    assert ember.cuda.FloatTensor is not None
    with pytest.raises(AttributeError):
        ember.cuda.NoSuchTensor
