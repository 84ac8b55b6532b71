"""Loading of the stored PyTorch reference values (see fixtures/make_fixtures.py)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "optim_reference.npz"


@functools.lru_cache(maxsize=1)
def reference() -> dict[str, np.ndarray]:
    with np.load(FIXTURE) as data:
        return {k: data[k] for k in data.files}
