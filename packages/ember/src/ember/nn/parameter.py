"""Parameter and Buffer: tensors that modules register automatically."""

from __future__ import annotations

__all__: list[str] = []
