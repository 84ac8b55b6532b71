"""Shared check: export a model, validate it, run it in onnxruntime at two batch sizes, compare with
ember, and run the file again through ``ember.onnx.load``."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import onnx
import onnxruntime as ort

import ember

RTOL, ATOL = 1e-4, 1e-5


def randomize(model: ember.nn.Module, scale: float = 0.2) -> ember.nn.Module:
    """Non-trivial parameters and BatchNorm statistics (many builders start heads at zero),
    scaled so that activations stay near 1 (fan-in scaling for matrices and kernels)."""
    gen = np.random.default_rng(0)

    def draw(shape: tuple[int, ...], std: float, mean: float = 0.0) -> ember.Tensor:
        return ember.from_numpy(gen.normal(mean, std, shape).astype(np.float32))

    with ember.no_grad():
        for name, p in model.named_parameters():
            shape = tuple(p.shape)
            if len(shape) >= 2:
                p.copy_(draw(shape, 1.0 / math.sqrt(math.prod(shape[1:]))))
            else:
                p.copy_(draw(shape, scale, 1.0 if name.endswith("weight") else 0.0))
        for name, b in model.named_buffers():
            if name.endswith("running_var"):
                b.copy_(ember.from_numpy(gen.uniform(0.5, 1.5, b.shape).astype(np.float32)))
            elif name.endswith("running_mean"):
                b.copy_(draw(tuple(b.shape), 0.1))
    return model.eval()


def _session(data: bytes) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])


def _outputs(out: object) -> list[np.ndarray]:
    if isinstance(out, ember.Tensor):
        return [out.numpy()]
    return [t for o in out for t in _outputs(o)]  # type: ignore[union-attr]


def export_and_compare(
    model: ember.nn.Module,
    inputs: list[ember.Tensor],
    second: list[ember.Tensor] | None,
    names: list[str],
    dynamic_axes: dict,
    *,
    round_trip: bool = True,
    opset: int | None = None,
) -> onnx.ModelProto:
    """Export ``model`` on ``inputs``; check it in onnxruntime on ``inputs`` and ``second``
    (other sizes along the dynamic axes) and, with ``round_trip``, through ``ember.onnx.load``."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the export's own check at the resized axes must pass
        ember.onnx.export(
            model,
            tuple(inputs),
            buf,
            input_names=names,
            dynamic_axes=dynamic_axes,
            opset_version=opset,
        )
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto)
    sess = _session(buf.getvalue())
    for feed in [inputs] + ([second] if second is not None else []):
        with ember.no_grad():
            want = _outputs(model(*feed))
        got = sess.run(None, {n: t.numpy() for n, t in zip(names, feed)})
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    if round_trip:
        buf.seek(0)
        again = ember.onnx.load(buf)
        with ember.no_grad():
            for g, w in zip(_outputs(again(*inputs)), _outputs(model(*inputs))):
                np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL)
    return proto


def batch_axes(*names: str) -> dict:
    return {n: {0: "batch"} for n in names}
