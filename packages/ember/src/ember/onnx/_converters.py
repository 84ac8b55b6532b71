"""The ONNX mapping of each primitive, keyed by its name in ``ember.ops.registry``.

A converter gets the graph (``g``; ``g.call`` is the traced call, its arguments by the names of
the primitive's ``forward`` parameters) and returns the graph value of each output (None for an
output the graph does not produce). ``CONVERTERS`` is the table :func:`ember.onnx.export` walks;
:func:`register` adds or replaces an entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ember.onnx._graph import ExportError, Graph

__all__ = ["CONVERTERS", "register", "supported_ops"]

Converter = Callable[[Graph], list[Any]]
CONVERTERS: dict[str, Converter] = {}


def register(*names: str) -> Callable[[Converter], Converter]:
    """Decorator: use the function as the ONNX mapping of the primitives ``names``.

    Example:
        >>> @register("MySoftplus")  # a Primitive subclass's registry name (its op_name)
        ... def _my_softplus(g):
        ...     return [g.node("Softplus", [g.value("x")])]
    """

    def deco(fn: Converter) -> Converter:
        for n in names:
            CONVERTERS[n] = fn
        return fn

    return deco


def supported_ops() -> list[str]:
    """The names of the primitives that have an ONNX mapping (plus ``xp.<name>``: comparisons
    and logical ops, and ``nn.<name>``: functions traced whole, such as ``embedding_bag``)."""
    return sorted(n for n in CONVERTERS if not n.startswith("_Inplace"))


def _arg(g: Graph, key: str) -> Any:
    return g.call.args[key]


def _operand(g: Graph, key: str, like_key: str) -> str:
    """An array operand, or a Python number as a 0-d constant of the other operand's dtype (a
    number that follows the dynamic axes, such as the count a mean divides by, is computed)."""
    v = _arg(g, key)
    if hasattr(v, "shape") and hasattr(v, "dtype"):
        return g.value(key)
    v2 = g.call2.args.get(key) if g.call2 is not None else None
    if isinstance(v2, (int, float)) and v2 != v and g.symbols and float(v).is_integer():
        try:
            dim = g.dim(int(v), int(v2))
        except ExportError:  # not a size: frozen here, reported by the export's final check
            dim = None
        if dim is not None:
            scalar = g.node("Reshape", [dim, g.const(np.zeros(0, np.int64))])
            dtype = np.asarray(_arg(g, like_key)).dtype
            return g.node("Cast", [scalar], to=_onnx_type(g, dtype))
    return g.cast_like(v, _arg(g, like_key))


# -- elementwise -------------------------------------------------------------------------------
_BINARY = {"Add": "Add", "Sub": "Sub", "Mul": "Mul", "Div": "Div", "Pow": "Pow"}


def _binary(g: Graph) -> list[Any]:
    a, b = _operand(g, "a", "b"), _operand(g, "b", "a")
    op = _BINARY[g.call.op]
    if op == "Div" and np.asarray(g.call.outputs[0]).dtype.kind in "iu":
        raise g.error("integer division has no exact ONNX mapping here")
    return [g.node(op, [a, b])]


register(*_BINARY)(_binary)

_UNARY = {
    "Neg": "Neg",
    "Exp": "Exp",
    "Log": "Log",
    "Sqrt": "Sqrt",
    "Sin": "Sin",
    "Cos": "Cos",
    "Tan": "Tan",
    "Asin": "Asin",
    "Acos": "Acos",
    "Atan": "Atan",
    "Sinh": "Sinh",
    "Cosh": "Cosh",
    "Tanh": "Tanh",
    "Asinh": "Asinh",
    "Acosh": "Acosh",
    "Atanh": "Atanh",
    "Sigmoid": "Sigmoid",
    "Relu": "Relu",
    "Erf": "Erf",
    "Abs": "Abs",
    "Reciprocal": "Reciprocal",
    "Contiguous": "Identity",
    "Clone": "Identity",
    "ToDevice": "Identity",
    "StdSqrt": "Sqrt",
}


def _first_array(g: Graph) -> str:
    return g.value(next(iter(g.call.args)))


@register(*_UNARY)
def _unary(g: Graph) -> list[Any]:
    return [g.node(_UNARY[g.call.op], [_first_array(g)])]


@register("Rsqrt")
def _rsqrt(g: Graph) -> list[Any]:
    return [g.node("Reciprocal", [g.node("Sqrt", [g.value("x")])])]


@register("Expm1", "Log1p", "Log2", "Log10", "Erfc")
def _log_family(g: Graph) -> list[Any]:
    x, op = g.value("x"), g.call.op
    one = g.cast_like(1, _arg(g, "x"))
    if op == "Expm1":
        return [g.node("Sub", [g.node("Exp", [x]), one])]
    if op == "Log1p":
        return [g.node("Log", [g.node("Add", [x, one])])]
    if op == "Erfc":
        return [g.node("Sub", [one, g.node("Erf", [x])])]
    base = g.cast_like(math.log(2.0 if op == "Log2" else 10.0), _arg(g, "x"))
    return [g.node("Div", [g.node("Log", [x]), base])]


@register("Clamp")
def _clamp(g: Graph) -> list[Any]:
    out = g.value("x")
    for key, op in (("lo", "Max"), ("hi", "Min")):
        bound = _arg(g, key)
        if bound is not None:
            out = g.node(op, [out, _operand(g, key, "x")])
    return [out]


@register("MinMax")
def _minmax(g: Graph) -> list[Any]:
    kind = _arg(g, "kind")
    if kind not in ("maximum", "minimum"):
        raise g.error(f"MinMax kind {kind!r} has no ONNX mapping (maximum and minimum do)")
    op = "Max" if kind == "maximum" else "Min"
    return [g.node(op, [_operand(g, "a", "b"), _operand(g, "b", "a")])]


@register("Where")
def _where(g: Graph) -> list[Any]:
    return [g.node("Where", [g.value("cond"), _operand(g, "a", "b"), _operand(g, "b", "a")])]


# -- reductions and softmax --------------------------------------------------------------------
def _axes(g: Graph, dims: Any, ndim: int) -> list[int]:
    if dims is None:
        return list(range(ndim))
    dims = [dims] if isinstance(dims, int) else list(dims)
    return [int(d) % ndim if ndim else 0 for d in dims]


def reduce(g: Graph, op: str, x: str, axes: list[int], keepdims: bool) -> str:
    """A Reduce* node with ``axes`` as an attribute or an input, as the opset wants."""
    as_input = op == "ReduceSum" or g.opset >= 18
    if as_input:
        return g.node(op, [x, g.const(np.array(axes, np.int64))], keepdims=int(keepdims))
    return g.node(op, [x], axes=axes, keepdims=int(keepdims))


@register("Sum", "Prod", "LogSumExp", "Norm2")
def _reduce(g: Graph) -> list[Any]:
    x_arr, x = _arg(g, "x"), g.value("x")
    dt = g.call.args.get("dtype")
    if dt is not None and np.dtype(dt) != np.asarray(x_arr).dtype:
        x = g.node("Cast", [x], to=_onnx_type(g, dt))
    op = {
        "Sum": "ReduceSum",
        "Prod": "ReduceProd",
        "LogSumExp": "ReduceLogSumExp",
        "Norm2": "ReduceL2",
    }[g.call.op]
    axes = _axes(g, _arg(g, "dims"), np.ndim(x_arr))
    return [reduce(g, op, x, axes, bool(_arg(g, "keepdim")))]


@register("AMax")
def _amax(g: Graph) -> list[Any]:
    x_arr = _arg(g, "x")
    op = "ReduceMax" if _arg(g, "largest") else "ReduceMin"
    axes = _axes(g, _arg(g, "dims"), np.ndim(x_arr))
    return [reduce(g, op, g.value("x"), axes, bool(_arg(g, "keepdim")))]


@register("MaxDim")
def _maxdim(g: Graph) -> list[Any]:
    x, keep = g.value("x"), int(bool(_arg(g, "keepdim")))
    axis = _axes(g, _arg(g, "dim"), np.ndim(_arg(g, "x")))[0]
    largest = _arg(g, "largest")
    values = reduce(g, "ReduceMax" if largest else "ReduceMin", x, [axis], bool(keep))
    idx = g.node(
        "ArgMax" if largest else "ArgMin", [x], axis=axis, keepdims=keep, select_last_index=0
    )
    return [values, idx]


@register("Softmax", "LogSoftmax")
def _softmax(g: Graph) -> list[Any]:
    return [g.node(g.call.op, [g.value("x")], axis=int(_arg(g, "dim")))]


# -- shapes ------------------------------------------------------------------------------------
@register("Reshape")
def _reshape(g: Graph) -> list[Any]:
    shape, shape2 = g.dims_changed("shape")
    return [g.node("Reshape", [g.value("x"), g.shape_of(shape, shape2, infer=True)])]


@register("Expand")
def _expand(g: Graph) -> list[Any]:
    shape, shape2 = g.dims_changed("shape")
    return [g.node("Expand", [g.value("x"), g.shape_of(shape, shape2, infer=False)])]


@register("Permute", "T")
def _permute(g: Graph) -> list[Any]:
    return [g.node("Transpose", [g.value("x")], perm=[int(d) for d in _arg(g, "dims")])]


@register("Cat")
def _cat(g: Graph) -> list[Any]:
    xs = _arg(g, "xs")
    xs2 = g.call2.args["xs"] if g.call2 is not None else [None] * len(xs)
    names = [g.array(a, b) for a, b in zip(xs, xs2)]
    return [g.node("Concat", names, axis=int(_arg(g, "dim")))]


@register("Split", "Unbind")
def _split(g: Graph) -> list[Any]:
    x_arr, dim = _arg(g, "x"), int(_arg(g, "dim"))
    sizes = [o.shape[dim] for o in g.call.outputs] if g.call.op == "Split" else None
    if sizes is None:
        sizes = [1] * x_arr.shape[dim]
    if g.call2 is not None and len(g.call2.outputs) != len(sizes):
        raise g.error("the number of pieces changes with the dynamic axes")
    split = g.const(np.array(sizes, np.int64))
    outs = g.node("Split", [g.value("x"), split], n_out=len(sizes), axis=dim)
    outs = outs if isinstance(outs, list) else [outs]
    if g.call.op == "Unbind":
        axes = g.const(np.array([dim], np.int64))
        outs = [g.node("Squeeze", [o, axes]) for o in outs]
    return outs


@register("Flip")
def _flip(g: Graph) -> list[Any]:
    dims = _axes(g, _arg(g, "dims"), np.ndim(_arg(g, "x")))
    big = np.iinfo(np.int64).max
    return [
        g.node(
            "Slice",
            [
                g.value("x"),
                g.const(np.full(len(dims), -1, np.int64)),
                g.const(np.full(len(dims), -big, np.int64)),
                g.const(np.array(dims, np.int64)),
                g.const(np.full(len(dims), -1, np.int64)),
            ],
        )
    ]


@register("Cast")
def _cast(g: Graph) -> list[Any]:
    return [g.node("Cast", [g.value("x")], to=_onnx_type(g, _arg(g, "np_dtype")))]


def _onnx_type(g: Graph, dt: Any) -> int:
    return int(g.helper.np_dtype_to_tensor_dtype(np.dtype(dt)))


@register("Index")
def _index(g: Graph) -> list[Any]:
    x_arr, key = _arg(g, "x"), _arg(g, "key")
    key = key if isinstance(key, tuple) else (key,)
    arrays = [i for i, k in enumerate(key) if hasattr(k, "shape")]
    if arrays:
        return [_gather_index(g, x_arr, key, arrays)]
    return [_basic_index(g, x_arr, key)]


def _expand_ellipsis(key: tuple[Any, ...], ndim: int) -> list[Any]:
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    out: list[Any] = []
    for k in key:
        if k is Ellipsis:
            out.extend([slice(None)] * (ndim - used))
        else:
            out.append(k)
    return _pad_key(out, ndim)


def _pad_key(key: list[Any], ndim: int) -> list[Any]:
    used = sum(1 for k in key if k is not None)
    return key + [slice(None)] * (ndim - used)


def _basic_index(g: Graph, x_arr: Any, key: tuple[Any, ...]) -> str:
    x = g.value("x")
    items = _expand_ellipsis(key, np.ndim(x_arr))
    items2 = _second_key(g, np.ndim(x_arr), len(items))
    starts, ends, axes, steps, squeeze, unsqueeze = [], [], [], [], [], []
    axis, out_axis = 0, 0
    for k, k2 in zip(items, items2):
        if k is None:
            unsqueeze.append(out_axis)
            out_axis += 1
            continue
        n = x_arr.shape[axis]
        if isinstance(k, (int, np.integer)):
            i = int(k) % n if n else 0
            starts.append(i), ends.append(i + 1), axes.append(axis), steps.append(1)
            squeeze.append(axis)
        elif k != slice(None):
            s, e, st = k.indices(n)
            if st < 0 and e < 0:
                e = -np.iinfo(np.int64).max
            if isinstance(k2, slice) and k2 != k and st == 1:
                e = g.dim(e, k2.indices(g.call2.args["x"].shape[axis])[1]) or e
            starts.append(s), ends.append(e), axes.append(axis), steps.append(st)
            out_axis += 1
        else:
            out_axis += 1
        axis += 1
    if axes:
        x = g.node(
            "Slice",
            [
                x,
                g.const(np.array(starts, np.int64)),
                _ends(g, ends),
                g.const(np.array(axes, np.int64)),
                g.const(np.array(steps, np.int64)),
            ],
        )
    if squeeze:
        x = g.node("Squeeze", [x, g.const(np.array(squeeze, np.int64))])
    if unsqueeze:
        x = g.node("Unsqueeze", [x, g.const(np.array(unsqueeze, np.int64))])
    return x


def _second_key(g: Graph, ndim: int, n: int) -> list[Any]:
    if g.call2 is None:
        return [None] * n
    key = g.call2.args["key"]
    items = _expand_ellipsis(key if isinstance(key, tuple) else (key,), ndim)
    return items if len(items) == n else [None] * n


def _ends(g: Graph, ends: list[Any]) -> str:
    if all(isinstance(e, int) for e in ends):
        return g.const(np.array(ends, np.int64))
    parts = [e if isinstance(e, str) else g.const(np.array([e], np.int64)) for e in ends]
    return g.node("Concat", parts, axis=0)


@register("Triangle")
def _triangle(g: Graph) -> list[Any]:
    k = g.const(np.array(int(_arg(g, "k")), np.int64))
    return [g.node("Trilu", [g.value("x"), k], upper=int(bool(_arg(g, "upper"))))]


def _one_index_array(g: Graph, x_arr: Any, key: tuple[Any, ...], arrays: list[int]) -> Any:
    """The index array of a key that is full slices but for one array on one axis."""
    items = _pad_key(list(key), np.ndim(x_arr))
    if (
        len(arrays) != 1
        or any(k is None or k is Ellipsis for k in items)
        or any(k != slice(None) for i, k in enumerate(items) if i != arrays[0])
    ):
        raise g.error("advanced indexing beyond one index array on one axis has no mapping")
    return items[arrays[0]]


def _gather_index(g: Graph, x_arr: Any, key: tuple[Any, ...], arrays: list[int]) -> str:
    idx = _one_index_array(g, x_arr, key, arrays)
    if g.is_identity_permutation(idx):  # a packed sequence's sorting: the graph keeps the order
        return g.value("x")
    name = g.array(idx)
    if np.asarray(idx).dtype == np.bool_:
        raise g.error("boolean-mask indexing has a data-dependent shape; use where() instead")
    return g.node("Gather", [g.value("x"), name], axis=arrays[0])


@register("IndexPut")
def _index_put(g: Graph) -> list[Any]:
    """``index_add`` / ``index_copy`` / ``x[:, idx] = v`` along one axis: ``ScatterND`` on that
    axis moved first (``reduction="add"`` when accumulating: opset 16)."""
    x_arr, key = _arg(g, "x"), _arg(g, "key")
    key = key if isinstance(key, tuple) else (key,)
    arrays = [i for i, k in enumerate(key) if hasattr(k, "shape")]
    idx_arr = _one_index_array(g, x_arr, key, arrays)
    if np.asarray(idx_arr).dtype == np.bool_ or np.ndim(idx_arr) != 1:
        raise g.error("index_put with a mask or a multi-dimensional index has no mapping")
    accumulate, d = bool(_arg(g, "accumulate")), arrays[0]
    if accumulate and g.opset < 16:
        raise g.error("accumulating index_put (index_add) needs opset 16 (ScatterND add)")
    idx2 = None
    if g.call2 is not None:
        key2 = g.call2.args["key"]
        idx2 = (key2 if isinstance(key2, tuple) else (key2,))[d]
    x, idx = g.value("x"), g.array(idx_arr, idx2)
    gathered = g.node("Gather", [x, idx], axis=d)  # the shape the values broadcast to
    values = g.node("Expand", [_operand(g, "values", "x"), g.node("Shape", [gathered])])
    perm = [d, *(i for i in range(np.ndim(x_arr)) if i != d)]
    if d:
        x, values = (g.node("Transpose", [v], perm=perm) for v in (x, values))
    unit = g.const(np.array([1], np.int64))
    attrs = {"reduction": "add"} if accumulate else {}
    out = g.node("ScatterND", [x, g.node("Unsqueeze", [idx, unit]), values], **attrs)
    if d:
        out = g.node("Transpose", [out], perm=list(np.argsort(perm)))
    return [out]


# -- linear algebra and layers -----------------------------------------------------------------
@register("Matmul")
def _matmul(g: Graph) -> list[Any]:
    return [g.node("MatMul", [g.value("a"), g.value("b")])]


@register("Einsum")
def _einsum(g: Graph) -> list[Any]:
    names = [g.array(a) for a in _arg(g, "operands")]
    return [g.node("Einsum", names, equation=str(_arg(g, "equation")).replace(" ", ""))]


@register("Linear")
def _linear(g: Graph) -> list[Any]:
    x_arr = _arg(g, "x")
    x, w, b = g.value("x"), g.value("w"), g.value("b")
    if np.ndim(x_arr) == 2:
        return [g.node("Gemm", [x, w, b], transB=1)]
    y = g.node("MatMul", [x, g.node("Transpose", [w], perm=[1, 0])])
    return [y if b is None else g.node("Add", [y, b])]


@register("Embedding")
def _embedding(g: Graph) -> list[Any]:
    return [g.node("Gather", [g.value("weight"), g.value("indices")], axis=0)]


@register("NormAffine")
def _norm_affine(g: Graph) -> list[Any]:
    x_arr, axes, pshape = _arg(g, "x"), tuple(_arg(g, "axes")), tuple(_arg(g, "pshape"))
    eps, nd = float(_arg(g, "eps")), np.ndim(x_arr)
    axes = tuple(a % nd for a in axes)
    x, w, b = g.value("x"), g.value("w"), g.value("b")
    trailing = axes == tuple(range(nd - len(axes), nd))
    affine_trailing = w is None or pshape == tuple(x_arr.shape[nd - len(axes) :])
    if trailing and affine_trailing and w is not None and g.opset >= 17:
        return [g.node("LayerNormalization", [x, w, b], axis=nd - len(axes), epsilon=eps)]
    mean = reduce(g, "ReduceMean", x, list(axes), True)
    xc = g.node("Sub", [x, mean])
    var = reduce(g, "ReduceMean", g.node("Mul", [xc, xc]), list(axes), True)
    std = g.node("Sqrt", [g.node("Add", [var, g.cast_like(eps, x_arr)])])
    y = g.node("Div", [xc, std])
    shape = g.const(np.array(pshape, np.int64))
    if w is not None:
        y = g.node("Mul", [y, g.node("Reshape", [w, shape])])
    if b is not None:
        y = g.node("Add", [y, g.node("Reshape", [b, shape])])
    return [y]


@register("Attention")
def _attention(g: Graph) -> list[Any]:
    q_arr = _arg(g, "q")
    q, k, v = g.value("q"), g.value("k"), g.value("v")
    nd = np.ndim(q_arr)
    perm = list(range(nd - 2)) + [nd - 1, nd - 2]
    s = g.node("MatMul", [q, g.node("Transpose", [k], perm=perm)])
    s = g.node("Mul", [s, g.cast_like(_arg(g, "scale"), q_arr)])
    if _arg(g, "mask") is not None:
        s = g.node("Add", [s, g.value("mask")])
    p = g.node("Softmax", [s], axis=-1)
    if _arg(g, "keep") is not None:
        p = g.node("Mul", [p, g.value("keep")])
    return [g.node("MatMul", [p, v])]


# -- convolution and pooling -------------------------------------------------------------------
def _geom_attrs(geom: Any) -> dict[str, Any]:
    return {
        "kernel_shape": list(geom.kernel),
        "strides": list(geom.stride),
        "pads": list(geom.pad_lo) + list(geom.pad_hi),
        "dilations": list(geom.dilation),
    }


@register("Conv")
def _conv(g: Graph) -> list[Any]:
    geom = _arg(g, "geom")
    ins = [g.value("x"), g.value("w"), g.value("b")]
    return [g.node("Conv", ins, group=int(geom.groups), **_geom_attrs(geom))]


@register("ConvInput")
def _conv_transpose(g: Graph) -> list[Any]:
    geom, out = _arg(g, "geom"), g.call.outputs[0]
    attrs = _geom_attrs(geom)
    want = out.shape[2:]
    natural = [
        (i - 1) * s - lo - hi + d * (k - 1) + 1
        for i, s, lo, hi, d, k in zip(
            _arg(g, "g").shape[2:],
            geom.stride,
            geom.pad_lo,
            geom.pad_hi,
            geom.dilation,
            geom.kernel,
        )
    ]
    extra = [int(w - n) for w, n in zip(want, natural)]
    if any(e < 0 for e in extra):
        raise g.error("a transposed convolution cropped below its natural size")
    if any(extra):
        attrs["output_padding"] = extra
    ins = [g.value("g"), g.value("w"), g.value("b")]
    return [g.node("ConvTranspose", ins, group=int(geom.groups), **attrs)]


@register("IndexPool")
def _index_pool(g: Graph) -> list[Any]:
    kern = _arg(g, "kern")
    kw = getattr(kern, "keywords", {})
    g.block(g.call.outputs[1], "the indices of max pooling (return_indices=True) are not exported")
    x = g.value("x")
    if "g" in kw:
        geom = kw["g"]
        attrs = _geom_attrs(geom)
        if np.ndim(_arg(g, "x")) != len(geom.kernel) + 2:
            raise g.error("max pooling of an unbatched input has no mapping; add a batch dim")
        return [g.node("MaxPool", [x], **attrs), None]
    if "out" in kw and all(o == 1 for o in kw["out"]):
        return [g.node("GlobalMaxPool", [x]), None]
    raise g.error("adaptive max pooling to a size other than 1 has no mapping")


@register("LinearMap")
def _linear_map(g: Graph) -> list[Any]:
    f = _arg(g, "m").f
    owner = getattr(f, "__self__", None)
    if owner is not None and hasattr(owner, "mats"):
        return [_axis_matrices(g, owner.mats)]
    code = getattr(f, "__code__", None)
    if code is not None and code.co_name == "fwd" and "inv" in code.co_freevars:
        cells = dict(zip(code.co_freevars, (c.cell_contents for c in f.__closure__)))
        return [_avg_pool(g, cells["g"], cells["inv"])]
    what = getattr(f, "__qualname__", type(f).__name__)
    raise g.error(f"the linear map {what} (padding, interpolation, unfold/fold) has no mapping")


def _axis_matrices(g: Graph, mats: tuple[np.ndarray, ...]) -> str:
    x_arr = _arg(g, "x")
    x = g.value("x")
    dt = np.asarray(x_arr).dtype
    if all(m.shape[0] == 1 and np.allclose(m, 1.0 / m.shape[1]) for m in mats):
        nd = np.ndim(x_arr)
        return reduce(g, "ReduceMean", x, list(range(nd - len(mats), nd)), True)
    if len(mats) > 2:
        raise g.error("adaptive average pooling over 3 axes has no mapping")
    if len(mats) == 2:
        x = g.node("MatMul", [g.const(mats[0].astype(dt)), x])
    return g.node("MatMul", [x, g.const(np.ascontiguousarray(mats[-1].T).astype(dt))])


def _avg_pool(g: Graph, geom: Any, inv: Any) -> str:
    attrs = _geom_attrs(geom)
    if any(d != 1 for d in geom.dilation):
        raise g.error("average pooling with dilation has no mapping")
    del attrs["dilations"]
    y = g.node("AveragePool", [g.value("x")], count_include_pad=1, **attrs)
    scale = np.asarray(inv) * math.prod(geom.kernel)
    if not np.allclose(scale, 1.0):
        y = g.node("Mul", [y, g.const(scale.astype(np.asarray(inv).dtype))])
    return y


# -- recurrences -------------------------------------------------------------------------------
def _gate_perm(hid: int, order: list[int]) -> np.ndarray:
    return np.concatenate([np.arange(i * hid, (i + 1) * hid) for i in order])


def _recurrence(g: Graph, onnx_op: str, order: list[int], n_gates: int) -> list[Any]:
    gx_arr, h0_arr, w_hh = _arg(g, "gx"), _arg(g, "h0"), _arg(g, "w_hh")
    bs = np.asarray(_arg(g, "bs"))
    lens = g.packed_lengths(g.value("gx"))  # fed from pack_padded_sequence: sequence_lens
    if lens is None and bs.size and not np.all(bs == bs[0]):
        raise g.error(f"{onnx_op} over packed rows not made by pack_padded_sequence has no mapping")
    if g.call.args.get("w_hr") is not None:
        raise g.error("LSTM with proj_size has no ONNX mapping")
    hid = w_hh.shape[1]
    perm = _gate_perm(hid, order)
    dt = np.asarray(gx_arr).dtype
    eye = np.eye(n_gates * hid, dtype=dt)[perm]  # X @ eye.T reorders the projected gates
    batch = self_batch = h0_arr.shape[0]
    b2 = g.call2.args["h0"].shape[0] if g.call2 is not None else None
    bdim = g.dim(self_batch, b2)
    bshape = g.const(np.array([batch], np.int64)) if bdim is None else bdim
    shape = g.node(
        "Concat",
        [g.const(np.array([-1], np.int64)), bshape, g.const(np.array([n_gates * hid], np.int64))],
        axis=0,
    )
    x = g.node("Reshape", [g.value("gx"), shape])
    w = g.const(eye[None])
    r = g.node(
        "Unsqueeze",
        [
            g.node("Gather", [g.value("w_hh"), g.const(perm)], axis=0),
            g.const(np.array([0], np.int64)),
        ],
    )
    if g.call.args.get("b_hh") is not None:
        bh = g.node("Gather", [g.value("b_hh"), g.const(perm)], axis=0)
        zero = g.const(np.zeros(n_gates * hid, dt))
        b = g.node(
            "Unsqueeze", [g.node("Concat", [zero, bh], axis=0), g.const(np.array([0], np.int64))]
        )
    else:
        b = None
    reverse = bool(_arg(g, "reverse"))
    states = [_initial(g, "h0")] + ([_initial(g, "c0")] if onnx_op == "LSTM" else [])
    ins = [x, w, r, b, lens] + states
    attrs: dict[str, Any] = {"hidden_size": hid, "direction": "reverse" if reverse else "forward"}
    if onnx_op == "GRU":
        attrs["linear_before_reset"] = 1
    outs = g.node(onnx_op, ins, n_out=3 if onnx_op == "LSTM" else 2, **attrs)
    y = g.node("Reshape", [outs[0], g.const(np.array([-1, hid], np.int64))])
    if lens is not None:
        g.packed[y] = lens
    finals = [g.node("Squeeze", [o, g.const(np.array([0], np.int64))]) for o in outs[1:]]
    return [y, *finals]


def _initial(g: Graph, key: str) -> str | None:
    """A recurrence's initial state, unsqueezed to ONNX's (1, B, H); None for a zero state
    made inside the model (ONNX's default), which keeps the batch size dynamic."""
    arr = _arg(g, key)
    if g.known(arr) is None and not np.any(np.asarray(arr)):
        return None
    return g.node("Unsqueeze", [g.value(key), g.const(np.array([0], np.int64))])


@register("LSTMRecurrence")
def _lstm(g: Graph) -> list[Any]:
    return _recurrence(g, "LSTM", [0, 3, 1, 2], 4)  # ember i,f,g,o -> ONNX i,o,f,c


@register("GRURecurrence")
def _gru(g: Graph) -> list[Any]:
    return _recurrence(g, "GRU", [1, 0, 2], 3)  # ember r,z,n -> ONNX z,r,h


@register("RNNRecurrence")
def _rnn(g: Graph) -> list[Any]:
    if _arg(g, "relu"):
        raise g.error("RNN with relu nonlinearity: use the tanh RNN, LSTM or GRU")
    return _recurrence(g, "RNN", [0], 1)


@register("Piecewise")
def _piecewise(g: Graph) -> list[Any]:
    fn, arg, x = _arg(g, "fn"), _arg(g, "arg"), g.value("x")
    code = getattr(fn, "__code__", None)
    cells = dict(zip(code.co_freevars, (c.cell_contents for c in fn.__closure__ or ())))
    name = cells.get("name") or getattr(fn, "__name__", "")
    if name in ("floor", "ceil"):
        return [g.node(name.capitalize(), [x])]
    if name == "trunc":  # toward zero: floor of |x|, sign restored
        return [g.node("Mul", [g.node("Sign", [x]), g.node("Floor", [g.node("Abs", [x])])])]
    if name == "_sign_raw":
        return [g.node("Sign", [x])]
    if "round" in code.co_names and not arg:
        return [g.node("Round", [x])]  # half to even, as ember and NumPy
    raise g.error(f"the piecewise map {name or code.co_name!r} has no mapping")


@register("Cumsum")
def _cumsum(g: Graph) -> list[Any]:
    axis = g.const(np.array(int(_arg(g, "axis")), np.int64))
    return [g.node("CumSum", [g.value("x"), axis], reverse=int(bool(_arg(g, "reverse"))))]


# -- comparisons and logical ops (computed outside primitives, seen as ``xp.<name>``) ---------
_COMPARE = {
    "equal": "Equal",
    "less": "Less",
    "less_equal": "LessOrEqual",
    "greater": "Greater",
    "greater_equal": "GreaterOrEqual",
    "logical_and": "And",
    "logical_or": "Or",
    "logical_xor": "Xor",
    "bitwise_and": "And",
    "bitwise_or": "Or",
    "bitwise_xor": "Xor",
}


def _xp_operands(g: Graph, n: int) -> list[str]:
    keys = [f"x{i}" for i in range(n)]
    arrays = [k for k in keys if hasattr(_arg(g, k), "dtype")]
    return [
        g.value(k) if k in arrays else g.cast_like(_arg(g, k), _arg(g, arrays[0])) for k in keys
    ]


def _check_bool(g: Graph, name: str) -> None:
    if name.startswith(("bitwise", "invert")) and np.asarray(g.call.outputs[0]).dtype != bool:
        raise g.error(f"{name} on integers has no mapping (bool operands do)")


@register(*(f"xp.{n}" for n in (*_COMPARE, "not_equal")))
def _compare(g: Graph) -> list[Any]:
    name = g.call.op[3:]
    _check_bool(g, name)
    a, b = _xp_operands(g, 2)
    if name == "not_equal":
        return [g.node("Not", [g.node("Equal", [a, b])])]
    return [g.node(_COMPARE[name], [a, b])]


@register("xp.logical_not", "xp.invert")
def _logical_not(g: Graph) -> list[Any]:
    _check_bool(g, g.call.op[3:])
    return [g.node("Not", [g.value("x0")])]


@register("xp.where")
def _xp_where(g: Graph) -> list[Any]:
    return [g.node("Where", _xp_operands(g, 3))]


# -- a few more element-wise, shape and norm primitives -------------------------------------------
@register("Hypot")
def _hypot(g: Graph) -> list[Any]:
    a, b = _operand(g, "a", "b"), _operand(g, "b", "a")
    return [g.node("Sqrt", [g.node("Add", [g.node("Mul", [a, a]), g.node("Mul", [b, b])])])]


@register("LogAddExp")
def _logaddexp(g: Graph) -> list[Any]:
    a, b = _operand(g, "a", "b"), _operand(g, "b", "a")
    one = g.cast_like(1, _arg(g, "a") if hasattr(_arg(g, "a"), "dtype") else _arg(g, "b"))
    gap = g.node("Exp", [g.node("Neg", [g.node("Abs", [g.node("Sub", [a, b])])])])
    return [g.node("Add", [g.node("Max", [a, b]), g.node("Log", [g.node("Add", [one, gap])])])]


@register("Roll")
def _roll(g: Graph) -> list[Any]:
    x_arr, dims, shifts = _arg(g, "x"), _arg(g, "dims"), _arg(g, "shifts")
    if dims is None:
        raise g.error("roll without dims (over the flattened tensor) has no mapping")
    y = g.value("x")
    for s, d in zip(np.atleast_1d(shifts), np.atleast_1d(dims)):
        d = int(d) % np.ndim(x_arr)
        n = x_arr.shape[d]
        if g.call2 is not None and g.call2.args["x"].shape[d] != n:
            raise g.error("roll along a dynamic axis has no mapping")
        s = int(s) % n if n else 0
        if s:
            ax = g.const(np.array([d], np.int64))
            cut = [g.const(np.array([v], np.int64)) for v in (0, n - s, n)]
            tail = g.node("Slice", [y, cut[1], cut[2], ax])
            head = g.node("Slice", [y, cut[0], cut[1], ax])
            y = g.node("Concat", [tail, head], axis=d)
    return [y]


@register("VectorNorm")
def _vector_norm(g: Graph) -> list[Any]:
    x_arr, p = _arg(g, "x"), float(_arg(g, "ord"))
    axes, keep = _axes(g, _arg(g, "dims"), np.ndim(x_arr)), bool(_arg(g, "keepdim"))
    x = g.value("x")
    if p in (1.0, 2.0):
        return [reduce(g, "ReduceL1" if p == 1.0 else "ReduceL2", x, axes, keep)]
    if math.isinf(p):
        return [reduce(g, "ReduceMax" if p > 0 else "ReduceMin", g.node("Abs", [x]), axes, keep)]
    if p == 0.0:
        raise g.error("the 0-norm (a count of non-zeros) has no mapping")
    powered = g.node("Pow", [g.node("Abs", [x]), g.cast_like(p, x_arr)])
    total = reduce(g, "ReduceSum", powered, axes, keep)
    return [g.node("Pow", [total, g.cast_like(1.0 / p, x_arr)])]
