"""Shared timing helpers for the benchmarks: medians over repeats, optional PyTorch import."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def median_time(fn: Callable[[], Any], *, number: int, repeat: int = 7) -> float:
    """Median seconds per call of ``fn`` over ``repeat`` rounds of ``number`` calls."""
    fn()
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def try_torch() -> Any:
    """The torch module when it is importable (never a dependency), else None."""
    try:
        import torch  # noqa: PLC0415

        torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
        return torch
    except ImportError:
        return None


def warn_openblas() -> None:
    """Say so when the slow OpenBLAS core type is forced (benchmarks should run without it)."""
    if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
        print(
            "note: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; GEMM runs on a slower path. "
            "Run with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`."
        )
