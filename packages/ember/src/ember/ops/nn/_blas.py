"""One BLAS thread for small GEMMs inside fused primitives (attention, recurrences)."""

from __future__ import annotations

import contextlib
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
