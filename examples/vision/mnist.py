"""MNIST digits with a small CNN: the project's main example pipeline (``make run``).

Reads the IDX files found under ``--root`` (default ``$EMBER_DATA/vision/mnist``) with
``embervision.datasets.MNIST``; without them it downloads MNIST when online, and otherwise falls
back to the real 8x8 digits shipped inside scikit-learn (upscaled to 28x28). The images are
decoded once into one tensor; each training batch gets a random affine jitter (rotation, scale,
shift) in one ``affine_grid``/``grid_sample`` call. AdamW with a one-cycle learning-rate schedule.

Writes into ``--out`` (default ``runs/mnist``): ``loss.png``, ``accuracy.png``,
``predictions.png`` (test digits, wrong ones in red), ``mnist_cnn.pt`` (state dict) and
``metrics.json``. Prints the test accuracy and the time taken.

Usage: python examples/vision/mnist.py [--epochs 10] [--limit N] [--test-limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.optim.lr_scheduler import OneCycleLR
from ember.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # noqa: E402

MEAN, STD = 0.1307, 0.3081


class Net(nn.Module):
    """Three conv-pool-BN-ReLU stages (28 -> 14 -> 7 -> 3 pixels) and one linear classifier."""

    def __init__(self, width: int = 32, num_classes: int = 10) -> None:
        super().__init__()
        c = width
        self.features = nn.Sequential(
            *_stage(1, c),
            *_stage(c, 2 * c),
            *_stage(2 * c, 4 * c),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.25), nn.Linear(4 * c * 3 * 3, num_classes)
        )

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.classifier(self.features(x))


def _stage(cin: int, cout: int) -> list[nn.Module]:
    # Pooling before BatchNorm and ReLU gives the same kind of network for a quarter of their
    # cost: they run on the pooled map (a training step takes 40% less CPU time).
    return [
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.MaxPool2d(2),
        nn.BatchNorm2d(cout),
        nn.ReLU(),
    ]


# -- data -------------------------------------------------------------------------------------


def load_data(args: argparse.Namespace) -> tuple[np.ndarray, ...]:
    """``(train_x, train_y, test_x, test_y, source)``: uint8 ``(N, 28, 28)`` images, labels."""
    from embervision.datasets import MNIST

    try:
        train, test = MNIST(args.root, train=True), MNIST(args.root, train=False)
        return _arrays(train, test) + (f"MNIST files in {args.root}",)
    except RuntimeError as err:
        print(f"no MNIST files in {args.root} ({str(err).splitlines()[0][:80]}...)")
    if not args.no_download:
        try:
            train = MNIST(args.download_root, train=True, download=True)
            test = MNIST(args.download_root, train=False)
            return _arrays(train, test) + (f"MNIST downloaded to {args.download_root}",)
        except Exception as err:  # offline: any network error means fall back
            print(f"MNIST download failed ({type(err).__name__}: {str(err)[:80]})")
    return sklearn_digits()


def _arrays(train, test) -> tuple[np.ndarray, ...]:
    return train.data.numpy(), train.targets.numpy(), test.data.numpy(), test.targets.numpy()


def sklearn_digits() -> tuple[np.ndarray, ...]:
    """scikit-learn's 1,797 real 8x8 digits (UCI optdigits), 20x20 in a 28x28 frame, 80/20."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit(
            "No MNIST files, no network and no scikit-learn: point --root at a folder "
            "holding the MNIST IDX files, or `pip install scikit-learn` for its digits."
        )
    digits = load_digits()
    x = ember.from_numpy((digits.images / 16.0).astype(np.float32))[:, None]
    x = F.pad(F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False), (4,) * 4)
    images = (x[:, 0].clamp(0, 1) * 255).numpy().round().astype(np.uint8)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(labels))
    cut = int(0.8 * len(order))
    tr, te = order[:cut], order[cut:]
    return (
        images[tr],
        labels[tr],
        images[te],
        labels[te],
        "scikit-learn digits (8x8 UCI optdigits upscaled; MNIST not found)",
    )


def to_tensors(images: np.ndarray, labels: np.ndarray, limit: int | None) -> TensorDataset:
    """Pixels in [0, 1] as ``(N, 1, 28, 28)`` float32 and int64 labels."""
    x = images[:limit].astype(np.float32)[:, None] / 255.0
    return TensorDataset(ember.from_numpy(x), ember.from_numpy(labels[:limit].astype(np.int64)))


def normalize(x: ember.Tensor) -> ember.Tensor:
    return (x - MEAN) / STD


