"""Graphs written by PyTorch's ONNX exporter (``fixtures/make_torch_graphs.py``) run in
``ember.onnx.load`` with PyTorch's outputs at two batch sizes, and can be fine-tuned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("name", ["vision", "text"])
def test_torch_exported_graph_runs_like_torch(name):
    model = ember.onnx.load(FIXTURES / f"torch_{name}.onnx")
    ref = np.load(FIXTURES / f"torch_{name}.npz")
    with ember.no_grad():
        for x, y in (("x", "y"), ("x2", "y2")):
            got = model(ember.from_numpy(ref[x])).numpy()
            np.testing.assert_allclose(got, ref[y], rtol=1e-4, atol=1e-5)
    loss = model(ember.from_numpy(ref["x"])).pow(2).sum()
    loss.backward()
    params = list(model.parameters())
    assert params and all(p.grad is not None for p in params if p.ndim >= 2)
