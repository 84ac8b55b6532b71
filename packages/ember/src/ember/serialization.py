"""ember.save / ember.load, safetensors and PyTorch checkpoint reading."""

from __future__ import annotations

__all__: list[str] = []
