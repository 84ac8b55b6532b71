"""Utilities: ``ember.utils.data`` (datasets and loaders)."""

from __future__ import annotations

from ember.utils import data, dlpack, download
