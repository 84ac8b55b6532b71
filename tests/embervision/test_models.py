"""embervision.models: state-dict keys/shapes vs torchvision manifests, forward passes, overfitting
one batch, loading a torchvision checkpoint, and the shipped LeNet MNIST weights."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

import ember
from ember import hub, nn, optim
from ember.testing import require_data
from embervision import models

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "model_manifest.json").read_text())
BIG = 30_000_000  # models with more parameters are built only in slow tests
FAST = sorted(n for n, e in MANIFEST.items() if e["num_params"] < BIG)
SLOW = sorted(n for n, e in MANIFEST.items() if e["num_params"] >= BIG)


def _params(names: list[str], slow: bool) -> list:
    marks = [pytest.mark.slow] if slow else []
    return [pytest.param(n, marks=marks, id=n) for n in names]


@pytest.mark.parametrize("name", _params(FAST, False) + _params(SLOW, True))
def test_keys_shapes_and_forward_match_torchvision(name: str):
    entry = MANIFEST[name]
    model = hub.get_model(name, **entry["kwargs"]).eval()
    sd = model.state_dict()
    got = [[k, list(v.shape), str(v.dtype).removeprefix("ember.")] for k, v in sd.items()]
    assert got == entry["state"]
    assert sum(p.numel() for p in model.parameters()) == entry["num_params"]
    with ember.no_grad():
        out = model(ember.randn(*entry["input"]))
    assert list(out.shape) == entry["output"]
    assert bool(ember.isfinite(out).all())


def test_every_builder_is_registered_with_weights_enum():
    names = hub.list_models(module=models)
    assert set(MANIFEST) | {"lenet", "vit_tiny"} <= set(names)
    assert hub.get_model_weights("resnet50") is models.ResNet50_Weights
    assert hub.get_weight("ResNet50_Weights.DEFAULT") is models.ResNet50_Weights.IMAGENET1K_V2


def test_torchvision_weight_entries():
    w = models.ResNet18_Weights.DEFAULT
    assert w.url.endswith("/resnet18-f37072fd.pth")
    assert w.sha256 == "f37072fd"
    assert len(w.meta["categories"]) == 1000
    assert w.meta["num_params"] == MANIFEST["resnet18"]["num_params"]
    assert w.meta["_metrics"]["ImageNet-1K"]["acc@1"] > 69
    preset = w.transforms()
    assert preset.crop_size == [224] and preset.resize_size == [256]


def test_weights_fix_num_classes():
    with pytest.raises(ValueError, match="num_classes=10"):
        models.lenet(weights="DEFAULT", num_classes=5)
    with pytest.raises(ValueError, match="not a member of|neither a member"):
        models.resnet18(weights="IMAGENET1K_V9")


def _overfit(model: nn.Module, x: ember.Tensor, y: ember.Tensor, steps: int, lr: float) -> None:
    """Train on one batch; the loss must fall 5x and the batch be classified right (checked in
    train mode: BatchNorm running statistics lag behind after a few dozen steps)."""
    opt = optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with ember.no_grad():
        out = model(x)
    assert nn.functional.cross_entropy(out, y).item() < 0.2 * losses[0], losses
    assert bool((out.argmax(1) == y).all())


def test_lenet_overfits_a_batch():
    x, y = ember.randn(8, 1, 28, 28), ember.arange(8)
    _overfit(models.lenet(num_classes=8), x, y, steps=40, lr=3e-3)


def test_vit_tiny_overfits_a_batch():
    model = models.vit_tiny(num_classes=4, num_layers=2, hidden_dim=48, mlp_dim=96)
    x, y = ember.randn(4, 3, 32, 32), ember.arange(4)
    _overfit(model, x, y, steps=20, lr=3e-3)


def test_mobilenet_v3_small_overfits_a_batch():
    model = models.mobilenet_v3_small(num_classes=4, dropout=0.0)
    x, y = ember.randn(4, 3, 32, 32), ember.arange(4)
    _overfit(model, x, y, steps=30, lr=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["resnet18", "efficientnet_b0", "mobilenet_v2"])
def test_cnn_overfits_a_batch(name: str):
    kwargs = {"dropout": 0.0} if name != "resnet18" else {}
    model = hub.get_model(name, num_classes=4, **kwargs)
    size = 16 if name == "resnet18" else 32  # resnet18 is the slowest; 16x16 still reaches 1x1
    x, y = ember.randn(4, 3, size, size), ember.arange(4)
    _overfit(model, x, y, steps=30 if size == 32 else 20, lr=1e-3)


def test_vit_rejects_wrong_image_size():
    with pytest.raises(ValueError, match="expected 32x32 images, got 16x16"):
        models.vit_tiny(num_layers=1)(ember.zeros(1, 3, 16, 16))


# ---------------------------------------------------------------- torchvision checkpoint ---


class NarrowResNet(models.ResNet):
    """ember's ResNet 8x narrower, built exactly as make_model_fixtures.py builds torchvision's."""

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        if planes == 64:
            self.inplanes = 8
        return super()._make_layer(block, planes // 8, blocks, stride, dilate)


def _narrow_resnet18() -> models.ResNet:
    model = NarrowResNet(models.BasicBlock, [2, 2, 2, 2], num_classes=10)
    model.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = nn.BatchNorm2d(8)
    model.fc = nn.Linear(64, 10)
    return model


def _resnet_input() -> np.ndarray:
    i = np.arange(2 * 3 * 32 * 32, dtype=np.float64).reshape(2, 3, 32, 32)
    return np.sin(0.37 * i + 0.11 * (i % 7)).astype(np.float32)


def test_torchvision_checkpoint_gives_torchvision_outputs():
    ref = json.loads((FIXTURES / "resnet18_tv_out.json").read_text())
    model = _narrow_resnet18()
    sd = hub.Weights.from_location(FIXTURES / "resnet18_tv.pth").get_state_dict()
    model.load_state_dict(sd)
    x = ember.from_numpy(_resnet_input())
    with ember.no_grad():
        out_eval = model.eval()(x).numpy()
        out_train = model.train()(x).numpy()
    np.testing.assert_allclose(out_eval, np.array(ref["eval"]), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out_train, np.array(ref["train"]), rtol=1e-4, atol=1e-5)


def _small_models() -> dict[str, nn.Module]:
    """The configurations of make_model_fixtures.small_models, built with ember and loaded
    from torchvision's files (the builder reads the path given as ``weights=``)."""
    from embervision.models.efficientnet import _b0_setting

    def path(name: str) -> str:
        return str(FIXTURES / f"small_{name}_tv.pth")

    mnv3 = models.mobilenet_v3_small(
        weights=path("mobilenet_v3_small"), width_mult=0.25, num_classes=10
    )
    eff = models.EfficientNet(_b0_setting(0.25, 0.25), 0.2, num_classes=10)
    eff.load_state_dict(ember.load(path("efficientnet")))
    vit = models.VisionTransformer(16, 4, 2, 2, 16, 32, num_classes=10)
    vit.load_state_dict(hub.Weights.from_location(path("vit")).get_state_dict())
    return {"mobilenet_v3_small": mnv3, "efficientnet": eff, "vit": vit}


