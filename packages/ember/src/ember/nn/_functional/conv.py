"""Functional convolution, pooling, padding, resampling and unfold/fold."""

from __future__ import annotations

__all__: list[str] = []
