"""Helpers for the text example pipelines: the vision examples' chores (progress bar, PNG curves,
threads, data paths) plus the text ones (output folders, metrics files)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vision"))
from _common import (  # noqa: E402
    ProgressBar,
    Stopwatch,
    data_root,
    open_data,
    plot_curves,
    set_threads,
)

import ember  # noqa: E402

__all__ = [
    "ProgressBar",
    "Stopwatch",
    "data_root",
    "open_data",
    "plot_curves",
    "set_threads",
    "parser",
    "setup",
    "write_metrics",
]


def parser(name: str, description: str) -> argparse.ArgumentParser:
    """Options every text pipeline takes (each adds its own)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--root", type=Path, default=None, help="dataset folder")
    p.add_argument("--download", action="store_true",
                   help="fetch the dataset into --root first (checksums verified)")  # fmt: skip
    p.add_argument("--out", type=Path, default=Path("runs") / name, help="output folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--threads",
        type=int,
        default=0,
        help="BLAS threads (0: all cores when the machine is idle, else 1)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def setup(args: argparse.Namespace) -> None:
    """Seed, set BLAS threads, create the output folder."""
    ember.manual_seed(args.seed)
    set_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)


def write_metrics(out: Path, metrics: dict[str, Any]) -> None:
    """``metrics.json`` in ``out``, and the same figures on stdout."""
    with open(out / "metrics.json", "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1)
    print(json.dumps(metrics))
