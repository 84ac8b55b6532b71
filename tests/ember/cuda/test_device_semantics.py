"""PyTorch's device semantics on the GPU, op by op: mixed-device errors across a broad sample of
ops, every optimizer's state placement, every form of ``map_location``, random numbers and
dropout under ``ember.manual_seed``, host access, and pinned batches copied without blocking.
Runs on a real GPU when there is one, else on the simulated GPU of tests/ember/_fake_cupy.py."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.ember import _fake_cupy


def _idx(*v: int, device: str = "cpu") -> ember.Tensor:
    return ember.tensor(list(v), device=device)


# Each takes (g, c): a 3x3 GPU tensor and a 3x3 CPU tensor, and mixes them as PyTorch refuses.
MIXED = {
    "add": lambda g, c: g + c,
    "mul_reflected": lambda g, c: c * g,
    "inplace_add": lambda g, c: g.add_(c),
    "maximum": lambda g, c: ember.maximum(g, c),
    "lerp": lambda g, c: ember.lerp(g, c, 0.5),
    "matmul": lambda g, c: g @ c,
    "bmm": lambda g, c: ember.bmm(g[None], c[None]),
    "addmm": lambda g, c: ember.addmm(g, c, g),
    "einsum": lambda g, c: ember.einsum("ij,jk->ik", g, c),
    "linear": lambda g, c: F.linear(g, c),
    "conv2d": lambda g, c: F.conv2d(g[None, None], c[None, None]),
    "cat": lambda g, c: ember.cat([g, c]),
    "stack": lambda g, c: ember.stack([c, g]),
    "where": lambda g, c: ember.where(g > 0, g, c),
    "where_condition": lambda g, c: ember.where(c > 0, g, g),
    "masked_fill": lambda g, c: g.masked_fill(c > 0, 1.0),
    "setitem": lambda g, c: g.__setitem__(0, c[0]),
    "index_select": lambda g, c: g.index_select(0, _idx(0, 1)),
    "gather": lambda g, c: g.gather(0, ember.zeros(3, 3, dtype=ember.long)),
    "index_add": lambda g, c: g.index_add(0, _idx(0), c[:1]),
    "scatter_src": lambda g, c: g.scatter(
        0, ember.zeros(1, 3, dtype=ember.long, device="cuda"), c[:1]
    ),
    "take": lambda g, c: ember.take(g, _idx(0, 4)),
    "embedding": lambda g, c: F.embedding(_idx(0, 1), g),
    "mse_loss": lambda g, c: F.mse_loss(g, c),
    "cross_entropy": lambda g, c: F.cross_entropy(g, _idx(0, 1, 2)),
    "nll_loss": lambda g, c: F.nll_loss(g, _idx(0, 1, 2)),
    "binary_cross_entropy": lambda g, c: F.binary_cross_entropy(g.sigmoid(), c.sigmoid()),
}


@pytest.mark.parametrize("name", list(MIXED))
def test_mixing_devices_names_both(name, cuda) -> None:
    g, c = ember.randn(3, 3, device=cuda), ember.randn(3, 3)
    with pytest.raises(RuntimeError, match=r"same device.*(cpu and cuda:0|cuda:0 and cpu)!"):
        MIXED[name](g, c)


@pytest.mark.parametrize("name", ["add", "matmul", "cat", "where", "linear", "mse_loss"])
def test_two_gpus_in_one_op_name_both(name, cuda) -> None:
    if ember.cuda.device_count() < 2:
        pytest.skip("needs two GPUs (the simulated GPU has two)")
    g1, g0 = ember.randn(3, 3, device="cuda:1"), ember.randn(3, 3, device="cuda:0")
    with pytest.raises(RuntimeError, match=r"same device.*cuda:1 and cuda:0!"):
        MIXED[name](g1, g0)


def test_what_pytorch_allows_across_devices(cuda) -> None:
    g = ember.arange(9.0, device=cuda).reshape(3, 3)
    assert g[_idx(2, 0)].device.type == "cuda"  # CPU indices in advanced indexing
    assert ember.equal(g[_idx(2, 0)].cpu(), ember.arange(9.0).reshape(3, 3)[_idx(2, 0)])
    assert (g * ember.tensor(2.0)).device.type == "cuda"  # a 0-d CPU tensor is a scalar
    g.copy_(ember.ones(3, 3))  # copy_ copies across devices
    assert g.device.type == "cuda" and g.sum().item() == 9.0


def test_host_access(cuda) -> None:
    x = ember.tensor([[1.5, -2.0]], device=cuda)
    with pytest.raises(TypeError) as err:
        x.numpy()
    assert str(err.value) == (
        "can't convert cuda:0 device type tensor to numpy. Use "
        "Tensor.cpu() to copy the tensor to host memory first."
    )
    assert x.tolist() == [[1.5, -2.0]] and x[0, 1].item() == -2.0
    for dt, value in ((ember.int64, 7), (ember.bool, True), (ember.float16, 0.5)):
        t = ember.tensor([value], dtype=dt, device=cuda)
        assert type(t.item()) is type(value) and t.item() == value and t.tolist() == [value]


OPTIMIZERS = {
    "SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "Adam": {"lr": 0.1, "amsgrad": True},
    "AdamW": {"lr": 0.1},
    "Adamax": {"lr": 0.1},
    "NAdam": {"lr": 0.1},
    "RAdam": {"lr": 0.1},
    "Adagrad": {"lr": 0.1},
    "Adadelta": {"lr": 1.0},
    "RMSprop": {"lr": 0.01, "momentum": 0.5, "centered": True},
    "Rprop": {"lr": 0.01},
    "LBFGS": {"lr": 0.5},
}


def _train(name: str, device: str, steps: int = 3):
    ember.manual_seed(0)
    model = ember.nn.Linear(3, 2).to(device)
    opt = getattr(ember.optim, name)(model.parameters(), **OPTIMIZERS[name])
    sched = ember.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    x = ember.randn(4, 3).to(device)

    def closure():
        opt.zero_grad()
        loss = (model(x) ** 2).sum()
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
        sched.step()
    return model, opt


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_state_lives_on_the_parameters_device(name, cuda) -> None:
    ref, _ = _train(name, "cpu")
    model, opt = _train(name, cuda)
    for p, q in zip(ref.parameters(), model.parameters()):
        np.testing.assert_allclose(
            q.detach().cpu().numpy(), p.detach().numpy(), rtol=1e-5, atol=1e-6
        )
    assert opt.param_groups[0]["lr"] == OPTIMIZERS[name]["lr"] * 0.125  # the scheduler ran
    # As PyTorch: tensors of a parameter's shape live on its device; the scalar ``step`` (and
    # NAdam's ``mu_product``) stays a CPU tensor unless capturable.
    placed = [
        (k, v) for s in opt.state.values() for k, v in s.items() if isinstance(v, ember.Tensor)
    ]
    assert placed
    for key, v in placed:
        want = "cpu" if v.ndim == 0 and key in ("step", "mu_product") else "cuda"
        assert v.device.type == want, (key, v.device)
    # A state dict saved on the CPU loads into an optimizer over GPU parameters on their device.
    cpu_state = _train(name, "cpu")[1].state_dict()
    fresh = getattr(ember.optim, name)(model.parameters(), **OPTIMIZERS[name])
    fresh.load_state_dict(cpu_state)
    for s in fresh.state.values():
        for key, v in s.items():
            if isinstance(v, ember.Tensor) and v.ndim:
                assert v.device.type == "cuda", (key, v.device)


def test_map_location_in_all_its_forms(cuda, tmp_path) -> None:
    path = tmp_path / "t.ember"
    ember.save({"g": ember.arange(3.0, device=f"{cuda}:1"), "c": ember.arange(2.0)}, path)

    def where(map_location) -> dict[str, str]:
        out = ember.load(path, map_location=map_location)
        assert ember.equal(out["g"].cpu(), ember.arange(3.0))
        return {k: str(v.device) for k, v in out.items()}

    assert where(None) == {"g": "cuda:1", "c": "cpu"}  # where each was saved
    for ml in ("cpu", ember.device("cpu")):
        assert where(ml) == {"g": "cpu", "c": "cpu"}
    for ml in ("cuda", "cuda:0", ember.device("cuda", 0)):
        assert where(ml) == {"g": "cuda:0", "c": "cuda:0"}
    assert where({"cuda:1": "cuda:0"}) == {"g": "cuda:0", "c": "cpu"}  # renames locations
    assert where({"cuda:1": "cpu"}) == {"g": "cpu", "c": "cpu"}
    assert where(lambda storage, loc: storage) == {"g": "cpu", "c": "cpu"}  # torch's CPU idiom
    assert where(lambda storage, loc: storage.cuda(0)) == {"g": "cuda:0", "c": "cuda:0"}
    assert where(lambda storage, loc: None) == {"g": "cuda:1", "c": "cpu"}  # None: the default
    with pytest.raises(TypeError, match="map_location"):
        ember.load(path, map_location=3)


def test_gpu_checkpoint_on_a_machine_without_one(tmp_path) -> None:
    if ember.cuda.is_available():
        pytest.skip("a GPU is present")
    path = tmp_path / "gpu.ember"
    with _fake_cupy.installed():
        model = ember.nn.Linear(2, 2).to("cuda")
        opt = ember.optim.Adam(model.parameters())
        model(ember.ones(1, 2, device="cuda")).sum().backward()
        opt.step()
        ember.save({"model": model.state_dict(), "opt": opt.state_dict()}, path)
    with pytest.raises(RuntimeError, match="map_location='cpu'"):
        ember.load(path)
    for ml in ("cpu", lambda storage, loc: storage):
        ckpt = ember.load(path, map_location=ml)
        cpu_model = ember.nn.Linear(2, 2)
        cpu_model.load_state_dict(ckpt["model"])
        cpu_opt = ember.optim.Adam(cpu_model.parameters())
        cpu_opt.load_state_dict(ckpt["opt"])
        assert all(v.device.type == "cpu" for s in cpu_opt.state.values() for v in s.values())
        cpu_opt.step()  # resumes on the CPU


def test_views_of_gpu_tensors_save_and_load(cuda, tmp_path) -> None:
    x = ember.arange(6.0, device=cuda)
    ember.save({"v": x[2:], "x": x}, tmp_path / "v.ember")
    out = ember.load(tmp_path / "v.ember")
    assert out["v"].device.type == "cuda" and out["v"].tolist() == [2.0, 3.0, 4.0, 5.0]


def test_random_numbers_and_dropout_follow_manual_seed(cuda) -> None:
    def draws():
        x = ember.ones(200, device=cuda)
        return [
            ember.rand(5, device=cuda),
            ember.randn(5, device=cuda),
            ember.randint(0, 9, (5,), device=cuda),
            ember.randperm(6, device=cuda),
            ember.bernoulli(ember.full((5,), 0.5, device=cuda)),
            ember.multinomial(ember.ones(4, device=cuda), 3),
            ember.empty(5, device=cuda).normal_(),
            ember.empty(5, device=cuda).uniform_(),
            F.dropout(x, 0.5),
            ember.nn.Dropout(0.3)(x),
        ]

    ember.manual_seed(11)
    a = draws()
    ember.manual_seed(11)
    b = draws()
    assert all(t.device.type == "cuda" for t in a)
    assert all(ember.equal(s, t) for s, t in zip(a, b))
    assert not ember.equal(a[-1], draws()[-1])  # the generator moves on
    drop = a[-2].cpu().numpy()
    assert set(np.unique(drop)) == {0.0, 2.0} and 50 < (drop == 0).sum() < 150


def test_pinned_loader_batches_train_on_the_device(cuda) -> None:
    ds = ember.utils.data.TensorDataset(ember.randn(12, 3), ember.randint(0, 2, (12,)))
    loader = ember.utils.data.DataLoader(ds, batch_size=4, pin_memory=True)
    model = ember.nn.Linear(3, 2).to(cuda)
    opt = ember.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        assert x.is_pinned() and y.is_pinned()
        x, y = x.to(cuda, non_blocking=True), y.to(cuda, non_blocking=True)
        assert x.device.type == "cuda" and not x.is_pinned()
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    assert model.weight.device.type == "cuda" and model.weight.grad.device.type == "cuda"
