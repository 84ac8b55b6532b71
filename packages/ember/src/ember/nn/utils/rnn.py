"""PackedSequence and pad/pack helpers for recurrent layers."""

from __future__ import annotations

__all__: list[str] = []