def jitter(
    x: ember.Tensor, *, degrees: float = 10.0, scale: float = 0.1, shift: float = 2.0
) -> ember.Tensor:
    """A different random rotation, zoom and shift (in pixels) for every image of the batch."""
    n, _, h, _ = x.shape
    u = ember.rand(4, n, device=x.device) * 2 - 1  # uniform in [-1, 1)
    angle, zoom = u[0] * math.radians(degrees), 1 + u[1] * scale
    tx, ty = u[2] * (2 * shift / h), u[3] * (2 * shift / h)
    cos, sin = ember.cos(angle) / zoom, ember.sin(angle) / zoom
    theta = ember.stack([ember.stack([cos, -sin, tx], 1), ember.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False)


# -- training ---------------------------------------------------------------------------------


def train_epoch(model, loader, optimizer, scheduler, device, bar) -> tuple[float, float, list]:
    """One pass over ``loader``; returns mean loss, accuracy (%) and the per-step losses."""
    model.train()
    losses, correct, seen = [], 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with ember.no_grad():
            x = normalize(jitter(x))
        logits = model(x)
        loss = F.cross_entropy(logits, y, label_smoothing=0.05)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
        correct += (logits.argmax(1) == y).sum().item()
        seen += len(y)
        bar.update(1, loss=losses[-1], acc=100.0 * correct / seen)
    return float(np.mean(losses)), 100.0 * correct / seen, losses


def test_batches(ds: TensorDataset, limit: int | None, batch_size: int = 500):
    """Normalised test batches of the first ``limit`` items (all when None)."""
    x, y = ds.tensors
    n = len(y) if limit is None else min(limit, len(y))
    return [
        (normalize(x[i : i + batch_size]), y[i : i + batch_size]) for i in range(0, n, batch_size)
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser("mnist").parse_args(argv)


def build_parser(name: str) -> argparse.ArgumentParser:
    """The pipeline's options (``name`` is the default output folder under ``runs/``)."""
    p = common.base_parser(
        name, "Train a CNN on MNIST with ember + embervision.", epochs=10, batch_size=64, lr=4e-3
    )
    p.add_argument("--root", type=Path, default=common.data_root() / "vision" / "mnist")
    p.add_argument(
        "--download-root",
        type=Path,
        default=Path("data"),
        help="where to download MNIST when --root has no files",
    )
    p.add_argument("--no-download", action="store_true", help="never touch the network")
    p.add_argument("--width", type=int, default=32, help="channels of the first conv")
    p.add_argument(
        "--eval-limit",
        type=int,
        default=1000,
        help="test items scored after each epoch but the last (the last uses all)",
    )
    return p


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    clock = common.Stopwatch()
    device = common.setup(args)
    train_x, train_y, test_x, test_y, source = load_data(args)
    train_ds = to_tensors(train_x, train_y, args.limit)
    test_ds = to_tensors(test_x, test_y, args.test_limit)
    args.train_size = len(train_ds)
    print(f"data: {source}: {len(train_ds)} train, {len(test_ds)} test images")
    loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=True, drop_last=True)
    model = Net(args.width).to(device)
    optimizer = ember.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
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
        last = epoch == args.epochs
        _, test_acc = common.evaluate(
            model, test_batches(test_ds, None if last else args.eval_limit), device
        )
        bar.info += f" test {test_acc:.2f}%"
        bar.close()
        history.append({"epoch": epoch, "train_loss": loss, "train_acc": acc, "test_acc": test_acc})
    return finish(args, model, test_ds, history, steps, source, clock, device)


def finish(args, model, test_ds, history, steps, source, clock, device) -> dict:
    """Print the result and write the figures, weights and metrics."""
    test_acc = history[-1]["test_acc"]
    print(
        f"test accuracy: {test_acc:.2f}% on {len(test_ds)} images ({args.epochs} epochs, {clock})"
    )
    common.epoch_curves(args.out, history, steps=steps)
    x, y = test_ds.tensors
    model.eval()
    with ember.no_grad():
        preds = model(normalize(x[:64]).to(device)).argmax(1).cpu()
    common.save_prediction_grid(
        args.out / "predictions.png",
        x[:64].numpy(),
        preds.tolist(),
        y[:64].tolist(),
        [str(i) for i in range(10)],
    )
    metrics = {
        "test_acc": test_acc,
        "epochs": args.epochs,
        "seconds": clock.wall,
        "cpu_seconds": clock.cpu,
        "train_size": args.train_size,
        "test_size": len(test_ds),
        "data": source,
        "history": history,
    }
    common.save_outputs(args.out, model, "mnist_cnn.pt", metrics)
    print(f"wrote {args.out}/: loss.png accuracy.png predictions.png mnist_cnn.pt metrics.json")
    return metrics


if __name__ == "__main__":
    main()
