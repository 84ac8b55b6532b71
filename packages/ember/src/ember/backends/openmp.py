"""``ember.backends.openmp``: ember does not run its own OpenMP parallel loops.

NumPy's BLAS may use threads of its own (see ``ember.set_num_threads``); this probe answers for
ember's kernels, which are NumPy calls, so it is False.
"""

from __future__ import annotations

__all__ = ["is_available"]


def is_available() -> bool:
    """False: ember has no OpenMP kernels.

    Example:
        >>> ember.backends.openmp.is_available()
        False
    """
    return False
