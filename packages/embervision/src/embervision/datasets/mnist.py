"""MNIST-style datasets stored as IDX files: MNIST, FashionMNIST, KMNIST and EMNIST."""

from __future__ import annotations

import gzip
import os
import string
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

import ember
from embervision.datasets.utils import (
    Resource,
    download_resource,
    extract_archive,
    verify_str_arg,
)
from embervision.datasets.vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "KMNIST", "EMNIST", "read_image_file", "read_label_file"]

# IDX type byte -> big-endian numpy dtype (LeCun's format description).
_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: str) -> bytes:
    """Read a file, gunzipping it when its name ends in .gz; errors name the file."""
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                return f.read()
        with open(path, "rb") as f:
            return f.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise RuntimeError(f"{path}: corrupt or truncated gzip file ({err})") from err


def _parse_idx(data: bytes, path: str) -> np.ndarray:
    """Turn the bytes of an IDX file into an array, checking the header against the size."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise RuntimeError(f"{path}: not an IDX file (bad magic number {data[:4].hex()})")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise RuntimeError(f"{path}: truncated IDX header ({len(data)} bytes)")
    shape = tuple(int(n) for n in np.frombuffer(data, ">i4", ndim, 4))
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise RuntimeError(
            f"{path}: truncated or padded IDX file: the header says shape {shape} "
            f"({expected} bytes of data) but the file holds {len(data) - header}"
        )
    return np.frombuffer(data, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _read_idx(path: str, ndim: int, what: str) -> np.ndarray:
    array = _parse_idx(_read_bytes(path), path)
    if array.ndim != ndim:
        raise RuntimeError(
            f"{path}: expected an IDX {what} file with {ndim} dimensions, got shape {array.shape}"
        )
    return array


def read_image_file(path: str | os.PathLike) -> ember.Tensor:
    """Read an IDX image file (optionally gzipped) into an ``(N, H, W)`` tensor.

    Args:
        path: the ``*-images-idx3-ubyte`` file, with or without ``.gz``.

    Returns:
        The images, dtype as stored (uint8 for MNIST).

    Example:
        >>> read_image_file("MNIST/raw/t10k-images-idx3-ubyte").shape  # doctest: +SKIP
        ember.Size([10000, 28, 28])
    """
    return ember.from_numpy(_read_idx(os.fspath(path), 3, "image"))


def read_label_file(path: str | os.PathLike) -> ember.Tensor:
    """Read an IDX label file (optionally gzipped) into an int64 ``(N,)`` tensor.

    Args:
        path: the ``*-labels-idx1-ubyte`` file, with or without ``.gz``.

    Returns:
        The labels as int64.

    Example:
        >>> read_label_file("MNIST/raw/t10k-labels-idx1-ubyte")[:3]  # doctest: +SKIP
        tensor([7, 2, 1])
    """
    labels = _read_idx(os.fspath(path), 1, "label")
    return ember.from_numpy(labels.astype(np.int64))


class MNIST(VisionDataset):
    """The MNIST handwritten digits (28x28 grey images, labels 0-9).

    The IDX files are looked for, gzipped or not, in ``root/MNIST/raw`` (torchvision's layout),
    then ``root/MNIST``, then ``root`` itself (a flat folder holding the four files).
    Counts come from the file headers; image and label counts must agree.

    Args:
        root: the folder holding the data (see above).
        train: the training split if True, else the test split.
        transform: called on each PIL image (mode ``L``).
        target_transform: called on each int label.
        download: fetch the files (checksum-verified, mirrors tried in turn) if they are missing.

    Example:
        >>> ds = MNIST("data", train=False, download=True)  # doctest: +SKIP
        >>> image, label = ds[0]  # doctest: +SKIP
        >>> image.size, label  # doctest: +SKIP
        ((28, 28), 7)
    """

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    # sha256 of the official files (the test pair recomputed from the files themselves; the
    # train pair as published alongside the same md5s). Both checksums are verified.
    sha256: dict[str, str] = dict(
        zip(
            _FILES,
            (
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            ),
        )
    )
    classes = [
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]

    def __init__(
        self,
        root: str | os.PathLike,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
    ) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        self._images, self._labels = self._load_data()

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "raw")

    @property
    def processed_folder(self) -> str:
        return os.path.join(self.root, self.__class__.__name__, "processed")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    @property
    def data(self) -> ember.Tensor:
        """All images as one uint8 ``(N, H, W)`` tensor (shares memory with the dataset)."""
        return ember.from_numpy(self._images)

    @data.setter
    def data(self, value: Any) -> None:
        self._images = np.asarray(value.numpy() if hasattr(value, "numpy") else value)

    @property
    def targets(self) -> ember.Tensor:
        """All labels as one int64 ``(N,)`` tensor."""
        return ember.from_numpy(self._labels)

    @targets.setter
    def targets(self, value: Any) -> None:
        self._labels = np.asarray(value.numpy() if hasattr(value, "numpy") else value, np.int64)

    def _split_files(self) -> tuple[str, str]:
        prefix = "train" if self.train else "t10k"
        return f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"

    def _search_folders(self) -> list[str]:
        name = self.__class__.__name__
        return [self.raw_folder, os.path.join(self.root, name), os.fspath(self.root)]

    def _find(self, base: str) -> str | None:
        """The first existing ``base`` or ``base.gz`` in the search folders."""
        for folder in self._search_folders():
            for candidate in (base, base + ".gz"):
                path = os.path.join(folder, candidate)
                if os.path.isfile(path):
                    return path
        return None

    def _check_exists(self) -> bool:
        return all(self._find(base) is not None for base in self._split_files())

    def _locate(self, base: str) -> str:
        path = self._find(base)
        if path is None:
            where = ", ".join(self._search_folders())
            raise RuntimeError(
                f"Dataset not found: no {base} or {base}.gz in {where}. "
                "You can use download=True to download it"
            )
        return path

    def _load_data(self) -> tuple[np.ndarray, np.ndarray]:
        image_path, label_path = (self._locate(base) for base in self._split_files())
        images = _read_idx(image_path, 3, "image")
        labels = _read_idx(label_path, 1, "label").astype(np.int64)
        if len(images) != len(labels):
            raise RuntimeError(
                f"{image_path} holds {len(images)} images but {label_path} holds "
                f"{len(labels)} labels; the two files must come from one split"
            )
        return images, labels

    def download(self) -> None:
        """Download and unpack the files of both splits into ``raw_folder`` if missing."""
        if self._check_exists():
            return
        for resource in self.download_resources():
            download_resource(resource, self.raw_folder, extract=True)

    @classmethod
    def download_resources(cls) -> list[Resource]:
        """The files :meth:`download` fetches: each with its sha256, md5 and every mirror."""
        return [
            Resource(name, [m + name for m in cls.mirrors], sha256=cls.sha256.get(name), md5=md5)
            for name, md5 in cls.resources
        ]

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        image = Image.fromarray(self._images[int(index)])
        target = int(self._labels[int(index)])
        return self.apply_transforms(image, target)

    def __len__(self) -> int:
        return len(self._images)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, MNIST's file format.

    Args and folder layout as :class:`MNIST` (``root/FashionMNIST/raw`` or a flat folder).

    Example:
        >>> FashionMNIST("data", download=True).classes[0]  # doctest: +SKIP
        'T-shirt/top'
    """

    mirrors = [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    sha256: dict[str, str] = dict(
        zip(
            _FILES,
            (
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            ),
        )
    )
    classes = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]


class KMNIST(MNIST):
    """Kuzushiji-MNIST: 28x28 grey images of 10 cursive Japanese characters, MNIST's format.

    Args and folder layout as :class:`MNIST` (``root/KMNIST/raw`` or a flat folder).

    Example:
        >>> KMNIST("data", download=True).classes[:3]  # doctest: +SKIP
        ['o', 'ki', 'su']
    """

    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    sha256: dict[str, str] = dict(
        zip(
            _FILES,
            (
                "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
                "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
                "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
                "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c",
            ),
        )
    )
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


_MERGED = set("cijklmopsuvwxyz")
_ALL = set(string.digits + string.ascii_letters)


class EMNIST(MNIST):
    """Extended MNIST: handwritten digits and letters in six splits, MNIST's file format.

    Files are ``emnist-{split}-{train|test}-{images-idx3|labels-idx1}-ubyte[.gz]`` in
    ``root/EMNIST/raw``, ``root/EMNIST`` or ``root``. As in torchvision the images are kept as
    stored (transposed relative to MNIST).

    Args:
        root: the folder holding the data.
        split: one of ``byclass``, ``bymerge``, ``balanced``, ``letters``, ``digits``, ``mnist``.
        **kwargs: ``train``, ``transform``, ``target_transform`` and ``download`` as MNIST.

    Example:
        >>> EMNIST("data", split="letters", download=True).classes[1]  # doctest: +SKIP
        'a'
    """

    url = "https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip"
    mirrors = ["https://www.itl.nist.gov/iaui/vip/cs_links/EMNIST/gzip.zip"]
    md5 = "58c8d27c78d21e728a6bc7b3cc06412e"
    archive_sha256 = "fb9bb67e33772a9cc0b895e4ecf36d2cf35be8b709693c3564cea2a019fcda8e"
    splits = ("byclass", "bymerge", "balanced", "letters", "digits", "mnist")
    classes_split_dict = {
        "byclass": sorted(_ALL),
        "bymerge": sorted(_ALL - _MERGED),
        "balanced": sorted(_ALL - _MERGED),
        "letters": ["N/A", *string.ascii_lowercase],
        "digits": list(string.digits),
        "mnist": list(string.digits),
    }

    def __init__(self, root: str | os.PathLike, split: str, **kwargs: Any) -> None:
        self.split = verify_str_arg(split, "split", self.splits)
        self.classes = self.classes_split_dict[self.split]
        super().__init__(root, **kwargs)

    @classmethod
    def download_resources(cls) -> list[Resource]:
        """NIST's ``gzip.zip`` (all splits), with its sha256, md5 and mirror."""
        urls = [cls.url, *cls.mirrors]
        return [Resource("gzip.zip", urls, sha256=cls.archive_sha256, md5=cls.md5)]

    def _split_files(self) -> tuple[str, str]:
        prefix = f"emnist-{self.split}-{'train' if self.train else 'test'}"
        return f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"

    def download(self) -> None:
        """Download NIST's ``gzip.zip`` and unpack this dataset's IDX files into ``raw_folder``."""
        if self._check_exists():
            return
        (resource,) = self.download_resources()
        download_resource(resource, self.raw_folder, extract=True)
        folder = os.path.join(self.raw_folder, "gzip")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".gz"):
                extract_archive(os.path.join(folder, name), self.raw_folder, remove_finished=True)
