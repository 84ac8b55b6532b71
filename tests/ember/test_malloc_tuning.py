"""ember raises glibc's malloc thresholds at import (``ember._alloc``), unless told not to."""

from __future__ import annotations

import platform
import sys

import pytest

from ember import _alloc


def test_env_switch_leaves_malloc_alone(monkeypatch):
    monkeypatch.setenv("EMBER_MALLOC_TUNING", "0")
    assert _alloc.tune_malloc() is False


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's",
)
def test_thresholds_set_on_glibc(monkeypatch):
    monkeypatch.delenv("EMBER_MALLOC_TUNING", raising=False)
    assert _alloc.tune_malloc() is True
