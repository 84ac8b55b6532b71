"""ONNX mappings of the functions traced whole (``ember.onnx._trace.COMPOSITES``).

Their eager code computes integer bookkeeping in NumPy (the bag of each index of
``embedding_bag``; the sort order and batch sizes of ``pack_padded_sequence``), which a trace
of primitives would freeze at the traced values. Here they are rebuilt from the inputs:

* ``embedding_bag``: ``Gather`` of the rows, the bag of each index from the offsets
  (``ScatterElements`` of ones at the offsets, then ``CumSum``), and a segment sum, mean or max
  (``ScatterND`` with a reduction; opset 16, 18 for max).
* ``pack_padded_sequence``: nothing is packed. The value standing for the packed data is the
  padded batch, time-major and flattened, in the caller's batch order, and the recurrences fed
  from it become ONNX LSTM/GRU/RNN nodes with ``sequence_lens`` (see ``_recurrence``). The
  sorting permutations are identities in the graph.
* ``pad_packed_sequence``: that padded value cut to the longest length, zero (or
  ``padding_value``) past each sequence's end.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ember.onnx._converters import _onnx_type, reduce, register
from ember.onnx._graph import Graph

__all__: list[str] = []


def _i64(g: Graph, values: Any) -> str:
    return g.const(np.array(values, np.int64))


def _scalar(g: Graph, one: str) -> str:
    """A 0-d value from a 1-element int64 tensor."""
    return g.node("Squeeze", [one, _i64(g, [0])])


def _filled(g: Graph, shape: str, value: Any, dtype: Any) -> str:
    fill = g.numpy_helper.from_array(np.array([value], dtype=dtype), name="")
    return g.node("ConstantOfShape", [shape], value=fill)


@register("nn.embedding_bag")
def _embedding_bag(g: Graph) -> list[Any]:
    a = g.call.args
    mode = a["mode"]
    if a["max_norm"] is not None:
        raise g.error("embedding_bag with max_norm (renormalises the weight) has no mapping")
    need = 18 if mode == "max" else 16
    if g.opset < need:
        raise g.error(f"embedding_bag(mode={mode!r}) needs opset {need} (ScatterND reductions)")
    dt = np.asarray(a["weight"]).dtype
    flat = g.node("Reshape", [g.value("input"), _i64(g, [-1])])
    n = g.node("Shape", [flat])
    bag, n_bags = _bag_ids(g, flat, n)
    rows = g.node("Gather", [g.value("weight"), flat], axis=0)
    weights = keep = None
    if a["padding_idx"] is not None:
        pad = g.const(np.array(int(a["padding_idx"]) % a["weight"].shape[0], np.int64))
        keep = g.node("Not", [g.node("Equal", [flat, pad])])
        weights = g.node("Cast", [keep], to=_onnx_type(g, dt))
    if a["per_sample_weights"] is not None:
        psw = g.node("Reshape", [g.value("per_sample_weights"), _i64(g, [-1])])
        weights = psw if weights is None else g.node("Mul", [weights, psw])
    if weights is not None and mode != "max":
        rows = g.node("Mul", [rows, g.node("Unsqueeze", [weights, _i64(g, [1])])])
    idx = g.node("Unsqueeze", [bag, _i64(g, [1])])
    dim = _i64(g, [a["weight"].shape[1]])
    table = g.node("Concat", [n_bags, dim], axis=0)
    ones = weights if weights is not None else _filled(g, n, 1, dt)
    counts = g.node("ScatterND", [_filled(g, n_bags, 0, dt), idx, ones], reduction="add")
    if mode == "max":
        if keep is not None:  # padding rows take no part
            rows = g.node(
                "Where",
                [g.node("Unsqueeze", [keep, _i64(g, [1])]), rows, g.const(np.array(-np.inf, dt))],
            )
        top = g.node("ScatterND", [_filled(g, table, -np.inf, dt), idx, rows], reduction="max")
        full = g.node("Greater", [counts, g.const(np.array(0, dt))])
        full = g.node("Unsqueeze", [full, _i64(g, [1])])
        return [g.node("Where", [full, top, g.const(np.array(0, dt))])]
    total = g.node("ScatterND", [_filled(g, table, 0, dt), idx, rows], reduction="add")
    if mode == "sum":
        return [total]
    counts = g.node("Max", [counts, g.const(np.array(1, dt))])
    return [g.node("Div", [total, g.node("Unsqueeze", [counts, _i64(g, [1])])])]


def _bag_ids(g: Graph, flat: str, n: str) -> tuple[str, str]:
    """The bag of each flattened index (int64) and the number of bags (a 1-element tensor)."""
    a = g.call.args
    if np.ndim(a["input"]) == 2:  # equal bags: the row of each index
        shape = g.node("Shape", [g.value("input")])
        rows, per = (g.node("Gather", [shape, _i64(g, [i])]) for i in (0, 1))
        pos = g.node(
            "Range", [g.const(np.array(0, np.int64)), _scalar(g, n), g.const(np.array(1, np.int64))]
        )
        return g.node("Div", [pos, per]), rows
    off = g.node("Cast", [g.value("offsets")], to=_onnx_type(g, np.int64))
    if a["include_last_offset"]:
        off = g.node("Slice", [off, _i64(g, [0]), _i64(g, [-1]), _i64(g, [0])])
    n_bags = g.node("Shape", [off])
    # one mark at each bag's start (repeats add up: empty bags are skipped), then a running sum
    room = g.node("Add", [n, _i64(g, [1])])
    marks = g.node(
        "ScatterElements",
        [_filled(g, room, 0, np.int64), off, _filled(g, n_bags, 1, np.int64)],
        axis=0,
        reduction="add",
    )
    upto = g.node("CumSum", [marks, g.const(np.array(0, np.int64))])
    upto = g.node("Slice", [upto, _i64(g, [0]), n, _i64(g, [0])])
    return g.node("Sub", [upto, _i64(g, 1)]), n_bags


@register("nn.pack_padded_sequence")
def _pack_padded_sequence(g: Graph) -> list[Any]:
    a = g.call.args
    x_arr, x = a["input"], g.value("input")
    if a["batch_first"]:
        x = g.node("Transpose", [x], perm=[1, 0, *range(2, np.ndim(x_arr))])
    data = g.node("Reshape", [x, _i64(g, [-1, *x_arr.shape[2:]])])
    lengths = a["lengths"]
    if hasattr(lengths, "dtype"):
        lens = g.value("lengths")
    else:  # a Python list: a constant (reported if it followed the inputs)
        second = g.call2.args["lengths"] if g.call2 is not None else None
        lens = g.array(
            np.asarray(lengths, np.int64), None if second is None else np.asarray(second, np.int64)
        )
    g.packed[data] = g.node("Cast", [lens], to=_onnx_type(g, np.int32))
    _, batch_sizes, *perms = g.call.outputs
    g.block(
        batch_sizes,
        "the batch sizes of a packed sequence are not exported (the graph "
        "keeps the padded batch and passes the lengths to the recurrence)",
    )
    for p in perms:
        if p is not None:
            g.identity_permutation(p)
    return [data, None, None, None]


@register("nn.pad_packed_sequence")
def _pad_packed_sequence(g: Graph) -> list[Any]:
    a = g.call.args
    data_arr = a["sequence"].data._data
    data = g.array(data_arr)
    lens = g.packed_lengths(data)
    if lens is None:
        raise g.error("pad_packed_sequence of a sequence not made by pack_padded_sequence")
    lens = g.node("Cast", [lens], to=_onnx_type(g, np.int64))
    rest = list(data_arr.shape[1:])
    shape = g.node("Concat", [_i64(g, [-1]), g.node("Shape", [lens]), _i64(g, rest)], axis=0)
    grid = g.node("Reshape", [data, shape])  # (T, B, *) time-major, in the caller's order
    if a["total_length"] is not None:  # may be longer than the padded input: extend first
        steps = _i64(g, [int(a["total_length"])])
        more = g.node("Concat", [steps, g.node("Shape", [lens]), _i64(g, rest)], axis=0)
        grid = g.node("Concat", [grid, _filled(g, more, 0, data_arr.dtype)], axis=0)
    else:
        steps = reduce(g, "ReduceMax", lens, [0], True)
    grid = g.node("Slice", [grid, _i64(g, [0]), steps, _i64(g, [0])])
    t = g.node(
        "Range", [g.const(np.array(0, np.int64)), _scalar(g, steps), g.const(np.array(1, np.int64))]
    )
    live = g.node("Less", [g.node("Unsqueeze", [t, _i64(g, [1])]), lens])
    live = g.node(
        "Reshape",
        [live, g.node("Concat", [g.node("Shape", [live]), _i64(g, [1] * len(rest))], axis=0)],
    )
    pad = g.const(np.array(a["padding_value"], data_arr.dtype))
    out = g.node("Where", [live, grid, pad])
    if a["batch_first"]:
        out = g.node("Transpose", [out], perm=[1, 0, *range(2, len(rest) + 2)])
    return [out, lens]
