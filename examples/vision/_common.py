"""Helpers shared by the vision example pipelines: paths, threads, progress bar, plots, outputs.

Nothing here is needed to understand a pipeline: each example reads top to bottom and calls
these for the chores (a tiny progress bar on stderr, PNG curves drawn with Pillow, an image grid
with predictions, a ``metrics.json`` next to the figures).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import ember
import ember.nn.functional as F

REPO = Path(__file__).resolve().parents[2]
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]


def data_root() -> Path:
    """``$EMBER_DATA``, else ``../shared/data`` next to the repository."""
    return Path(os.environ.get("EMBER_DATA", REPO.parent / "shared" / "data"))


T = TypeVar("T")

DOWNLOAD_HINT = "Pass --download to fetch it into --root, or point --root at the folder holding it."


def open_data(name: str, make: Callable[[], T], hint: str = DOWNLOAD_HINT) -> T:
    """``make()`` (a dataset constructor), or exit with the dataset's own message, which names
    the files and folders it looked for, plus ``hint`` (how to get them), without a traceback."""
    try:
        return make()
    except (FileNotFoundError, RuntimeError) as err:
        raise SystemExit(f"{name}: {err}\n{hint}") from None


def base_parser(
    name: str, description: str, *, epochs: int, batch_size: int, lr: float
) -> argparse.ArgumentParser:
    """The options every pipeline takes (each adds its own)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--epochs", type=int, default=epochs)
    p.add_argument("--batch-size", type=int, default=batch_size)
    p.add_argument("--lr", type=float, default=lr, help="peak learning rate")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training items")
    p.add_argument("--test-limit", type=int, default=None, help="evaluate on the first N items")
    p.add_argument("--out", type=Path, default=Path("runs") / name, help="output folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0,
                   help="BLAS threads (0: all cores when the machine is idle, else 1)")
    p.add_argument("--device", default="auto",
                   help="cpu, cuda or cuda:N (default auto: the GPU when there is one)")
    p.add_argument("--no-accel", action="store_true", help="stay on the CPU even with a GPU")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def setup(args: argparse.Namespace) -> ember.device:
    """Seed, pick BLAS threads and the device, create the output folder; returns the device."""
    ember.manual_seed(args.seed)
    set_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    if getattr(args, "device", "auto") != "auto":
        dev = ember.device(args.device)
        if dev.type == "cuda" and not ember.cuda.is_available():
            raise SystemExit(f"--device {args.device}: CUDA is not available (install "
                             "ember[cuda] on a machine with an NVIDIA GPU)")
        return dev
    if not args.no_accel and ember.accelerator.is_available():
        return ember.accelerator.current_accelerator()
    return ember.device("cpu")


def set_threads(requested: int) -> int:
    """Set the BLAS thread count. 0 picks every core on an idle machine and 1 on a busy one.

    OpenBLAS threads spin while they wait for each other: when another process holds a core,
    the small GEMMs of a convolution then run tens of times slower than on one thread.
    """
    cores = os.cpu_count() or 1
    n = requested
    if n <= 0:
        busy = hasattr(os, "getloadavg") and os.getloadavg()[0] > 0.5
        n = 1 if busy else cores
    try:
        ember.set_num_threads(n)
    except ImportError:  # threadpoolctl missing: leave BLAS as it is
        return 0
    return n


