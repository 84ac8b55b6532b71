"""Recipe of ``LeNet_Weights.MNIST_V1``: train lenet on the MNIST subset with ember, on the CPU.

    python packages/embervision/src/embervision/_weights/train_lenet.py [MNIST_DIR]

MNIST_DIR holds the four IDX ``.gz`` files (default: $EMBER_DATA/vision/mnist). Training uses
the train split (5,000 images in the shared data), inputs scaled to [0, 1] and normalised with
mean 0.1307 / std 0.3081, random translations of up to 2 pixels (zero padding, then a random
28x28 crop), AdamW (lr 2e-3, weight decay 1e-4, batch 64) with a cosine schedule over 30 epochs,
seed 0. It prints test accuracy on the 10,000-image test split and writes
``lenet_mnist-<sha256[:8]>.ember`` beside this file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

import ember
from ember import nn, optim
from embervision.models.lenet import MNIST_MEAN, MNIST_STD, LeNet

EPOCHS, BATCH, LR, WD, SHIFT = 30, 64, 2e-3, 1e-4, 2


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    magic, n = int.from_bytes(data[:4], "big"), int.from_bytes(data[4:8], "big")
    if magic == 2049:
        return np.frombuffer(data, np.uint8, n, offset=8)
    rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
    return np.frombuffer(data, np.uint8, n * rows * cols, offset=16).reshape(n, 1, rows, cols)


def load(root: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(root / f"{split}-images-idx3-ubyte.gz")
    labels = read_idx(root / f"{split}-labels-idx1-ubyte.gz")
    x = (images.astype(np.float32) / 255 - MNIST_MEAN[0]) / MNIST_STD[0]
    return x, labels.astype(np.int64)


def shift_batch(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random translation by up to SHIFT pixels; the padding value is the normalised black."""
    pad = np.pad(
        x,
        ((0, 0), (0, 0), (SHIFT, SHIFT), (SHIFT, SHIFT)),
        constant_values=-MNIST_MEAN[0] / MNIST_STD[0],
    )
    out = np.empty_like(x)
    offsets = rng.integers(0, 2 * SHIFT + 1, size=(len(x), 2))
    for i, (dy, dx) in enumerate(offsets):
        out[i] = pad[i, :, dy : dy + 28, dx : dx + 28]
    return out


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    model.eval()
    correct = 0
    with ember.no_grad():
        for i in range(0, len(x), 1000):
            pred = model(ember.from_numpy(x[i : i + 1000])).argmax(1).numpy()
            correct += int((pred == y[i : i + 1000]).sum())
    return 100.0 * correct / len(x)


def train(root: Path) -> tuple[nn.Module, float]:
    ember.manual_seed(0)
    rng = np.random.default_rng(0)
    xtr, ytr = load(root, "train")
    xte, yte = load(root, "t10k")
    model = LeNet()
    opt = optim.AdamW(model.parameters(), lr=LR, weight_decay=WD)
    steps = EPOCHS * -(-len(xtr) // BATCH)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(EPOCHS):
        model.train()
        t0 = time.perf_counter()
        perm = rng.permutation(len(xtr))
        for i in range(0, len(xtr), BATCH):
            idx = perm[i : i + BATCH]
            xb = ember.from_numpy(shift_batch(xtr[idx], rng))
            loss = loss_fn(model(xb), ember.from_numpy(ytr[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        dt = time.perf_counter() - t0
        print(f"epoch {epoch + 1}: loss {loss.item():.4f} ({dt:.1f} s)", flush=True)
    acc = accuracy(model, xte, yte)
    print(f"test accuracy: {acc:.2f}% on {len(xte)} images", flush=True)
    return model, acc


def main() -> None:
    default = Path(os.environ.get("EMBER_DATA", "../shared/data")) / "vision" / "mnist"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    model, _ = train(root)
    tmp = Path(__file__).with_name("lenet_mnist.tmp.ember")
    ember.save(model.state_dict(), tmp)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    final = tmp.with_name(f"lenet_mnist-{digest[:8]}.ember")
    tmp.rename(final)
    print(f"wrote {final.name} sha256={digest}")


if __name__ == "__main__":
    main()
