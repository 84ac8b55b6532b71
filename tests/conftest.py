"""Shared fixtures: the device list, seeding, and the location of the shared real datasets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ember
from ember.testing import require_data

ROOT = Path(__file__).resolve().parents[1]


def _devices() -> list[str]:
    # Without a GPU the second device is a NumPy-backed stand-in for CuPy (tests/ember/
    # _fake_cupy.py), so the device plumbing of every such test runs in CI too.
    return ["cpu", "cuda" if ember.cuda.is_available() else "cuda-sim"]


@pytest.fixture(params=_devices())
def device(request: pytest.FixtureRequest):
    """Each test taking ``device`` runs on the CPU and on CUDA: a real GPU when CuPy and one are
    present, else the simulated one (the test sees ``"cuda"`` either way)."""
    if request.param != "cuda-sim":
        yield request.param
        return
    from tests.ember import _fake_cupy

    with _fake_cupy.installed():
        ember.manual_seed(0)
        yield "cuda"


@pytest.fixture(autouse=True)
def _seed() -> None:
    ember.manual_seed(0)


def pytest_configure(config: pytest.Config) -> None:
    # Under pytest-xdist the test processes already fill the cores; a multi-threaded BLAS in each
    # of them oversubscribes the machine (measured: the compat suite 4x slower in wall time).
    if os.environ.get("PYTEST_XDIST_WORKER"):
        ember.set_num_threads(1)


def data_root() -> Path:
    """Where the shared real datasets live: $EMBER_DATA, else ../shared/data beside the repo."""
    return Path(os.environ.get("EMBER_DATA", ROOT.parent / "shared" / "data"))


def need_data(*parts: str) -> Path:
    """``data_root()/parts...``; skipped when absent, a failure when CI is set (the one rule,
    :func:`ember.testing.require_data`)."""
    return require_data(*parts, root=data_root())


@pytest.fixture
def shared_data() -> Path:
    """The shared datasets folder; a failure in CI when it is missing, a skip elsewhere."""
    return need_data()
