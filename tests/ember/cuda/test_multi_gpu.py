"""The device guard: an op on tensors on ``cuda:1`` runs with GPU 1 current, whichever GPU is
current outside, so its results (and gradients) stay on ``cuda:1``. Checked on the simulated
CuPy, which models two GPUs and puts what a function allocates on the current one, as CuPy
does: without the guard, ``exp`` of a ``cuda:1`` tensor lands on ``cuda:0`` there. Two layers:
primitives and backward make the inputs' GPU current; ``get_xp`` of an array on another GPU
gives a CuPy whose functions run there (for op bodies outside primitives: argmax, sort, ...)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.backends import get_xp
from ember.ops.registry import DISPATCH
from tests.ember import _fake_cupy
from tests.ember.opinfo import to_ember
from tests.ember.test_op_table import RECORDS


@pytest.fixture
def two_gpus():
    with _fake_cupy.installed():
        assert ember.cuda.device_count() == 2 and ember.cuda.current_device() == 0
        yield


def _tensors(out):
    if isinstance(out, ember.Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _tensors(o)]
    return []


def _off_device(info, where: str) -> list[str]:
    """What an op-table record leaves off ``where`` (forward outputs, then input gradients)."""
    sample = next(iter(info.sample_inputs(np.random.default_rng(0), info.dtypes[0].np)))
    if not any(isinstance(a, np.ndarray) for a in (*sample.args, *sample.kwargs.values())):
        return []  # a factory (window functions): nothing to follow
    grad = info.differentiable and info.dtypes[0].is_floating_point
    args, kwargs = to_ember(sample, where, requires_grad=grad)
    outs = _tensors(info.op(*args, **kwargs))
    bad = [f"{info.name}: output on {t.device}" for t in outs if t.device != where]
    leaves = [a for a in _tensors(list(args)) if a.requires_grad]
    diff = [t for t in outs if t.requires_grad]
    if leaves and diff:
        sum(t.float().sum() if not t.is_complex() else t.abs().sum() for t in diff).backward()
        bad += [
            f"{info.name}: grad on {a.grad.device}"
            for a in leaves
            if a.grad is not None and a.grad.device != where
        ]
    return bad


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # samples probe domain edges
def test_every_op_in_the_table_keeps_cuda1(two_gpus) -> None:
    bad = []
    for info in RECORDS:
        bad += _off_device(info, "cuda:1")
    assert ember.cuda.current_device() == 0  # the guard restored the current device
    assert not bad, "\n".join(bad)


def test_guard_follows_the_tensor_not_the_current_device(two_gpus) -> None:
    x = ember.randn(3, 3, device="cuda:0", requires_grad=True)
    with ember.cuda.device(1):
        y = (x.exp() @ x).softmax(-1).sum()
        y.backward()
        assert ember.cuda.current_device() == 1
    assert y.device == "cuda:0" and x.grad.device == "cuda:0"


def test_get_xp_follows_the_array(two_gpus) -> None:
    x = ember.arange(6.0, device="cuda:1")._data
    xp = get_xp(x)
    assert xp is not _fake_cupy and get_xp(ember.ones(2, device="cuda:0")._data).__name__
    assert xp.argsort(x).device.id == 1 and xp.linalg.norm(x).device.id == 1
    out = xp.zeros(3)
    xp.add.at(out, xp.asarray([0, 0]), 1.0)  # ufunc methods too
    assert out.device.id == 1 and out.tolist() == [2.0, 0.0, 0.0]
    assert isinstance(x, xp.ndarray) and xp.float32 is np.float32  # types pass through


def test_guard_is_off_with_one_gpu(monkeypatch) -> None:
    assert DISPATCH.guard is None  # no CuPy here: no guard, no cost on CPU
    monkeypatch.setattr(_fake_cupy, "N_DEVICES", 1)
    with _fake_cupy.installed():
        assert DISPATCH.guard is None
    with _fake_cupy.installed():  # N_DEVICES is read when the fake is built: still 1
        assert ember.cuda.device_count() == 1
    monkeypatch.undo()
    with _fake_cupy.installed():
        assert DISPATCH.guard is not None
    assert DISPATCH.guard is None
