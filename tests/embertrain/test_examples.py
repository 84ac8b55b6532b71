"""The Trainer variant of the MNIST pipeline trains exactly like the hand-written loop."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import numpy as np

import ember

VISION = Path(__file__).resolve().parents[2] / "examples" / "vision"


def _main(script: str, argv: list[str]) -> dict:
    sys.path.insert(0, str(VISION))
    try:
        return runpy.run_path(str(VISION / script), run_name=f"example_{script}")["main"](argv)
    finally:
        sys.path.remove(str(VISION))


def test_mnist_trainer_matches_mnist_py(shared_data, tmp_path):
    # The same seed, batches, augmentation and steps: the Trainer's loop gives bitwise the
    # weights of mnist.py's hand-written loop, hence the same accuracy.
    common = [
        "--root",
        str(shared_data / "vision" / "mnist"),
        "--no-download",
        "--quiet",
        "--epochs",
        "1",
        "--limit",
        "320",
        "--test-limit",
        "200",
        "--threads",
        "1",
    ]
    plain = _main("mnist.py", [*common, "--out", str(tmp_path / "plain")])
    trained = _main("mnist_trainer.py", [*common, "--out", str(tmp_path / "trainer")])
    assert trained["test_acc"] == plain["test_acc"] > 30.0  # chance is 10%
    assert trained["history"] == plain["history"]
    a = ember.load(tmp_path / "plain" / "mnist_cnn.pt")
    b = ember.load(tmp_path / "trainer" / "mnist_cnn.pt")
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    assert (tmp_path / "trainer" / "checkpoints" / "last.ckpt").is_file()
    # resuming the finished run from its last checkpoint trains no further and tests the same
    again = _main(
        "mnist_trainer.py",
        [
            *common,
            "--out",
            str(tmp_path / "again"),
            "--resume",
            str(tmp_path / "trainer" / "checkpoints" / "last.ckpt"),
        ],
    )
    assert again["test_acc"] == trained["test_acc"]
