"""Convolution (functional and layers) against stored PyTorch values, plus gradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures.conv import reference as ref

CONVS = {"conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
         "conv_transpose3d"}
CASES = ref.cases(CONVS)
IDS = [c["name"] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_pytorch(case, device):
    ref.check_case(case, device)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_pytorch_float32(case, device):
    ref.check_case(case, device, ember.float32)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradcheck_and_gradgradcheck(case, device):
    ref.gradchecks(case, device)


def test_chunked_batch_matches_one_chunk(device, monkeypatch):
    from ember.nn._functional import _convkern

    x = ember.randn(5, 3, 6, 6, dtype=ember.float64, device=device, requires_grad=True)
    w = ember.randn(4, 3, 3, 3, dtype=ember.float64, device=device, requires_grad=True)
    outs = []
    for budget in (1, 1 << 30):  # one sample per chunk, then the whole batch at once
        monkeypatch.setattr(_convkern, "_CHUNK_BYTES", budget)
        y = F.conv2d(x, w, padding=1, stride=2)
        gx, gw = ember.autograd.grad((y * y).sum(), (x, w))
        outs.append([t.detach().cpu().numpy() for t in (y, gx, gw)])
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_conv_matches_numpy_loop(device):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 2, 3))
    want = np.zeros((2, 4, 4, 4))
    for i in range(4):
        for j in range(4):
            want[:, :, i, j] = np.einsum("nchw,ochw->no", x[:, :, i:i + 2, j:j + 3], w)
    got = F.conv2d(ember.tensor(x, device=device), ember.tensor(w, device=device))
    np.testing.assert_allclose(got.cpu().numpy(), want, rtol=1e-12)


@pytest.mark.parametrize(("kwargs", "err"), [
    ({"groups": 2}, RuntimeError),
    ({"padding": "same", "stride": 2}, ValueError),
    ({"padding": "full"}, ValueError),
])
def test_conv_errors(kwargs, err):
    x, w = ember.randn(1, 3, 5, 5), ember.randn(2, 3, 3, 3)
    with pytest.raises(err):
        F.conv2d(x, w, **kwargs)


def test_conv_error_messages_name_shapes():
    with pytest.raises(RuntimeError, match=r"expected input\[1, 4, 5, 5\] to have 3 channels"):
        F.conv2d(ember.randn(1, 4, 5, 5), ember.randn(2, 3, 3, 3))
    with pytest.raises(RuntimeError, match="Kernel size can't be greater"):
        F.conv2d(ember.randn(1, 3, 2, 2), ember.randn(2, 3, 3, 3))
    with pytest.raises(RuntimeError, match="should be the same"):
        F.conv2d(ember.randn(1, 3, 5, 5), ember.randn(2, 3, 3, 3, dtype=ember.float64))


# -- layers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv2d_layer_padding_modes(mode, device):
    layer = nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode).double().to(device)
    x = ember.randn(2, 2, 5, 6, dtype=ember.float64, device=device)
    pad_mode = "constant" if mode == "zeros" else mode
    want = F.conv2d(F.pad(x, (2, 2, 1, 1), mode=pad_mode), layer.weight, layer.bias)
    np.testing.assert_allclose(layer(x).detach().cpu().numpy(), want.detach().cpu().numpy())
    x.requires_grad_(True)
    assert ember.autograd.gradcheck(lambda t: layer(t), (x,))


def test_conv_layers_state_dict_and_shapes():
    cases = [
        (nn.Conv1d(4, 6, 3, stride=2, groups=2), (2, 4, 9), (6, 2, 3), (2, 6, 4)),
        (nn.Conv2d(3, 8, (3, 2), padding="same", bias=False), (2, 3, 7, 6), (8, 3, 3, 2),
         (2, 8, 7, 6)),
        (nn.Conv3d(2, 4, 2), (1, 2, 3, 3, 3), (4, 2, 2, 2, 2), (1, 4, 2, 2, 2)),
        (nn.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, groups=2), (2, 4, 5),
         (4, 3, 3), (2, 6, 12)),
        (nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1), (1, 3, 4, 4), (3, 2, 3, 3),
         (1, 2, 7, 7)),
    ]
    for layer, xs, ws, ys in cases:
        keys = ["weight"] + (["bias"] if layer.bias is not None else [])
        assert list(layer.state_dict()) == keys
        assert tuple(layer.weight.shape) == ws
        assert tuple(layer(ember.randn(*xs)).shape) == ys


def test_conv_transpose_output_size_argument():
    layer = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
    x = ember.randn(1, 3, 4, 4)
    assert tuple(layer(x, output_size=[8, 8]).shape) == (1, 2, 8, 8)
    assert tuple(layer(x).shape) == (1, 2, 7, 7)
    with pytest.raises(ValueError):
        layer(x, output_size=[10, 10])


@pytest.mark.parametrize("cls", [nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d])
def test_default_init_matches_pytorch_bounds(cls):
    layer = cls(16, 8, 3)
    fan_in = layer.weight.shape[1] * math.prod(layer.weight.shape[2:])
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) gives the same bound
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.abs(w).max() <= bound + 1e-7 and np.abs(w).max() > 0.8 * bound
    assert np.abs(b).max() <= bound + 1e-7
    assert abs(w.std() - bound / math.sqrt(3)) < 0.15 * bound


def test_conv_layer_repr():
    assert repr(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)) == (
        "Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)")
    assert repr(nn.ConvTranspose1d(2, 4, 3)) == "ConvTranspose1d(2, 4, kernel_size=(3,), stride=(1,))"


def test_conv_layer_trains_a_tiny_problem():
    ember.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.AdaptiveAvgPool2d(1),
                        nn.Flatten(), nn.Linear(4, 2))
    x = ember.randn(8, 1, 6, 6)
    y = ember.randn(8, 2)
    opt = ember.optim.SGD(net.parameters(), lr=0.5)
    first = None
    for _ in range(40):
        loss = ((net(x) - y) ** 2).mean()
        first = first if first is not None else float(loss)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss) < 0.5 * first


def _conv_transpose1d_reference(x, w, b, stride, padding, dilation, output_padding):
    """Transposed convolution by its definition: every input tap scattered into the output."""
    n, c_in, length = x.shape
    c_out, k = w.shape[1], w.shape[2]
    out = (length - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    y = np.zeros((n, c_out, out)) + b[None, :, None]
    for i in range(length):
        for t in range(k):
            o = i * stride - padding + t * dilation
            if 0 <= o < out:
                y[:, :, o] += x[:, :, i] @ w[:, :, t]
    return y


@pytest.mark.parametrize("stride,padding,dilation,output_padding",
                         [(1, 0, 2, 1), (1, 1, 3, 2), (2, 1, 1, 1), (3, 0, 2, 1), (1, 2, 3, 1)])
def test_conv_transpose_output_padding_beyond_the_kernels_reach(stride, padding, dilation,
                                                                output_padding):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 2, 5)), rng.normal(size=(2, 3, 3)), rng.normal(size=3)
    args = dict(stride=stride, padding=padding, dilation=dilation, output_padding=output_padding)
    y = F.conv_transpose1d(ember.tensor(x), ember.tensor(w), ember.tensor(b), **args)
    np.testing.assert_allclose(y.numpy(), _conv_transpose1d_reference(x, w, b, **args), atol=1e-12)
    xt = ember.tensor(x, requires_grad=True)
    wt = ember.tensor(w, requires_grad=True)
    bt = ember.tensor(b, requires_grad=True)
    assert ember.autograd.gradcheck(lambda a, c, d: F.conv_transpose1d(a, c, d, **args),
                                    (xt, wt, bt))
