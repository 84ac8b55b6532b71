"""The optional ``onnx`` dependency, imported only when an export or a load needs it."""

from __future__ import annotations

from typing import Any

__all__ = ["require_onnx"]


def require_onnx() -> Any:
    """Import the ``onnx`` package, or say how to install it."""
    try:
        import onnx  # optional dependency: importing ember.onnx must work without it
    except ImportError as err:
        raise ImportError(
            "ember.onnx needs the 'onnx' package: pip install 'ember[onnx]' (or pip install onnx "
            "onnxruntime)"
        ) from err
    return onnx
