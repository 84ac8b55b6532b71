"""OpenBLAS's idle-thread spinning, shortened once at import so that it leaves the cores free.

After every multi-threaded call, OpenBLAS's worker threads keep spinning (``sched_yield`` in a
loop) for ``2 ** OPENBLAS_THREAD_TIMEOUT`` clock ticks before they sleep; the default, 2**28
ticks, is about 0.1 s on a 2.6 GHz core. ember's convolution, pooling and BatchNorm run their
chunks on Python threads with BLAS at one thread (``_convkern._run_chunks``), so after a
``Linear`` layer's 2-thread GEMM the spinning worker took a core from those threads: the MNIST
CNN training step (``benchmarks/``, 2 threads, quiet machine) used 185 ms of CPU for 95 ms of
wall time, against about 95 ms of CPU and 60 ms of wall time with a short timeout.

OpenBLAS reads the timeout when it loads (with NumPy, before ember), so this sets
``OPENBLAS_THREAD_TIMEOUT``, has OpenBLAS read its environment again and stops its threads; the
next multi-threaded call starts them anew with the new timeout. Nothing is done when the variable
is already set (OpenBLAS has read it), when ``EMBER_BLAS_THREAD_TIMEOUT`` is ``0``, or when the
BLAS is not OpenBLAS with these entry points. ``EMBER_BLAS_THREAD_TIMEOUT`` (4-30) picks another
exponent than the default ``THREAD_TIMEOUT``.
"""

from __future__ import annotations

import ctypes
import os

__all__ = ["shorten_blas_spin"]

# 2**22 ticks: about 1.6 ms at 2.6 GHz, long enough for back-to-back GEMMs to find the workers
# awake, short enough that they sleep before a convolution's chunk threads start.
THREAD_TIMEOUT = 22
_ENTRY_POINTS = ("openblas_read_env", "openblas_thread_timeout", "blas_thread_shutdown_")


def shorten_blas_spin() -> bool:
    """Give OpenBLAS's idle threads a short spin (``OPENBLAS_THREAD_TIMEOUT``); True when set.

    Returns:
        True when at least one loaded OpenBLAS now uses the shorter timeout.
    """
    wanted = int(os.environ.get("EMBER_BLAS_THREAD_TIMEOUT", THREAD_TIMEOUT))
    if not wanted or "OPENBLAS_THREAD_TIMEOUT" in os.environ:
        return False
    wanted = min(max(wanted, 4), 30)
    try:
        from ember._runtime import _controller

        paths = [i["filepath"] for i in _controller().info() if i.get("internal_api") == "openblas"]
    except Exception:  # noqa: BLE001 - threadpoolctl missing or unable to inspect: leave as is
        return False
    os.environ["OPENBLAS_THREAD_TIMEOUT"] = str(wanted)
    done = False
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            read_env, timeout, shutdown = (getattr(lib, n) for n in _ENTRY_POINTS)
        except (OSError, AttributeError):
            continue
        timeout.restype = ctypes.c_int
        read_env()
        if timeout() == wanted:
            shutdown()
            done = True
    return done
