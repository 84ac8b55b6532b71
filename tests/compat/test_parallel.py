"""ember.nn.parallel: DataParallel and its building blocks, transparent on one device."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember.nn.parallel import data_parallel, gather, parallel_apply, replicate, scatter

needs_cuda = pytest.mark.skipif(not ember.cuda.is_available(), reason="needs CUDA")


class Recorder(nn.Module):
    """A linear layer that remembers the batch size of every call."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.calls = []

    def forward(self, x, scale=1.0):
        self.calls.append(x.shape[0])
        return {"out": self.fc(x) * scale, "n": x.shape[0]}


def test_dataparallel_wraps_module_like_pytorch():
    inner = nn.Linear(4, 2)
    model = nn.DataParallel(inner)
    x = ember.randn(5, 4)
    np.testing.assert_allclose(model(x).detach().numpy(), inner(x).detach().numpy())
    assert model.module is inner
    assert list(model.state_dict()) == ["module.weight", "module.bias"]
    plain = nn.Linear(4, 2)
    plain.load_state_dict({k.removeprefix("module."): v for k, v in model.state_dict().items()})
    assert ember.equal(plain.weight, inner.weight)
    assert "DataParallel(\n  (module): Linear(in_features=4" in repr(model)


def test_dataparallel_gradients_reach_the_module():
    model = nn.DataParallel(nn.Linear(4, 1))
    model(ember.ones(3, 4)).sum().backward()
    np.testing.assert_allclose(model.module.weight.grad.numpy(), np.full((1, 4), 3.0))


def test_dataparallel_without_gpu_ignores_device_ids():
    if ember.cuda.is_available():
        pytest.skip("checks the CPU-only behaviour")
    model = nn.DataParallel(nn.Linear(2, 2), device_ids=[0, 1], output_device=1)
    assert model.device_ids == [] and model(ember.zeros(1, 2)).device.type == "cpu"


def test_scatter_splits_nested_inputs_and_keeps_history():
    leaf = ember.arange(10.0, requires_grad=True)
    x = leaf.reshape(5, 2)
    Pair = collections.namedtuple("Pair", "a b")
    parts = scatter((x, {"y": x * 2, "tag": "t"}, Pair(x, 3)), ["cpu", "cpu"])
    assert len(parts) == 2
    first, second = parts
    assert first[0].shape == (3, 2) and second[0].shape == (2, 2)
    assert second[1]["tag"] == "t" and second[1]["y"].tolist() == [[12.0, 14.0], [16.0, 18.0]]
    assert isinstance(first[2], Pair) and first[2].b == 3
    (first[0].sum() + 2 * second[0].sum()).backward()
    assert leaf.grad.tolist() == [1.0] * 6 + [2.0] * 4


def test_scatter_gives_fewer_chunks_than_devices_for_short_batches():
    assert len(scatter(ember.zeros(1, 3), ["cpu"] * 4)) == 1


def test_gather_concatenates_and_unsqueezes_scalars():
    a = ember.ones(2, 3, requires_grad=True)
    out = gather([{"x": a, "none": None}, {"x": ember.zeros(1, 3), "none": None}], "cpu")
    assert out["x"].shape == (3, 3) and out["none"] is None
    out["x"].sum().backward()
    assert a.grad.tolist() == [[1.0] * 3] * 2
    with pytest.warns(UserWarning, match="scalars"):
        losses = gather([ember.tensor(1.0), ember.tensor(2.0)], -1)
    assert losses.tolist() == [1.0, 2.0]
    assert gather([(ember.ones(1), ember.zeros(1))] * 2, "cpu")[1].shape == (2,)


def test_replicate_and_parallel_apply_share_parameters():
    net = Recorder()
    replicas = replicate(net, ["cpu", "cpu"])
    assert all(r is net for r in replicas)
    outs = parallel_apply(replicas, [ember.ones(2, 3), (ember.ones(1, 3),)],
                          [{"scale": 2.0}, {}])
    assert net.calls == [2, 1] and outs[0]["out"].shape == (2, 2)
    merged = gather(outs, "cpu")
    assert merged["out"].shape == (3, 2) and merged["n"] == [2, 1]
    with pytest.raises(ValueError, match="2 modules but 1 inputs"):
        parallel_apply(replicas, [ember.ones(1, 3)])


def test_replicate_refuses_a_second_device():
    with pytest.raises(NotImplementedError, match="one device"):
        replicate(nn.Linear(2, 2), ["cuda:1"])


def test_data_parallel_function():
    net = Recorder()
    out = data_parallel(net, ember.ones(4, 3), module_kwargs={"scale": 0.0})
    assert out["out"].abs().sum().item() == 0.0 and out["n"] == 4


@needs_cuda
def test_dataparallel_on_one_gpu_listed_twice_splits_the_batch():
    net = Recorder()
    model = nn.DataParallel(net, device_ids=[0, 0])
    net.to("cuda:0")
    x = ember.randn(5, 3)
    out = model(x.to("cuda"), scale=3.0)
    assert net.calls == [3, 2] and out["n"] == [3, 2] and out["out"].device.type == "cuda"
    ref = net.fc(x.to("cuda")) * 3.0
    np.testing.assert_allclose(out["out"].detach().cpu().numpy(), ref.detach().cpu().numpy(),
                               rtol=1e-5, atol=1e-6)
    out["out"].sum().backward()
    assert net.fc.weight.grad.device.type == "cuda"


@needs_cuda
def test_dataparallel_on_gpu_moves_one_device_module_and_checks_devices():
    model = nn.DataParallel(nn.Linear(2, 2), device_ids=[0])
    assert model.module.weight.device.type == "cuda"
    assert model(ember.zeros(3, 2)).device.type == "cuda"  # inputs follow device_ids[0]
    stray = nn.DataParallel(nn.Linear(2, 2), device_ids=[0, 0])
    with pytest.raises(RuntimeError, match="device_ids\\[0\\]"):
        stray(ember.zeros(3, 2))
