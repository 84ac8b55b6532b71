"""ember.onnx.export and load: core examples, the word language model (LSTM, GRU, Transformer),
dynamic sequence and batch axes, errors that name the op, module and opset, and file targets."""

from __future__ import annotations

import io
import sys

import numpy as np
import onnx
import pytest

import ember
from ember import nn
from tests.compat.test_word_language_model import RNNModel, TransformerModel
from tests.ember.onnx._check import batch_axes, export_and_compare, randomize
from tests.ember.test_examples_core import _load


@pytest.mark.parametrize(
    "name,cls,shape",
    [
        ("simple_net.py", "SimpleNet", (4, 10)),
        ("mnist_mlp.py", "MLP", (3, 784)),
        ("mnist_cnn.py", "Net", (2, 1, 28, 28)),
    ],
)
def test_core_example_networks(name, cls, shape):
    ember.manual_seed(0)
    model = randomize(_load(name)[cls]())
    x, x2 = ember.randn(*shape), ember.randn(shape[0] + 2, *shape[1:])
    export_and_compare(model, [x], [x2], ["x"], batch_axes("x", "output_0"))


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_word_language_model_rnn_dynamic_sequence_and_batch(kind):
    ember.manual_seed(0)
    model = RNNModel(kind, 30, 8, 8, 2, dropout=0.2).eval()
    states = ["h0", "c0"] if kind == "LSTM" else ["h0"]
    hid, hid2 = model.init_hidden(2), model.init_hidden(3)
    hid = [ember.randn(*h.shape) for h in (hid if kind == "LSTM" else [hid])]
    hid2 = [ember.randn(*h.shape) for h in (hid2 if kind == "LSTM" else [hid2])]
    pack = (lambda h: tuple(h)) if kind == "LSTM" else (lambda h: h[0])
    ids, ids2 = ember.randint(0, 30, (5, 2)), ember.randint(0, 30, (7, 3))
    dyn = {"input": {0: "seq", 1: "batch"}, **{s: {1: "batch"} for s in states}}

    class Flat(nn.Module):  # the graph's inputs are flat tensors
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, x, *h):
            return self.m(x, pack(h))

    export_and_compare(Flat().eval(), [ids, *hid], [ids2, *hid2], ["input", *states], dyn)


def test_word_language_model_transformer_dynamic_sequence_and_batch():
    ember.manual_seed(0)
    model = TransformerModel(30, 8, 2, 16, 2, dropout=0.2).eval()
    ids, ids2 = ember.randint(0, 30, (5, 2)), ember.randint(0, 30, (7, 3))
    proto = export_and_compare(model, [ids], [ids2], ["input"], {"input": {0: "seq", 1: "batch"}})
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param for d in dims] == ["seq", "batch"]


def test_recurrent_layers_export_as_onnx_recurrences():
    ember.manual_seed(0)
    layers = (
        (nn.LSTM(4, 6, batch_first=True), "LSTM"),
        (nn.GRU(4, 6), "GRU"),
        (nn.RNN(4, 6, bidirectional=True), "RNN"),
    )
    for layer, op in layers:
        x, x2 = ember.randn(2, 5, 4), ember.randn(3, 6, 4)
        proto = export_and_compare(layer.eval(), [x], [x2], ["x"], {"x": {0: "a", 1: "b"}})
        assert op in {n.op_type for n in proto.graph.node}


def test_primitive_coverage_beyond_the_models():
    class Mix(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)
            self.gn = nn.GroupNorm(2, 4)

        def forward(self, x):
            y = self.gn(self.up(x))
            y = nn.functional.avg_pool2d(y, 2) + nn.functional.max_pool2d(y, 2)
            y = nn.functional.log_softmax(y.flatten(1), 1) + y.flatten(1).sigmoid()
            keep = (y > y.mean()) & ~(y > 2.0)  # comparisons and logical ops are traced too
            z = ember.where(keep, y.exp(), y.tanh()).masked_fill(y < -3.0, 0.5).float()
            r = (z * 3).floor() + (z * 3).round() + z.trunc() + z.sign() + z.cumsum(1)
            return z.amax(1), z.sum(1, keepdim=True), y[:, 1:5].flip(1), z.clamp(-1, 1).abs(), r

    ember.manual_seed(0)
    model = randomize(Mix())
    x, x2 = ember.randn(2, 3, 4, 4), ember.randn(1, 3, 4, 4)
    export_and_compare(model, [x], [x2], ["x"], batch_axes("x"))


