"""The CUDA device plumbing: transfers, propagation, mismatch errors, optimizer state, saving,
pinned memory and the ember.cuda API. Runs on a real GPU when there is one, else on the
NumPy-backed simulated GPU of tests/ember/_fake_cupy.py (the ``device`` fixture)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from tests.ember.opinfo import to_ember
from tests.ember.test_op_table import RECORDS


@pytest.mark.parametrize("info", RECORDS, ids=[r.name for r in RECORDS])
def test_every_op_keeps_its_outputs_on_the_device(info, cuda) -> None:
    for sample in info.sample_inputs(np.random.default_rng(0), np.dtype(np.float32)):
        args, kwargs = to_ember(sample, cuda)
        if not any(isinstance(a, ember.Tensor) for a in (*args, *kwargs.values())):
            continue  # a factory (windows, ...) makes CPU tensors unless given device=
        out = info.op(*args, **kwargs)
        outs = out if isinstance(out, (tuple, list)) else (out,)
        for o in outs:
            if isinstance(o, ember.Tensor):
                assert o.device.type == "cuda", f"{info.name} returned a {o.device} tensor"


def test_transfers_and_host_access(cuda) -> None:
    x = ember.arange(6.0).reshape(2, 3).to(cuda)
    assert x.device == ember.device("cuda:0") and x.is_cuda
    with pytest.raises(TypeError, match=r"Use Tensor.cpu\(\) to copy the tensor to host memory"):
        x.numpy()
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and x[1, 2].item() == 5.0
    np.testing.assert_array_equal(x.cpu().numpy(), np.arange(6.0).reshape(2, 3))
    assert x.to("cuda:1").device == ember.device("cuda:1") == x.cuda(1).device
    for make in (ember.zeros, ember.ones, ember.randn, ember.rand, ember.empty):
        assert make(2, device="cuda:1").device == ember.device("cuda:1"), make.__name__
    assert ember.randint(0, 4, (3,), device="cuda:1").device.index == 1


def test_mixing_devices(cuda) -> None:
    x = ember.ones(3, device=cuda)
    with pytest.raises(RuntimeError, match=r"same device.*(cpu and cuda:0|cuda:0 and cpu)"):
        x + ember.ones(3)
    with pytest.raises(RuntimeError, match="same device"):
        ember.cat([x, ember.ones(3)])
    scalar = x * ember.tensor(2.0)  # a 0-d CPU tensor acts as a scalar, as in PyTorch
    assert scalar.device.type == "cuda" and scalar.sum().item() == 6.0


def test_autograd_and_optimizer_state_stay_on_the_device(cuda) -> None:
    model = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))
    model.to(cuda)
    for opt in (ember.optim.Adam(model.parameters()),
                ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)):
        opt.zero_grad()
        loss = ember.nn.functional.cross_entropy(model(ember.randn(5, 4, device=cuda)),
                                                 ember.tensor([0, 1, 0, 1, 1], device=cuda))
        loss.backward()
        opt.step()
        assert all(p.grad.device.type == "cuda" for p in model.parameters())
        for state in opt.state.values():
            for v in state.values():
                if isinstance(v, ember.Tensor) and v.ndim:
                    assert v.device.type == "cuda"


def test_save_and_map_location(cuda, tmp_path) -> None:
    path = tmp_path / "t.ember"
    ember.save({"w": ember.arange(3.0, device=cuda)}, path)
    assert ember.load(path, map_location="cpu")["w"].device.type == "cpu"
    assert ember.load(path, map_location=cuda)["w"].device.type == "cuda"


def test_pinned_memory(cuda) -> None:
    x = ember.arange(4.0)
    assert not x.is_pinned()
    p = x.pin_memory()
    assert p.is_pinned() and p.pin_memory() is p and ember.equal(p, x)
    assert ember.equal(p.to(cuda, non_blocking=True).cpu(), x)
    ds = ember.utils.data.TensorDataset(ember.randn(6, 2), ember.arange(6))
    for xb, yb in ember.utils.data.DataLoader(ds, batch_size=3, pin_memory=True):
        assert xb.is_pinned() and yb.is_pinned()


def test_cuda_api(cuda) -> None:
    assert ember.cuda.is_available() and ember.cuda.device_count() >= 1
    assert isinstance(ember.cuda.get_device_name(0), str)
    major, _ = ember.cuda.get_device_capability()
    assert major >= 1 and ember.cuda.get_device_properties(0).total_memory > 0
    with ember.cuda.device(0):
        assert ember.cuda.current_device() == 0
    assert ember.cuda.memory_allocated() >= 0
    ember.cuda.reset_peak_memory_stats()
    assert ember.cuda.max_memory_allocated() >= ember.cuda.memory_allocated()
    start, end = ember.cuda.Event(enable_timing=True), ember.cuda.Event(enable_timing=True)
    s = ember.cuda.Stream()
    with ember.cuda.stream(s):
        start.record()
        y = ember.randn(8, 8, device=cuda) @ ember.randn(8, 8, device=cuda)
        end.record()
    end.synchronize()
    assert start.elapsed_time(end) >= 0 and y.device.type == "cuda"
    ember.cuda.synchronize()
    ember.cuda.manual_seed_all(3)
    a = ember.randn(3, device=cuda)
    ember.cuda.manual_seed_all(3)
    assert ember.equal(a, ember.randn(3, device=cuda))


def test_without_a_gpu_the_api_says_how_to_get_one() -> None:
    if ember.cuda.is_available():
        pytest.skip("a GPU is present")
    assert ember.cuda.device_count() == 0 and ember.cuda.memory_allocated() == 0
    with pytest.raises(RuntimeError, match=r"ember\[cuda\]"):
        ember.cuda.get_device_name()
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        ember.zeros(2, device="cuda")


def test_manual_seed_also_seeds_the_gpu(cuda) -> None:
    ember.manual_seed(5)
    a = ember.randn(4, device=cuda)
    ember.manual_seed(5)
    b = ember.randn(4, device=cuda)
    assert ember.equal(a, b) and not ember.equal(a, ember.randn(4, device=cuda))
