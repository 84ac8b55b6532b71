"""Checkpoint throughput: ember.save / ember.load vs numpy.save / numpy.load of the same arrays.

A ~100 MB state dict (25 float32 tensors of 1M elements) is written and read back in one run;
NumPy writes each array with ``np.save`` into one open file and reads them back with
``np.load``, the floor for this design. ``ember.save(path)`` is atomic (temporary file, fsync,
rename), so it is also compared with NumPy followed by an fsync. Ratios are NumPy time / ember
time (higher is better; the target is >= 0.8). Run with OpenBLAS variables unset:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_serialization.py

``--ab SRC`` compares this checkout's ember with another one (``SRC`` is the ``src`` folder of
an older ember, for example ``git archive 495a6f2^ packages/ember/src`` unpacked in a temporary
folder): each round runs one process per side, alternating which goes first, and reports the
median over rounds of CPU time (``time.process_time``) and wall time for save to a path, save to
a file object, load, and the mmap open, with the load average.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
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


AB_OPS = ("save_path", "save_stream", "load", "load_mmap", "save_small", "load_small")
N_SMALL, NUMEL_SMALL = 2000, 256  # many small tensors: the per-record costs


def worker(reps: int) -> None:
    """One A/B process: median CPU and wall seconds of each operation, printed as JSON."""
    rng = np.random.default_rng(0)
    sd = {
        f"layer{i}.weight": ember.tensor(rng.standard_normal(NUMEL, dtype=np.float32))
        for i in range(N_TENSORS)
    }
    small = {
        f"block{i}.bias": ember.tensor(rng.standard_normal(NUMEL_SMALL, dtype=np.float32))
        for i in range(N_SMALL)
    }
    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as d:
        emb, emb_small = os.path.join(d, "sd.ember"), os.path.join(d, "small.ember")
        fns = {
            "save_path": lambda: ember.save(sd, emb),
            "save_stream": lambda: ember_save_stream(sd, emb),
            "load": lambda: ember.load(emb),
            "load_mmap": lambda: ember.load(emb, mmap=True),
            "save_small": lambda: ember_save_stream(small, emb_small),
            "load_small": lambda: ember.load(emb_small),
        }
        for op in AB_OPS:
            fns[op]()
            cpu, wall = [], []
            for _ in range(reps):
                c0, w0 = time.process_time(), time.perf_counter()
                fns[op]()
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
            out[op] = [statistics.median(cpu), statistics.median(wall)]
    print(json.dumps(out))


def ab(base_src: str, rounds: int, reps: int) -> None:
    """Alternate processes of this checkout and ``base_src``; print medians over rounds."""
    env_new = dict(os.environ)
    env_old = dict(os.environ, PYTHONPATH=base_src)
    cmd = [sys.executable, __file__, "--worker", str(reps)]
    res: dict[str, list[dict[str, list[float]]]] = {"before": [], "after": []}
    loads = [os.getloadavg()[0]]
    for r in range(rounds):
        order = [("before", env_old), ("after", env_new)]
        for side, env in order if r % 2 == 0 else order[::-1]:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            res[side].append(json.loads(done.stdout.strip().splitlines()[-1]))
        loads.append(os.getloadavg()[0])
    print(
        f"{rounds} rounds x {reps} reps, {N_TENSORS} x {NUMEL} float32 "
        f"({N_TENSORS * NUMEL * 4 / 1e6:.0f} MB; *_small: {N_SMALL} x {NUMEL_SMALL}); "
        f"load average (1 min) {min(loads):.1f}-{max(loads):.1f}"
    )
    print(
        f"{'op':12} {'CPU before':>11} {'CPU after':>10} {'ratio':>6} "
        f"{'wall before':>12} {'wall after':>11} {'ratio':>6}"
    )
    for op in AB_OPS:
        med = {
            side: [statistics.median(run[op][k] for run in res[side]) for k in (0, 1)]
            for side in res
        }
        (cb, wb), (ca, wa) = med["before"], med["after"]
        print(
            f"{op:12} {cb * 1e3:9.2f}ms {ca * 1e3:8.2f}ms {ca / cb:6.2f} "
            f"{wb * 1e3:10.2f}ms {wa * 1e3:9.2f}ms {wa / wb:6.2f}"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--ab":
        warn_openblas()
        ab(sys.argv[2], int(os.environ.get("BENCH_ROUNDS", "7")), REPEAT)
        return
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
