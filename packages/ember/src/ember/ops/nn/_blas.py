"""One BLAS thread for small GEMMs inside fused primitives (attention, recurrences)."""

from __future__ import annotations

import contextlib
import os
from typing import Any

import numpy as np

from ember import _runtime

# Multiply-adds per GEMM below which one BLAS thread is faster than several. Measured: the
# 2-layer LSTM LM's (20 x 200) @ (200 x 800) step GEMMs and small attention batches run faster on
# one thread, and much faster on a loaded machine, where waking a second BLAS thread per step
# costs milliseconds each time.
SMALL_GEMM = 1 << 23


def one_thread_if_small(x: Any, macs: int) -> Any:
    """A context limiting BLAS to one thread when ``x`` is a NumPy array and ``macs`` is small.

    Args:
        x: an operand (CuPy arrays are left alone).
        macs: multiply-adds of one GEMM.

    Returns:
        A context manager (a no-op when the limit does not apply).
    """
    if type(x) is not np.ndarray or macs > SMALL_GEMM:
        return contextlib.nullcontext()
    return _runtime._controller().limit(limits=1, user_api="blas")


# Multiply-adds of the smaller of two independent GEMMs above which ``run_pair`` splits them over
# two Python threads (below it, handing work to the second thread costs what it saves).
PAIR_GEMM = 1 << 22


class _Pool:
    executor: Any = None
    pid = 0  # the process that started the worker: a forked child must start its own
    blas: list[Any] | None = None  # threadpoolctl's controllers of the BLAS libraries loaded


def _executor() -> Any:
    if _Pool.executor is None or _Pool.pid != os.getpid():
        from concurrent.futures import ThreadPoolExecutor

        _Pool.executor = ThreadPoolExecutor(1, thread_name_prefix="ember-blas")
        _Pool.pid = os.getpid()
    return _Pool.executor


def _blas_libs() -> list[Any]:
    if _Pool.blas is None:
        ctl = _runtime._controller()
        _Pool.blas = [c for c in ctl.lib_controllers if c.user_api == "blas"]
    return _Pool.blas


def run_pair(first: Any, second: Any, *, parallel: bool) -> tuple[Any, Any]:
    """``(first(), second())``: two independent NumPy computations, side by side if ``parallel``.

    With ``parallel`` and several BLAS threads, ``second`` runs on a persistent worker thread
    while ``first`` runs here, BLAS single-threaded for both (BLAS and NumPy's loops release the
    GIL). Two single-threaded GEMMs side by side scale better than one 2-thread GEMM after the
    other on the small and medium GEMMs of training steps (each 2-thread call waits for both
    threads at its start and end). Otherwise both run here, one after the other.

    Args:
        first: a zero-argument callable, run on the calling thread.
        second: a zero-argument callable.
        parallel: whether the pair is worth a thread (the caller checks sizes, e.g. ``PAIR_GEMM``).

    Returns:
        The two results, in order.
    """
    libs = _blas_libs() if parallel else ()
    # threadpoolctl's own limit() costs ~50 us a call; its per-library calls are plain C calls.
    counts = [c.get_num_threads() for c in libs]
    if not counts or max(counts) < 2:
        return first(), second()
    for c in libs:
        c.set_num_threads(1)
    try:
        future = _executor().submit(second)
        try:
            a = first()
        finally:
            future.exception()  # waits: BLAS threads are restored only once both are done
        return a, future.result()
    finally:
        for c, n in zip(libs, counts):
            c.set_num_threads(n)