def test_roll_norm_and_binary_math():
    class More(nn.Module):
        def forward(self, x):
            y = x[:, 3:] + ember.roll(x, (-2, 1), (1, 1))[:, :2]
            z = ember.hypot(y, x[:, 1:3]) + ember.logaddexp(y, 2.0 * y)
            norms = [ember.linalg.vector_norm(x, p, dim=1) for p in (1, 2, 3, float("inf"))]
            return z, ember.stack(norms, 1)

    ember.manual_seed(0)
    x, x2 = ember.randn(3, 5), ember.randn(4, 5)
    export_and_compare(More(), [x], [x2], ["x"], batch_axes("x"))
    with pytest.raises(ember.onnx.ExportError, match="roll along a dynamic axis"):
        ember.onnx.export(
            lambda t: ember.roll(t, 1, 0),
            x,
            io.BytesIO(),
            input_names=["x"],
            dynamic_axes={"x": {0: "batch"}},
        )


@pytest.mark.parametrize("opset", [13, 18])
def test_other_opsets(opset):
    """Opset 13 has no LayerNormalization (decomposed); from 18 Reduce* take axes as inputs."""
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), nn.GELU(), nn.Softmax(-1)).eval()
    buf = io.BytesIO()
    x = ember.randn(3, 6)
    ember.onnx.export(model, x, buf, opset_version=opset)
    proto = onnx.load_from_string(buf.getvalue())
    assert proto.opset_import[0].version == opset
    from tests.ember.onnx._check import _session

    got = _session(buf.getvalue()).run(None, {"input_0": x.numpy()})[0]
    with ember.no_grad():
        np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-4, atol=1e-5)


def test_missing_mapping_names_op_module_and_opset():
    class Inner(nn.Module):
        def forward(self, x):
            return ember.linalg.inv(x)

    model = nn.Sequential(nn.Identity(), nn.Sequential(Inner()))
    with pytest.raises(ember.onnx.ExportError, match=r"'Inv'.*module '1\.0'.*opset 13"):
        ember.onnx.export(model, ember.randn(3, 3), io.BytesIO(), opset_version=13)


def test_path_target_kwargs_names_and_no_params(tmp_path):
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 2)

        def forward(self, x, *, shift):
            return self.lin(x) + shift

    model = Scale()
    path = tmp_path / "m.onnx"
    x, shift = ember.randn(4, 3), ember.randn(2)
    ember.onnx.export(model, (x, {"shift": shift}), path, output_names=["y"])
    proto = onnx.load(str(path))
    assert [i.name for i in proto.graph.input] == ["input_0", "shift"]
    assert [o.name for o in proto.graph.output] == ["y"]
    assert {t.name for t in proto.graph.initializer} >= {"lin.weight", "lin.bias"}
    again = ember.onnx.load(path)
    with ember.no_grad():
        np.testing.assert_allclose(
            again(x, shift).numpy(), model(x, shift=shift).numpy(), rtol=1e-5
        )
    buf = io.BytesIO()
    ember.onnx.export(model, (x,), buf, export_params=False, kwargs={"shift": shift})
    proto = onnx.load_from_string(buf.getvalue())
    assert "lin.weight" in [i.name for i in proto.graph.input] and not proto.graph.initializer
    assert model.training  # the export restores the mode


def test_loaded_model_is_trainable():
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    buf = io.BytesIO()
    ember.onnx.export(model, ember.randn(1, 4), buf)
    buf.seek(0)
    again = ember.onnx.load(buf)
    assert len(list(again.parameters())) == 4
    loss = again(ember.randn(5, 4)).pow(2).sum()
    loss.backward()
    assert all(p.grad is not None for p in again.parameters())


