"""glibc malloc tuning done at import (``ember/_malloc.py``)."""

from __future__ import annotations

import ctypes
import sys

from ember import _malloc


def _glibc() -> bool:
    try:
        ctypes.CDLL(None).gnu_get_libc_version  # noqa: B018
    except (OSError, AttributeError):
        return False
    return sys.platform.startswith("linux")


def test_tuned_on_glibc(monkeypatch):
    monkeypatch.delenv("EMBER_MALLOC_TUNING", raising=False)
    assert _malloc._apply() is _glibc()


def test_opt_out_by_environment(monkeypatch):
    monkeypatch.setenv("EMBER_MALLOC_TUNING", "0")
    assert _malloc._apply() is False


def test_values_within_glibc_limits():
    assert 0 < _malloc.MMAP_THRESHOLD <= 32 << 20  # glibc refuses more on 64-bit systems
    assert _malloc.TRIM_THRESHOLD >= _malloc.MMAP_THRESHOLD
