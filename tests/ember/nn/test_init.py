"""nn.init: distributions (bounds, means, variances), gains, fans, and layers' default init."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
from ember import nn
from ember.nn import init


def _stats(t):
    a = t.detach().numpy().astype(np.float64)
    return a, a.mean(), a.std()


def test_calculate_gain_table():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == pytest.approx(0.75)
    with pytest.raises(ValueError):
        init.calculate_gain("swish")
    with pytest.raises(ValueError):
        init.calculate_gain("leaky_relu", "x")


def test_fan_in_and_fan_out():
    assert init._calculate_fan_in_and_fan_out(ember.empty(5, 3)) == (3, 5)
    assert init._calculate_fan_in_and_fan_out(ember.empty(8, 4, 3, 3)) == (36, 72)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(ember.empty(3))


def test_uniform_and_normal():
    a, mean, std = _stats(init.uniform_(ember.empty(200, 500), -2.0, 3.0))
    assert a.min() >= -2.0 and a.max() < 3.0
    assert mean == pytest.approx(0.5, abs=0.02) and std == pytest.approx(5 / math.sqrt(12), 0.01)
    _, mean, std = _stats(init.normal_(ember.empty(200, 500), 1.5, 0.5))
    assert mean == pytest.approx(1.5, abs=0.005) and std == pytest.approx(0.5, rel=0.01)


def test_trunc_normal_bounds_and_variance():
    a, mean, std = _stats(init.trunc_normal_(ember.empty(200, 500), 0.0, 1.0, -2.0, 2.0))
    assert a.min() >= -2.0 and a.max() <= 2.0
    phi = math.exp(-2) / math.sqrt(2 * math.pi)  # density at 2
    z = math.erf(2 / math.sqrt(2))  # P(-2 < X < 2)
    want_var = 1 - 2 * 2 * phi / z
    assert mean == pytest.approx(0.0, abs=0.01) and std**2 == pytest.approx(want_var, rel=0.02)
    b, _, _ = _stats(init.trunc_normal_(ember.empty(1000), mean=5.0, std=2.0, a=4.0, b=5.5))
    assert b.min() >= 4.0 and b.max() <= 5.5


def test_constant_ones_zeros_eye():
    assert init.constant_(ember.empty(2, 2), 3.5).tolist() == [[3.5, 3.5], [3.5, 3.5]]
    assert init.ones_(ember.empty(3)).tolist() == [1.0] * 3
    assert init.zeros_(ember.empty(3)).tolist() == [0.0] * 3
    np.testing.assert_array_equal(init.eye_(ember.empty(3, 4)).numpy(), np.eye(3, 4))
    with pytest.raises(ValueError):
        init.eye_(ember.empty(3))


def test_dirac_is_identity_kernel():
    w = init.dirac_(ember.empty(4, 2, 3, 3), groups=2).numpy()
    assert w.sum() == 4
    for g in range(2):
        for d in range(2):
            assert w[g * 2 + d, d, 1, 1] == 1


@pytest.mark.parametrize("shape", [(300, 400), (64, 32, 3, 3)])
def test_xavier(shape):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(ember.empty(*shape))
    gain = 1.7
    std = gain * math.sqrt(2 / (fan_in + fan_out))
    a, mean, s = _stats(init.xavier_uniform_(ember.empty(*shape), gain=gain))
    assert np.abs(a).max() <= math.sqrt(3) * std + 1e-6
    assert s == pytest.approx(std, rel=0.02) and abs(mean) < 0.01 * std * 10
    _, _, s = _stats(init.xavier_normal_(ember.empty(*shape), gain=gain))
    assert s == pytest.approx(std, rel=0.02)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming(mode):
    w = ember.empty(200, 100, 3)
    fan = 300 if mode == "fan_in" else 600
    std = math.sqrt(2) / math.sqrt(fan)
    a, _, s = _stats(init.kaiming_uniform_(w, mode=mode, nonlinearity="relu"))
    assert np.abs(a).max() <= math.sqrt(3) * std + 1e-6 and s == pytest.approx(std, rel=0.02)
    _, _, s = _stats(init.kaiming_normal_(w, a=0.1, mode=mode))
    assert s == pytest.approx(math.sqrt(2 / 1.01) / math.sqrt(fan), rel=0.02)
    with pytest.raises(ValueError):
        init.kaiming_uniform_(w, mode="fan_avg")


@pytest.mark.parametrize("shape", [(6, 10), (10, 6), (4, 2, 3)])
def test_orthogonal(shape):
    w = init.orthogonal_(ember.empty(*shape), gain=2.0).numpy().reshape(shape[0], -1)
    rows, cols = w.shape
    if rows <= cols:
        np.testing.assert_allclose(w @ w.T, 4 * np.eye(rows), atol=1e-5)
    else:
        np.testing.assert_allclose(w.T @ w, 4 * np.eye(cols), atol=1e-5)


def test_sparse():
    w = init.sparse_(ember.empty(10, 40), sparsity=0.3).numpy()
    assert ((w == 0).sum(axis=0) >= 3).all()


def test_init_does_not_record_graph_and_bumps_version():
    p = nn.Parameter(ember.empty(3, 3))
    v = p._version
    init.normal_(p)
    assert p.grad_fn is None and p.requires_grad and p._version > v


def test_generator_reproducible():
    g1 = ember.Generator().manual_seed(3)
    g2 = ember.Generator().manual_seed(3)
    a = init.kaiming_uniform_(ember.empty(4, 4), generator=g1)
    b = init.kaiming_uniform_(ember.empty(4, 4), generator=g2)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_deprecated_spellings_warn():
    with pytest.warns(FutureWarning):
        init.normal(ember.empty(2))


# -- layers' default initialisation matches PyTorch's distributions -----------------------------
def test_linear_default_init():
    lin = nn.Linear(300, 400)
    bound = 1 / math.sqrt(300)  # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(in), 1/sqrt(in))
    w, _, s = _stats(lin.weight)
    assert np.abs(w).max() <= bound and s == pytest.approx(bound / math.sqrt(3), rel=0.02)
    b, _, _ = _stats(lin.bias)
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.8 * bound


def test_bilinear_embedding_norm_defaults():
    bil = nn.Bilinear(50, 20, 30)
    w, _, _ = _stats(bil.weight)
    assert np.abs(w).max() <= 1 / math.sqrt(50)
    _, mean, std = _stats(nn.Embedding(300, 200).weight)
    assert abs(mean) < 0.02 and std == pytest.approx(1.0, rel=0.02)
    bn = nn.BatchNorm2d(4)
    assert bn.weight.tolist() == [1.0] * 4 and bn.bias.tolist() == [0.0] * 4
    assert bn.running_var.tolist() == [1.0] * 4 and bn.num_batches_tracked.dtype == ember.int64
    assert nn.PReLU(3).weight.tolist() == [0.25] * 3
    ln = nn.LayerNorm((2, 3))
    assert ln.weight.shape == ember.Size([2, 3]) and float(ln.bias.abs().sum()) == 0


def test_same_seed_same_model():
    ember.manual_seed(123)
    a = nn.Linear(5, 5).weight.detach().numpy().copy()
    ember.manual_seed(123)
    b = nn.Linear(5, 5).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)


def test_module_dtype_and_factory_kwargs():
    lin = nn.Linear(3, 2, dtype=ember.float64)
    assert lin.weight.dtype == ember.float64
    assert lin(ember.randn(4, 3, dtype=ember.float64)).dtype == ember.float64
