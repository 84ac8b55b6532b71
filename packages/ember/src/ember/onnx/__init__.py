"""Deployment through ONNX: :func:`export` a model to an ONNX file, :func:`load` one back.

``import ember.onnx`` works without the ``onnx`` package; the calls that need it say what to
install (``pip install 'ember[onnx]'``, which also brings onnxruntime to run the exported graph).

Example:
    >>> model = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))
    >>> ember.onnx.export(model, ember.randn(1, 4), "mlp.onnx", input_names=["x"],
    ...                   output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    >>> again = ember.onnx.load("mlp.onnx")
    >>> again(ember.randn(3, 4)).shape
    ember.Size([3, 2])
"""

from __future__ import annotations

from ember.onnx._converters import register, supported_ops
from ember.onnx._export import DEFAULT_OPSET, export
from ember.onnx._graph import ExportError
from ember.onnx._load import OnnxModule, load, loadable_ops

__all__ = [
    "export",
    "load",
    "OnnxModule",
    "ExportError",
    "supported_ops",
    "loadable_ops",
    "register",
    "DEFAULT_OPSET",
]
