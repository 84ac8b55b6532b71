"""ember.autocast: output dtypes under CPU autocast match PyTorch's in float16 and bfloat16
(fixture from torch 2.13), and the CUDA rules hold on the simulated GPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ember
import ember.nn.functional as F
from tests.ember.fixtures.autocast_cases import CASES

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "autocast_cpu.json").read_text())



def _inputs(device: str = "cpu"):
    x, w, b = ember.randn(2, 3), ember.randn(4, 3), ember.randn(4)
    t, i = ember.randn(2, 4), ember.tensor([0, 3])
    return tuple(a.to(device) for a in (x, w, b, t, i))


@pytest.mark.parametrize("name", sorted(FIXTURE["dtypes"]))
def test_cpu_autocast_dtypes_match_pytorch(name: str) -> None:
    args = _inputs()
    with ember.autocast("cpu", dtype=ember.float16):
        out = CASES[name](ember, F, *args)
    assert str(out.dtype).replace("ember.", "") == FIXTURE["dtypes"][name]


def test_cpu_bfloat16_autocast_dtypes_match_pytorch() -> None:
    # CPU autocast's default dtype is bfloat16, as in PyTorch: no dtype given here.
    args = _inputs()
    got = {}
    with ember.autocast("cpu"):
        assert ember.get_autocast_dtype("cpu") is ember.bfloat16
        for name, case in CASES.items():
            got[name] = str(case(ember, F, *args).dtype).replace("ember.", "")
    assert got == FIXTURE["dtypes_bfloat16"]


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
    with ember.autocast("cuda", dtype=ember.bfloat16):
        h = F.linear(x, w, b)
        assert h.dtype == ember.bfloat16 and h.device.type == "cuda"
        assert (h @ w).dtype == ember.bfloat16
        assert F.softmax(h, -1).dtype == ember.float32
        assert F.layer_norm(h, (4,)).dtype == ember.float32
        assert F.cross_entropy(h, i).dtype == ember.float32
    assert ember.cuda.is_bf16_supported()  # the simulated GPU reports compute capability 9.0
