"""Training-step time (forward + backward + optimizer step, float32) for the five model rows.

The workloads live in ``workloads.py`` (each written once against ``lib``); this script runs the
training rows of ``run_all.py`` (each library in its own process, rounds alternating) or, with
``--profile``, prints ember's cProfile of a few steps sorted by own time.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_train.py
    ... bench_train.py --rounds 5 mlp resnet
    BENCH_THREADS=1 BENCH_CLOCK=cpu ... bench_train.py --profile resnet
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import clock, threads  # noqa: E402

TRAIN_ROWS = ["mlp", "transformer", "lstm", "mnist_net", "resnet"]


def profile(name: str, steps: int = 3, top: int = 25) -> None:
    """Print ember's cProfile of ``steps`` training steps of ``name``, sorted by own time."""
    import cProfile
    import pstats

    import workloads

    import ember

    ember.set_num_threads(threads())
    step, _ = getattr(workloads, name)(ember)
    step()
    prof = cProfile.Profile(clock())
    prof.enable()
    for _ in range(steps):
        step()
    prof.disable()
    print(f"== {name}: {steps} ember steps, {threads()} threads, sorted by own time")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main() -> None:
    args = sys.argv[1:]
    names = [a for a in args if a in TRAIN_ROWS]
    if "--profile" in args:
        for name in names or TRAIN_ROWS:
            profile(name)
        return
    import run_all

    rest = [a for a in args if a not in TRAIN_ROWS]
    sys.argv = [sys.argv[0], *rest, *(names or TRAIN_ROWS)]
    run_all.main()


if __name__ == "__main__":
    main()
