"""The maths behind ember.nn.functional, split by area."""

from __future__ import annotations

__all__: list[str] = []
