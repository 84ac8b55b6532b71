"""``ember.backends.mkldnn``: oneDNN (MKL-DNN) kernels are not part of ember.

Programs read ``is_available()`` to decide whether to try ``to_mkldnn()``; ember's CPU kernels are
NumPy's, so it is False and the ``enabled`` switch is kept only so setting it does not fail.
"""

from __future__ import annotations

__all__ = ["is_available", "enabled"]

enabled = True


def is_available() -> bool:
    """False: ember has no oneDNN backend.

    Example:
        >>> ember.backends.mkldnn.is_available()
        False
    """
    return False
