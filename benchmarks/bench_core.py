"""Per-op overhead and matmul throughput: ember vs plain NumPy (and PyTorch when importable).

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_core.py
With PyTorch: PYTHONPATH=packages/ember/src <python with torch> benchmarks/bench_core.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_time, try_torch, warn_openblas  # noqa: E402

import ember  # noqa: E402

CHAIN_OPS = 10


def add_overhead(lib):
    a, b = lib.ones(1), lib.ones(1)
    return median_time(lambda: a + b, number=20000)


def numpy_add():
    a, b = np.ones(1, np.float32), np.ones(1, np.float32)
    return median_time(lambda: a + b, number=20000)


def chain(lib):
    """10 ops (alternating mul and add with leaf operands) and backward, per op."""
    x = lib.ones(1, 1, requires_grad=True)
    w = lib.full((1, 1), 1.0001, requires_grad=True)
    c = lib.full((1, 1), 0.5, requires_grad=True)

    def run():
        y = x
        for i in range(CHAIN_OPS - 1):
            y = y * w if i % 2 == 0 else y + c
        y.sum().backward()
        x.grad = w.grad = c.grad = None

    return median_time(run, number=2000) / CHAIN_OPS


def matmul(lib, n=1024):
    a, b = lib.randn(n, n), lib.randn(n, n)
    return median_time(lambda: a @ b, number=5)


def numpy_matmul(n=1024):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    return median_time(lambda: a @ b, number=5)


def main() -> None:
    warn_openblas()
    torch = try_torch()
    rows = [
        (
            "add 1-elem no-grad (us)",
            add_overhead(ember) * 1e6,
            numpy_add() * 1e6,
            add_overhead(torch) * 1e6 if torch else None,
        ),
        (
            "autograd chain per op (us)",
            chain(ember) * 1e6,
            None,
            chain(torch) * 1e6 if torch else None,
        ),
    ]
    ember_mm, np_mm = matmul(ember), numpy_matmul()
    torch_mm = matmul(torch) if torch else None
    gflops = lambda t: 2 * 1024**3 / t / 1e9  # noqa: E731
    rows.append(
        (
            "matmul 1024^2 f32 (GFLOP/s)",
            gflops(ember_mm),
            gflops(np_mm),
            gflops(torch_mm) if torch_mm else None,
        )
    )
    print(f"{'workload':32s} {'ember':>10s} {'numpy':>10s} {'torch':>10s}")
    for name, e, n, t in rows:
        fmt = lambda v: f"{v:10.2f}" if v is not None else f"{'-':>10s}"  # noqa: E731
        print(f"{name:32s} {fmt(e)} {fmt(n)} {fmt(t)}")
    print(f"matmul throughput ember/numpy: {np_mm / ember_mm:.3f}x")
    if torch:
        print(
            f"add overhead ember/torch: {rows[0][1] / rows[0][3]:.2f}x; "
            f"chain ember/torch: {rows[1][1] / rows[1][3]:.2f}x"
        )


if __name__ == "__main__":
    main()
