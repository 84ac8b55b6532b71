"""embervision.datasets on small fake files written into tmp_path (no network, no shared data)."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import pickle
import struct
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ember
from ember.testing import domain
from embervision import datasets as D
from embervision.datasets.vision import StandardTransform
from tests.conftest import need_data

RNG = np.random.default_rng(0)


class Counter:
    """A transform that counts its calls and tags what it returns."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return ("seen", x)


# ---------------------------------------------------------------- MNIST family (IDX files)


def _idx(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    return header + struct.pack(f">{array.ndim}I", *array.shape) + array.astype(np.uint8).tobytes()


def _write(path: Path, data: bytes, gz: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data)
    path.write_bytes(data)


def _mnist_files(
    folder: Path, n_train: int = 7, n_test: int = 5, gz: bool = True, prefix: str = ""
) -> dict[str, np.ndarray]:
    arrays = {}
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = RNG.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = RNG.integers(0, 10, n, dtype=np.uint8)
        name = split if not prefix else f"{prefix}-{'train' if split == 'train' else 'test'}"
        _write(folder / f"{name}-images-idx3-ubyte", _idx(images), gz)
        _write(folder / f"{name}-labels-idx1-ubyte", _idx(labels), gz)
        arrays[split] = (images, labels)
    return arrays


@pytest.mark.parametrize("cls", [D.MNIST, D.FashionMNIST, D.KMNIST])
@pytest.mark.parametrize("gz", [True, False])
def test_mnist_family_torchvision_layout(cls, gz: bool, tmp_path: Path):
    arrays = _mnist_files(tmp_path / cls.__name__ / "raw", gz=gz)
    for train, key in ((True, "train"), (False, "t10k")):
        images, labels = arrays[key]
        ds = cls(tmp_path, train=train)
        assert len(ds) == len(labels)
        image, target = ds[2]
        assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28)
        assert type(target) is int and target == labels[2]
        np.testing.assert_array_equal(np.asarray(image), images[2])
        assert ds.data.dtype == ember.uint8 and tuple(ds.data.shape) == images.shape
        assert ds.targets.dtype == ember.int64
        assert len(ds.classes) == 10 and ds.class_to_idx[ds.classes[3]] == 3


def test_mnist_flat_folder_and_transforms(tmp_path: Path):
    arrays = _mnist_files(tmp_path, n_test=4)
    transform, target_transform = Counter(), Counter()
    ds = D.MNIST(tmp_path, train=False, transform=transform, target_transform=target_transform)
    image, target = ds[-1]
    assert image[0] == "seen" and isinstance(image[1], Image.Image)
    assert target == ("seen", int(arrays["t10k"][1][-1]))
    assert transform.calls == 1 and target_transform.calls == 1


def test_mnist_data_and_targets_can_be_replaced(tmp_path: Path):
    _mnist_files(tmp_path)
    ds = D.MNIST(tmp_path)
    ds.data, ds.targets = ds.data[:3], ds.targets[:3]
    assert len(ds) == 3 and isinstance(ds[2][1], int)


def test_emnist_split_files(tmp_path: Path):
    arrays = _mnist_files(tmp_path / "EMNIST" / "raw", prefix="emnist-letters")
    ds = D.EMNIST(tmp_path, split="letters", train=False)
    assert len(ds) == len(arrays["t10k"][1])
    assert ds.classes[1] == "a"
    with pytest.raises(ValueError, match="split"):
        D.EMNIST(tmp_path, split="nope")


def test_mnist_missing_files_says_where_it_looked(tmp_path: Path):
    with pytest.raises(RuntimeError, match=r"t10k-images-idx3-ubyte(.|\n)*download=True"):
        D.MNIST(tmp_path, train=False)


def test_mnist_count_mismatch_names_both_files(tmp_path: Path):
    _write(tmp_path / "t10k-images-idx3-ubyte", _idx(np.zeros((4, 28, 28))), False)
    _write(tmp_path / "t10k-labels-idx1-ubyte", _idx(np.zeros(3)), False)
    with pytest.raises(RuntimeError, match=r"t10k-images-idx3-ubyte holds 4 images(.|\n)*3 labels"):
        D.MNIST(tmp_path, train=False)


