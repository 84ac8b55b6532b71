"""The vision example pipelines run end to end on the shared real data, learn, and write outputs.

Each pipeline runs on a small slice (few epochs, ``--limit``); the full MNIST run that must reach
98% is marked slow. The pipelines are called in-process through their ``main(argv)`` except the
MNIST one, which goes through ``examples/run_main.py`` (what ``make run`` starts) in a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ember
from ember.testing import above_chance, require_data

REPO = Path(__file__).resolve().parents[2]
VISION = REPO / "examples" / "vision"
FIGURES = ("loss.png", "accuracy.png", "predictions.png")


def _load(name: str) -> dict:
    sys.path.insert(0, str(VISION))
    try:
        return runpy.run_path(str(VISION / name), run_name=f"example_{name}")
    finally:
        sys.path.remove(str(VISION))


def _check_outputs(out: Path, weights: str) -> dict:
    """Every figure is a real PNG with drawing on it; weights load; metrics.json parses."""
    for name in FIGURES:
        with Image.open(out / name) as im:
            assert im.format == "PNG" and im.width > 100 and im.height > 50
            colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 3, f"{name} looks blank"
    state = ember.load(out / weights)
    assert state and all(isinstance(v, ember.Tensor) for v in state.values())
    return json.loads((out / "metrics.json").read_text())


def _run(script: str, args: list[str], timeout: int = 600) -> str:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, str(REPO / "examples" / script), *args], env=env,
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_mnist_via_run_main(shared_data, tmp_path):
    root = require_data("vision", "mnist", root=shared_data)
    out = _run("run_main.py", ["--root", str(root), "--epochs", "2", "--limit", "1024",
                               "--test-limit", "500", "--out", str(tmp_path), "--no-download"])
    assert "running examples/vision/mnist.py" in out
    assert "test accuracy:" in out
    metrics = _check_outputs(tmp_path, "mnist_cnn.pt")
    assert metrics["train_size"] == 1024 and metrics["test_size"] == 500
    assert metrics["test_acc"] > 60.0  # chance is 10%
    assert [h["epoch"] for h in metrics["history"]] == [1, 2]


def _fake_sklearn(shared_data: Path) -> types.ModuleType:
    """A stand-in ``sklearn.datasets.load_digits`` serving real digits: MNIST test images
    shrunk to 8x8 with values 0-16, like scikit-learn's optdigits."""
    from embervision.datasets import MNIST

    test = MNIST(require_data("vision", "mnist", root=shared_data), train=False)
    x = test.data.numpy()[:600].reshape(600, 1, 28, 28).astype(np.float32)
    small = ember.nn.functional.adaptive_avg_pool2d(ember.from_numpy(x[:, :, 2:26, 2:26]), 8)
    images = (small.numpy()[:, 0] / 255.0 * 16).round()
    bunch = types.SimpleNamespace(images=images, target=test.targets.numpy()[:600])
    module = types.ModuleType("sklearn.datasets")
    module.load_digits = lambda: bunch
    return module


