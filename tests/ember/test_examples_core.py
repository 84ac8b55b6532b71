"""The core examples run to completion on the shared MNIST files and learn."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import numpy as np

from ember.testing import require_data

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "core"


def _load(name):
    sys.path.insert(0, str(EXAMPLES))
    try:
        return runpy.run_path(str(EXAMPLES / name), run_name=f"example_{name}")
    finally:
        sys.path.remove(str(EXAMPLES))


def test_classic_mnist_cnn_learns(shared_data, capsys):
    example = _load("mnist_cnn.py")
    root = require_data("vision", "mnist", root=shared_data)
    history = example["main"](["--root", str(root), "--train-limit", "448", "--test-limit", "300",
                               "--epochs", "2", "--log-interval", "5"])
    losses = history[0][0] + history[1][0]
    assert np.mean(losses[-5:]) < 0.6 * np.mean(losses[:3])
    assert history[-1][1] > 0.7
    assert "Test set: Average loss" in capsys.readouterr().out


def test_core_mlp_example_learns(shared_data):
    example = _load("mnist_mlp.py")
    acc = example["main"](["--root", str(require_data("vision", "mnist", root=shared_data)), "--epochs", "1",
                           "--train-limit", "2000"])
    assert acc > 0.8
