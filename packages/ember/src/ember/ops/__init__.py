"""ember's primitive and composite ops, and the Tensor methods built from them.

Each op module lists the Tensor methods it provides in ``TENSOR_METHODS``; this package attaches
them to ``Tensor`` so that every method is defined once, next to its op.
"""

from __future__ import annotations

import importlib
from typing import Any

from ember._tensor import Tensor

# Modules whose public functions and Tensor methods make up the op surface, in load order.
OP_MODULES = (
    "arithmetic",
    "elementwise",
    "reduction",
    "comparison",
    "shape",
    "indexing",
    "conversion",
    "linalg",
    "sorting",
    "complex",
    "spectral",
)

_loaded: list[Any] = []


def _attach(methods: dict[str, Any]) -> None:
    for name, fn in methods.items():
        setattr(Tensor, name, fn)


def load_all() -> list[Any]:
    """Import every op module (skipping ones not written yet) and attach its Tensor methods."""
    if _loaded:
        return _loaded
    for name in OP_MODULES:
        try:
            mod = importlib.import_module(f"ember.ops.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"ember.ops.{name}":
                raise
            continue
        _attach(getattr(mod, "TENSOR_METHODS", {}))
        _loaded.append(mod)
    from ember import _creation, _random

    _attach(_random.TENSOR_METHODS)
    _attach(_creation.TENSOR_METHODS)
    return _loaded