def test_mnist_falls_back_to_sklearn_digits(shared_data, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", types.ModuleType("sklearn"))
    monkeypatch.setitem(sys.modules, "sklearn.datasets", _fake_sklearn(shared_data))
    mnist = _load("mnist.py")
    metrics = mnist["main"](["--root", str(tmp_path / "empty"), "--no-download", "--epochs", "3",
                             "--out", str(tmp_path / "out"), "--quiet", "--threads", "1"])
    assert metrics["data"].startswith("scikit-learn digits")
    assert (metrics["train_size"], metrics["test_size"]) == (480, 120)
    assert metrics["test_acc"] > 40.0
    _check_outputs(tmp_path / "out", "mnist_cnn.pt")


def test_mnist_without_data_or_sklearn_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    mnist = _load("mnist.py")
    with pytest.raises(SystemExit, match="pip install scikit-learn"):
        mnist["main"](["--root", str(tmp_path), "--no-download", "--out", str(tmp_path / "o")])
    assert "no MNIST files" in capsys.readouterr().out


def test_sklearn_digits_layout(shared_data, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", types.ModuleType("sklearn"))
    monkeypatch.setitem(sys.modules, "sklearn.datasets", _fake_sklearn(shared_data))
    train_x, train_y, test_x, test_y, _ = _load("mnist.py")["sklearn_digits"]()
    assert train_x.shape == (480, 28, 28) and train_x.dtype == np.uint8
    assert test_x.shape == (120, 28, 28) and len(test_y) == 120
    # 20x20 digit centred in a 4-pixel empty frame, as MNIST's digits are.
    assert train_x[:, :4].max() == 0 and train_x[:, :, -4:].max() == 0
    assert train_x[:, 4:24, 4:24].max() > 200
    assert set(np.unique(np.concatenate([train_y, test_y]))) <= set(range(10))


def test_cifar10_learns(shared_data, tmp_path):
    cifar = _load("cifar10.py")
    metrics = cifar["main"](["--root", str(require_data("vision", "cifar-10-batches-py", root=shared_data).parent), "--depth", "8",
                             "--epochs", "2", "--limit", "512", "--test-limit", "1000",
                             "--batch-size", "32", "--lr", "0.05", "--out", str(tmp_path),
                             "--quiet", "--threads", "1"])
    assert metrics["data"].startswith("python")  # python batches first when both are there
    # 10 classes: 4 binomial SDs above chance (15.4% on the 500 shared test images; 20.0% measured)
    assert metrics["test_acc"] > 100 * above_chance(metrics["test_size"], 0.1, sds=4)
    assert metrics["history"][-1]["train_loss"] < metrics["history"][0]["train_loss"]
    _check_outputs(tmp_path, "cifar_resnet.pt")


def test_cifar10_runs_on_binary_batches(shared_data, tmp_path, capsys):
    cifar = _load("cifar10.py")
    metrics = cifar["main"](["--root", str(require_data("vision", "cifar-10-batches-bin", root=shared_data).parent), "--format", "binary",
                             "--depth", "8", "--width", "8", "--epochs", "1", "--limit", "64",
                             "--test-limit", "50", "--batch-size", "32", "--out", str(tmp_path),
                             "--threads", "1"])
    assert metrics["data"].startswith("binary") and metrics["test_size"] == 50
    assert "test accuracy:" in capsys.readouterr().out
    _check_outputs(tmp_path, "cifar_resnet.pt")


def test_cifar_resnet_depths():
    CifarResNet = _load("cifar10.py")["CifarResNet"]
    model = CifarResNet(20)
    convs = [m for m in model.modules() if isinstance(m, ember.nn.Conv2d)]
    assert len([c for c in convs if c.kernel_size == (3, 3)]) == 19  # + fc = 20 layers
    assert model(ember.zeros(2, 3, 32, 32)).shape == (2, 10)
    with pytest.raises(ValueError, match="6n"):
        CifarResNet(18)


def test_transfer_learning_small_cnn_learns(shared_data, tmp_path):
    tl = _load("transfer_learning.py")
    metrics = tl["main"](["--root", str(require_data("vision", "hymenoptera_data", root=shared_data)),
                          "--epochs", "20", "--image-size", "32", "--out", str(tmp_path),
                          "--quiet", "--threads", "1"])
    assert metrics["model"] == "small_cnn" and metrics["image_size"] == 32
    assert metrics["history"][-1]["train_loss"] < metrics["history"][0]["train_loss"]
    assert metrics["history"][-1]["train_acc"] > 65.0
    # Two balanced classes, but only 30 validation images: one binomial SD is 9 points. Since
    # ImageFolder skips GIFs as torchvision does, the tree's placeholder imageNotFound.gif is no
    # longer a training image (59, not 60) and the small CNN measures 66.7% (1.8 SDs; 73% with
    # the GIF, 63-67% at 20-40 epochs without): 1.5 SDs (64%) is what this set supports.
    assert metrics["val_acc"] > 100 * above_chance(metrics["val_size"], 0.5, sds=1.5)
    _check_outputs(tmp_path, "model.pt")


def test_transfer_learning_loads_resnet18_weights_and_trains_only_fc(shared_data, tmp_path):
    from embervision.models import resnet18

    pretrained = resnet18()
    ember.save(pretrained.state_dict(), tmp_path / "resnet18.pth")
    tl = _load("transfer_learning.py")
    metrics = tl["main"](["--root", str(require_data("vision", "hymenoptera_data", root=shared_data)),
                          "--weights", str(tmp_path / "resnet18.pth"), "--image-size", "32",
                          "--epochs", "1", "--limit", "8", "--test-limit", "6",
                          "--out", str(tmp_path / "out"), "--quiet", "--threads", "1"])
    assert metrics["model"] == "resnet18" and metrics["val_size"] == 6
    _check_outputs(tmp_path / "out", "model.pt")
    state = ember.load(tmp_path / "out" / "model.pt")
    assert tuple(state["fc.weight"].shape) == (2, 512)
    before = pretrained.state_dict()
    for key in ("conv1.weight", "layer4.1.conv2.weight", "layer2.0.bn1.weight"):
        assert np.array_equal(state[key].numpy(), before[key].numpy()), key


def test_progress_bar_and_plot(tmp_path, capsys):
    common = _load("_common.py")
    bar = common["ProgressBar"](4, "epoch 1/1")
    for _ in range(4):
        bar.update(1, loss=0.5)
    bar.close()
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("epoch 1/1 [" + "#" * 24 + "] 4/4") and "loss 0.5" in line
    path = tmp_path / "c.png"
    common["plot_curves"](path, {"a": [(0, 1.0), (1, 0.5), (2, 0.25)], "b": [(0, 2.0)]},
                          title="t", xlabel="x", ylabel="y")
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB"))
    assert pixels.shape == (400, 640, 3)
    blue = np.all(pixels == common["PALETTE"][0], axis=-1)
    assert blue.sum() > 100  # the curve and its legend swatch


@pytest.mark.slow
def test_mnist_full_run_reaches_98_percent(shared_data, tmp_path):
    out = _run("vision/mnist.py", ["--root", str(require_data("vision", "mnist", root=shared_data)),
                                   "--out", str(tmp_path), "--no-download"], timeout=1800)
    from embervision.datasets import MNIST

    metrics = _check_outputs(tmp_path, "mnist_cnn.pt")
    assert metrics["test_size"] == len(MNIST(require_data("vision", "mnist", root=shared_data), train=False))
    assert metrics["test_acc"] >= 98.0, out


def test_mnist_trains_with_device_cuda(shared_data, tmp_path):
    """``mnist.py --device cuda`` as a user with a GPU runs it: on the simulated GPU in CI."""
    from tests.ember import _fake_cupy

    mnist = _load("mnist.py")
    ctx = _fake_cupy.installed() if not ember.cuda.is_available() else contextlib.nullcontext()
    with ctx:
        metrics = mnist["main"](["--root", str(shared_data / "vision" / "mnist"), "--device",
                                 "cuda", "--epochs", "1", "--limit", "512", "--test-limit", "256",
                                 "--out", str(tmp_path), "--quiet", "--threads", "1"])
    assert metrics["test_acc"] > 50.0, metrics
    state = ember.load(tmp_path / "mnist_cnn.pt", map_location="cpu")  # saved from the GPU
    assert all(t.device.type == "cpu" for t in state.values()) and "features.0.weight" in state


def test_pipelines_without_their_data_say_how_to_get_it(tmp_path):
    cifar = _load("cifar10.py")
    assert cifar["parse_args"](["--download"]).download is True
    with pytest.raises(SystemExit, match="Pass --download"):
        cifar["main"](["--root", str(tmp_path), "--quiet", "--out", str(tmp_path / "o")])
    tl = _load("transfer_learning.py")
    with pytest.raises(SystemExit, match=r"Expected --root/\{train,val\}/<class>/<image>"):
        tl["main"](["--root", str(tmp_path), "--quiet", "--out", str(tmp_path / "o")])
