"""examples/core/simple_net.py trains, and matches PyTorch step for step from the same weights."""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

import ember
from ember import nn
from tests.ember.nn.fixtures import reference

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "core" / "simple_net.py"


@pytest.fixture(scope="module")
def example():
    return runpy.run_path(str(EXAMPLE), run_name="simple_net_example")


def test_example_loss_falls_and_generalises(example, capsys):
    losses, accuracy = example["train"](steps=150, verbose=True)
    assert np.mean(losses[-20:]) < 0.6 * np.mean(losses[:5])
    assert accuracy > 0.8
    assert "held-out accuracy" in capsys.readouterr().out


def test_same_weights_same_losses_as_pytorch(example):
    with np.load(reference.HERE / "module_runs.npz") as data:
        runs = {k: data[k] for k in data.files}
    net = example["SimpleNet"]()
    init = {k[len("simple_net/init/"):]: ember.tensor(v) for k, v in runs.items()
            if k.startswith("simple_net/init/")}
    net.load_state_dict(init)
    x, y = ember.tensor(runs["simple_net/x"]), ember.tensor(runs["simple_net/y"])
    opt = ember.optim.SGD(net.parameters(), lr=0.5)
    loss_fn = nn.BCELoss()
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.testing.assert_allclose(losses, runs["simple_net/losses"], rtol=1e-5)
    for k, v in net.state_dict().items():
        np.testing.assert_allclose(v.numpy(), runs[f"simple_net/final/{k}"], rtol=1e-4,
                                   atol=1e-6)
