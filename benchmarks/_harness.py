"""Fair ember-vs-PyTorch timing: each library in a process of its own, rounds alternating.

Running both libraries in one process makes NumPy's OpenBLAS threads and torch's OpenMP threads
share the cores: on a 2-core machine torch's MLP step went from 2.5 ms alone to 7.7 ms shared.
So every measurement here is one child process per (round, workload, library); the parent
alternates which library goes first in each round and reports the median over rounds of each
child's median.

A workload is a function ``build(lib) -> (step, number)`` in a module of this folder, where ``lib``
is the ``ember`` or ``torch`` module and ``step`` is the zero-argument callable to time. A
workload may instead return a dict of already measured seconds (``{"ember": ..., "numpy": ...}``)
when two contenders must share a process on purpose (ember's matmul against plain NumPy's).

Environment:
    BENCH_THREADS   threads for both libraries (BLAS and torch intra-op), default 2.
    BENCH_REPEAT    timed repeats inside each child (default 5; its median is the child's figure).
    BENCH_CLOCK     ``wall`` (default) or ``cpu``: process CPU time, summed over threads. With
                    ``BENCH_THREADS=1`` it leaves out the time other programs hold the core,
                    which keeps ratios steady on a busy machine.
    BENCH_EMBER_SRC  ember's source folder for the ember children (default: this checkout's), so
                    an older commit exported with ``git archive`` can be measured as "before".
    BENCH_BASELINE_SRC  a second ember source folder (an older commit, exported with
                    ``git archive <commit> packages/ember/src | tar -x -C <dir>``): its children
                    join the rotation as ``ember_before``, so before/after ratios come from the
                    same run and the same load.
    BENCH_TORCH_PYTHON  interpreter with torch (default: /work/ref/torch/bin/python, then any
                    python on PATH that imports torch); torch columns are skipped without one.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EMBER_SRC = Path(os.environ.get("BENCH_EMBER_SRC", HERE.parent / "packages" / "ember" / "src"))
DEFAULT_TORCH_PYTHONS = ("/work/ref/torch/bin/python",)
BASELINE_SRC = (
    Path(os.environ["BENCH_BASELINE_SRC"]) if os.environ.get("BENCH_BASELINE_SRC") else None
)
BASELINE_SUFFIX = "_before"


def threads() -> int:
    """The thread count both libraries get (``BENCH_THREADS``, default 2)."""
    return int(os.environ.get("BENCH_THREADS", "2"))


def clock() -> Callable[[], float]:
    """``time.process_time`` when ``BENCH_CLOCK=cpu``, else ``time.perf_counter``."""
    return time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter


def median_per_call(fn: Callable[[], Any], number: int, repeat: int | None = None) -> float:
    """Median seconds per call of ``fn`` over ``repeat`` rounds of ``number`` calls (1 warm-up).

    ``repeat`` defaults to ``BENCH_REPEAT`` (5).
    """
    repeat = repeat or int(os.environ.get("BENCH_REPEAT", "5"))
    tick = clock()
    fn()
    rounds = []
    for _ in range(repeat):
        start = tick()
        for _ in range(number):
            fn()
        rounds.append((tick() - start) / number)
    return statistics.median(rounds)


def child_env() -> dict[str, str]:
    """The environment of a child: OpenBLAS core overrides removed, thread counts pinned."""
    drop = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    n = str(threads())
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[key] = n
    return env


def _has_torch(python: str) -> bool:
    probe = subprocess.run([python, "-c", "import torch"], capture_output=True, check=False)
    return probe.returncode == 0


def torch_python() -> str | None:
    """The interpreter for torch's side, or None when no python here imports torch."""
    chosen = os.environ.get("BENCH_TORCH_PYTHON")
    if chosen:
        return chosen if _has_torch(chosen) else None
    candidates = [*DEFAULT_TORCH_PYTHONS, sys.executable, shutil.which("python3") or ""]
    for python in candidates:
        if python and Path(python).exists() and _has_torch(python):
            return python
    return None


def _load(lib_name: str) -> Any:
    lib = importlib.import_module(lib_name)
    lib.set_num_threads(threads())
    return lib


def run_child(spec: str, lib_name: str) -> dict[str, Any]:
    """Time workload ``module:function`` under ``lib_name`` here; seconds plus versions."""
    module_name, func_name = spec.split(":")
    lib = _load(lib_name)
    build = getattr(importlib.import_module(module_name), func_name)
    built = build(lib)
    if isinstance(built, dict):
        seconds = built
    else:
        step, number = built
        seconds = {lib_name: median_per_call(step, number)}
    return {"seconds": seconds, "versions": versions(lib_name, lib)}


def versions(lib_name: str, lib: Any) -> dict[str, Any]:
    """Library, NumPy and BLAS versions as seen from inside the child."""
    import numpy as np

    info: dict[str, Any] = {lib_name: getattr(lib, "__version__", "?"), "numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info

        info["threadpools"] = [
            {
                k: p.get(k)
                for k in ("user_api", "internal_api", "version", "num_threads", "architecture")
            }
            for p in threadpool_info()
        ]
    except ImportError:
        pass
    if lib_name == "torch":
        info["torch_threads"] = lib.get_num_threads()
        config = lib.__config__.show().replace(",", "\n").splitlines()
        keep = ("BLAS", "USE_MKLDNN", "USE_OPENMP")
        info["torch_build"] = [s.strip() for s in config if s.strip().startswith(keep)]
    return info


def spawn(
    python: str, spec: str, lib_name: str, *, src: Path = EMBER_SRC, timeout: float = 900
) -> dict[str, Any]:
    """Run one child and return its JSON (``{"error": ...}`` when it failed).

    ember children import ember from ``src`` (put first on ``PYTHONPATH``).
    """
    env = child_env()
    if lib_name == "ember":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    cmd = [python, str(HERE / "_harness.py"), "--child", spec, lib_name]
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False, cwd=HERE
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if out.returncode:
        tail = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {out.returncode}: {tail}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(spec: str, *, rounds: int, torch_py: str | None) -> dict[str, Any]:
    """Alternate ember and torch children for ``rounds`` rounds; medians over rounds per key.

    Returns ``{"median": {key: seconds}, "rounds": {key: [seconds...]}, "load": [...],
    "versions": {...}, "errors": [...]}``; keys are the contenders (ember, torch, numpy).
    """
    sides = [("ember", sys.executable, EMBER_SRC, "")]
    if BASELINE_SRC:
        sides.append(("ember", sys.executable, BASELINE_SRC, BASELINE_SUFFIX))
    if torch_py:
        sides.append(("torch", torch_py, EMBER_SRC, ""))
    per_key: dict[str, list[float]] = {}
    loads, errors, vers = [], [], {}
    for r in range(rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for lib_name, python, src, suffix in order:
            loads.append(os.getloadavg()[0])
            res = spawn(python, spec, lib_name, src=src)
            if "error" in res:
                errors.append(f"{lib_name}{suffix}: {res['error']}")
                continue
            vers[lib_name + suffix] = res["versions"]
            for key, sec in res["seconds"].items():
                per_key.setdefault(key + suffix, []).append(sec)
    return {
        "median": {k: statistics.median(v) for k, v in per_key.items()},
        "rounds": per_key,
        "load": [round(x, 2) for x in loads],
        "versions": vers,
        "errors": errors,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.insert(0, str(HERE))
        print(json.dumps(run_child(sys.argv[2], sys.argv[3])))
    else:
        sys.exit("usage: _harness.py --child module:function ember|torch")
