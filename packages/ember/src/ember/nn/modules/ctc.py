"""ember.nn layers: CTCLoss."""

from __future__ import annotations

__all__: list[str] = []
