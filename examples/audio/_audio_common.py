"""Chores shared by the audio example pipelines: options, a progress bar, PNG figures, metrics.

Figures are drawn with Pillow (line plots, and heat maps for spectrograms and confusion
matrices), so the examples need nothing beyond ember, emberaudio and Pillow.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from PIL import Image, ImageDraw

import ember

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189)]
# a few stops of the viridis colour map, interpolated linearly
_VIRIDIS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=np.float64
)


def data_root() -> Path:
    """``$EMBER_DATA``, else ``../shared/data`` beside the repository."""
    return Path(os.environ.get("EMBER_DATA", REPO.parent / "shared" / "data"))


def parser(name: str, description: str, *, epochs: int, lr: float, batch_size: int):
    """Options every audio pipeline takes (each adds its own)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--root", type=Path, default=data_root() / "audio", help="audio data folder")
    p.add_argument("--download", action="store_true",
                   help="fetch the dataset into --root first (where it downloads)")  # fmt: skip
    p.add_argument("--epochs", type=int, default=epochs)
    p.add_argument("--lr", type=float, default=lr)
    p.add_argument("--batch-size", type=int, default=batch_size)
    p.add_argument("--limit", type=int, default=None, help="use only N training items")
    p.add_argument("--out", type=Path, default=Path("runs") / name, help="output folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0,
                   help="BLAS threads (0: 2 when the machine is idle, else 1)")  # fmt: skip
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def open_data(name: str, make: Callable[[], T], hint: str = "") -> T:
    """``make()`` (a dataset constructor), or exit with its message (which names the folders it
    tried and how to get the data) and ``hint``, without a traceback."""
    try:
        return make()
    except (FileNotFoundError, RuntimeError) as err:
        raise SystemExit(f"{name}: {err}" + (f"\n{hint}" if hint else "")) from None


def setup(args: argparse.Namespace) -> None:
    ember.manual_seed(args.seed)
    threads = args.threads
    if threads <= 0:
        # on a loaded machine, BLAS threads waiting for each other cost more than they give
        threads = 2 if os.getloadavg()[0] < (os.cpu_count() or 1) else 1
    ember.set_num_threads(threads)
    args.out.mkdir(parents=True, exist_ok=True)


class Progress:
    """A one-line progress bar on stderr: ``label [#####.....] 12/40 loss 0.31 3.2s``."""

    def __init__(self, total: int, label: str, quiet: bool = False) -> None:
        self.total, self.label, self.quiet = total, label, quiet
        self.start = time.perf_counter()
        self.done = 0

    def step(self, **metrics: float) -> None:
        self.done += 1
        if self.quiet:
            return
        filled = int(20 * self.done / max(self.total, 1))
        shown = " ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        elapsed = time.perf_counter() - self.start
        bar = "#" * filled + "." * (20 - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {shown} {elapsed:.1f}s")
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def colour_map(values: np.ndarray) -> np.ndarray:
    """Map values in [0, 1] to viridis RGB bytes."""
    pos = np.clip(values, 0, 1) * (len(_VIRIDIS) - 1)
    lo = np.floor(pos).astype(int).clip(0, len(_VIRIDIS) - 2)
    frac = (pos - lo)[..., None]
    return (_VIRIDIS[lo] * (1 - frac) + _VIRIDIS[lo + 1] * frac).astype(np.uint8)


def save_heatmap(path: Path, matrix: np.ndarray, *, title: str, scale: int = 4,
                 flip: bool = True, labels: Sequence[str] | None = None) -> None:  # fmt: skip
    """Save a matrix as a PNG heat map (row 0 at the bottom when ``flip``, as a spectrogram)."""
    m = np.asarray(matrix, dtype=np.float64)
    span = m.max() - m.min()
    rgb = colour_map((m - m.min()) / (span if span > 0 else 1.0))
    if flip:
        rgb = rgb[::-1]
    img = Image.fromarray(rgb).resize((m.shape[1] * scale, m.shape[0] * scale), Image.NEAREST)
    canvas = Image.new("RGB", (img.width + 40, img.height + 40), "white")
    canvas.paste(img, (30, 25))
    draw = ImageDraw.Draw(canvas)
    draw.text((30, 5), title, fill="black")
    if labels is not None:
        for i, text in enumerate(labels):
            draw.text((30 + i * scale + scale // 3, img.height + 27), text, fill="black")
            draw.text((10, 25 + i * scale + scale // 3), text, fill="black")
    canvas.save(path)


def save_curves(path: Path, series: dict[str, Sequence[float]], *, title: str) -> None:
    """Save line plots of per-epoch values (one colour per series) as a PNG."""
    w, h, pad = 480, 300, 40
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    values = [v for s in series.values() for v in s]
    lo, hi = min(values), max(values)
    hi = hi if hi > lo else lo + 1.0
    draw.rectangle([pad, pad, w - pad, h - pad], outline="black")
    draw.text((pad, 10), f"{title}  (min {lo:.3g}, max {hi:.3g})", fill="black")
    for k, (name, ys) in enumerate(series.items()):
        n = max(len(ys) - 1, 1)
        pts = [(pad + i * (w - 2 * pad) / n, h - pad - (y - lo) / (hi - lo) * (h - 2 * pad))
               for i, y in enumerate(ys)]  # fmt: skip
        colour = COLOURS[k % len(COLOURS)]
        if len(pts) > 1:
            draw.line(pts, fill=colour, width=2)
        draw.text((w - pad - 120, pad + 5 + 14 * k), name, fill=colour)
    img.save(path)


def save_metrics(out: Path, metrics: dict[str, Any]) -> None:
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
