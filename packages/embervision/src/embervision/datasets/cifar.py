"""CIFAR-10 and CIFAR-100, from the python (pickle) batches or the binary ``.bin`` batches."""

from __future__ import annotations

import codecs
import glob
import os
import pickle
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from embervision.datasets.utils import Resource, download_resource, verify_str_arg
from embervision.datasets.vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100"]

_PIXELS = 3 * 32 * 32


def _reconstruct(subtype: type, shape: tuple, dtype: Any) -> np.ndarray:
    """Stand-in for ``numpy.core.multiarray._reconstruct`` that only builds plain arrays."""
    if subtype is not np.ndarray:
        raise pickle.UnpicklingError(f"refusing to rebuild an array of type {subtype!r}")
    return np.ndarray(shape, _safe_dtype(dtype))


def _safe_dtype(obj: Any, align: bool = False, copy: bool = False) -> np.dtype:
    """``numpy.dtype`` for plain numeric dtypes; object dtypes could run arbitrary code."""
    dtype = np.dtype(obj, align, copy)
    if dtype.hasobject:
        raise pickle.UnpicklingError(f"refusing to rebuild an object array (dtype {dtype})")
    return dtype


class _CifarUnpickler(pickle.Unpickler):
    """Unpickles only what CIFAR batches hold: dicts, lists, strings, bytes, ints, numpy arrays.

    Any other global in the pickle (a function, a class) stops the load with an error, so a
    malicious file cannot run code.
    """

    _ALLOWED: dict[tuple[str, str], Any] = {
        ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
        ("numpy", "ndarray"): np.ndarray,
        ("numpy", "dtype"): _safe_dtype,
        ("_codecs", "encode"): codecs.encode,  # how Python 3 writes bytes at protocol 2
    }

    def __init__(self, file: Any, path: str) -> None:
        super().__init__(file, encoding="latin1")
        self.path = path

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self._ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"{self.path}: refusing to load global {module}.{name}; a CIFAR batch holds only "
                "dicts, lists, strings, ints and numpy arrays"
            ) from None


def _text(value: Any) -> str:
    return value.decode("latin1") if isinstance(value, bytes) else str(value)


def load_pickle(path: str) -> dict[str, Any]:
    """Load a CIFAR python batch with the restricted unpickler; keys come back as str."""
    try:
        with open(path, "rb") as f:
            entry = _CifarUnpickler(f, path).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        raise RuntimeError(f"{path}: not a readable CIFAR python batch ({err})") from err
    if not isinstance(entry, dict):
        raise RuntimeError(f"{path}: expected a dict in a CIFAR batch, got {type(entry).__name__}")
    return {_text(k): v for k, v in entry.items()}


def _batch_from_pickle(path: str, label_key: str) -> tuple[np.ndarray, list[int]]:
    entry = load_pickle(path)
    if "data" not in entry or label_key not in entry:
        raise RuntimeError(
            f"{path}: a CIFAR batch needs keys 'data' and {label_key!r}, found {sorted(entry)}"
        )
    data = np.asarray(entry["data"])
    labels = [int(x) for x in entry[label_key]]
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != _PIXELS:
        raise RuntimeError(
            f"{path}: expected uint8 data of shape (N, {_PIXELS}), got {data.dtype} {data.shape}"
        )
    if len(labels) != len(data):
        raise RuntimeError(f"{path}: {len(data)} images but {len(labels)} labels")
    return data, labels


def _batch_from_bin(path: str, label_bytes: int) -> tuple[np.ndarray, list[int]]:
    raw = np.fromfile(path, np.uint8)
    record = label_bytes + _PIXELS
    if raw.size == 0 or raw.size % record:
        raise RuntimeError(
            f"{path}: size {raw.size} bytes is not a positive multiple of the "
            f"{record}-byte CIFAR record; the file is truncated or not CIFAR"
        )
    records = raw.reshape(-1, record)
    return records[:, label_bytes:], records[:, label_bytes - 1].astype(int).tolist()