def test_small_torchvision_models_give_torchvision_outputs():
    ref = json.loads((FIXTURES / "small_models_tv_out.json").read_text())
    for name, model in _small_models().items():
        size = 16 if name == "vit" else 32
        x = ember.from_numpy(_resnet_input()[:, :, :size, :size].copy())
        with ember.no_grad():
            out = model.eval()(x).numpy()
        np.testing.assert_allclose(out, np.array(ref[name]), rtol=1e-4, atol=1e-5, err_msg=name)


def test_builder_loads_a_torchvision_style_file(tmp_path: Path):
    path = tmp_path / "mobilenet-0123abcd.pth"
    ember.save(models.mobilenet_v3_small(num_classes=3).state_dict(), path)
    model = models.mobilenet_v3_small(weights=str(path), num_classes=3)
    expected = ember.load(path)
    for k, v in model.state_dict().items():
        assert np.array_equal(v.numpy(), expected[k].numpy()), k


# -------------------------------------------------------------------------- LeNet weights ---


def test_lenet_default_weights_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("EMBER_HOME", str(tmp_path))
    w = hub.get_weight("LeNet_Weights.DEFAULT")
    assert w is models.LeNet_Weights.MNIST_V1 and w.url is None
    assert len(w.sha256) == 64 and w.file.endswith(w.sha256[:8] + ".ember")
    assert w.meta["categories"] == [str(i) for i in range(10)]
    assert w.meta["_metrics"]["MNIST"]["acc@1"] >= 98.0
    model = hub.get_model("lenet", weights="DEFAULT")
    assert sum(p.numel() for p in model.parameters()) == w.meta["num_params"]
    assert not any(tmp_path.iterdir())  # nothing downloaded or cached


def _read_idx(path: Path) -> np.ndarray:
    data = gzip.decompress(path.read_bytes())
    n = int.from_bytes(data[4:8], "big")
    if int.from_bytes(data[:4], "big") == 2049:
        return np.frombuffer(data, np.uint8, n, offset=8)
    return np.frombuffer(data, np.uint8, n * 784, offset=16).reshape(n, 1, 28, 28)


def test_lenet_weights_reach_stated_accuracy_on_mnist_test(shared_data: Path):
    root = require_data("vision", "mnist", root=shared_data)
    images = _read_idx(root / "t10k-images-idx3-ubyte.gz")
    labels = _read_idx(root / "t10k-labels-idx1-ubyte.gz")
    weights = models.LeNet_Weights.DEFAULT
    preset = weights.transforms()
    model = models.lenet(weights=weights).eval()
    correct = 0
    with ember.no_grad():
        for i in range(0, len(images), 2000):
            x = preset(ember.from_numpy(images[i : i + 2000].copy()))
            correct += int((model(x).argmax(1).numpy() == labels[i : i + 2000]).sum())
    acc = 100.0 * correct / len(images)
    assert acc >= 98.0
    assert abs(acc - weights.meta["_metrics"]["MNIST"]["acc@1"]) < 0.5


def test_lenet_preset_on_pil_image():
    from PIL import Image

    img = Image.fromarray(np.full((28, 28), 255, np.uint8))
    x = models.LeNet_Weights.DEFAULT.transforms()(img)
    assert x.shape == (1, 28, 28)
    np.testing.assert_allclose(x.numpy(), (1 - 0.1307) / 0.3081, rtol=1e-5)
