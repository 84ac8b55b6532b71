"""Datasets, samplers and the DataLoader, as torch.utils.data."""

from __future__ import annotations

__all__: list[str] = []
