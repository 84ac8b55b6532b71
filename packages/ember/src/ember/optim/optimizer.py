"""The Optimizer base class and the optimizers."""

from __future__ import annotations

__all__: list[str] = []
