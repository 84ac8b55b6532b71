"""Optimizer step time: ember vs the same arithmetic in plain NumPy (and PyTorch CPU if present).

The model is a 784-512-512-10 MLP (669,706 float32 parameters in six tensors), with fixed random
gradients. Each optimizer step is timed alone (no forward/backward).

    python benchmarks/bench_optim.py            # ember and NumPy
    /work/ref/torch/bin/python benchmarks/bench_optim.py --torch-only
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median_time, try_torch  # noqa: E402

SHAPES = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]
LR, B1, B2, EPS = 1e-3, 0.9, 0.999, 1e-8


def _arrays(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(np.float32) for s in SHAPES]


class NumpyAdamNaive:
    """Adam as one would write it in NumPy: one expression per line, temporaries allowed."""

    def __init__(self, params: list[np.ndarray]) -> None:
        self.p = params
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        bc1, bc2 = 1 - B1**self.t, 1 - B2**self.t
        for p, g, m, v in zip(self.p, grads, self.m, self.v):
            m[...] = B1 * m + (1 - B1) * g
            v[...] = B2 * v + (1 - B2) * g * g
            p -= (LR / bc1) * m / (np.sqrt(v) / bc2**0.5 + EPS)


class NumpyAdamInplace:
    """The floor: the same arithmetic in place with ``out=`` and one reused scratch buffer."""

    def __init__(self, params: list[np.ndarray]) -> None:
        self.p = params
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.tmp = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        bc1, bc2 = 1 - B1**self.t, 1 - B2**self.t
        for p, g, m, v, tmp in zip(self.p, grads, self.m, self.v, self.tmp):
            np.subtract(g, m, out=tmp)
            tmp *= 1 - B1
            m += tmp
            v *= B2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - B2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= bc2**0.5
            tmp += EPS
            np.divide(m, tmp, out=tmp)
            tmp *= LR / bc1
            p -= tmp


def bench_torch() -> dict[str, float]:
    torch = try_torch()
    if torch is None:
        return {}
    params = [torch.tensor(a, requires_grad=True) for a in _arrays(0)]
    for p, g in zip(params, _arrays(1)):
        p.grad = torch.tensor(g)
    out = {}
    for foreach in (False, True):
        opt = torch.optim.Adam(params, lr=LR, foreach=foreach)
        out[f"torch Adam foreach={foreach}"] = median_time(opt.step, number=20)
    return out


def interleaved(steps: dict[str, Callable[[], None]], rounds: int = 15, number: int = 10):
    """Best and median seconds per call, alternating the contenders round by round.

    Alternating keeps a busy shared machine from favouring whichever ran in a quiet moment.
    """
    times: dict[str, list[float]] = {k: [] for k in steps}
    for fn in steps.values():
        fn()
    for _ in range(rounds):
        for name, fn in steps.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - start) / number)
    return {k: (min(v), statistics.median(v)) for k, v in times.items()}


def contenders() -> dict[str, Callable[[], None]]:
    import ember

    grads = _arrays(1)
    naive, inplace = NumpyAdamNaive(_arrays(0)), NumpyAdamInplace(_arrays(0))
    params = [ember.tensor(a, requires_grad=True) for a in _arrays(0)]
    for p, g in zip(params, grads):
        p.grad = ember.tensor(g)
    return {
        "numpy naive": lambda: naive.step(grads),
        "numpy in-place": lambda: inplace.step(grads),
        "ember Adam": ember.optim.Adam(params, lr=LR).step,
        "ember Adam amsgrad": ember.optim.Adam(params, lr=LR, amsgrad=True).step,
        "ember AdamW": ember.optim.AdamW(params, lr=LR).step,
        "ember SGD momentum": ember.optim.SGD(params, lr=LR, momentum=0.9).step,
    }


def main() -> None:
    n = sum(int(np.prod(s)) for s in SHAPES)
    print(f"optimizer step on a {n:,}-parameter MLP ({len(SHAPES)} tensors), float32")
    if "--torch-only" in sys.argv:
        for name, sec in bench_torch().items():
            print(f"  {name:28s} {sec * 1e3:8.3f} ms (median)")
        return
    results = interleaved(contenders())
    floor = results["numpy in-place"][0]
    print(f"  {'':28s} {'best':>8s}    {'median':>8s}")
    for name, (best, med) in results.items():
        print(
            f"  {name:28s} {best * 1e3:8.3f} ms {med * 1e3:8.3f} ms  "
            f"(best {best / floor:.2f}x numpy in-place Adam)"
        )


if __name__ == "__main__":
    main()
