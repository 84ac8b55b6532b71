"""MNIST IDX reading for the core examples (embervision has the full dataset classes)."""

from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np

import ember
from ember.utils.data import TensorDataset

DEFAULT_ROOT = (
    Path(os.environ.get("EMBER_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
    / "vision"
    / "mnist"
)
MEAN, STD = 0.1307, 0.3081


def read_idx(path: Path) -> np.ndarray:
    """Read an unsigned-byte IDX file (gzip or not) into a NumPy array."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4:
        raise ValueError(f"{path}: too short to be an IDX file")
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {arr.size} values")
    return arr.reshape(shape)


def _find(root: Path, stem: str) -> Path:
    for name in (f"{stem}.gz", stem):
        if (root / name).exists():
            return root / name
    raise SystemExit(
        f"MNIST: {stem}[.gz] not found in {root}. Expected --root to hold the four IDX files "
        "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
        "t10k-labels-idx1-ubyte (each may end in .gz); "
        "`python examples/vision/mnist.py --download-root DIR` downloads them into DIR/MNIST/raw."
    )


def mnist(root: Path, train: bool, *, limit: int | None = None, flat: bool = False):
    """MNIST as a TensorDataset of normalised float32 images and int64 labels."""
    prefix = "train" if train else "t10k"
    images = read_idx(_find(root, f"{prefix}-images-idx3-ubyte"))[:limit]
    labels = read_idx(_find(root, f"{prefix}-labels-idx1-ubyte"))[:limit]
    if len(images) != len(labels):
        raise ValueError(f"{root}: {len(images)} {prefix} images but {len(labels)} labels")
    x = (images.astype(np.float32) / 255.0 - MEAN) / STD
    x = x.reshape(len(x), -1) if flat else x[:, None]
    return TensorDataset(ember.from_numpy(x), ember.from_numpy(labels.astype(np.int64)))
