"""Per-op Python overhead, ember vs PyTorch, each library in a process of its own.

Two figures: a 1-element no-grad ``a + b``, and the 10-op autograd chain on 1x1 tensors (mul/add
with leaf operands, then ``.sum().backward()``), per op. The driver alternates the libraries
over rounds and prints medians with the load average.

Run (from the repo root):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_overhead.py \\
        --torch-python /work/ref/torch/bin/python --rounds 3
One library, one process: ``... bench_overhead.py --lib ember`` prints ``add_us chain_us``.
``--cpu`` times with the process CPU clock (steadier than wall-clock on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHAIN_OPS = 10


def median_time(fn: Callable[[], Any], *, number: int, repeat: int = 7, cpu: bool = False) -> float:
    """Median seconds per call of ``fn`` over ``repeat`` rounds of ``number`` calls.

    ``cpu=True`` times with the process's CPU clock: on a shared, loaded machine it leaves out
    the time the process waits for a core, which wall-clock timing cannot.
    """
    clock = time.process_time if cpu else time.perf_counter
    fn()
    rounds = []
    for _ in range(repeat):
        start = clock()
        for _ in range(number):
            fn()
        rounds.append((clock() - start) / number)
    return statistics.median(rounds)


def measure(lib_name: str, cpu: bool = False) -> tuple[float, float]:
    """Seconds per no-grad add and per chain op for ``lib_name`` (``ember`` or ``torch``)."""
    if lib_name == "torch":
        import torch as lib  # noqa: PLC0415 - the reference library, only in its own process

        lib.set_num_threads(1)
    else:
        import ember as lib  # noqa: PLC0415 - imported after the choice, one library a process
    a, b = lib.ones(1), lib.ones(1)
    add = median_time(lambda: a + b, number=20000, cpu=cpu)
    x = lib.ones(1, 1, requires_grad=True)
    w = lib.full((1, 1), 1.0001, requires_grad=True)
    c = lib.full((1, 1), 0.5, requires_grad=True)

    def run() -> None:
        y = x
        for i in range(CHAIN_OPS - 1):
            y = y * w if i % 2 == 0 else y + c
        y.sum().backward()
        x.grad = w.grad = c.grad = None

    chain = median_time(run, number=2000, cpu=cpu) / CHAIN_OPS
    return add, chain


def main() -> None:
    parser = argparse.ArgumentParser(description="ember vs torch per-op overhead")
    parser.add_argument("--lib", choices=["ember", "torch"])
    parser.add_argument("--torch-python", default="/work/ref/torch/bin/python")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="time with the process CPU clock")
    args = parser.parse_args()
    if args.lib:
        add, chain = measure(args.lib, args.cpu)
        print(f"{add * 1e6:.3f} {chain * 1e6:.3f}")
        return
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["PYTHONPATH"] = str(root / "packages/ember/src")
    pythons = {"ember": sys.executable, "torch": args.torch_python}
    res: dict[str, list[tuple[float, float]]] = {"ember": [], "torch": []}
    loads = []
    for r in range(args.rounds):
        for lib in ("ember", "torch") if r % 2 == 0 else ("torch", "ember"):
            out = subprocess.run(
                [pythons[lib], __file__, "--lib", lib, *(["--cpu"] if args.cpu else [])],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            res[lib].append((float(out[0]), float(out[1])))
            loads.append(os.getloadavg()[0])
            print(f"round {r} {lib}: add {out[0]} us, chain {out[1]} us/op", flush=True)
    e_add = statistics.median(a for a, _ in res["ember"])
    t_add = statistics.median(a for a, _ in res["torch"])
    e_ch = statistics.median(c for _, c in res["ember"])
    t_ch = statistics.median(c for _, c in res["torch"])
    clock = "CPU" if args.cpu else "wall-clock"
    print(
        f"medians over {args.rounds} rounds, {clock} time "
        f"(load average {min(loads):.1f}-{max(loads):.1f}):"
    )
    print(f"  no-grad add: ember {e_add:.2f} us, torch {t_add:.2f} us, ratio {e_add / t_add:.2f}x")
    print(f"  chain per op: ember {e_ch:.2f} us, torch {t_ch:.2f} us, ratio {e_ch / t_ch:.2f}x")


if __name__ == "__main__":
    main()
