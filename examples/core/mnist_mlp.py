"""Train a two-layer MLP on MNIST with the core package only (no domain package needed).

Reads the IDX files from $EMBER_DATA/vision/mnist (default ../shared/data), trains with
Adam and prints the test accuracy.

Usage: python examples/core/mnist_mlp.py [--epochs 3] [--root DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import struct
import time
from pathlib import Path

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.utils.data import DataLoader, TensorDataset

DEFAULT_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (gzip or not) into a NumPy array."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {arr.size} values")
    return arr.reshape(shape)


def find(root: Path, stem: str) -> Path:
    for name in (f"{stem}.gz", stem):
        if (root / name).exists():
            return root / name
    raise FileNotFoundError(f"{stem}[.gz] not found in {root}")


def load_split(root: Path, prefix: str) -> TensorDataset:
    images = read_idx(find(root, f"{prefix}-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = read_idx(find(root, f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    if len(images) != len(labels):
        raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
    x = (images.reshape(len(images), -1) - 0.1307) / 0.3081
    return TensorDataset(ember.from_numpy(x), ember.from_numpy(labels))


class MLP(nn.Module):
    """784 -> 256 -> 10 with ReLU and dropout."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct = total = 0
    with ember.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(dim=1) == y).sum())
            total += len(y)
    return correct / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get("EMBER_DATA", DEFAULT_ROOT)) / "vision" / "mnist",
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()
    ember.manual_seed(0)
    train, test = load_split(args.root, "train"), load_split(args.root, "t10k")
    train_loader = DataLoader(train, batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(test, batch_size=1000)
    model = MLP()
    opt = ember.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(1, args.epochs + 1):
        model.train()
        start, total = time.perf_counter(), 0.0
        for x, y in train_loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(y)
        acc = evaluate(model, test_loader)
        print(
            f"epoch {epoch}: train loss {total / len(train):.4f}  test accuracy {acc:.4f}  "
            f"({time.perf_counter() - start:.1f}s)",
            flush=True,
        )
    print(f"final test accuracy: {acc:.4f}")


if __name__ == "__main__":
    main()
