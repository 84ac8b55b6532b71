"""ember.autocast: output dtypes under CPU autocast match PyTorch's (fixture from torch 2.13),
and the CUDA rules hold on the simulated GPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ember
import ember.nn.functional as F

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "autocast_cpu.json").read_text())

CASES = {
    "linear": lambda x, w, b, t, i: F.linear(x, w, b),
    "matmul": lambda x, w, b, t, i: x @ w.t(),
    "mm": lambda x, w, b, t, i: ember.mm(x, w.t()),
    "bmm": lambda x, w, b, t, i: ember.bmm(x[None], w.t()[None]),
    "addmm": lambda x, w, b, t, i: ember.addmm(b, x, w.t()),
    "conv2d": lambda x, w, b, t, i: F.conv2d(x.reshape(1, 1, 2, 3), w[:2].reshape(2, 1, 1, 3)),
    "softmax": lambda x, w, b, t, i: F.softmax(x, -1),
    "log_softmax": lambda x, w, b, t, i: F.log_softmax(x, -1),
    "layer_norm": lambda x, w, b, t, i: F.layer_norm(x, (3,)),
    "cross_entropy": lambda x, w, b, t, i: F.cross_entropy(F.linear(x, w), i),
    "nll_loss": lambda x, w, b, t, i: F.nll_loss(F.linear(x, w), i),
    "mse_loss": lambda x, w, b, t, i: F.mse_loss(F.linear(x, w), t),
    "l1_loss": lambda x, w, b, t, i: F.l1_loss(F.linear(x, w), t),
    "bce_with_logits": lambda x, w, b, t, i: F.binary_cross_entropy_with_logits(
        F.linear(x, w), t.sigmoid()),
    "relu_of_linear": lambda x, w, b, t, i: F.relu(F.linear(x, w)),
    "add_fp16_fp32": lambda x, w, b, t, i: F.linear(x, w) + t,
    "exp": lambda x, w, b, t, i: ember.exp(x),
    "sum_of_linear": lambda x, w, b, t, i: F.linear(x, w).sum(),
    "double_matmul": lambda x, w, b, t, i: x.double() @ w.double().t(),
    "softmax_of_linear": lambda x, w, b, t, i: F.softmax(F.linear(x, w), -1),
    "log_softmax_of_linear": lambda x, w, b, t, i: F.log_softmax(F.linear(x, w), -1),
    "layer_norm_of_linear": lambda x, w, b, t, i: F.layer_norm(F.linear(x, w), (4,)),
    "exp_of_linear": lambda x, w, b, t, i: ember.exp(F.linear(x, w)),
    "gelu_of_linear": lambda x, w, b, t, i: F.gelu(F.linear(x, w)),
    "cdist": lambda x, w, b, t, i: ember.cdist(F.linear(x, w), F.linear(x, w)),
    "sdpa": lambda x, w, b, t, i: F.scaled_dot_product_attention(x[None], x[None], x[None]),
}


def _inputs(device: str = "cpu"):
    x, w, b = ember.randn(2, 3), ember.randn(4, 3), ember.randn(4)
    t, i = ember.randn(2, 4), ember.tensor([0, 3])
    return tuple(a.to(device) for a in (x, w, b, t, i))


@pytest.mark.parametrize("name", sorted(FIXTURE["dtypes"]))
def test_cpu_autocast_dtypes_match_pytorch(name: str) -> None:
    args = _inputs()
    with ember.autocast("cpu", dtype=ember.float16):
        out = CASES[name](*args)
    assert str(out.dtype).replace("ember.", "") == FIXTURE["dtypes"][name]


def test_region_state_and_nesting() -> None:
    x, w = ember.randn(2, 3), ember.randn(4, 3)
    assert not ember.is_autocast_enabled("cpu")
    with ember.autocast("cpu", dtype=ember.float16):
        assert ember.is_autocast_enabled("cpu")
        assert ember.get_autocast_dtype("cpu") == ember.float16
        with ember.autocast("cpu", enabled=False):
            assert F.linear(x, w).dtype == ember.float32
        assert F.linear(x, w).dtype == ember.float16
    assert not ember.is_autocast_enabled("cpu") and F.linear(x, w).dtype == ember.float32


def test_gradients_reach_float32_parameters() -> None:
    model = ember.nn.Linear(3, 4)
    with ember.autocast("cpu", dtype=ember.float16):
        loss = F.cross_entropy(model(ember.randn(5, 3)), ember.tensor([0, 1, 2, 3, 0]))
    loss.backward()
    assert model.weight.grad.dtype == ember.float32 and model.weight.dtype == ember.float32


def test_decorator_and_bad_arguments() -> None:
    @ember.autocast("cpu", dtype=ember.float16)
    def f(a, b):
        return a @ b

    assert f(ember.randn(2, 2), ember.randn(2, 2)).dtype == ember.float16
    with pytest.raises(RuntimeError, match="unsupported autocast device_type"):
        ember.autocast("tpu")
    with pytest.raises(RuntimeError, match="not supported"):
        ember.autocast("cpu", dtype=ember.float64)


def test_cuda_rules_on_the_device() -> None:
    from tests.ember import _fake_cupy

    with _fake_cupy.installed():
        _check_cuda_rules("cuda")


def _check_cuda_rules(device: str) -> None:
    x, w, b, t, i = _inputs(device)
    with ember.autocast("cuda"):  # float16 by default on CUDA
        h = F.linear(x, w, b)
        assert h.dtype == ember.float16 and h.device.type == "cuda"
        assert F.softmax(h, -1).dtype == ember.float32  # softmax is on CUDA's float32 list
        assert F.layer_norm(h, (4,)).dtype == ember.float32
        assert F.cross_entropy(h, i).dtype == ember.float32
    with ember.autocast("cpu", dtype=ember.float16):  # a CPU region leaves CUDA tensors alone
        assert F.linear(x, w, b).dtype == ember.float32
