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


def test_square_subsequent_mask():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    expected = np.array([[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]], np.float32)
    np.testing.assert_array_equal(mask.numpy(), expected)
    assert mask.dtype == ember.float32


class _Seq2Seq(nn.Transformer):
    """A Transformer subclass with a buffer and its own train(), as user code writes them."""

    def __init__(self):
        super().__init__(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                         dim_feedforward=16, dropout=0.0)
        self.register_buffer("scale", ember.tensor(2.0))
        self.modes = []

    def train(self, mode=True):
        self.modes.append(mode)
        return super().train(mode)


def test_subclassed_transformer_with_train_override_and_buffer():
    model = _Seq2Seq()
    assert model.eval() is model and model.modes == [False] and not model.encoder.training
    model.train()
    assert model.modes == [False, True] and model.decoder.layers[0].training
    assert "scale" in model.state_dict() and "scale" not in dict(model.named_parameters())
    src, tgt = ember.randn(5, 2, 8), ember.randn(4, 2, 8)
    out = model(src, tgt, tgt_mask=model.generate_square_subsequent_mask(4))
    assert out.shape == (4, 2, 8)


class _Frozen(nn.Linear):
    def train(self, mode=True):
        return super().train(False)  # this layer always stays in eval mode


def test_subclassed_linear_train_override_is_honoured_by_parents():
    model = nn.Sequential(_Frozen(2, 2), nn.Dropout(0.5))
    model.train()
    assert model.training and model[1].training and not model[0].training


def test_apply_by_class_name():
    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find('Conv') != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find('BatchNorm') != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)

    net = nn.Sequential(nn.Conv2d(3, 64, 3), nn.BatchNorm2d(64), nn.Linear(2, 2))
    linear_before = net[2].weight.detach().clone()
    assert net.apply(weights_init) is net
    assert abs(net[0].weight.std().item() - 0.02) < 0.003
    assert abs(net[1].weight.mean().item() - 1.0) < 0.01 and net[1].bias.abs().sum().item() == 0
    assert ember.equal(net[2].weight, linear_before)


def test_whole_module_save_needs_weights_only_false(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    ember.save(model, tmp_path / "model.pt")
    with pytest.raises(ember.serialization.WeightsOnlyUnpicklingError, match="weights_only"):
        ember.load(tmp_path / "model.pt")
    loaded = ember.load(tmp_path / "model.pt", weights_only=False)
    assert isinstance(loaded, nn.Sequential) and isinstance(loaded[1], nn.ReLU)
    x = ember.randn(4, 3)
    np.testing.assert_array_equal(loaded(x).detach().numpy(), model(x).detach().numpy())


def test_numpy_arrays_load_without_opt_in(tmp_path):
    data = np.sin(np.arange(12.0)).reshape(3, 4)
    ember.save({"data": data, "step": np.int64(3), "mean": np.float32(0.5)}, tmp_path / "a.pt")
    back = ember.load(tmp_path / "a.pt")
    np.testing.assert_array_equal(back["data"], data)
    assert back["step"] == 3 and back["mean"] == np.float32(0.5)
    ember.save(data, tmp_path / "b.pt")
    np.testing.assert_array_equal(ember.load(tmp_path / "b.pt"), data)


def test_module_share_memory():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight
    assert model.share_memory() is model
    assert model[0].weight is weight  # same Parameter object, now in shared memory
    assert all(t.is_shared() for t in [*model.parameters(), *model.buffers()])
    with ember.no_grad():
        weight.add_(1.0)  # in-place updates still work
