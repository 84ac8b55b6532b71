"""The ``cuda`` fixture of the device-plumbing tests."""

from __future__ import annotations

import pytest

import ember
from tests.ember import _fake_cupy


@pytest.fixture
def cuda():
    """``"cuda"``: the real GPU when there is one, else the simulated one for the test."""
    if ember.cuda.is_available():
        yield "cuda"
        return
    with _fake_cupy.installed():
        ember.manual_seed(0)
        yield "cuda"
