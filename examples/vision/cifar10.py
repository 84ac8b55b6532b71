"""CIFAR-10 with a CIFAR ResNet (ResNet-20 by default) and the standard augmentation.

``embervision.datasets.CIFAR10`` reads the python or the binary batches it finds under ``--root``
(default ``$EMBER_DATA/vision``: the shared 1,000/500-image subset; point it at a full
CIFAR-10 copy for the real thing). Training images go through ``RandomCrop(32, padding=4)``,
``RandomHorizontalFlip`` and ``Normalize`` from ``embervision.transforms``, per sample in the
DataLoader (``--workers`` processes). SGD with Nesterov momentum and a one-cycle schedule.

Writes into ``--out`` (default ``runs/cifar10``): ``loss.png``, ``accuracy.png``,
``predictions.png``, ``cifar_resnet.pt`` and ``metrics.json``. Prints the test accuracy.

Usage: python examples/vision/cifar10.py [--epochs 8] [--depth 20] [--format binary] [--root DIR]
       [--download]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.optim.lr_scheduler import OneCycleLR
from ember.utils.data import DataLoader, Subset

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # noqa: E402

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


class BasicBlock(nn.Module):
    """Two 3x3 conv-BN layers and a shortcut (a strided 1x1 conv when the shape changes)."""

    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout)
            )

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    """He et al.'s CIFAR ResNet: depth = 6n + 2, three stages of n blocks (32, 16, 8 pixels)."""

    def __init__(self, depth: int = 20, width: int = 16, num_classes: int = 10) -> None:
        super().__init__()
        if (depth - 2) % 6:
            raise ValueError(f"depth must be 6n + 2 (8, 14, 20, 32, 44, 56, 110), got {depth}")
        n = (depth - 2) // 6
        self.stem = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()
        )
        blocks, cin = [], width
        for stage in range(3):
            cout = width * 2**stage
            for i in range(n):
                blocks.append(BasicBlock(cin, cout, stride=2 if stage and i == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*blocks)
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, num_classes)
        )
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.head(self.layers(self.stem(x)))


def datasets(args: argparse.Namespace) -> tuple:
    """Train and test CIFAR10 with their transforms, cut to ``--limit`` / ``--test-limit``."""
    from embervision import transforms as T
    from embervision.datasets import CIFAR10

    normalize = [T.ToTensor(), T.Normalize(MEAN, STD)]
    train_tf = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), *normalize])
    fmt = None if args.format == "auto" else args.format
    try:
        train = CIFAR10(args.root, train=True, transform=train_tf, file_format=fmt,
                        download=args.download)
    except RuntimeError as err:
        raise SystemExit(
            f"cifar10: {err}. Pass --download to fetch it into --root {args.root}, or point "
            "--root at a folder holding cifar-10-batches-py/ (or cifar-10-batches-bin/)."
        ) from None
    test = CIFAR10(args.root, train=False, transform=T.Compose(normalize), file_format=fmt)
    source = f"{train.file_format} batches in {args.root}"
    if args.limit is not None:
        train = Subset(train, range(min(args.limit, len(train))))
    if args.test_limit is not None:
        test = Subset(test, range(min(args.test_limit, len(test))))
    return train, test, source


def train_epoch(model, loader, optimizer, scheduler, device, bar) -> tuple[float, float, list]:
    """One pass over ``loader``; returns mean loss, accuracy (%) and the per-step losses."""
    model.train()
    losses, correct, seen = [], 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
        correct += (logits.argmax(1) == y).sum().item()
        seen += len(y)
        bar.update(1, loss=losses[-1], acc=100.0 * correct / seen)
    return float(np.mean(losses)), 100.0 * correct / seen, losses


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = common.base_parser(
        "cifar10", "Train a CIFAR ResNet on CIFAR-10 with ember.", epochs=8, batch_size=64, lr=0.05
    )
    p.add_argument(
        "--root",
        type=Path,
        default=common.data_root() / "vision",
        help="folder holding cifar-10-batches-py or cifar-10-batches-bin",
    )
    p.add_argument("--format", choices=["auto", "python", "binary"], default="auto")
    p.add_argument("--download", action="store_true",
                   help="download and extract CIFAR-10 (md5-checked) into --root if missing")
    p.add_argument("--depth", type=int, default=20, help="6n + 2: 8, 14, 20, 32, 44, 56, 110")
    p.add_argument("--width", type=int, default=16, help="channels of the first stage")
    p.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    clock = common.Stopwatch()
    device = common.setup(args)
    train, test, source = datasets(args)
    args.train_size = len(train)
    print(f"data: CIFAR-10 {source}: {len(train)} train, {len(test)} test images")
    loader = DataLoader(
        train, batch_size=args.batch_size, shuffle=True, drop_last=True, num_workers=args.workers
    )
    test_loader = DataLoader(test, batch_size=250, num_workers=args.workers)
    model = CifarResNet(args.depth, args.width).to(device)
    optimizer = ember.optim.SGD(
        model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4
    )
    scheduler = OneCycleLR(
        optimizer, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=len(loader)
    )
    history, steps = [], []
    for epoch in range(1, args.epochs + 1):
        bar = common.ProgressBar(
            len(loader), f"epoch {epoch}/{args.epochs}", enabled=not args.quiet
        )
        loss, acc, losses = train_epoch(model, loader, optimizer, scheduler, device, bar)
        steps += [(epoch - 1 + (i + 1) / len(losses), v) for i, v in enumerate(losses)]
        _, test_acc = common.evaluate(model, test_loader, device)
        bar.info += f" test {test_acc:.2f}%"
        bar.close()
        history.append({"epoch": epoch, "train_loss": loss, "train_acc": acc, "test_acc": test_acc})
    print(
        f"test accuracy: {history[-1]['test_acc']:.2f}% on {len(test)} images "
        f"(ResNet-{args.depth}, {args.epochs} epochs, {clock})"
    )
    return finish(args, model, test, history, steps, source, clock, device)


def finish(args, model, test, history, steps, source, clock, device) -> dict:
    """Write the curves, a grid of test images with predictions, the weights and metrics."""
    common.epoch_curves(args.out, history, steps=steps)
    items = [test[i] for i in range(min(32, len(test)))]
    x = ember.stack([im for im, _ in items])
    model.eval()
    with ember.no_grad():
        preds = model(x.to(device)).argmax(1).cpu().tolist()
    mean, std = np.array(MEAN).reshape(1, 3, 1, 1), np.array(STD).reshape(1, 3, 1, 1)
    base = test.dataset if isinstance(test, Subset) else test
    names = [c[:5] for c in base.classes]
    common.save_prediction_grid(
        args.out / "predictions.png",
        x.numpy() * std + mean,
        preds,
        [y for _, y in items],
        names,
        scale=3,
    )
    metrics = {
        "test_acc": history[-1]["test_acc"],
        "epochs": args.epochs,
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "depth": args.depth,
        "train_size": args.train_size,
        "test_size": len(test),
        "data": source,
        "history": history,
    }
    common.save_outputs(args.out, model, "cifar_resnet.pt", metrics)
    print(f"wrote {args.out}/: loss.png accuracy.png predictions.png cifar_resnet.pt metrics.json")
    return metrics


if __name__ == "__main__":
    main()
