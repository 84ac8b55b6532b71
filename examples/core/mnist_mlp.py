"""Train a two-layer MLP on MNIST with the core package only (no domain package needed).

Reads the IDX files from $EMBER_DATA/vision/mnist (default ../shared/data), trains with
Adam and prints the test accuracy.

Usage: python examples/core/mnist_mlp.py [--epochs 3] [--root DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.utils.data import DataLoader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mnist_data import DEFAULT_ROOT, mnist  # noqa: E402


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


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--train-limit", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args(argv)
    ember.manual_seed(0)
    train = mnist(args.root, True, limit=args.train_limit, flat=True)
    test = mnist(args.root, False, flat=True)
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
    return acc


if __name__ == "__main__":
    main()
