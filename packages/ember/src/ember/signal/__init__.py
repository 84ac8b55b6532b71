"""``ember.signal``: signal-processing helpers; ``ember.signal.windows`` holds the window functions.

Example:
    >>> ember.signal.windows.hann(4)
    tensor([0.0000, 0.7500, 0.7500, 0.0000])
"""

from __future__ import annotations

from ember.signal import windows

__all__ = ["windows"]
