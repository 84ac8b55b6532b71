"""embervision.datasets on the shared real files. Counts and file lists come from the files."""

from __future__ import annotations

import gzip
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ember.testing import require_data
from embervision import datasets as D
from embervision import io as vio


def _vision(shared_data: Path, name: str) -> Path:
    return require_data("vision", name, root=shared_data)


def _idx_reference(path: Path) -> np.ndarray:
    """An independent IDX parse: numpy on the gunzipped bytes, dimensions from the magic byte."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    ndim = raw[3]
    shape = np.frombuffer(raw, ">u4", ndim, 4).astype(int)
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _idx_file(folder: Path, stem: str) -> Path:
    return next(p for p in (folder / stem, folder / f"{stem}.gz") if p.exists())


@pytest.mark.parametrize("train", [False, True])
def test_mnist_shared_split(shared_data: Path, train: bool):
    folder = _vision(shared_data, "mnist")
    prefix = "train" if train else "t10k"
    images = _idx_reference(_idx_file(folder, f"{prefix}-images-idx3-ubyte"))
    labels = _idx_reference(_idx_file(folder, f"{prefix}-labels-idx1-ubyte"))
    ds = D.MNIST(folder, train=train)
    assert len(ds) == len(images) == len(labels)
    np.testing.assert_array_equal(ds.data.numpy(), images)
    np.testing.assert_array_equal(ds.targets.numpy(), labels)
    for i in (0, len(ds) // 2, len(ds) - 1):
        image, target = ds[i]
        assert image.mode == "L" and target == labels[i]
        np.testing.assert_array_equal(np.asarray(image), images[i])
    assert set(np.unique(labels)) <= set(range(10))


def _cifar_roots(shared_data: Path) -> Path:
    root = shared_data / "vision"
    for name in ("cifar-10-batches-py", "cifar-10-batches-bin"):
        _vision(shared_data, name)
    return root


@pytest.mark.parametrize("train", [True, False])
def test_cifar10_python_and_binary_agree_item_by_item(shared_data: Path, train: bool):
    root = _cifar_roots(shared_data)
    py = D.CIFAR10(root, train=train, file_format="python")
    binary = D.CIFAR10(root, train=train, file_format="binary")
    assert len(py) == len(binary) > 0
    assert py.classes == binary.classes and len(py.classes) == 10
    np.testing.assert_array_equal(py.data, binary.data)
    assert py.targets == binary.targets
    for i in range(0, len(py), max(1, len(py) // 25)):
        (a, ta), (b, tb) = py[i], binary[i]
        assert a.mode == "RGB" and a.size == (32, 32) and ta == tb
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def _reference_batches(folder: Path, train: bool) -> list[dict]:
    names = sorted(p.name for p in folder.glob("data_batch_*")) if train else ["test_batch"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy.core deprecation from the trusted pickles
        return [pickle.loads((folder / n).read_bytes(), encoding="bytes") for n in names]


def test_cifar10_pixels_match_the_source_jpegs(shared_data: Path):
    """The curated batches hold the Pillow-decoded pixels of the JPEGs their filenames name."""
    root = _cifar_roots(shared_data)
    jpg_root = _vision(shared_data, "cifar10_jpg")
    ds = D.CIFAR10(root, train=False, file_format="python")
    batch = _reference_batches(root / "cifar-10-batches-py", train=False)[0]
    checked = 0
    for i, name in enumerate(batch[b"filenames"]):
        split, cls, number = name.decode().split("_", 2)
        path = jpg_root / split / cls / number
        if not path.exists():
            continue
        np.testing.assert_array_equal(np.asarray(ds[i][0]), np.asarray(Image.open(path)))
        assert ds.classes[ds.targets[i]] == cls
        checked += 1
    assert checked > 0, "no CIFAR filename points at a JPEG of cifar10_jpg"


def _image_files(folder: Path) -> list[Path]:
    exts = D.IMG_EXTENSIONS
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower().endswith(exts))


@pytest.mark.parametrize("split", ["train", "test"])
def test_cifar10_jpg_image_folder(shared_data: Path, split: str):
    folder = _vision(shared_data, "cifar10_jpg") / split
    ds = D.ImageFolder(folder)
    assert ds.classes == sorted(p.name for p in folder.iterdir() if p.is_dir())
    assert len(ds) == len(_image_files(folder))
    for i in range(0, len(ds), max(1, len(ds) // 40)):
        image, target = ds[i]
        assert image.mode == "RGB" and image.size == (32, 32)
        assert Path(ds.samples[i][0]).parent.name == ds.classes[target]


@pytest.mark.parametrize("split", ["train", "val"])
def test_hymenoptera_image_folder_loads_every_image(shared_data: Path, split: str):
    folder = _vision(shared_data, "hymenoptera_data") / split
    ds = D.ImageFolder(folder)
    assert ds.classes == sorted(p.name for p in folder.iterdir() if p.is_dir())
    assert sorted(Path(p) for p, _ in ds.samples) == _image_files(folder)
    for i in range(len(ds)):
        image, target = ds[i]
        assert image.mode == "RGB" and type(target) is int


def _quirk_files(shared_data: Path) -> dict[str, list[Path]]:
    files = _image_files(_vision(shared_data, "hymenoptera_data"))
    return {
        "gif": [p for p in files if p.suffix.lower() == ".gif"],
        "jpeg": [p for p in files if p.suffix.lower() == ".jpeg"],
        "space": [p for p in files if " " in p.name],
    }


@pytest.mark.parametrize("quirk", ["gif", "jpeg", "space"])
def test_hymenoptera_quirks(shared_data: Path, quirk: str):
    paths = _quirk_files(shared_data)[quirk]
    if not paths:
        pytest.skip(f"no {quirk} file in this copy of hymenoptera_data")
    exts = (*D.IMG_EXTENSIONS, ".gif")  # torchvision's ImageFolder skips GIFs: opt in
    for path in paths:
        ds = D.ImageFolder(path.parent.parent, is_valid_file=lambda p: p.lower().endswith(exts))
        index = [Path(p) for p, _ in ds.samples].index(path)
        image, target = ds[index]
        assert image.mode == "RGB" and ds.classes[target] == path.parent.name
        tensor = vio.read_image(path, vio.ImageReadMode.RGB)
        np.testing.assert_array_equal(tensor.numpy().transpose(1, 2, 0), np.asarray(image))


def test_hymenoptera_has_a_palette_gif_when_the_gif_is_there(shared_data: Path):
    gifs = _quirk_files(shared_data)["gif"]
    if not gifs:
        pytest.skip("no GIF in this copy of hymenoptera_data")
    assert any(Image.open(p).mode == "P" for p in gifs)
    assert all(os.path.getsize(p) > 0 for p in gifs)
