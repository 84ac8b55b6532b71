"""glibc's malloc thresholds, raised once at import so that large temporaries are reused.

NumPy allocates every temporary with ``malloc``. glibc serves blocks above its mmap threshold
(128 KiB at start, raised on the fly up to 32 MiB as such blocks are freed) with a fresh
``mmap``, and gives freed memory at the top of the heap back to the OS beyond its trim threshold;
either way the next temporary of that size comes back as new pages, which the kernel faults in
and zeroes one 4 KiB page at a time. A training step makes hundreds of temporaries of 0.5 to
16 MiB (activations, im2col columns, gradients), so a good part of its time went to page faults:
a BatchNorm backward on 32x16x32x32 took 3.6 ms with fresh pages and 1.1 ms with reused ones.
Fixing the thresholds (blocks up to 32 MiB from the heap, up to 128 MiB of free heap kept)
made the ResNet and MNIST CNN training steps of ``benchmarks/`` 9% and 13% faster (1 thread,
CPU clock). With 64 MiB kept, the Transformer and LSTM LM steps still faulted in about 10,700
and 1,500 pages a step (their steps free more than 64 MiB at once); at 128 MiB none, and their
steps took 15% and 5% less CPU time. The price is that a process keeps up to that much freed
memory for reuse.

Set ``EMBER_MALLOC_TUNING=0`` before importing ember to leave malloc as it is.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["tune_malloc"]

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 128 << 20


def tune_malloc() -> bool:
    """Raise glibc's mmap and trim thresholds (Linux with glibc only); True when they were set.

    Does nothing when ``EMBER_MALLOC_TUNING`` is ``0`` or on other platforms and C libraries.
    """
    if os.environ.get("EMBER_MALLOC_TUNING", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the running process, libc included
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok
