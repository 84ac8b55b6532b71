"""``ember.onnx.export``: trace one forward pass through the primitives into an ONNX graph."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import IO, Any

import numpy as np

import ember
from ember._tensor import Tensor
from ember.onnx import _composites, _converters  # noqa: F401 (_composites registers converters)
from ember.onnx._graph import ExportError, Graph, Symbol
from ember.onnx._load import _OPS as _load_ops
from ember.onnx._load import OnnxModule
from ember.onnx._load import _attrs as _node_attrs
from ember.onnx._optional import require_onnx
from ember.onnx._trace import Call, capture

__all__ = ["export", "DEFAULT_OPSET", "MIN_OPSET"]

DEFAULT_OPSET = 17
MIN_OPSET = 13
_IR_VERSION = 8  # opset 17 needs IR 8; older runtimes read it


def export(
    model: Any,
    args: Any,
    f: str | os.PathLike[str] | IO[bytes],
    export_params: bool = True,
    verbose: bool = False,
    input_names: list[str] | None = None,
    output_names: list[str] | None = None,
    opset_version: int | None = None,
    dynamic_axes: dict[str, Any] | None = None,
    do_constant_folding: bool = True,
    kwargs: dict[str, Any] | None = None,
) -> None:
    """Export ``model`` to an ONNX file by tracing one forward pass in eval mode.

    Signature and meaning as ``torch.onnx.export`` (its TorchScript-based exporter). Every
    primitive op the forward pass runs (``ember.ops.registry``) is mapped to ONNX nodes (see
    ``ember.onnx.supported_ops``);
    an op without a mapping raises ``ExportError`` naming the op, the module it ran in and the
    opset. Python control flow is unrolled as traced: the graph is what this input did.

    Args:
        model: an ``nn.Module`` (or a callable taking tensors).
        args: the example input: a Tensor, or a tuple of them; a trailing dict in the tuple
            holds keyword arguments.
        f: a path, or a binary file object to write the model to.
        export_params: store parameters and buffers in the file as initializers; if False they
            become extra graph inputs (named by their ``state_dict`` keys).
        verbose: print the graph.
        input_names: names of the graph inputs, in order (default ``input_0``, ...; keyword
            arguments keep their keyword).
        output_names: names of the graph outputs (default ``output_0``, ...).
        opset_version: the ONNX opset (default 17; 13 or later).
        dynamic_axes: ``{name: {axis: "symbol"}}`` or ``{name: [axis, ...]}`` for inputs and
            outputs whose sizes vary (batch, sequence). They export as symbolic dimensions; the
            model is traced a second time with these axes resized to find the sizes that follow
            them (without dynamic axes, with perturbed inputs), and the finished graph is run
            on those inputs and compared with the model: a frozen value is reported.
        do_constant_folding: replace the nodes whose inputs are all constants (parameters
            included, when exported) by their values, as initializers: reordered recurrent
            weights, transposed matrices, shape arithmetic on fixed sizes. Nodes that make a
            large tensor from a small one (ConstantOfShape, Expand, Range, Tile) are kept.
        kwargs: keyword arguments of ``model`` (as a trailing dict in ``args``).

    Example:
        >>> model = ember.nn.Linear(3, 2)
        >>> ember.onnx.export(model, ember.randn(1, 3), "linear.onnx",
        ...                   input_names=["x"], dynamic_axes={"x": {0: "batch"}})
    """
    onnx = require_onnx()
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if not MIN_OPSET <= opset <= onnx.defs.onnx_opset_version():
        raise ValueError(
            f"opset_version must be between {MIN_OPSET} and "
            f"{onnx.defs.onnx_opset_version()}, got {opset}"
        )
    pos, kw = _split_args(args, kwargs)
    feeds = _input_list(pos, kw, input_names)
    _check_cpu(model, feeds)
    dyn = _normalize_dynamic_axes(dynamic_axes or {})
    with _export_mode(model):
        calls2, out2, feeds2 = _second_trace(model, pos, kw, feeds, dyn)
        swap = {id(t): _traced(t) for _, t in feeds}
        feeds = [(n, swap[id(t)]) for n, t in feeds]
        g = Graph(onnx.helper, onnx.numpy_helper, opset)
        calls: list[Call] = []
        with ember.enable_grad(), capture(model, calls.append):
            out = model(*_replace(pos, swap), **_replace(kw, swap))
        graph_inputs = _bind_inputs(g, model, feeds, dyn, export_params)
        _convert(g, calls, calls2)
    proto = _finish(onnx, g, graph_inputs, (out, out2), output_names, dyn, do_constant_folding)
    if calls2 is not None:
        named = {n: t for (n, _), t in zip(feeds, feeds2)}
        if not export_params:
            named.update((k, v) for k, v in _named_tensors(model) if k not in named)
        _verify(proto, named, out2, bool(dyn))
    if verbose:
        print(onnx.helper.printable_graph(proto.graph))
    data = proto.SerializeToString()
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            fh.write(data)
    else:
        f.write(data)


# -- arguments ---------------------------------------------------------------------------------
def _split_args(args: Any, kwargs: dict[str, Any] | None) -> tuple[list[Any], dict[str, Any]]:
    pos = list(args) if isinstance(args, tuple) else [args]
    kw = dict(kwargs or {})
    if pos and isinstance(pos[-1], dict):
        kw.update(pos.pop())
    return pos, kw


def _input_list(
    pos: list[Any], kw: dict[str, Any], names: list[str] | None
) -> list[tuple[str, Tensor]]:
    flat: list[tuple[str | None, Tensor]] = []
    for a in pos:
        flat.extend((None, t) for t in _tensors(a))
    for k, v in kw.items():
        ts = _tensors(v)
        flat.extend((k if len(ts) == 1 else f"{k}_{i}", t) for i, t in enumerate(ts))
    names = list(names or [])
    out = []
    for i, (key, t) in enumerate(flat):
        out.append((names[i] if i < len(names) else key or f"input_{i}", t))
    return out


def _check_cpu(model: Any, feeds: list[tuple[str, Tensor]]) -> None:
    tensors = [t for _, t in feeds] + [t for _, t in _named_tensors(model)]
    if any(t.device.type != "cpu" for t in tensors):
        raise ValueError(
            "ember.onnx.export traces on the CPU: move the model and the example "
            "inputs there first (model.cpu(), x.cpu()); the file runs anywhere"
        )


def _tensors(obj: Any) -> list[Tensor]:
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    return []


def _normalize_dynamic_axes(dyn: dict[str, Any]) -> dict[str, dict[int, str]]:
    out = {}
    for name, axes in dyn.items():
        if isinstance(axes, dict):
            out[name] = {int(a): str(s) for a, s in axes.items()}
        else:
            out[name] = {int(a): f"{name}_dynamic_axes_{i + 1}" for i, a in enumerate(axes)}
    return out


@contextlib.contextmanager
def _export_mode(model: Any) -> Iterator[None]:
    """Eval mode, and every parameter requiring grad, so each op takes its recorded path."""
    training = getattr(model, "training", False)
    params = list(model.parameters()) if hasattr(model, "parameters") else []
    flags = [p.requires_grad for p in params]
    try:
        if hasattr(model, "eval"):
            model.eval()
        for p in params:
            if p.dtype.is_floating_point:
                p.requires_grad_(True)
        yield
    finally:
        for p, flag in zip(params, flags):
            p.requires_grad_(flag)
        if training:
            model.train()


def _traced(t: Tensor) -> Tensor:
    return t.detach().requires_grad_(True) if t.dtype.is_floating_point else t


# -- the second trace: which sizes follow the dynamic axes ----------------------------------------
def _growth(dyn: dict[str, dict[int, str]]) -> dict[str, int]:
    symbols = sorted({s for axes in dyn.values() for s in axes.values()})
    return {s: i + 1 for i, s in enumerate(symbols)}


def _resized(t: Tensor, axes: dict[int, str], grow: dict[str, int]) -> Tensor:
    """``t`` longer along its dynamic axes, repeating its own entries (cyclically; a sorted
    integer vector, such as bag offsets or lengths sorted for packing, repeats its last entry so
    that it stays sorted)."""
    a = t.detach().numpy()
    steps = np.diff(a) if a.ndim == 1 and a.dtype.kind in "iu" else None
    ascending = steps is not None and (bool(np.all(steps >= 0)) or bool(np.all(steps <= 0)))
    for axis, sym in axes.items():
        n = a.shape[axis]
        idx = np.arange(n + grow[sym])
        idx = np.minimum(idx, max(n - 1, 0)) if ascending else idx % max(n, 1)
        a = np.take(a, idx, axis=axis)
    return ember.from_numpy(np.ascontiguousarray(a))


def _perturbed(t: Tensor) -> Tensor:
    a = t.detach().numpy()
    if a.dtype.kind != "f":
        return t
    noise = np.random.default_rng(0).standard_normal(a.shape).astype(a.dtype)
    return ember.from_numpy(a + noise * (0.1 * float(np.std(a)) + 1e-3))


def _second_trace(
    model: Any,
    pos: list[Any],
    kw: dict[str, Any],
    feeds: list[tuple[str, Tensor]],
    dyn: dict[str, dict[int, str]],
) -> Any:
    """Trace again with the dynamic axes enlarged, or, without dynamic axes, with the float inputs
    perturbed: what changes between the traces follows the inputs and must not be frozen."""
    grow = _growth(dyn)
    if any(name in dyn for name, _ in feeds):
        swap = {id(t): _traced(_resized(t, dyn[n], grow) if n in dyn else t) for n, t in feeds}
    else:
        swap = {id(t): _traced(_perturbed(t)) for _, t in feeds}
    pos2 = [_replace(a, swap) for a in pos]
    kw2 = {k: _replace(v, swap) for k, v in kw.items()}
    calls: list[Call] = []
    try:
        with ember.enable_grad(), capture(model, calls.append):
            out2 = model(*pos2, **kw2)
    except Exception as err:  # the model may not accept other sizes: export stays static
        warnings.warn(
            f"ember.onnx.export: the model failed on the second trace (dynamic axes resized or "
            f"inputs perturbed: {err}); sizes inside the graph are exported as traced",
            stacklevel=3,
        )
        return None, None, None
    return calls, out2, [swap[id(t)] for _, t in feeds]


def _replace(obj: Any, swap: dict[int, Tensor]) -> Any:
    if isinstance(obj, Tensor):
        return swap.get(id(obj), obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(_replace(o, swap) for o in obj)
    if isinstance(obj, dict):
        return {k: _replace(v, swap) for k, v in obj.items()}
    return obj


# -- building the graph ----------------------------------------------------------------------------
def _bind_inputs(
    g: Graph,
    model: Any,
    feeds: list[tuple[str, Tensor]],
    dyn: dict[str, dict[int, str]],
    export_params: bool,
) -> list[Any]:
    helper = g.helper
    grow = _growth(dyn)
    infos = []
    for name, t in feeds:
        g.fresh(name)
        g.bind(t._data, name)
        axes = dyn.get(name, {})
        shape = [axes.get(i, d) for i, d in enumerate(t.shape)]
        for axis, sym in axes.items():
            g.symbols.append(Symbol(sym, name, axis, t.shape[axis], t.shape[axis] + grow[sym]))
        infos.append(helper.make_tensor_value_info(name, _elem(helper, t._data), shape))
    for key, t in _named_tensors(model):
        if t is None or g.known(t._data) is not None:
            continue
        if export_params:
            g.initializer(t._data, key)
        else:
            g.fresh(key)
            g.bind(t._data, key)
            infos.append(helper.make_tensor_value_info(key, _elem(helper, t._data), list(t.shape)))
    return infos


def _named_tensors(model: Any) -> list[tuple[str, Tensor]]:
    if not hasattr(model, "named_parameters"):
        return []
    return list(model.named_parameters()) + list(model.named_buffers())


def _elem(helper: Any, arr: Any) -> int:
    return int(helper.np_dtype_to_tensor_dtype(np.asarray(arr).dtype))


def _convert(g: Graph, calls: list[Call], calls2: list[Call] | None) -> None:
    if calls2 is not None and [c.op for c in calls2] != [c.op for c in calls]:
        warnings.warn(
            "ember.onnx.export: the model ran different ops with the dynamic axes "
            "resized; sizes inside the graph are exported as traced",
            stacklevel=3,
        )
        calls2 = None
    for i, call in enumerate(calls):
        g.call, g.call2 = call, None if calls2 is None else calls2[i]
        if call.op == "_Inplace":
            g.bind(call.args["target"], g.array(call.args["result"]))
            continue
        fn = _converters.CONVERTERS.get(call.op)
        if fn is None:
            raise g.error(f"the primitive {call.op!r} has no ONNX mapping")
        outs = fn(g)
        outs2 = g.call2.outputs if g.call2 is not None else [None] * len(outs)
        for arr, arr2, name in zip(call.outputs, outs2, outs):
            if name is not None:
                g.bind(arr, name)
                g.remember(arr, arr2, name)
    g.call = g.call2 = None


def _finish(
    onnx: Any,
    g: Graph,
    inputs: list[Any],
    out: Any,
    output_names: list[str] | None,
    dyn: dict[str, dict[int, str]],
    fold: bool,
) -> Any:
    helper = onnx.helper
    outs, outs2 = _tensors(out[0]), _tensors(out[1])
    names = list(output_names or [])
    infos, used = [], set()
    for i, t in enumerate(outs):
        name = names[i] if i < len(names) else f"output_{i}"
        value = g.array(t._data)
        g.nodes.append(helper.make_node("Identity", [value], [name], name=f"{name}.Identity"))
        used.add(name)
        axes = dict(dyn.get(name, {}))
        if i < len(outs2) and outs2[i].ndim == t.ndim:  # sizes that follow the input's axes
            for j, (a, b) in enumerate(zip(t.shape, outs2[i].shape)):
                if a != b:
                    axes.setdefault(j, f"{name}_dim_{j}")
        shape = [axes.get(j, d) for j, d in enumerate(t.shape)]
        infos.append(helper.make_tensor_value_info(name, _elem(helper, t._data), shape))
    nodes = _live(g.nodes, [i.name for i in infos])
    inits = g.initializers
    if fold:
        nodes, inits = _fold_constants(onnx, nodes, inits, {i.name for i in infos})
    used = {i for n in nodes for i in n.input}
    inits = [t for t in inits if t.name in used]
    graph = helper.make_graph(nodes, "ember", inputs, infos, initializer=inits)
    model = helper.make_model(
        graph, producer_name="ember", opset_imports=[helper.make_opsetid("", g.opset)]
    )
    model.ir_version = _IR_VERSION
    _loosen_outputs(onnx, model)
    onnx.checker.check_model(model)
    return model


_GROWING = {"ConstantOfShape", "Expand", "Range", "Tile"}  # small in, large out: not folded


def _fold_constants(
    onnx: Any, nodes: list[Any], inits: list[Any], outputs: set[str]
) -> tuple[list[Any], list[Any]]:
    """Nodes whose inputs are all initializers, run once (with the ops of ``ember.onnx.load``)
    and replaced by initializers holding their outputs."""
    to_array, from_array = onnx.numpy_helper.to_array, onnx.numpy_helper.from_array
    values = {t.name: t for t in inits}
    kept = []
    for node in nodes:
        ins = [i for i in node.input if i]
        if (
            node.op_type in _GROWING
            or node.op_type not in _load_ops
            or not ins
            or any(i not in values for i in ins)
            or outputs.intersection(node.output)
        ):
            kept.append(node)
            continue
        args = [
            ember.from_numpy(to_array(values[i]).copy(order="C")) if i else None for i in node.input
        ]
        with ember.no_grad():
            res = _load_ops[node.op_type](*args, **_node_attrs(node))
        for name, r in zip(node.output, res if isinstance(res, (tuple, list)) else (res,)):
            values[name] = from_array(np.asarray(r.numpy()).copy(order="C"), name)
    return kept, list(values.values())


def _loosen_outputs(onnx: Any, model: Any) -> None:
    """Make symbolic the output sizes that ONNX shape inference does not find constant (sizes
    that depend on values, such as the longest length after ``pad_packed_sequence``, look
    constant to the two traces), and name those it finds equal to an input's symbol after it."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for out in probe.graph.output:
        out.type.tensor_type.ClearField("shape")
    try:
        inferred = onnx.shape_inference.infer_shapes(probe).graph.output
    except Exception:  # inference is a refinement: without it the traced sizes stand
        return
    for out, got in zip(model.graph.output, inferred):
        if not got.type.tensor_type.HasField("shape"):
            continue
        dims, seen = out.type.tensor_type.shape.dim, got.type.tensor_type.shape.dim
        for j, (d, e) in enumerate(zip(dims, seen)):
            mine = f"{out.name}_dim_{j}"
            if d.HasField("dim_value") and not e.HasField("dim_value"):
                d.dim_param = mine
            named = e.HasField("dim_param") and not e.dim_param.startswith("unk__")
            if named and d.dim_param == mine:  # an input's symbol, such as "batch"
                d.dim_param = e.dim_param


