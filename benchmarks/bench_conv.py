"""Convolution and pooling: ember vs the same FLOPs as one plain NumPy GEMM, vs PyTorch CPU.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_conv.py
PyTorch is not an ember dependency: its side runs in a subprocess with BENCH_TORCH_PYTHON
(default: see ``_harness.torch_python``) when there is one. BENCH_THREADS (default 1) sets
the BLAS threads of both sides: on a shared machine, multi-threaded OpenBLAS spin-waits on busy
cores and the timings become noise, so compare single-threaded unless the machine is idle.

Shapes: 32x64x32x32 (3x3, pad 1, 64 -> 64) and the PyTorch MNIST example's two convolutions
(batch 64: 1 -> 32 on 28x28 and 32 -> 64 on 26x26, 3x3, no padding), plus 2x2 max pooling.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", os.environ.get("BENCH_THREADS", "1"))
os.environ.setdefault("OMP_NUM_THREADS", os.environ.get("BENCH_THREADS", "1"))

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_time, warn_openblas  # noqa: E402
from _harness import torch_python  # noqa: E402

# (name, N, C, H, W, O, k, padding)
CONVS = [
    ("conv 32x64x32x32 3x3 p1", 32, 64, 32, 32, 64, 3, 1),
    ("mnist conv1 64x1x28x28 -> 32", 64, 1, 28, 28, 32, 3, 0),
    ("mnist conv2 64x32x26x26 -> 64", 64, 32, 26, 26, 64, 3, 0),
]
POOL = ("maxpool 2x2 32x64x32x32", 32, 64, 32, 32)


def _data(n, c, h, w, o, k):
    rng = np.random.default_rng(0)
    return (rng.standard_normal((n, c, h, w), dtype=np.float32),
            rng.standard_normal((o, c, k, k), dtype=np.float32) * 0.1)


def _out_hw(h, w, k, p):
    return h + 2 * p - k + 1, w + 2 * p - k + 1


def numpy_floor(n, c, h, w, o, k, p):
    """One GEMM with the convolution's FLOPs: (O, C*k*k) @ (C*k*k, N*Ho*Wo)."""
    ho, wo = _out_hw(h, w, k, p)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((o, c * k * k), dtype=np.float32)
    b = rng.standard_normal((c * k * k, n * ho * wo), dtype=np.float32)
    return median_time(lambda: a @ b, number=3)


def per_offset(x, wt, p):
    """The alternative we measured and rejected: sum over kernel offsets of shifted GEMMs."""
    n, c, h, w = x.shape
    o, _, k, _ = wt.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    ho, wo = h + 2 * p - k + 1, w + 2 * p - k + 1
    out = np.zeros((n, o, ho, wo), np.float32)
    for i in range(k):
        for j in range(k):
            win = np.ascontiguousarray(xp[:, :, i:i + ho, j:j + wo]).reshape(n, c, -1)
            out += np.matmul(wt[:, :, i, j], win).reshape(n, o, ho, wo)
    return out


def ember_side():
    import ember
    import ember.nn.functional as F
    from ember.nn._functional import _convkern

    res = {}
    for name, n, c, h, w, o, k, p in CONVS:
        xn, wn = _data(n, c, h, w, o, k)
        x, wt = ember.tensor(xn), ember.tensor(wn)
        res[name + " fwd"] = median_time(partial(F.conv2d, x, wt, padding=p), number=3)
        xg, wg = ember.tensor(xn, requires_grad=True), ember.tensor(wn, requires_grad=True)
        y = F.conv2d(xg, wg, padding=p)
        g = ember.ones_like(y)
        res[name + " bwd"] = median_time(
            partial(ember.autograd.grad, y, (xg, wg), g, retain_graph=True), number=3)
        res[name + " floor"] = numpy_floor(n, c, h, w, o, k, p)
        if c > 1:
            res[name + " per-offset fwd"] = median_time(partial(per_offset, xn, wn, p), number=3)
            old = _convkern._CHUNK_BYTES
            _convkern._CHUNK_BYTES = 1 << 40  # one im2col buffer for the whole batch
            res[name + " unchunked fwd"] = median_time(partial(F.conv2d, x, wt, padding=p),
                                                       number=3)
            _convkern._CHUNK_BYTES = old
    name, n, c, h, w = POOL
    xn = np.random.default_rng(0).standard_normal((n, c, h, w), dtype=np.float32)
    x = ember.tensor(xn, requires_grad=True)
    res[name + " fwd"] = median_time(lambda: F.max_pool2d(x.detach(), 2), number=5)
    y = F.max_pool2d(x, 2)
    g = ember.ones_like(y)
    res[name + " bwd"] = median_time(lambda: ember.autograd.grad(y, (x,), g, retain_graph=True),
                                     number=5)
    res[name + " floor"] = median_time(
        lambda: xn.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5)), number=5)
    return res


def torch_side():
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
    res = {}
    for name, n, c, h, w, o, k, p in CONVS:
        xn, wn = _data(n, c, h, w, o, k)
        x, wt = torch.tensor(xn), torch.tensor(wn)
        with torch.no_grad():
            res[name + " fwd"] = median_time(partial(F.conv2d, x, wt, padding=p), number=3)
        xg, wg = x.clone().requires_grad_(), wt.clone().requires_grad_()
        y = F.conv2d(xg, wg, padding=p)
        g = torch.ones_like(y)
        res[name + " bwd"] = median_time(
            partial(torch.autograd.grad, y, (xg, wg), g, retain_graph=True), number=3)
    name, n, c, h, w = POOL
    x = torch.randn(n, c, h, w, requires_grad=True)
    with torch.no_grad():
        res[name + " fwd"] = median_time(lambda: F.max_pool2d(x, 2), number=5)
    y = F.max_pool2d(x, 2)
    g = torch.ones_like(y)
    res[name + " bwd"] = median_time(lambda: torch.autograd.grad(y, (x,), g, retain_graph=True),
                                     number=5)
    return res


def _torch_results():
    torch_py = torch_python()
    if torch_py is None:
        return {}
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    out = subprocess.run([torch_py, __file__, "--torch-json"], capture_output=True, text=True,
                         env=env, check=False)
    if out.returncode:
        print("torch side failed:", out.stderr.strip().splitlines()[-1:])
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if "--torch-json" in sys.argv:
        print(json.dumps(torch_side()))
        return
    warn_openblas()
    ours, theirs = ember_side(), _torch_results()
    print(f"{'case':44s} {'ember ms':>9s} {'torch ms':>9s} {'ember/torch':>11s}")
    for key, t in ours.items():
        tt = theirs.get(key)
        ratio = f"{t / tt:11.2f}" if tt else f"{'':11s}"
        ttxt = f"{tt * 1e3:9.1f}" if tt else f"{'-':>9s}"
        print(f"{key:44s} {t * 1e3:9.1f} {ttxt} {ratio}")


if __name__ == "__main__":
    main()
