"""embertext: tokenizers, vocabularies, text datasets, transforms and NLP models for ember."""

from __future__ import annotations

from embertext._version import __version__

__all__ = ["__version__"]
