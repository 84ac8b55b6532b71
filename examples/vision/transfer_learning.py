"""Ants vs bees (hymenoptera_data): transfer learning with ResNet-18, or a small CNN from scratch.

The PyTorch transfer-learning tutorial on ember. ``ImageFolder`` reads
``--root/{train,val}/{ants,bees}`` (default ``$EMBER_DATA/vision/hymenoptera_data``).

- ``--weights PATH`` (a torchvision ``resnet18`` ``.pth`` such as ``resnet18-f37072fd.pth``, or
  an ``ember.save``d state dict): ``embervision.models.resnet18(weights=PATH)``, a new 2-way
  ``fc``, 224x224 inputs with ImageNet normalisation. ``--finetune fc`` (default) trains only
  the new layer on top of the frozen network; ``--finetune all`` trains every layer.
- without weights: a small CNN trained from scratch at ``--image-size`` (default 64) pixels.

Training images get ``RandomResizedCrop`` + ``RandomHorizontalFlip``; validation images
``Resize`` + ``CenterCrop``. Decoded images are cached (JPEGs decoded at reduced scale when the
network input is small), so later epochs skip the decoding.

Writes into ``--out`` (default ``runs/transfer_learning``): ``loss.png``, ``accuracy.png``,
``predictions.png``, ``model.pt`` and ``metrics.json``. Prints the validation accuracy.

Usage: python examples/vision/transfer_learning.py [--weights resnet18.pth] [--epochs 30]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.optim.lr_scheduler import OneCycleLR
from ember.utils.data import DataLoader, Subset

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # noqa: E402

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


class SmallCNN(nn.Module):
    """Four conv-BN-ReLU-pool stages (16 to 128 channels), global average pooling, Linear."""

    def __init__(self, num_classes: int = 2, width: int = 16) -> None:
        super().__init__()
        layers, cin = [], 3
        for i in range(4):
            cout = width * 2**i
            layers += [
                nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                nn.BatchNorm2d(cout),
                nn.ReLU(),
                nn.MaxPool2d(2),
            ]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(cin, num_classes)
        )

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.head(self.features(x))


class CachedLoader:
    """Open an image as RGB once and keep it; JPEGs are decoded at a scale near ``min_side``."""

    def __init__(self, min_side: int) -> None:
        self.min_side = min_side
        self.cache: dict[str, Image.Image] = {}

    def __call__(self, path: str) -> Image.Image:
        if path not in self.cache:
            with Image.open(path) as image:
                image.draft("RGB", (self.min_side, self.min_side))  # JPEG DCT scaling, >= size
                self.cache[path] = image.convert("RGB")
        return self.cache[path]


def build_model(args: argparse.Namespace, num_classes: int) -> tuple[nn.Module, list]:
    """The network and the parameters to train."""
    if args.weights is None:
        model = SmallCNN(num_classes)
        return model, list(model.parameters())
    from embervision.models import resnet18

    model = resnet18(weights=str(args.weights))
    if args.finetune == "fc":
        for p in model.parameters():
            p.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, [p for p in model.parameters() if p.requires_grad]


def _check_layout(root: Path) -> None:
    """Stop with the expected layout when ``root`` does not hold it (nothing downloads here)."""
    missing = [root / split for split in ("train", "val") if not (root / split).is_dir()]
    if missing:
        raise SystemExit(
            f"transfer_learning: {missing[0]} not found. Expected --root/{{train,val}}/<class>/"
            "<image>, e.g. the PyTorch tutorial's hymenoptera_data (ants and bees): download "
            "https://download.pytorch.org/tutorial/hymenoptera_data.zip, unzip it and pass "
            "--root path/to/hymenoptera_data."
        )


def datasets(args: argparse.Namespace) -> tuple:
    """Train and val ImageFolders with the tutorial's transforms at ``args.image_size``."""
    from embervision import transforms as T
    from embervision.datasets import ImageFolder

    size = args.image_size
    mean, std = (IMAGENET_MEAN, IMAGENET_STD) if args.weights else ((0.5,) * 3, (0.25,) * 3)
    tail = [T.ToTensor(), T.Normalize(mean, std)]
    train_tf = T.Compose(
        [T.RandomResizedCrop(size, scale=(0.25, 1.0)), T.RandomHorizontalFlip(), *tail]
    )
    val_tf = T.Compose([T.Resize(size * 8 // 7), T.CenterCrop(size), *tail])
    loader = CachedLoader(2 * size)
    _check_layout(args.root)
    train = ImageFolder(args.root / "train", transform=train_tf, loader=loader)
    val = ImageFolder(args.root / "val", transform=val_tf, loader=loader)
    if args.limit is not None:
        train = Subset(train, _spread(len(train), args.limit))
    if args.test_limit is not None:
        val = Subset(val, _spread(len(val), args.test_limit))
    return train, val


def _spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)`` (ImageFolder lists samples class by class)."""
    return sorted({int(i) for i in np.linspace(0, n - 1, min(k, n))})


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
        "transfer_learning",
        "Ants vs bees: ResNet-18 transfer or small CNN.",
        epochs=30,
        batch_size=16,
        lr=None,
    )
    p.add_argument("--root", type=Path, default=common.data_root() / "vision" / "hymenoptera_data")
    p.add_argument("--weights", type=Path, default=None, help="resnet18 state dict (.pth)")
    p.add_argument(
        "--finetune",
        choices=["fc", "all"],
        default="fc",
        help="with --weights: train only the new fc layer, or every layer",
    )
    p.add_argument("--image-size", type=int, default=None, help="224 with weights, else 64")
    p.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    args = p.parse_args(argv)
    if args.image_size is None:
        args.image_size = 224 if args.weights else 64
    if args.lr is None:
        args.lr = 3e-3 if args.weights else 1e-2
    return args


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    clock = common.Stopwatch()
    device = common.setup(args)
    train, val = datasets(args)
    base = train.dataset if isinstance(train, Subset) else train
    args.train_size = len(train)
    what = f"resnet18 from {args.weights} ({args.finetune})" if args.weights else "small CNN"
    print(
        f"data: {args.root}: {len(train)} train, {len(val)} val images, classes "
        f"{base.classes}; model: {what} at {args.image_size}px"
    )
    loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, num_workers=args.workers)
    val_loader = DataLoader(val, batch_size=32, num_workers=args.workers)
    model, params = build_model(args, len(base.classes))
    model = model.to(device)
    optimizer = ember.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
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
        _, val_acc = common.evaluate(model, val_loader, device)
        bar.info += f" val {val_acc:.2f}%"
        bar.close()
        history.append({"epoch": epoch, "train_loss": loss, "train_acc": acc, "val_acc": val_acc})
    print(
        f"val accuracy: {history[-1]['val_acc']:.2f}% on {len(val)} images "
        f"({what}, {args.epochs} epochs, {clock})"
    )
    return finish(args, model, val, base.classes, history, steps, clock, device)


def finish(args, model, val, classes, history, steps, clock, device) -> dict:
    """Write the curves, a grid of validation images with predictions, the weights, metrics."""
    common.epoch_curves(args.out, history, steps=steps)
    items = [val[i] for i in range(min(32, len(val)))]
    x = ember.stack([im for im, _ in items])
    model.eval()
    with ember.no_grad():
        preds = model(x.to(device)).argmax(1).cpu().tolist()
    mean, std = (IMAGENET_MEAN, IMAGENET_STD) if args.weights else ((0.5,) * 3, (0.25,) * 3)
    if args.image_size > 96:  # keep the figure small
        x = F.interpolate(x, size=(96, 96), mode="bilinear", antialias=True)
    images = x.numpy() * np.array(std).reshape(1, 3, 1, 1) + np.array(mean).reshape(1, 3, 1, 1)
    scale = max(1, 96 // args.image_size)
    common.save_prediction_grid(
        args.out / "predictions.png", images, preds, [y for _, y in items], classes, scale=scale
    )
    metrics = {
        "val_acc": history[-1]["val_acc"],
        "epochs": args.epochs,
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "model": "resnet18" if args.weights else "small_cnn",
        "finetune": args.finetune,
        "image_size": args.image_size,
        "train_size": args.train_size,
        "val_size": len(val),
        "history": history,
    }
    common.save_outputs(args.out, model, "model.pt", metrics)
    print(f"wrote {args.out}/: loss.png accuracy.png predictions.png model.pt metrics.json")
    return metrics


if __name__ == "__main__":
    main()