def _verify(proto: Any, feeds: dict[str, Tensor], expected: Any, resized: bool) -> None:
    """Run the graph with ember on the second trace's inputs and compare with the model's output
    there: a size or value the trace froze that should have followed the inputs shows up here."""
    where = "the dynamic axes are resized" if resized else "the inputs change"
    try:
        with ember.no_grad():
            got = _tensors(OnnxModule(proto)(**{n: t.detach() for n, t in feeds.items()}))
    except Exception as err:  # the check is advisory; the model itself was exported
        warnings.warn(
            f"ember.onnx.export: could not re-run the graph to check it ({err})",
            stacklevel=3,
        )
        return
    for i, (a, b) in enumerate(zip(got, _tensors(expected))):
        a_np, b_np = a.numpy(), b.detach().numpy()
        ok = a_np.shape == b_np.shape and np.allclose(
            a_np, b_np, rtol=1e-3, atol=1e-4, equal_nan=True
        )
        if not ok:
            warnings.warn(
                f"ember.onnx.export: output {i} of the exported graph differs from the "
                f"model when {where}; some size or value was frozen at its traced value "
                "(read into Python, or computed outside ember's ops?)",
                stacklevel=3,
            )


def _live(nodes: list[Any], outputs: list[str]) -> list[Any]:
    """The nodes the outputs depend on, in order (values only used outside the ops, such as a
    mask checked with ``.any()`` in Python, leave dead nodes behind)."""
    need = set(outputs)
    keep = []
    for node in reversed(nodes):
        if need.intersection(node.output):
            keep.append(node)
            need.update(node.input)
    return keep[::-1]


__all__ += ["ExportError"]
