"""Fixtures of the platform tests."""

from __future__ import annotations

import pytest

from ember import hub


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A private copy of the model registry, so registrations in a test do not leak."""
    hub.load_domains()  # the real installed domains first, into the real registry
    monkeypatch.setattr(hub, "_MODELS", dict(hub._MODELS))
    monkeypatch.setattr(hub, "_DOMAIN_OF", dict(hub._DOMAIN_OF))
    return monkeypatch