def test_without_onnx_installed_says_what_to_install(monkeypatch):
    import ast
    from pathlib import Path

    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"ember\[onnx\]"):
        ember.onnx.export(nn.Linear(2, 2), ember.randn(1, 2), io.BytesIO())
    with pytest.raises(ImportError, match=r"ember\[onnx\]"):
        ember.onnx.load(io.BytesIO(b""))
    # ``import ember.onnx`` itself needs neither onnx nor onnxruntime: no module-level import
    for path in Path(ember.onnx.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            names = [a.name for a in getattr(node, "names", [])]
            module = getattr(node, "module", None) or ""
            assert not any(n.split(".")[0] in ("onnx", "onnxruntime") for n in names)
            assert module.split(".")[0] not in ("onnx", "onnxruntime"), path.name


def test_constant_folding_leaves_no_constant_subgraphs():
    ember.manual_seed(0)
    model = nn.Sequential(nn.LSTM(4, 6, num_layers=2), _First(), nn.Linear(6, 3)).eval()
    x, x2 = ember.randn(5, 2, 4), ember.randn(7, 3, 4)
    axes = {"x": {0: "t", 1: "b"}}
    counts = []
    for fold in (False, True):
        buf = io.BytesIO()
        ember.onnx.export(
            model, x, buf, input_names=["x"], dynamic_axes=axes, do_constant_folding=fold
        )
        proto = onnx.load_from_string(buf.getvalue())
        inits = {t.name for t in proto.graph.initializer}
        fixed = [n for n in proto.graph.node if n.input and set(n.input) <= inits | {""}]
        counts.append(len(fixed))
        from tests.ember.onnx._check import _session

        got = _session(buf.getvalue()).run(None, {"x": x2.numpy()})[0]
        with ember.no_grad():
            np.testing.assert_allclose(got, model(x2).numpy(), rtol=1e-4, atol=1e-5)
    assert counts[0] > 0 and counts[1] == 0


class _First(nn.Module):
    def forward(self, pair):
        return pair[0]


def test_load_names_unsupported_ops():
    node = onnx.helper.make_node("Hardmax", ["x"], ["y"])
    graph = onnx.helper.make_graph(
        [node],
        "g",
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2])],
    )
    with pytest.raises(ValueError, match="Hardmax"):
        ember.onnx.OnnxModule(onnx.helper.make_model(graph))


def test_value_frozen_by_python_is_reported():
    class Frozen(nn.Module):
        def forward(self, x):
            return x * ember.tensor(float(x.shape[0]))  # read into Python: a constant

    with pytest.warns(UserWarning) as record:
        ember.onnx.export(
            Frozen(),
            ember.randn(2, 3),
            io.BytesIO(),
            input_names=["x"],
            dynamic_axes={"x": {0: "batch"}},
        )
    messages = " | ".join(str(w.message) for w in record)
    assert "made outside ember's ops depends on the inputs" in messages
    assert "differs from the model when the dynamic axes are resized" in messages


def test_value_read_into_python_without_dynamic_axes_is_reported():
    class Frozen(nn.Module):
        def forward(self, x):
            return x * (x.sum().item() * 0.5 + 0.25)

    with pytest.warns(UserWarning, match="differs from the model when the inputs change"):
        ember.onnx.export(Frozen(), ember.randn(2, 3), io.BytesIO())


def test_converters_are_keyed_by_registered_primitives():
    from ember.ops import registry

    names = set(registry.names())
    keys = set(ember.onnx.supported_ops())
    assert {k for k in keys if not k.startswith(("xp.", "nn."))} <= names
    from ember.onnx._trace import COMPOSITES  # functions traced whole have a mapping each

    assert {k for k in keys if k.startswith("nn.")} == {op for _, _, op in COMPOSITES}
    for used in (
        "Conv",
        "ConvInput",
        "Linear",
        "NormAffine",
        "Attention",
        "IndexPool",
        "LinearMap",
        "LSTMRecurrence",
        "GRURecurrence",
        "Embedding",
        "Softmax",
    ):
        assert used in keys


