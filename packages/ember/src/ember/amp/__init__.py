"""Mixed precision: ``ember.amp.autocast`` and ``ember.amp.GradScaler``, as ``torch.amp``.

Example:
    >>> scaler = ember.amp.GradScaler("cpu")
    >>> with ember.amp.autocast("cpu", dtype=ember.float16):
    ...     out = ember.matmul(ember.randn(2, 2), ember.randn(2, 2))
    >>> out.dtype
    ember.float16
"""

from __future__ import annotations

from ember.amp.autocast_mode import (
    autocast,
    get_autocast_dtype,
    is_autocast_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)
from ember.amp.grad_scaler import GradScaler

__all__ = ["autocast", "GradScaler", "is_autocast_enabled", "get_autocast_dtype",
           "set_autocast_enabled", "set_autocast_dtype"]
