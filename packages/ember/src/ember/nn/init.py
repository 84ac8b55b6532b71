"""Weight initialisation, as torch.nn.init."""

from __future__ import annotations

__all__: list[str] = []