def test_load_runs_a_foreign_graph_like_onnxruntime():
    """A graph written with onnx.helper (ops ember's exporter does not emit) runs in ember as in
    onnxruntime."""
    from onnx import TensorProto, helper, numpy_helper

    from tests.ember.onnx._check import _session

    gen = np.random.default_rng(0)

    def init(name, *shape, positive=False):
        a = gen.uniform(0.5, 1.5, shape) if positive else gen.standard_normal(shape)
        return numpy_helper.from_array(a.astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c", "g", "b", "m", "v"], ["bn"], epsilon=1e-3),
        helper.make_node("LeakyRelu", ["bn"], ["r"], alpha=0.1),
        helper.make_node("Clip", ["r", "lo", "hi"], ["cl"]),
        helper.make_node("GlobalAveragePool", ["cl"], ["p"]),
        helper.make_node("Flatten", ["p"], ["f"], axis=1),
        helper.make_node("Dropout", ["f"], ["d"]),
        helper.make_node("Gemm", ["d", "fw", "fb"], ["y"], transB=1, alpha=0.5),
    ]
    inits = [
        init("w", 4, 3, 3, 3),
        init("g", 4),
        init("b", 4),
        init("m", 4),
        init("v", 4, positive=True),
        init("fw", 2, 4),
        init("fb", 2),
        numpy_helper.from_array(np.array(-0.5, np.float32), "lo"),
        numpy_helper.from_array(np.array(0.8, np.float32), "hi"),
    ]
    graph = helper.make_graph(
        nodes,
        "foreign",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 2])],
        initializer=inits,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    proto.ir_version = 8
    onnx.checker.check_model(proto)
    x = gen.standard_normal((2, 3, 5, 5)).astype(np.float32)
    want = _session(proto.SerializeToString()).run(None, {"x": x})[0]
    with ember.no_grad():
        got = ember.onnx.OnnxModule(proto)(ember.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_load_runs_activations_padding_and_variadic_ops_like_onnxruntime():
    """Ops other exporters emit (PyTorch's for MobileNetV3, padding, PReLU, ...) run in ember as
    in onnxruntime."""
    from onnx import TensorProto, helper, numpy_helper

    from tests.ember.onnx._check import _session

    def make(op, ins, out, **attrs):
        return helper.make_node(op, ins, [out], **attrs)

    nodes = [
        make("HardSwish", ["x"], "a"),
        make("HardSigmoid", ["x"], "b", alpha=0.3, beta=0.4),
        make("Elu", ["x"], "c", alpha=0.7),
        make("Selu", ["x"], "d"),
        make("Softplus", ["x"], "e"),
        make("PRelu", ["x", "slope"], "f"),
        make("Gelu", ["x"], "g", approximate="tanh"),
        make("Sum", ["a", "b", "c"], "s"),
        make("Mean", ["d", "e", "f", "g"], "m"),
        make("InstanceNormalization", ["s", "scale", "bias"], "n", epsilon=1e-3),
        make("Pad", ["n", "pads"], "p", mode="reflect"),
        make("Pad", ["m", "pads", "fill"], "q"),
        make("Tile", ["x", "reps"], "t"),
        make("Cast", ["x"], "xi", to=TensorProto.INT64),
        make("Mod", ["xi", "idiv"], "r"),  # integers: the divisor's sign
        make("Mod", ["x", "div"], "u", fmod=1),
        make("Add", ["p", "q"], "y"),
    ]
    gen = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(gen.uniform(0.1, 0.5, (3, 1, 1)).astype(np.float32), "slope"),
        numpy_helper.from_array(gen.uniform(0.5, 1.5, 3).astype(np.float32), "scale"),
        numpy_helper.from_array(gen.standard_normal(3).astype(np.float32), "bias"),
        numpy_helper.from_array(np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64), "pads"),
        numpy_helper.from_array(np.array(0.5, np.float32), "fill"),
        numpy_helper.from_array(np.array([1, 2, 1, 1], np.int64), "reps"),
        numpy_helper.from_array(np.array(0.75, np.float32), "div"),
        numpy_helper.from_array(np.array(-3, np.int64), "idiv"),
    ]
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64
    outs = [("y", f32, [2, 3, 7, 7]), ("t", f32, [2, 6, 4, 4]), ("r", i64, [2, 3, 4, 4])]
    outs.append(("u", f32, [2, 3, 4, 4]))
    graph = helper.make_graph(
        nodes,
        "activations",
        [helper.make_tensor_value_info("x", f32, [2, 3, 4, 4])],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outs],
        initializer=inits,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    proto.ir_version = 9
    onnx.checker.check_model(proto)
    x = gen.standard_normal((2, 3, 4, 4)).astype(np.float32) * 4
    want = _session(proto.SerializeToString()).run(None, {"x": x})
    with ember.no_grad():
        got = ember.onnx.OnnxModule(proto)(ember.from_numpy(x))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w, rtol=1e-4, atol=1e-5)


def test_index_add_and_index_copy_along_one_axis():
    class Scatter(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 4)

        def forward(self, x, idx):
            h = self.lin(x)
            rows = ember.zeros(5, 4).index_add(0, idx, h)  # repeated indices add up
            cols = ember.zeros(4, 6).index_copy(1, ember.tensor([5, 0, 2, 3]), h.t()[:, :4])
            return rows, cols, x.index_add(1, ember.tensor([2, 2]), x[:, :2] * 3)

    ember.manual_seed(0)
    model = randomize(Scatter())
    feeds = [ember.randn(4, 3), ember.tensor([0, 3, 3, 1])]
    feeds2 = [ember.randn(6, 3), ember.tensor([4, 4, 0, 2, 1, 1])]
    proto = export_and_compare(model, feeds, feeds2, ["x", "idx"], {"x": {0: "n"}, "idx": {0: "n"}})
    assert "ScatterND" in {n.op_type for n in proto.graph.node}
    with pytest.raises(ember.onnx.ExportError, match="index_add.*opset 16"):
        ember.onnx.export(model, tuple(feeds), io.BytesIO(), opset_version=15)
