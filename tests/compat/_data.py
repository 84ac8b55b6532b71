"""Readers for the shared real datasets used by the compat programs (NumPy and gzip only)."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np

import ember
from ember.utils.data import Dataset

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def _read_idx(path: Path, magic: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    header = np.frombuffer(raw, dtype=">i4", count=2)
    if header[0] != magic:
        raise ValueError(f"{path}: IDX magic {header[0]}, expected {magic}")
    ndim = magic & 0xFF
    dims = np.frombuffer(raw, dtype=">i4", count=1 + ndim)[1:]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


@functools.lru_cache(maxsize=4)
def read_mnist(root: Path, train: bool) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (N, 28, 28), labels int64 (N,)) from the IDX files under root/vision/mnist."""
    folder = Path(root) / "vision" / "mnist"
    prefix = "train" if train else "t10k"
    images = _read_idx(folder / f"{prefix}-images-idx3-ubyte.gz", 2051)
    labels = _read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", 2049).astype(np.int64)
    if len(images) != len(labels):
        raise ValueError(f"{folder}: {len(images)} {prefix} images but {len(labels)} labels")
    return images, labels


class MNIST(Dataset):
    """The first ``limit`` MNIST digits as (1x28x28 float tensor, int label), like
    ``datasets.MNIST(..., transform=Compose([ToTensor(), Normalize((0.1307,), (0.3081,))]))``
    (``normalize=False`` keeps pixels in [0, 1], as the VAE example wants)."""

    def __init__(self, root: Path, train: bool = True, limit: int | None = None,
                 normalize: bool = True) -> None:
        images, labels = read_mnist(Path(root), train)
        x = images[:limit].astype(np.float32)[:, None] / 255.0
        self.data = (x - MNIST_MEAN) / MNIST_STD if normalize else x
        self.targets = labels[:limit]

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int) -> tuple[ember.Tensor, int]:
        return ember.from_numpy(self.data[index]), int(self.targets[index])
