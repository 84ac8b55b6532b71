"""ember.distributed and DistributedDataParallel, under ``mpirun -n 2`` and ``-n 4``.

The MPI scripts beside this file check every collective against NumPy and DDP training against
single-process training on the concatenated batch; here they are launched and their exit codes
checked. The tests need mpi4py and Open MPI (``pip install 'ember[distributed]'``): without them
they skip, except in CI, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import ember
import ember.distributed as dist
from ember.distributed import ReduceOp, Work

HERE = Path(__file__).parent
pytestmark = pytest.mark.xdist_group("mpi")  # one worker: mpirun -n 4 already fills the cores


def _mpirun() -> str:
    beside = Path(sys.executable).parent / "mpirun"
    found = str(beside) if beside.exists() else shutil.which("mpirun")
    if found is None or not dist.is_mpi_available():
        reason = "mpi4py and an MPI runtime are needed (pip install 'ember[distributed]')"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _launch(n: int, script: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        OMPI_ALLOW_RUN_AS_ROOT="1",
        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    cmd = [_mpirun(), "-n", str(n), "--oversubscribe", sys.executable, str(HERE / script), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.parametrize("n", [2, 4])
def test_collectives_match_numpy(n: int) -> None:
    res = _launch(n, "_mpi_collectives.py")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("collectives OK") == n


@pytest.mark.parametrize("n", [2, 4])
def test_ddp_equals_single_process_training(n: int, tmp_path: Path) -> None:
    res = _launch(n, "_mpi_ddp.py", str(tmp_path))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("ddp OK") == n


def test_a_raising_rank_ends_the_job() -> None:
    start = time.monotonic()
    res = _launch(2, "_mpi_failure.py", timeout=120)
    assert res.returncode != 0
    assert "boom from rank 1" in res.stderr
    assert "unreachable" not in res.stdout
    assert time.monotonic() - start < 60


def test_world_size_from_env_must_match_mpi() -> None:
    _mpirun()
    env = dict(os.environ, WORLD_SIZE="3", RANK="0")
    code = "import ember.distributed as d; d.init_process_group('mpi')"
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert res.returncode != 0
    assert "mpirun -n 3" in res.stderr


def test_without_a_group() -> None:
    assert dist.is_available() and not dist.is_initialized()
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.get_rank()
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.all_reduce(ember.ones(2))
    with pytest.raises(RuntimeError, match="init_process_group"):
        ember.nn.parallel.DistributedDataParallel(ember.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("tcp")


class _Req:
    def __init__(self) -> None:
        self.done = False

    def Wait(self) -> None:  # noqa: N802
        self.done = True

    def Test(self) -> bool:  # noqa: N802
        return self.done


def test_work_finishes_once() -> None:
    calls = []
    req = _Req()
    work = Work([req], finish=lambda: calls.append(1), value=lambda: 7)
    assert not work.is_completed()
    assert work.result() == 7 and work.wait() and work.is_completed()
    assert calls == [1]


def test_avg_refuses_integers() -> None:
    from ember.distributed._backend import _check_avg

    with pytest.raises(TypeError, match="AVG needs a floating-point tensor"):
        _check_avg(np.zeros(2, dtype=np.int64))
    assert ReduceOp.AVG is not ReduceOp.SUM


def test_ddp_mnist_example_runs(tmp_path: Path, shared_data: Path) -> None:
    script = HERE.parents[2] / "examples" / "core" / "ddp_mnist.py"
    env_root = shared_data / "vision" / "mnist"
    res = _launch(2, str(script), "--root", str(env_root), "--train-limit", "256",
                  "--test-limit", "200", "--batch-size", "32", "--save",
                  str(tmp_path / "m.ember"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "test accuracy" in res.stdout
    assert ember.load(tmp_path / "m.ember")["fc2.weight"].shape == (10, 128)
