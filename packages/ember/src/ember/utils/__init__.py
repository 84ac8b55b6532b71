"""Utilities: ``ember.utils.data`` (datasets and loaders), ``ember.utils.checkpoint``."""

from __future__ import annotations

from ember.utils import checkpoint, data, dlpack, download
