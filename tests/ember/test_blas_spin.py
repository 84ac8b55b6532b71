"""ember shortens OpenBLAS's idle-thread spin at import (``ember._blasspin``), unless told not to."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ember import _blasspin, _runtime

_OPENBLAS = [i for i in _runtime._controller().info() if i.get("internal_api") == "openblas"]

_PROBE = """
import ctypes
import numpy as np
import ember
from ember._runtime import _controller
ember.set_num_threads(2)
a = np.random.default_rng(0).standard_normal((400, 400)).astype(np.float32)
ok = np.allclose(a @ a.T, (a.astype(np.float64) @ a.T.astype(np.float64)), atol=1e-3)
lib = ctypes.CDLL([i["filepath"] for i in _controller().info() if i["internal_api"] == "openblas"][0])
print(lib.openblas_thread_timeout(), ok)
"""


def test_env_switch_leaves_blas_alone(monkeypatch):
    monkeypatch.delenv("OPENBLAS_THREAD_TIMEOUT", raising=False)
    monkeypatch.setenv("EMBER_BLAS_THREAD_TIMEOUT", "0")
    assert _blasspin.shorten_blas_spin() is False


def test_users_own_timeout_is_kept(monkeypatch):
    monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", "26")
    assert _blasspin.shorten_blas_spin() is False


@pytest.mark.skipif(not _OPENBLAS, reason="NumPy's BLAS is not OpenBLAS")
def test_timeout_reaches_openblas_and_threads_restart():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    env["EMBER_BLAS_THREAD_TIMEOUT"] = "23"
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["23", "True"]
