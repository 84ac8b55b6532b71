"""The maths behind ember.nn.functional, one module per kind (mirroring ``ember.nn.modules``)."""

from __future__ import annotations

__all__: list[str] = []
