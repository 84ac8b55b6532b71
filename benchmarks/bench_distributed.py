"""Data-parallel scaling and all-reduce cost of ember.distributed over MPI.

Two measurements, each launched with ``mpirun`` from this script:

* ``allreduce``: latency and bandwidth of ``all_reduce`` (float32, SUM) by message size on 2
  ranks. Bus bandwidth is ``2 (n-1)/n * bytes / time`` (what each link carries in a ring).
* ``scaling``: training-step time of the MLP (784-512-512-10, batch 128) and the MNIST net
  (pytorch/examples, batch 64) on 1 and 2 processes with the same global batch (strong
  scaling: each of 2 ranks computes half the batch, then the gradients are averaged).

On a 2-core machine two ranks already fill the cores, so the speed-up is bounded by the cores;
``docs/distributed.md`` turns these figures into a model of N-node scaling.

Run:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_distributed.py
(as root Open MPI also wants OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; the
script sets them for the processes it starts). ``--rounds N`` sets the repeats (default 5).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZES = [2**k for k in range(3, 27, 3)]  # 8 B .. 64 MiB


def _mpirun() -> str:
    beside = Path(sys.executable).parent / "mpirun"
    found = str(beside) if beside.exists() else shutil.which("mpirun")
    if found is None:
        sys.exit("mpirun not found: pip install 'ember[distributed]'")
    return found


def _launch(n: int, *args: str) -> dict:
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               BENCH_THREADS=os.environ.get("BENCH_THREADS", str(max(1, 2 // n))))
    cmd = [_mpirun(), "-n", str(n), "--oversubscribe", sys.executable, __file__, "--worker", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _median_step(step, rounds: int, number: int) -> float:
    import ember.distributed as dist

    step()
    times = []
    for _ in range(rounds):
        dist.barrier()
        start = time.perf_counter()
        for _ in range(number):
            step()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def _worker_allreduce(rounds: int) -> dict:
    import ember
    import ember.distributed as dist

    res = {}
    for nbytes in SIZES:
        t = ember.ones(nbytes // 4)
        number = max(3, min(200, (1 << 24) // nbytes))
        res[nbytes] = _median_step(lambda t=t: dist.all_reduce(t), rounds, number)
    return res


def _models(name: str, batch: int):
    import ember
    import ember.nn as nn
    import ember.nn.functional as F

    if name == "mlp":
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                              nn.Linear(512, 10))
        x = ember.randn(batch, 784)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "core"))
        from mnist_cnn import Net

        model, x = Net(), ember.randn(batch, 1, 28, 28)
    y = ember.randint(0, 10, (batch,))
    return model, x, y, F.cross_entropy


def _worker_scaling(rounds: int) -> dict:
    import ember
    import ember.distributed as dist
    from ember.nn.parallel import DistributedDataParallel

    ember.set_num_threads(int(os.environ["BENCH_THREADS"]))
    world = dist.get_world_size()
    res = {}
    for name, batch in (("mlp", 128), ("mnist", 64)):
        ember.manual_seed(0)
        model, x, y, loss_fn = _models(name, batch // world)
        if world > 1:
            model = DistributedDataParallel(model)
        opt = ember.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def step(model=model, x=x, y=y, loss_fn=loss_fn, opt=opt):
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

        res[name] = _median_step(step, rounds, 5 if name == "mnist" else 20)
    return res


def worker(kind: str, rounds: int) -> None:
    import ember.distributed as dist

    dist.init_process_group("mpi")
    res = _worker_allreduce(rounds) if kind == "allreduce" else _worker_scaling(rounds)
    if dist.get_rank() == 0:
        print(json.dumps(res), flush=True)
    dist.destroy_process_group()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", nargs=1)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    if args.worker:
        return worker(args.worker[0], args.rounds)
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.rounds} rounds")
    ar = _launch(2, "allreduce", "--rounds", str(args.rounds))
    print("\nall_reduce on 2 ranks (float32, SUM)\n| bytes | time | bus bandwidth |\n|---|---|---|")
    for nbytes, sec in ar.items():
        bw = int(nbytes) / sec / 1e9  # 2 (n-1)/n = 1 for n = 2
        print(f"| {int(nbytes):,} | {sec * 1e6:.1f} µs | {bw:.2f} GB/s |")
    one = _launch(1, "scaling", "--rounds", str(args.rounds))
    two = _launch(2, "scaling", "--rounds", str(args.rounds))
    print("\nstrong scaling, same global batch\n| model | 1 process | 2 processes | speed-up |")
    print("|---|---|---|---|")
    for name in one:
        print(f"| {name} | {one[name] * 1e3:.2f} ms | {two[name] * 1e3:.2f} ms | "
              f"{one[name] / two[name]:.2f}x |")


if __name__ == "__main__":
    main()