def _numbered(folder: str, pattern: str) -> list[str]:
    """Files matching ``pattern`` (with one ``*`` for a batch number) sorted by that number."""
    regex = re.compile(re.escape(pattern).replace(r"\*", r"(\d+)") + "$")
    found = [
        p
        for p in glob.glob(os.path.join(glob.escape(folder), pattern))
        if regex.match(os.path.basename(p))
    ]
    return sorted(found, key=lambda p: int(regex.match(os.path.basename(p)).group(1)))


class CIFAR10(VisionDataset):
    """CIFAR-10: 32x32 colour images in 10 classes.

    Reads the python batches (``cifar-10-batches-py``: ``data_batch_*``, ``test_batch``,
    ``batches.meta``) or the binary ones (``cifar-10-batches-bin``: ``data_batch_*.bin``,
    ``test_batch.bin``, ``batches.meta.txt``), in ``root/<folder>`` or in ``root`` itself.
    The number of batches and images comes from the files. Python pickles go through a
    restricted unpickler that refuses anything but plain data.

    Args:
        root: the folder holding the batch folder (or the batches).
        train: the training batches if True, else the test batch.
        transform: called on each PIL RGB image.
        target_transform: called on each int label.
        download: fetch and extract the official archive (md5-checked) if files are missing.
        file_format: ``"python"``, ``"binary"`` or None (python if present, else binary).

    Example:
        >>> ds = CIFAR10("data", train=False, download=True)  # doctest: +SKIP
        >>> ds.classes[ds[0][1]]  # doctest: +SKIP
        'cat'
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    tgz_sha256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {
        "filename": "batches.meta",
        "key": "label_names",
        "md5": "5ff9c542aee3614f3951f8cda6e48888",
    }
    label_key = "labels"
    # The binary release of the same data.
    binary_folder = "cifar-10-batches-bin"
    binary_url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    binary_filename = "cifar-10-binary.tar.gz"
    binary_md5 = "c32a1d4ab5d03f1284b67883e8d87530"
    binary_sha256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
    binary_train_pattern = "data_batch_*.bin"
    binary_test_files = ["test_batch.bin"]
    binary_meta = "batches.meta.txt"
    binary_label_bytes = 1  # CIFAR-100 records carry coarse then fine label

    def __init__(
        self,
        root: str | os.PathLike,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
        *,
        file_format: str | None = None,
    ) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if file_format is not None:
            verify_str_arg(file_format, "file_format", ("python", "binary"))
        if download:
            self.download(file_format or "python")
        self.file_format, files, meta = self._locate(file_format)
        self.batch_files = files
        data, self.targets = self._load(files)
        self.data = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # to HWC, as torchvision
        self.classes = self._load_classes(meta)
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def _python_files(self, folder: str) -> tuple[list[str], str]:
        if self.train:
            files = _numbered(folder, "data_batch_*") or [
                os.path.join(folder, name) for name, _ in self.train_list
            ]
        else:
            files = [os.path.join(folder, name) for name, _ in self.test_list]
        return files, os.path.join(folder, self.meta["filename"])

    def _binary_files(self, folder: str) -> tuple[list[str], str]:
        if self.train:
            files = _numbered(folder, self.binary_train_pattern)
            files = files or [os.path.join(folder, "data_batch_1.bin")]
        else:
            files = [os.path.join(folder, name) for name in self.binary_test_files]
        return files, os.path.join(folder, self.binary_meta)

    def _candidates(self, file_format: str | None) -> list[tuple[str, str]]:
        root = os.fspath(self.root)
        python = [("python", os.path.join(root, self.base_folder)), ("python", root)]
        binary = [("binary", os.path.join(root, self.binary_folder)), ("binary", root)]
        return {"python": python, "binary": binary, None: python + binary}[file_format]

    def _locate(self, file_format: str | None) -> tuple[str, list[str], str]:
        """Find the first folder holding this split's batches and meta file."""
        for fmt, folder in self._candidates(file_format):
            lister = self._python_files if fmt == "python" else self._binary_files
            files, meta = lister(folder)
            if all(os.path.isfile(f) for f in files) and os.path.isfile(meta):
                return fmt, files, meta
        where = ", ".join(sorted({folder for _, folder in self._candidates(file_format)}))
        raise RuntimeError(
            f"Dataset not found: no {type(self).__name__} batches with their meta "
            f"file in {where}. You can use download=True to download it"
        )

    def _load(self, files: list[str]) -> tuple[np.ndarray, list[int]]:
        datas, targets = [], []
        for path in files:
            if self.file_format == "python":
                data, labels = _batch_from_pickle(path, self.label_key)
            else:
                data, labels = _batch_from_bin(path, self.binary_label_bytes)
            datas.append(data)
            targets += labels
        return np.concatenate(datas), targets

    def _load_classes(self, meta: str) -> list[str]:
        if self.file_format == "binary":
            with open(meta, encoding="utf-8") as f:
                return [line.strip() for line in f if line.strip()]
        entry = load_pickle(meta)
        if self.meta["key"] not in entry:
            raise RuntimeError(
                f"{meta}: no {self.meta['key']!r} in the meta file; "
                "it is corrupt or from another dataset"
            )
        return [_text(name) for name in entry[self.meta["key"]]]

    def download(self, file_format: str = "python") -> None:
        """Download and extract the official archive unless its files are already there."""
        try:
            self._locate(file_format)
            return
        except RuntimeError:
            pass
        download_resource(self.download_resource_for(file_format), self.root, extract=True)

    @classmethod
    def download_resource_for(cls, file_format: str = "python") -> Resource:
        """The official archive of ``file_format`` (``"python"`` or ``"binary"``), checksummed."""
        if file_format == "binary":
            return Resource(
                cls.binary_filename, [cls.binary_url], sha256=cls.binary_sha256, md5=cls.binary_md5
            )
        return Resource(cls.filename, [cls.url], sha256=cls.tgz_sha256, md5=cls.tgz_md5)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        image = Image.fromarray(self.data[int(index)])
        target = self.targets[int(index)]
        return self.apply_transforms(image, target)

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: 32x32 colour images in 100 fine classes (labels are the fine labels).

    Python files ``cifar-100-python/{train,test,meta}``; binary files
    ``cifar-100-binary/{train,test}.bin`` with ``fine_label_names.txt``. Arguments as
    :class:`CIFAR10`.

    Example:
        >>> ds = CIFAR100("data", train=False, download=True)  # doctest: +SKIP
        >>> len(ds.classes)  # doctest: +SKIP
        100
    """

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    tgz_sha256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
    train_list = [["train", "16019d7e3df5f24257cddd939b257f8d"]]
    test_list = [["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"]]
    meta = {
        "filename": "meta",
        "key": "fine_label_names",
        "md5": "7973b15100ade9c7d40fb424638fde48",
    }
    label_key = "fine_labels"
    binary_folder = "cifar-100-binary"
    binary_url = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
    binary_filename = "cifar-100-binary.tar.gz"
    binary_md5 = "03b5dce01913d631647c71ecec9e9cb8"
    binary_sha256 = "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec"
    binary_meta = "fine_label_names.txt"
    binary_label_bytes = 2

    def _python_files(self, folder: str) -> tuple[list[str], str]:
        names = self.train_list if self.train else self.test_list
        files = [os.path.join(folder, name) for name, _ in names]
        return files, os.path.join(folder, self.meta["filename"])

    def _binary_files(self, folder: str) -> tuple[list[str], str]:
        name = "train.bin" if self.train else "test.bin"
        return [os.path.join(folder, name)], os.path.join(folder, self.binary_meta)