class Stopwatch:
    """Wall-clock and CPU seconds since creation (CPU time stays honest on a shared machine)."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    @property
    def wall(self) -> float:
        return time.perf_counter() - self.wall0

    @property
    def cpu(self) -> float:
        return time.process_time() - self.cpu0

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU"


class ProgressBar:
    """A one-line progress bar on stderr: ``label [#####.....] 12/40 0:03<0:07 loss 0.1234``.

    Redraws at most ten times a second on a terminal; elsewhere (logs, pytest) it writes one
    line when it finishes.
    """

    def __init__(self, total: int, label: str = "", *, enabled: bool = True) -> None:
        self.total, self.label, self.enabled = total, label, enabled
        self.count, self.info = 0, ""
        self.start = self.last = time.perf_counter()
        self.tty = sys.stderr.isatty()

    def update(self, n: int = 1, **info: float) -> None:
        """Advance by ``n`` steps and show ``info`` (name -> number) after the bar."""
        self.count += n
        if info:
            self.info = " ".join(f"{k} {v:.4g}" for k, v in info.items())
        now = time.perf_counter()
        if self.enabled and self.tty and (now - self.last > 0.1 or self.count >= self.total):
            self.last = now
            sys.stderr.write("\r" + self.line())
            sys.stderr.flush()

    def line(self) -> str:
        frac = min(self.count / max(self.total, 1), 1.0)
        bar = "#" * int(frac * 24) + "." * (24 - int(frac * 24))
        spent = time.perf_counter() - self.start
        left = spent / frac - spent if frac > 0 else 0.0
        return (
            f"{self.label} [{bar}] {self.count}/{self.total} "
            f"{_clock(spent)}<{_clock(left)} {self.info}"
        )

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write(("\r" if self.tty else "") + self.line() + "\n")
            sys.stderr.flush()


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one bitmap size only
        return ImageFont.load_default()


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if m * step >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def plot_curves(
    path: Path,
    series: dict[str, Sequence[tuple[float, float]]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    size: tuple[int, int] = (640, 400),
) -> None:
    """Draw line curves ``name -> [(x, y), ...]`` with axes, ticks and a legend into a PNG."""
    w, h = size
    left, right, top, bottom = 64, 16, 36, 48
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    pts = [p for s in series.values() for p in s if math.isfinite(p[1])]
    if not pts:
        pts = [(0.0, 0.0), (1.0, 1.0)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    pad = (max(ys) - min(ys)) * 0.05 or 0.5
    y0, y1 = min(ys) - pad, max(ys) + pad

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (
            left + (x - x0) / (x1 - x0) * (w - left - right),
            h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom),
        )

    font = _font(12)
    for ty in _nice_ticks(y0, y1):
        py = to_px(x0, ty)[1]
        d.line([(left, py), (w - right, py)], fill=(230, 230, 230))
        d.text((left - 6, py), f"{ty:.4g}", fill="black", font=font, anchor="rm")
    for tx in _nice_ticks(x0, x1):
        px = to_px(tx, y0)[0]
        d.line([(px, h - bottom), (px, h - bottom + 4)], fill="black")
        d.text((px, h - bottom + 6), f"{tx:.4g}", fill="black", font=font, anchor="mt")
    d.rectangle([left, top, w - right, h - bottom], outline="black")
    for i, s in enumerate(series.values()):
        colour = PALETTE[i % len(PALETTE)]
        line = [to_px(x, y) for x, y in s if math.isfinite(y)]
        if len(line) > 1:
            d.line(line, fill=colour, width=2)
        for px, py in line if len(line) < 40 else []:
            d.ellipse([px - 2, py - 2, px + 2, py + 2], fill=colour)
    # The legend goes in the right-hand corner the curves end farther from.
    ends = [s[-1][1] for s in series.values() if s]
    high = bool(ends) and sum(ends) / len(ends) > (y0 + y1) / 2
    ly = h - bottom - 12 - 16 * len(series) if high else top + 6
    d.rectangle(
        [w - right - 156, ly, w - right - 4, ly + 16 * len(series) + 4],
        fill="white",
        outline=(200, 200, 200),
    )
    for i, name in enumerate(series):
        y = ly + 10 + 16 * i
        d.line(
            [(w - right - 150, y), (w - right - 130, y)], fill=PALETTE[i % len(PALETTE)], width=3
        )
        d.text((w - right - 124, y), name, fill="black", font=font, anchor="lm")
    d.text((w / 2, 8), title, fill="black", font=_font(14), anchor="mt")
    d.text(((left + w - right) / 2, h - 8), xlabel, fill="black", font=font, anchor="mb")
    d.text((4, top - 20), ylabel, fill="black", font=font)
    img.save(path)


def _grid_array(images: np.ndarray, nrow: int, padding: int) -> np.ndarray:
    """``(N, C, H, W)`` floats in [0, 1] tiled into ``(C, H', W')`` (make_grid's layout)."""
    try:
        from embervision.utils import make_grid
    except ImportError:  # embervision without utils: tile by hand
        make_grid = None
    if make_grid is not None:
        grid = make_grid(ember.from_numpy(np.ascontiguousarray(images)), nrow=nrow, padding=padding)
        return grid.numpy()
    n, c, h, w = images.shape
    rows = math.ceil(n / nrow)
    grid = np.zeros(
        (c, rows * (h + padding) + padding, nrow * (w + padding) + padding), images.dtype
    )
    for i, im in enumerate(images):
        r, k = divmod(i, nrow)
        y, x = padding + r * (h + padding), padding + k * (w + padding)
        grid[:, y : y + h, x : x + w] = im
    return grid


def save_prediction_grid(
    path: Path,
    images: np.ndarray,
    preds: Sequence[int],
    labels: Sequence[int],
    names: Sequence[str],
    *,
    nrow: int = 8,
    scale: int = 2,
) -> None:
    """Tile images (``(N, C, H, W)`` in [0, 1]) and write each prediction under its image.

    Correct predictions are green, wrong ones red with the true label after a slash.
    """
    n, c, h, w = images.shape
    if c == 1:
        images = np.repeat(images, 3, axis=1)
    pad = 2
    grid = _grid_array(np.clip(images, 0, 1).astype(np.float32), nrow, pad)
    tile = Image.fromarray((grid.transpose(1, 2, 0) * 255 + 0.5).astype(np.uint8))
    tile = tile.resize((tile.width * scale, tile.height * scale), Image.NEAREST)
    text_h = 14
    rows = math.ceil(n / nrow)
    out = Image.new("RGB", (tile.width, tile.height + rows * text_h), "white")
    font = _font(11)
    d = ImageDraw.Draw(out)
    for r in range(rows):
        y0, y1 = r * (h + pad) * scale, ((r + 1) * (h + pad) + pad) * scale
        band = tile.crop((0, y0, tile.width, y1))
        out.paste(band, (0, r * ((h + pad) * scale + text_h)))
    for i, (p, t) in enumerate(zip(preds, labels)):
        r, k = divmod(i, nrow)
        x = (pad + k * (w + pad) + w / 2) * scale
        y = r * ((h + pad) * scale + text_h) + ((h + pad) + pad) * scale
        ok = int(p) == int(t)
        text = str(names[int(p)]) if ok else f"{names[int(p)]}/{names[int(t)]}"
        d.text((x, y), text, fill=(0, 140, 0) if ok else (200, 0, 0), font=font, anchor="mt")
    out.save(path)


def save_outputs(
    out: Path, model: ember.nn.Module, weights_name: str, metrics: dict[str, Any]
) -> None:
    """Write the trained weights (``ember.save`` of the state dict) and ``metrics.json``."""
    ember.save(model.state_dict(), out / weights_name)
    with open(out / "metrics.json", "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1)


def epoch_curves(
    out: Path, history: list[dict[str, float]], *, steps: list[tuple[float, float]] | None = None
) -> list[Path]:
    """``loss.png`` (per-step and per-epoch training loss) and ``accuracy.png`` (per epoch)."""
    epochs = [float(h["epoch"]) for h in history]
    loss = {"train loss (epoch mean)": list(zip(epochs, [h["train_loss"] for h in history]))}
    if steps:
        loss = {"train loss (per step)": steps, **loss}
    acc = (
        {
            k.replace("_acc", " accuracy").replace("_", " "): list(
                zip(epochs, [h[k] for h in history])
            )
            for k in history[0]
            if k.endswith("_acc")
        }
        if history
        else {}
    )
    paths = [out / "loss.png", out / "accuracy.png"]
    plot_curves(paths[0], loss, title="Training loss", xlabel="epoch", ylabel="loss")
    plot_curves(paths[1], acc, title="Accuracy", xlabel="epoch", ylabel="accuracy (%)")
    return paths


def evaluate(model: ember.nn.Module, batches: Any, device: ember.device) -> tuple[float, float]:
    """Mean cross-entropy and accuracy (%) of ``model`` over ``(inputs, labels)`` batches."""
    model.eval()
    total, correct, loss = 0, 0, 0.0
    with ember.no_grad():
        for x, y in batches:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
            total += len(y)
    model.train()
    return loss / max(total, 1), 100.0 * correct / max(total, 1)