def test_truncated_idx_names_the_file(tmp_path: Path):
    data = _idx(np.zeros((4, 28, 28)))
    _write(tmp_path / "t10k-images-idx3-ubyte", data[:-100], False)
    _write(tmp_path / "t10k-labels-idx1-ubyte", _idx(np.zeros(4)), False)
    with pytest.raises(RuntimeError, match=r"t10k-images-idx3-ubyte: truncated"):
        D.MNIST(tmp_path, train=False)


def test_truncated_gzip_and_bad_magic_name_the_file(tmp_path: Path):
    gz = gzip.compress(_idx(np.zeros((4, 28, 28))))
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gz[: len(gz) // 2])
    _write(tmp_path / "t10k-labels-idx1-ubyte", _idx(np.zeros(4)), False)
    with pytest.raises(RuntimeError, match=r"t10k-images-idx3-ubyte\.gz: corrupt or truncated"):
        D.MNIST(tmp_path, train=False)
    (tmp_path / "t10k-images-idx3-ubyte.gz").unlink()
    _write(tmp_path / "t10k-images-idx3-ubyte", b"\x12\x34\x56\x78" + bytes(100), False)
    with pytest.raises(RuntimeError, match="t10k-images-idx3-ubyte: not an IDX file"):
        D.MNIST(tmp_path, train=False)


def test_idx_with_wrong_dimensions_is_refused(tmp_path: Path):
    _write(tmp_path / "t10k-images-idx3-ubyte", _idx(np.zeros(4)), False)
    _write(tmp_path / "t10k-labels-idx1-ubyte", _idx(np.zeros(4)), False)
    with pytest.raises(RuntimeError, match="3 dimensions"):
        D.MNIST(tmp_path, train=False)


def test_read_image_and_label_file(tmp_path: Path):
    arrays = _mnist_files(tmp_path, gz=False)
    images = D.mnist.read_image_file(tmp_path / "train-images-idx3-ubyte")
    labels = D.mnist.read_label_file(tmp_path / "train-labels-idx1-ubyte")
    np.testing.assert_array_equal(images.numpy(), arrays["train"][0])
    np.testing.assert_array_equal(labels.numpy(), arrays["train"][1])


# ---------------------------------------------------------------- CIFAR (python and binary)


def _cifar_arrays(n: int, n_labels: int = 1) -> tuple[np.ndarray, np.ndarray]:
    data = RNG.integers(0, 256, (n, 3072), dtype=np.uint8)
    return data, RNG.integers(0, 10, (n, n_labels), dtype=np.uint8)


def _pickle(path: Path, entry: dict, byte_keys: bool) -> None:
    if byte_keys:
        entry = {k.encode(): v for k, v in entry.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(entry, protocol=2))


def _cifar10_tree(root: Path, sizes: list[int], test: int, byte_keys: bool = True):
    """Write matching python and binary CIFAR-10 trees; return (train, test) arrays."""
    names = ["airplane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    py, binary = root / "cifar-10-batches-py", root / "cifar-10-batches-bin"
    binary.mkdir(parents=True)
    out = {}
    batches = [(f"data_batch_{i + 1}", n) for i, n in enumerate(sizes)] + [("test_batch", test)]
    for name, n in batches:
        data, labels = _cifar_arrays(n)
        _pickle(
            py / name,
            {
                "data": data,
                "labels": labels[:, 0].tolist(),
                "batch_label": "x",
                "filenames": [f"{i}.png" for i in range(n)],
            },
            byte_keys,
        )
        (binary / f"{name}.bin").write_bytes(np.hstack([labels, data]).tobytes())
        out[name] = (data, labels[:, 0])
    _pickle(py / "batches.meta", {"label_names": names, "num_vis": 3072}, byte_keys)
    (binary / "batches.meta.txt").write_text("\n".join(names) + "\n\n")
    return out, names


def _hwc(data: np.ndarray, i: int) -> np.ndarray:
    return data[i].reshape(3, 32, 32).transpose(1, 2, 0)


@pytest.mark.parametrize("file_format", ["python", "binary"])
@pytest.mark.parametrize("byte_keys", [True, False])
def test_cifar10_both_formats_every_split(file_format: str, byte_keys: bool, tmp_path: Path):
    batches, names = _cifar10_tree(tmp_path, [3, 2, 4], 5, byte_keys)
    train = D.CIFAR10(tmp_path, train=True, file_format=file_format)
    test = D.CIFAR10(tmp_path, train=False, file_format=file_format)
    assert len(train) == 9 and len(test) == 5 and train.file_format == file_format
    assert train.classes == names and train.class_to_idx["cat"] == 3
    image, target = train[4]  # the second image of data_batch_2
    assert isinstance(image, Image.Image) and image.mode == "RGB" and image.size == (32, 32)
    np.testing.assert_array_equal(np.asarray(image), _hwc(batches["data_batch_2"][0], 1))
    assert type(target) is int and target == batches["data_batch_2"][1][1]
    assert train.data.shape == (9, 32, 32, 3) and train.data.dtype == np.uint8
    assert test.targets == batches["test_batch"][1].tolist()


def test_cifar10_auto_format_and_flat_folder(tmp_path: Path):
    _cifar10_tree(tmp_path, [2], 3)
    assert D.CIFAR10(tmp_path).file_format == "python"
    flat = D.CIFAR10(tmp_path / "cifar-10-batches-bin", train=False)
    assert flat.file_format == "binary" and len(flat) == 3


def test_cifar10_transforms_called(tmp_path: Path):
    _cifar10_tree(tmp_path, [2], 3)
    transform, target_transform = Counter(), Counter()
    ds = D.CIFAR10(tmp_path, train=False, transform=transform, target_transform=target_transform)
    image, target = ds[0]
    assert image[0] == "seen" and target[0] == "seen"
    assert transform.calls == target_transform.calls == 1


@pytest.mark.parametrize("file_format", ["python", "binary"])
def test_cifar100_fine_labels(file_format: str, tmp_path: Path):
    fine = [f"class{i}" for i in range(100)]
    py, binary = tmp_path / "cifar-100-python", tmp_path / "cifar-100-binary"
    binary.mkdir()
    for split, n in (("train", 6), ("test", 4)):
        data, labels = _cifar_arrays(n, 2)
        labels[:, 1] = RNG.integers(0, 100, n)
        _pickle(
            py / split,
            {
                "data": data,
                "fine_labels": labels[:, 1].tolist(),
                "coarse_labels": labels[:, 0].tolist(),
            },
            True,
        )
        (binary / f"{split}.bin").write_bytes(np.hstack([labels, data]).tobytes())
        if split == "test":
            expected = labels[:, 1].tolist()
    _pickle(py / "meta", {"fine_label_names": fine, "coarse_label_names": ["c"] * 20}, True)
    (binary / "fine_label_names.txt").write_text("\n".join(fine) + "\n")
    ds = D.CIFAR100(tmp_path, train=False, file_format=file_format)
    assert len(ds) == 4 and ds.targets == expected and ds.classes == fine
    assert len(D.CIFAR100(tmp_path, file_format=file_format)) == 6


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > pwned.txt",))


def test_cifar_unpickler_refuses_other_globals(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _cifar10_tree(tmp_path, [2], 3)
    batch = tmp_path / "cifar-10-batches-py" / "test_batch"
    batch.write_bytes(pickle.dumps({"data": _Evil(), "labels": []}, protocol=2))
    with pytest.raises(RuntimeError, match=r"test_batch(.|\n)*refusing to load global"):
        D.CIFAR10(tmp_path, train=False, file_format="python")
    assert not (tmp_path / "pwned.txt").exists()


def test_cifar_unpickler_refuses_object_arrays(tmp_path: Path):
    _cifar10_tree(tmp_path, [2], 3)
    batch = tmp_path / "cifar-10-batches-py" / "test_batch"
    array = np.array([1, "a"], dtype=object)
    batch.write_bytes(pickle.dumps({"data": array, "labels": [0, 1]}, protocol=2))
    with pytest.raises(RuntimeError, match="object array"):
        D.CIFAR10(tmp_path, train=False, file_format="python")


def test_cifar_bad_data_names_the_file(tmp_path: Path):
    _cifar10_tree(tmp_path, [2], 3)
    bin_batch = tmp_path / "cifar-10-batches-bin" / "test_batch.bin"
    bin_batch.write_bytes(bin_batch.read_bytes()[:-10])
    with pytest.raises(RuntimeError, match=r"test_batch\.bin: size .* not a positive multiple"):
        D.CIFAR10(tmp_path, train=False, file_format="binary")
    data, labels = _cifar_arrays(3)
    _pickle(tmp_path / "cifar-10-batches-py" / "test_batch", {"data": data, "labels": [0, 1]}, True)
    with pytest.raises(RuntimeError, match=r"test_batch: 3 images but 2 labels"):
        D.CIFAR10(tmp_path, train=False, file_format="python")
    with pytest.raises(RuntimeError, match="Dataset not found"):
        D.CIFAR10(tmp_path / "nothing")
    with pytest.raises(ValueError, match="file_format"):
        D.CIFAR10(tmp_path, file_format="jpeg")


# ---------------------------------------------------------------- folders of images


def _save(path: Path, mode: str, fmt: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    size = (6, 4)
    image = Image.new(mode, size)
    if mode == "P":
        image.putpalette([i % 256 for i in range(768)])
    image.save(path, format=fmt)


def _image_tree(root: Path) -> None:
    _save(root / "b_cat" / "one.png", "RGBA")
    _save(root / "b_cat" / "two words.JPG", "L", "JPEG")
    _save(root / "b_cat" / "nested" / "three.gif", "P", "GIF")
    _save(root / "a_dog" / "x.jpeg", "RGB", "JPEG")
    _save(root / "a_dog" / "pal.png", "P", "PNG")
    (root / "a_dog" / "notes.txt").write_text("not an image")
    (root / "README.md").write_text("a file beside the class folders")


def test_image_folder_classes_samples_and_quirks(tmp_path: Path):
    _image_tree(tmp_path)
    ds = D.ImageFolder(tmp_path)
    assert ds.classes == ["a_dog", "b_cat"] and ds.class_to_idx == {"a_dog": 0, "b_cat": 1}
    names = [os.path.relpath(p, tmp_path) for p, _ in ds.samples]
    # torchvision's order: class by class, a folder's own files before its sub-folders'.
    assert names == [
        "a_dog/pal.png",
        "a_dog/x.jpeg",
        "b_cat/one.png",
        "b_cat/two words.JPG",
    ]  # nested/three.gif is skipped: GIF is not in torchvision's IMG_EXTENSIONS
    assert ds.targets == [0, 0, 1, 1] and ds.imgs == ds.samples
    for i in range(len(ds)):
        image, target = ds[i]
        assert isinstance(image, Image.Image) and image.mode == "RGB" and image.size == (6, 4)
        assert type(target) is int


def test_image_folder_transforms_and_custom_loader(tmp_path: Path):
    _image_tree(tmp_path)
    transform, target_transform = Counter(), Counter()
    ds = D.ImageFolder(
        tmp_path,
        transform=transform,
        target_transform=target_transform,
        loader=lambda p: os.path.basename(p),
    )
    assert ds[1] == (("seen", "x.jpeg"), ("seen", 0))
    assert transform.calls == target_transform.calls == 1


def test_dataset_folder_extensions_and_is_valid_file(tmp_path: Path):
    _image_tree(tmp_path)
    texts = D.DatasetFolder(
        tmp_path, loader=lambda p: Path(p).read_text(), extensions=".txt", allow_empty=True
    )
    assert len(texts) == 1 and texts[0] == ("not an image", 0)
    with pytest.raises(FileNotFoundError, match=r"b_cat(.|\n)*Supported extensions are: \.txt"):
        D.DatasetFolder(tmp_path, loader=str, extensions=".txt")
    only_png = D.ImageFolder(tmp_path, is_valid_file=lambda p: p.endswith(".png"))
    assert [t for _, t in only_png.samples] == [0, 1] and only_png.extensions is None
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        D.DatasetFolder(tmp_path, loader=str)
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        D.DatasetFolder(tmp_path, loader=str, extensions=".png", is_valid_file=bool)


def test_image_folder_empty_root_and_unreadable_image(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        D.ImageFolder(tmp_path)
    (tmp_path / "cls").mkdir()
    (tmp_path / "cls" / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    ds = D.ImageFolder(tmp_path)
    with pytest.raises(OSError, match="broken.jpg"):
        ds[0]


def test_make_dataset_and_find_classes_helpers(tmp_path: Path):
    _image_tree(tmp_path)
    classes, mapping = D.folder.find_classes(tmp_path)
    assert classes == ["a_dog", "b_cat"]
    samples = D.folder.make_dataset(tmp_path, {"b_cat": 7}, extensions=(".png",))
    assert samples == [(str(tmp_path / "b_cat" / "one.png"), 7)]
    with pytest.raises(ValueError, match="at least one entry"):
        D.folder.make_dataset(tmp_path, {}, extensions=(".png",))
    assert D.folder.is_image_file("A.JPG") and not D.folder.is_image_file("a.txt")
    assert not D.folder.is_image_file("A.GIF")  # not in torchvision's IMG_EXTENSIONS


# ---------------------------------------------------------------- FakeData


def test_fakedata_items_are_deterministic_and_sized():
    transform = Counter()
    ds = D.FakeData(size=5, image_size=(3, 7, 9), num_classes=4, transform=transform)
    assert len(ds) == 5
    (tag, image), target = ds[3]
    assert tag == "seen" and image.mode == "RGB" and image.size == (9, 7)
    assert type(target) is int and 0 <= target < 4
    again = D.FakeData(size=5, image_size=(3, 7, 9), num_classes=4)[3]
    np.testing.assert_array_equal(np.asarray(again[0]), np.asarray(image))
    other = D.FakeData(size=5, image_size=(3, 7, 9), random_offset=1)[3][0]
    assert not np.array_equal(np.asarray(other), np.asarray(image))
    assert D.FakeData(size=2, image_size=(1, 4, 4))[0][0].mode == "L"
    with pytest.raises(IndexError):
        ds[5]


# ---------------------------------------------------------------- COCO


def _coco(tmp_path: Path) -> Path:
    for name in ("a.jpg", "b.png"):
        _save(tmp_path / "images" / name, "RGB")
    ann = {
        "images": [{"id": 9, "file_name": "b.png"}, {"id": 3, "file_name": "a.jpg"}],
        "annotations": [
            {"id": 1, "image_id": 3, "bbox": [0, 0, 2, 2], "category_id": 5, "caption": "x"},
            {"id": 2, "image_id": 9, "bbox": [1, 1, 2, 2], "category_id": 6, "caption": "y"},
            {"id": 4, "image_id": 3, "bbox": [2, 2, 1, 1], "category_id": 6, "caption": "z"},
        ],
        "categories": [{"id": 5, "name": "cat"}, {"id": 6, "name": "dog"}],
    }
    path = tmp_path / "ann.json"
    path.write_text(json.dumps(ann))
    return path


def test_coco_detection_targets_are_annotation_dicts(tmp_path: Path):
    ann = _coco(tmp_path)
    ds = D.CocoDetection(tmp_path / "images", ann)
    assert len(ds) == 2 and ds.ids == [3, 9]
    image, target = ds[0]
    assert isinstance(image, Image.Image) and image.mode == "RGB"
    assert [a["id"] for a in target] == [1, 4] and target[0]["bbox"] == [0, 0, 2, 2]
    assert ds.coco.loadAnns(ds.coco.getAnnIds(9))[0]["category_id"] == 6
    assert ds.coco.loadImgs(3)[0]["file_name"] == "a.jpg"


def test_coco_captions_and_joint_transforms(tmp_path: Path):
    ann = _coco(tmp_path)
    assert D.CocoCaptions(tmp_path / "images", ann)[0][1] == ["x", "z"]
    joint = D.CocoDetection(tmp_path / "images", ann, transforms=lambda im, t: (im.size, len(t)))
    assert joint[1] == ((6, 4), 1)
    with pytest.raises(ValueError, match="Only transforms or transform"):
        D.CocoDetection(tmp_path / "images", ann, transform=str, transforms=str)


def test_coco_bad_json_names_the_file(tmp_path: Path):
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(RuntimeError, match="broken.json"):
        D.CocoDetection(tmp_path, bad)


# ---------------------------------------------------------------- base class and repr


class _Tx:
    def __call__(self, x):
        return x

    def __repr__(self) -> str:
        return "Compose(\n    ToTensor()\n)"


def test_repr_matches_torchvision_layout(tmp_path: Path):
    _mnist_files(tmp_path, n_test=3)
    ds = D.MNIST(str(tmp_path), train=False, transform=_Tx(), target_transform=_Tx())
    assert repr(ds) == (
        f"Dataset MNIST\n    Number of datapoints: 3\n    Root location: {tmp_path}\n"
        "    Split: Test\n    StandardTransform\nTransform: Compose(\n"
        "               ToTensor()\n           )\nTarget transform: Compose(\n"
        "                      ToTensor()\n                  )"
    )
    assert repr(D.FakeData(size=2)) == "Dataset FakeData\n    Number of datapoints: 2"


def test_standard_transform_and_expanduser():
    assert StandardTransform(str, None)(1, 2) == ("1", 2)
    assert D.FakeData(2).transforms is None
    folder = D.VisionDataset("~/somewhere")
    assert folder.root == os.path.expanduser("~/somewhere")


# ---------------------------------------------------------------- download=True


@pytest.fixture
def serve(tmp_path: Path):
    """Serve a folder over HTTP on 127.0.0.1; yields (folder, base URL)."""
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_mnist_download_checks_md5_and_uses_mirrors(serve, tmp_path: Path, monkeypatch):
    from embervision.datasets.utils import calculate_md5

    www, url = serve
    arrays = _mnist_files(www / "mirror2")
    resources = [(p.name, calculate_md5(p)) for p in sorted((www / "mirror2").iterdir())]
    monkeypatch.setattr(D.MNIST, "mirrors", [url + "missing/", url + "mirror2/"])
    monkeypatch.setattr(D.MNIST, "resources", resources)
    monkeypatch.setattr(D.MNIST, "sha256", {})
    root = tmp_path / "data"
    ds = D.MNIST(root, train=False, download=True)
    assert len(ds) == len(arrays["t10k"][1])
    assert (root / "MNIST" / "raw" / "t10k-images-idx3-ubyte").is_file()
    monkeypatch.setattr(D.MNIST, "resources", [(resources[0][0], "0" * 32)])
    with pytest.raises(RuntimeError, match="t10k-images-idx3-ubyte.gz(.|\n)*md5 mismatch"):
        D.MNIST(tmp_path / "other", train=False, download=True)


def test_cifar10_download_extracts_archive(serve, tmp_path: Path, monkeypatch):
    from embervision.datasets.utils import calculate_md5

    www, url = serve
    _cifar10_tree(tmp_path / "src", [2], 3)
    archive = www / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "src" / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    monkeypatch.setattr(D.CIFAR10, "url", url + "cifar-10-python.tar.gz")
    monkeypatch.setattr(D.CIFAR10, "tgz_md5", calculate_md5(archive))
    monkeypatch.setattr(D.CIFAR10, "tgz_sha256", None)
    ds = D.CIFAR10(tmp_path / "data", train=False, download=True)
    assert len(ds) == 3 and ds.file_format == "python"


# ------------------------------------------------------- the platform's contract checks


def test_datasets_pass_the_domain_contract(tmp_path: Path):
    _mnist_files(tmp_path / "MNIST" / "raw", n_test=4)
    domain.check_dataset(lambda **kw: D.MNIST(tmp_path, train=False, **kw), length=4, joint=False)
    _cifar10_tree(tmp_path / "c", [2], 3)
    domain.check_dataset(lambda **kw: D.CIFAR10(tmp_path / "c", train=False, **kw), joint=False)
    files = domain.write_image_folder(tmp_path / "img", ["ants", "bees"], per_class=2)
    domain.check_dataset(
        lambda **kw: D.ImageFolder(tmp_path / "img", **kw), length=len(files), joint=False
    )
    domain.check_dataset(lambda **kw: D.FakeData(size=3, image_size=(3, 4, 4), **kw), joint=False)
    domain.check_dataset(lambda **kw: D.CocoDetection(*_coco_args(tmp_path), **kw))


def _coco_args(tmp_path: Path) -> tuple[Path, Path]:
    ann = _coco(tmp_path / "coco")
    return ann.parent / "images", ann


SHIPPED = [D.MNIST, D.FashionMNIST, D.KMNIST, D.EMNIST]


@pytest.mark.parametrize("cls", SHIPPED + [D.CIFAR10, D.CIFAR100], ids=lambda c: c.__name__)
def test_every_shipped_resource_has_a_sha256(cls):
    if cls in SHIPPED:
        resources = cls.download_resources()
    else:
        resources = [cls.download_resource_for(f) for f in ("python", "binary")]
    for r in resources:
        assert r.sha256 is not None and len(r.sha256) == 64, r.filename
        assert r.md5 is not None and len(r.md5) == 32, r.filename  # the publisher's, also checked
    assert len(D.MNIST.download_resources()[0].urls) == 2  # primary and mirror


def test_mnist_sha256_matches_the_official_test_files():
    folder = need_data("vision", "mnist")
    for r in D.MNIST.download_resources():
        if r.filename.startswith("t10k"):  # the shared train pair is a re-packed subset
            assert r.is_intact(folder), r.filename
