"""What every text benchmark worker shares: read the job, time calls, print the result.

A worker runs in its own process (``python worker_<lib>.py JOB.json``) and prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def load_job() -> dict[str, Any]:
    with open(sys.argv[1], encoding="utf-8") as f:
        return json.load(f)


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """First-call seconds (cold caches), then the median of ``repeat`` further calls."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        rounds.append(time.perf_counter() - start)
    return {"first_s": first, "median_s": statistics.median(rounds)}


def encode_figures(
    job: dict[str, Any],
    whole: Callable[[str], Any],
    lines: Callable[[list[str]], Any],
    count: Callable[[Any], int],
) -> dict:
    text = open(job["corpus"], encoding="utf-8").read()
    split = text.splitlines()
    nbytes = len(text.encode("utf-8"))
    out = {"bytes": nbytes}
    for name, fn, arg in (("whole", whole, text), ("lines", lines, split)):
        figures = timed(lambda fn=fn, arg=arg: fn(arg), job["repeat"])
        figures["mb_s"] = nbytes / figures["median_s"] / 1e6
        figures["tokens"] = count(fn(arg))
        out[name] = figures
    return out


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result))
