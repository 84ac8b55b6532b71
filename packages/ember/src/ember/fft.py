"""Discrete Fourier transforms, as torch.fft."""

from __future__ import annotations

__all__: list[str] = []
