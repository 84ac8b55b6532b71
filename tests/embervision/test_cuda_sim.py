"""embervision on the GPU with no change to user code but the device: every tensor transform
class (v1 and v2, random ones drawing the same parameters under one seed) and the registered
models, forward and backward, give the CPU's results and keep them on the device. Runs on the
simulated GPU of tests/ember/_fake_cupy.py when there is no real one."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import embervision.transforms as T1
import embervision.transforms.v2 as T2
from ember.testing import require_data
from embervision import models
from tests.ember.cuda._compare import model_same_on_device, on, same_on_device

RNG = np.random.default_rng(0)
U8 = RNG.integers(0, 256, (3, 20, 18)).astype(np.uint8)
F32 = RNG.random((3, 20, 18)).astype(np.float32)
BATCH = RNG.integers(0, 256, (4, 3, 20, 18)).astype(np.uint8)

TRANSFORMS = {
    "Resize": lambda T: T.Resize([11, 14]),
    "ResizeBicubic": lambda T: T.Resize(9, interpolation=T.InterpolationMode.BICUBIC),
    "CenterCrop": lambda T: T.CenterCrop(9),
    "RandomCrop": lambda T: T.RandomCrop(9, padding=2),
    "RandomResizedCrop": lambda T: T.RandomResizedCrop(10),
    "TenCrop": lambda T: T.TenCrop(8),
    "Pad": lambda T: T.Pad(3, padding_mode="reflect"),
    "RandomHorizontalFlip": lambda T: T.RandomHorizontalFlip(),
    "RandomVerticalFlip": lambda T: T.RandomVerticalFlip(),
    "RandomRotation": lambda T: T.RandomRotation(30),
    "RandomAffine": lambda T: T.RandomAffine(20, (0.1, 0.1), (0.8, 1.2), 10),
    "RandomPerspective": lambda T: T.RandomPerspective(p=1.0),
    "ColorJitter": lambda T: T.ColorJitter(0.4, 0.4, 0.4, 0.1),
    "RandomGrayscale": lambda T: T.RandomGrayscale(0.5),
    "GaussianBlur": lambda T: T.GaussianBlur(5, (0.1, 2.0)),
    "RandomErasing": lambda T: T.RandomErasing(p=1.0),
    "RandomInvert": lambda T: T.RandomInvert(),
    "RandomAdjustSharpness": lambda T: T.RandomAdjustSharpness(2.0),
    "RandomAutocontrast": lambda T: T.RandomAutocontrast(),
    "ToDtype": lambda T: T.ToDtype(ember.float32, scale=True),
}
UINT8_ONLY = {
    "RandomPosterize": lambda T: T.RandomPosterize(3),
    "RandomSolarize": lambda T: T.RandomSolarize(100),
    "RandomEqualize": lambda T: T.RandomEqualize(),
    "AutoAugment": lambda T: T.AutoAugment(),
    "RandAugment": lambda T: T.RandAugment(),
    "TrivialAugmentWide": lambda T: T.TrivialAugmentWide(),
    "AugMix": lambda T: T.AugMix(),
}


def _image(arr):
    return lambda device: (ember.from_numpy(arr.copy()).to(device),)


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transform_classes_on_the_device(name) -> None:
    for T in (T1, T2):
        for arr in (U8, F32):
            same_on_device(lambda T=T: TRANSFORMS[name](T), _image(arr))
    same_on_device(lambda: TRANSFORMS[name](T1), _image(BATCH), seeds=(0,))  # a batch


@pytest.mark.parametrize("name", list(UINT8_ONLY))
def test_uint8_transforms_on_the_device(name) -> None:
    for T in (T1, T2):
        same_on_device(lambda T=T: UINT8_ONLY[name](T), _image(U8))


def test_normalize_compose_mixup_cutmix_on_the_device() -> None:
    pipeline = lambda: T2.Compose(
        [  # noqa: E731
            T2.ToDtype(ember.float32, scale=True),
            T2.RandomHorizontalFlip(),
            T2.Normalize([0.5, 0.4, 0.3], [0.2, 0.3, 0.4]),
        ]
    )
    same_on_device(pipeline, _image(U8))
    batch = lambda d: (
        ember.from_numpy(BATCH.astype(np.float32)).to(d),  # noqa: E731
        ember.tensor([0, 1, 2, 1], device=d),
    )
    same_on_device(lambda: T2.MixUp(num_classes=3), batch)
    same_on_device(lambda: T2.CutMix(num_classes=3), batch)


def _images(n, c=3, size=32):
    return lambda d: (ember.randn(n, c, size, size, device=d),)


MODELS = {
    "lenet": (lambda: models.lenet(), _images(2, 1, 28)),
    # ResNet-10 (one block a stage) of resnet18's widths; 48 pixels leave layer4 2x2, enough for
    # its training-mode batch norm to be well conditioned in float32.
    "resnet": (
        lambda: models.ResNet(models.BasicBlock, [1, 1, 1, 1], num_classes=5),
        _images(2, size=48),
    ),
    "mobilenet_v3_small": (lambda: models.mobilenet_v3_small(num_classes=5), _images(2)),
    "vit": (
        lambda: models.VisionTransformer(16, 4, 2, 2, 16, 32, num_classes=5),
        _images(2, size=16),
    ),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_models_forward_backward_on_the_device(name) -> None:
    model_same_on_device(*MODELS[name])


@pytest.mark.parametrize("flag", ["cuda", "cpu"])
def test_trainer_example_follows_device_flag(flag, shared_data, tmp_path) -> None:
    """With a GPU present, ``mnist_trainer.py --device cuda`` trains on it and ``--device cpu``
    stays on the CPU (the Trainer gets the flag's device); the checkpoint holds tensors where
    they were trained, as a PyTorch one does."""
    from tests.embervision.test_examples import _load

    root = require_data("vision", "mnist", root=shared_data)
    with on("cuda"):
        example = _load("mnist_trainer.py")
        metrics = example["main"](
            [
                "--root",
                str(root),
                "--device",
                flag,
                "--epochs",
                "1",
                "--limit",
                "256",
                "--test-limit",
                "128",
                "--out",
                str(tmp_path),
                "--quiet",
                "--threads",
                "1",
            ]
        )
        (ckpt,) = (tmp_path / "checkpoints").glob("*.ckpt")
        state = ember.load(ckpt)["state_dict"]
        assert state and all(t.device.type == flag for t in state.values())
    assert metrics["test_acc"] > 15.0, metrics  # 10 classes; 27% measured after 256 images


def test_utils_on_the_device() -> None:
    from embervision import utils

    box = lambda d: ember.tensor([[1.0, 2.0, 10.0, 12.0]], device=d)  # noqa: E731
    img = lambda d: ember.from_numpy(U8.copy()).to(d)  # noqa: E731
    same_on_device(
        lambda: lambda d: utils.make_grid(d, nrow=2, normalize=True),
        lambda d: (ember.from_numpy(F32[None].repeat(4, 0)).to(d),),
    )
    same_on_device(lambda: utils.draw_bounding_boxes, lambda d: (img(d), box(d)))
    same_on_device(
        lambda: utils.draw_segmentation_masks,
        lambda d: (img(d), ember.from_numpy(U8[0] > 128).to(d)),
    )
    same_on_device(
        lambda: utils.draw_keypoints,
        lambda d: (img(d), ember.tensor([[[3.0, 4.0], [10.0, 12.0]]], device=d)),
    )


@pytest.mark.parametrize(
    ("script", "data", "weights", "extra"),
    [
        ("cifar10.py", "cifar-10-batches-py", "cifar_resnet.pt", ["--depth", "8", "--width", "8"]),
        ("transfer_learning.py", "hymenoptera_data", "model.pt", ["--image-size", "32"]),
    ],
)
def test_vision_examples_run_with_device_cuda(
    script, data, weights, extra, shared_data, tmp_path
) -> None:
    """The other vision pipelines with ``--device cuda``, in their smallest settings: they run
    on the GPU to the end and write their outputs (learning is checked on the CPU elsewhere)."""
    from tests.embervision.test_examples import _load

    root = require_data("vision", data, root=shared_data)
    root = root.parent if script == "cifar10.py" else root
    with on("cuda"):
        metrics = _load(script)["main"](
            ["--root", str(root), "--device", "cuda", "--epochs", "1", "--limit", "32",
             "--test-limit", "16", "--batch-size", "16", "--out", str(tmp_path), "--quiet",
             "--threads", "1", *extra]
        )  # fmt: skip
        state = ember.load(tmp_path / weights)  # saved from where it trained
        assert state and all(t.device.type == "cuda" for t in state.values())
    assert (tmp_path / "metrics.json").exists() and metrics["history"]
