"""Import cost of embertrain: ``import ember, embertrain`` against ``import ember`` alone.

Each measurement is a fresh Python process that times its own imports with ``perf_counter``
(interpreter start-up is left out); the two kinds of process alternate, and the medians of
``BENCH_REPEAT`` rounds (default 15) are compared. The target is an extra cost below 0.3 s,
judged on the time of ``import embertrain`` right after ``import ember`` in the same fresh
process (its CPU time is printed too: it does not grow with the machine's load).
embertrain imports tqdm, matplotlib and tensorboardX only when a progress bar, a plot or a
TensorBoard logger is created, so none of them is counted here. Run with:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_import_embertrain.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
TARGET_S = 0.3
PROBE = (
    "import time; t = time.perf_counter(); import ember; t1 = time.perf_counter(); "
    "c1 = time.process_time(); {extra}"
    "print(t1 - t, time.perf_counter() - t, time.process_time() - c1)"
)


def one(extra: str) -> tuple[float, float, float]:
    """Seconds for ``import ember``, for all the imports, and CPU seconds after ``ember``, in a
    fresh process."""
    code = PROBE.format(extra=extra)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def main() -> None:
    ember_only, with_train, train_part, train_cpu = [], [], [], []
    one("import embertrain; ")  # warm the file cache
    for _ in range(REPEAT):
        ember_only.append(one("")[1])
        e, total, cpu = one("import embertrain; ")
        with_train.append(total)
        train_part.append(total - e)
        train_cpu.append(cpu)
    base, full = statistics.median(ember_only), statistics.median(with_train)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"import ember                 median {base * 1e3:7.1f} ms  ({REPEAT} processes)")
    print(f"import ember, embertrain     median {full * 1e3:7.1f} ms  ({REPEAT} processes)")
    print(f"difference of the medians           {(full - base) * 1e3:7.1f} ms")
    print(
        f"embertrain after ember       median {statistics.median(train_part) * 1e3:7.1f} ms  "
        f"(same process; CPU {statistics.median(train_cpu) * 1e3:.1f} ms)"
    )
    # The verdict uses the direct measure (embertrain's import timed after ember's in each
    # process): the difference of two medians of multi-second imports is noisy on a busy machine.
    verdict = "OK" if statistics.median(train_part) < TARGET_S else "ABOVE TARGET"
    print(f"target < {TARGET_S * 1e3:.0f} ms: {verdict}   (1-minute load average {load:.2f})")


if __name__ == "__main__":
    main()
