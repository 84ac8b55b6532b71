"""Checkpoint throughput: ember.save / ember.load vs numpy.save / numpy.load of the same arrays.

A ~100 MB state dict (25 float32 tensors of 1M elements) is written and read back in one run;
NumPy writes each array with ``np.save`` into one open file and reads them back with
``np.load``, the floor for this design. ``ember.save(path)`` is atomic (temporary file, fsync,
rename), so it is also compared with NumPy followed by an fsync. Ratios are NumPy time / ember
time (higher is better; the target is >= 0.8). Run with OpenBLAS variables unset:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_serialization.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import warn_openblas  # noqa: E402

import ember  # noqa: E402

N_TENSORS, NUMEL = 25, 1 << 20
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def best_of(fn: Callable[[], object]) -> float:
    """Median seconds of ``fn`` over REPEAT runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_save(arrays: list[np.ndarray], path: str, fsync: bool) -> None:
    with open(path, "wb") as f:
        for a in arrays:
            np.save(f, a)
        if fsync:
            f.flush()
            os.fsync(f.fileno())


def numpy_load(path: str) -> list[np.ndarray]:
    with open(path, "rb") as f:
        return [np.load(f) for _ in range(N_TENSORS)]


def ember_save_stream(sd: dict, path: str) -> None:
    with open(path, "wb") as f:
        ember.save(sd, f)


def main() -> None:
    warn_openblas()
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(NUMEL, dtype=np.float32) for _ in range(N_TENSORS)]
    sd = {f"layer{i}.weight": ember.tensor(a) for i, a in enumerate(arrays)}
    mb = sum(a.nbytes for a in arrays) / 1e6
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        npy, emb = os.path.join(d, "arrays.npy"), os.path.join(d, "sd.ember")
        rows = [
            (
                "save",
                best_of(lambda: numpy_save(arrays, npy, False)),
                best_of(lambda: ember_save_stream(sd, emb)),
                "file object, no fsync",
            ),
            (
                "save",
                best_of(lambda: numpy_save(arrays, npy, True)),
                best_of(lambda: ember.save(sd, emb)),
                "path: atomic + fsync",
            ),
            ("load", best_of(lambda: numpy_load(npy)), best_of(lambda: ember.load(emb)), "read"),
            (
                "load",
                best_of(lambda: np.load(npy, mmap_mode="c")),
                best_of(lambda: ember.load(emb, mmap=True)),
                "mmap open only (lazy; both < 1 ms)",
            ),
        ]
        check = ember.load(emb)
        assert all(np.array_equal(check[k].numpy(), v.numpy()) for k, v in sd.items())
    print(f"state dict: {N_TENSORS} float32 tensors x {NUMEL} elements = {mb:.0f} MB")
    print(
        f"{'op':5} {'numpy s':>9} {'ember s':>9} {'numpy MB/s':>11} {'ember MB/s':>11} "
        f"{'ratio':>6}  mode"
    )
    for op, t_np, t_em, mode in rows:
        print(
            f"{op:5} {t_np:9.4f} {t_em:9.4f} {mb / t_np:11.0f} {mb / t_em:11.0f} "
            f"{t_np / t_em:6.2f}  {mode}"
        )


if __name__ == "__main__":
    main()
