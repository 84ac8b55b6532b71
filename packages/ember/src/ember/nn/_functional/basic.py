"""Functional linear, activations, dropout, embeddings, normalisation and losses."""

from __future__ import annotations

__all__: list[str] = []
