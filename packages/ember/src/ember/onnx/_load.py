"""``ember.onnx.load``: an ONNX graph as an ``nn.Module`` that runs it with ember ops.

Float initializers become Parameters (so the model can be fine-tuned), others buffers. Every node
runs as ember ops on Tensors, so gradients flow through the whole graph.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import IO, Any

import numpy as np

import ember
from ember import nn
from ember._tensor import Tensor
from ember.nn import functional as F
from ember.onnx._optional import require_onnx

__all__ = ["load", "OnnxModule", "loadable_ops"]

_OPS: dict[str, Callable[..., Any]] = {}


def _op(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        for n in names:
            _OPS[n] = fn
        return fn

    return deco


def loadable_ops() -> list[str]:
    """The ONNX op types :func:`load` can run."""
    return sorted(_OPS)


def load(f: str | os.PathLike[str] | IO[bytes]) -> OnnxModule:
    """Read an ONNX model and return a module that runs its graph with ember tensors.

    Args:
        f: a path or a binary file object holding an ONNX model.

    Returns:
        An :class:`OnnxModule`; call it with the graph inputs in order (or by name).

    Raises:
        ValueError: the graph uses an op outside :func:`loadable_ops` (named in the message).

    Example:
        >>> m = ember.onnx.load("mlp.onnx")
        >>> y = m(ember.randn(2, 4))
    """
    onnx = require_onnx()
    proto = onnx.load(f) if isinstance(f, (str, os.PathLike)) else onnx.load_from_string(f.read())
    return OnnxModule(proto)


class OnnxModule(nn.Module):
    """An ONNX graph run with ember ops; initializers are its parameters and buffers.

    Args:
        proto: an ``onnx.ModelProto``.

    Example:
        >>> m = ember.onnx.OnnxModule(onnx.load("mlp.onnx"))
    """

    def __init__(self, proto: Any) -> None:
        super().__init__()
        from onnx import numpy_helper  # optional dependency (load() checked it is there)

        graph = proto.graph
        missing = sorted({n.op_type for n in graph.node if n.op_type not in _OPS})
        if missing:
            raise ValueError(
                f"ember.onnx.load: no ember implementation for ONNX ops {missing}; "
                f"supported: {', '.join(loadable_ops())}"
            )
        self._attr_of: dict[str, str] = {}
        for i, init in enumerate(graph.initializer):
            arr = numpy_helper.to_array(init).copy()
            key = f"init_{i}"
            t = ember.from_numpy(arr.copy(order="C"))  # 0-d stays 0-d
            if arr.dtype.kind == "f":
                self.register_parameter(key, nn.Parameter(t))
            else:
                self.register_buffer(key, t)
            self._attr_of[init.name] = key
        init_names = set(self._attr_of)
        self.input_names = [i.name for i in graph.input if i.name not in init_names]
        self.output_names = [o.name for o in graph.output]
        self._nodes = [(n.op_type, list(n.input), list(n.output), _attrs(n)) for n in graph.node]

    def forward(self, *args: Tensor, **kwargs: Tensor) -> Any:
        """Run the graph; returns one Tensor, or a tuple when the graph has several outputs."""
        env: dict[str, Any] = {"": None}
        for name, key in self._attr_of.items():
            env[name] = getattr(self, key)
        for name, value in zip(self.input_names, args):
            env[name] = value
        env.update(kwargs)
        for op, ins, outs, attrs in self._nodes:
            res = _OPS[op](*[env[i] for i in ins], **attrs)
            res = res if isinstance(res, (tuple, list)) else (res,)
            for name, value in zip(outs, res):
                env[name] = value
        got = [env[o] for o in self.output_names]
        return got[0] if len(got) == 1 else tuple(got)


def _attrs(node: Any) -> dict[str, Any]:
    from onnx import helper, numpy_helper  # optional dependency (see load())

    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        elif hasattr(v, "dims") and hasattr(v, "data_type"):
            v = numpy_helper.to_array(v)
        out[a.name] = v
    return out


def _ints(t: Tensor | None) -> list[int]:
    return [] if t is None else [int(v) for v in np.asarray(t.numpy()).reshape(-1)]


# -- elementwise -------------------------------------------------------------------------------
_BIN = {
    "Add": ember.add,
    "Sub": ember.sub,
    "Mul": ember.mul,
    "Pow": ember.pow,
    "Max": ember.maximum,
    "Min": ember.minimum,
    "Equal": ember.eq,
    "Greater": ember.gt,
    "Less": ember.lt,
    "GreaterOrEqual": ember.ge,
    "LessOrEqual": ember.le,
    "And": ember.logical_and,
    "Or": ember.logical_or,
    "Xor": ember.logical_xor,
}
_UN = {
    "Neg": ember.neg,
    "Exp": ember.exp,
    "Log": ember.log,
    "Sqrt": ember.sqrt,
    "Sin": ember.sin,
    "Cos": ember.cos,
    "Tan": ember.tan,
    "Asin": ember.asin,
    "Acos": ember.acos,
    "Atan": ember.atan,
    "Sinh": ember.sinh,
    "Cosh": ember.cosh,
    "Tanh": ember.tanh,
    "Asinh": ember.asinh,
    "Acosh": ember.acosh,
    "Atanh": ember.atanh,
    "Sigmoid": ember.sigmoid,
    "Relu": ember.relu,
    "Erf": ember.erf,
    "Abs": ember.abs,
    "Reciprocal": ember.reciprocal,
    "Floor": ember.floor,
    "Ceil": ember.ceil,
    "Round": ember.round,
    "Sign": ember.sign,
    "Not": ember.logical_not,
}
for _n, _f in _BIN.items():
    _OPS[_n] = (lambda f: lambda a, b: f(a, b))(_f)


@_op("Div")
def _div(a: Tensor, b: Tensor) -> Tensor:
    whole = not (a.dtype.is_floating_point or b.dtype.is_floating_point)
    return ember.div(a, b, rounding_mode="trunc" if whole else None)  # ONNX: integers truncate


for _n, _f in _UN.items():
    _OPS[_n] = (lambda f: lambda x: f(x))(_f)


@_op("Identity", "Dropout")
def _identity(x: Tensor, *rest: Any, **attrs: Any) -> Tensor:
    return x


@_op("Where")
def _where(c: Tensor, a: Tensor, b: Tensor) -> Tensor:
    return ember.where(c, a, b)


@_op("Clip")
def _clip(x: Tensor, lo: Tensor | None = None, hi: Tensor | None = None) -> Tensor:
    return ember.clamp(x, None if lo is None else lo.item(), None if hi is None else hi.item())


@_op("LeakyRelu")
def _leaky(x: Tensor, alpha: float = 0.01) -> Tensor:
    return F.leaky_relu(x, alpha)


@_op("HardSigmoid")
def _hard_sigmoid(x: Tensor, alpha: float = 0.2, beta: float = 0.5) -> Tensor:
    return ember.clamp(x * alpha + beta, 0.0, 1.0)


@_op("HardSwish")
def _hard_swish(x: Tensor) -> Tensor:
    return F.hardswish(x)


@_op("Softplus")
def _softplus(x: Tensor) -> Tensor:
    return F.softplus(x)


@_op("Elu")
def _elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    return F.elu(x, alpha)


@_op("Selu")
def _selu(
    x: Tensor, alpha: float = 1.67326319217681884765625, gamma: float = 1.05070102214813232421875
) -> Tensor:
    return ember.where(x > 0, x, (ember.exp(x) - 1) * alpha) * gamma


@_op("PRelu")
def _prelu(x: Tensor, slope: Tensor) -> Tensor:
    return ember.where(x >= 0, x, x * slope)


@_op("Gelu")
def _gelu(x: Tensor, approximate: str = "none") -> Tensor:
    return F.gelu(x, approximate=approximate)


@_op("Mod")
def _mod(a: Tensor, b: Tensor, fmod: int = 0) -> Tensor:
    return ember.fmod(a, b) if fmod else ember.remainder(a, b)  # fmod=0: the divisor's sign


@_op("Sum")
def _sum(*xs: Tensor) -> Tensor:
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


@_op("Mean")
def _mean(*xs: Tensor) -> Tensor:
    return _sum(*xs) / len(xs)


@_op("Cast")
def _cast(x: Tensor, to: int) -> Tensor:
    from onnx import helper  # optional dependency (see load())

    return x.to(ember.from_numpy(np.zeros(0, helper.tensor_dtype_to_np_dtype(to))).dtype)


# -- reductions and softmax --------------------------------------------------------------------
def _reduce(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    def run(
        x: Tensor,
        axes_in: Tensor | None = None,
        axes: Any = None,
        keepdims: int = 1,
        noop_with_empty_axes: int = 0,
    ) -> Tensor:
        dims = _ints(axes_in) if axes_in is not None else list(axes or [])
        dims = dims or list(range(x.ndim))
        return fn(x, tuple(dims), bool(keepdims))

    return run


_OPS["ReduceSum"] = _reduce(lambda x, d, k: x.sum(d, keepdim=k))
_OPS["ReduceMean"] = _reduce(lambda x, d, k: x.mean(d, keepdim=k))
_OPS["ReduceMax"] = _reduce(lambda x, d, k: x.amax(d, keepdim=k))
_OPS["ReduceMin"] = _reduce(lambda x, d, k: x.amin(d, keepdim=k))
_OPS["ReduceProd"] = _reduce(lambda x, d, k: _prod(x, d, k))
_OPS["ReduceLogSumExp"] = _reduce(lambda x, d, k: ember.logsumexp(x, d, keepdim=k))
_OPS["ReduceL2"] = _reduce(lambda x, d, k: ember.sqrt((x * x).sum(d, keepdim=k)))


def _prod(x: Tensor, dims: tuple[int, ...], keep: bool) -> Tensor:
    for d in sorted((d % x.ndim for d in dims), reverse=True):
        x = x.prod(d, keepdim=keep)
    return x


@_op("ArgMax", "ArgMin")
def _argmax(x: Tensor, axis: int = 0, keepdims: int = 1, select_last_index: int = 0) -> Tensor:
    return x.argmax(axis, keepdim=bool(keepdims))


@_op("Softmax")
def _softmax(x: Tensor, axis: int = -1) -> Tensor:
    return F.softmax(x, axis)


@_op("LogSoftmax")
def _log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    return F.log_softmax(x, axis)


# -- shapes ------------------------------------------------------------------------------------
@_op("Shape")
def _shape(x: Tensor) -> Tensor:
    return ember.tensor(list(x.shape), dtype=ember.int64)


@_op("ConstantOfShape")
def _const_of_shape(shape: Tensor, value: Any = None) -> Tensor:
    v = np.zeros(1, np.float32) if value is None else np.asarray(value).reshape(-1)
    return ember.from_numpy(np.full(_ints(shape), v[0], v.dtype))


@_op("Constant")
def _constant(value: Any = None, **attrs: Any) -> Tensor:
    return ember.from_numpy(np.asarray(value).copy(order="C"))


@_op("Reshape")
def _reshape(x: Tensor, shape: Tensor, allowzero: int = 0) -> Tensor:
    dims = [x.shape[i] if d == 0 and not allowzero else d for i, d in enumerate(_ints(shape))]
    return x.reshape(dims)


_PAD_MODES = {"constant": "constant", "reflect": "reflect", "edge": "replicate", "wrap": "circular"}


@_op("Pad")
def _pad_op(
    x: Tensor,
    pads: Any = None,
    constant_value: Tensor | None = None,
    axes: Tensor | None = None,
    mode: str = "constant",
    value: float = 0.0,
) -> Tensor:
    amounts = _ints(pads) if isinstance(pads, Tensor) else list(pads or [])
    dims = [a % x.ndim for a in _ints(axes)] if axes is not None else list(range(x.ndim))
    if any(p < 0 for p in amounts):
        raise ValueError("ember.onnx.load: Pad with negative pads (cropping) is not supported")
    lo, hi = [0] * x.ndim, [0] * x.ndim
    for d, a, b in zip(dims, amounts[: len(dims)], amounts[len(dims) :]):
        lo[d], hi[d] = a, b
    first = next((d for d in range(x.ndim) if lo[d] or hi[d]), x.ndim)
    spec: list[int] = []
    for d in reversed(range(first, x.ndim)):
        spec += [lo[d], hi[d]]
    fill = constant_value.item() if constant_value is not None else value
    mode = _PAD_MODES[mode]
    return F.pad(x, spec, mode=mode, value=fill if mode == "constant" else None) if spec else x


@_op("Tile")
def _tile(x: Tensor, repeats: Tensor) -> Tensor:
    return x.repeat(*_ints(repeats))


@_op("Flatten")
def _flatten(x: Tensor, axis: int = 1) -> Tensor:
    return x.reshape(math.prod(x.shape[:axis]), -1)


@_op("Expand")
def _expand(x: Tensor, shape: Tensor) -> Tensor:
    dims = _ints(shape)
    lead = len(dims) - x.ndim
    full = [1] * max(-lead, 0) + dims
    xs = [1] * max(lead, 0) + list(x.shape)
    return x.reshape(xs).expand(*[max(a, b) for a, b in zip(xs, full)])


@_op("Transpose")
def _transpose(x: Tensor, perm: Any = None) -> Tensor:
    return x.permute(*(perm if perm is not None else reversed(range(x.ndim))))


@_op("Concat")
def _concat(*xs: Tensor, axis: int) -> Tensor:
    return ember.cat(list(xs), axis)


@_op("Split")
def _split(x: Tensor, split: Tensor | None = None, axis: int = 0, num_outputs: Any = None):
    sizes = _ints(split) if split is not None else x.shape[axis] // num_outputs
    return ember.split(x, sizes, axis)


@_op("Squeeze")
def _squeeze(x: Tensor, axes: Tensor | None = None) -> Tensor:
    dims = sorted((d % x.ndim for d in _ints(axes)), reverse=True) if axes is not None else None
    if dims is None:
        return x.squeeze()
    for d in dims:
        x = x.squeeze(d)
    return x


@_op("Unsqueeze")
def _unsqueeze(x: Tensor, axes: Tensor) -> Tensor:
    n = x.ndim + len(_ints(axes))
    for d in sorted(a % n for a in _ints(axes)):
        x = x.unsqueeze(d)
    return x


@_op("Slice")
def _slice(
    x: Tensor, starts: Tensor, ends: Tensor, axes: Tensor | None = None, steps: Tensor | None = None
) -> Tensor:
    st, en = _ints(starts), _ints(ends)
    ax = _ints(axes) if axes is not None else list(range(len(st)))
    sp = _ints(steps) if steps is not None else [1] * len(st)
    key: list[Any] = [slice(None)] * x.ndim
    for s, e, a, p in zip(st, en, ax, sp):
        n = x.shape[a]
        s, e, p = slice(s, e, p).indices(n)
        if p < 0:
            if e < 0:
                e = None
            return _slice_neg(x, key, a, s, e, p)
        key[a % x.ndim] = slice(s, e, p)
    return x[tuple(key)]


def _slice_neg(x: Tensor, key: list[Any], axis: int, s: int, e: Any, p: int) -> Tensor:
    flipped = ember.flip(x, [axis])
    n = x.shape[axis]
    key[axis % x.ndim] = slice(n - 1 - s, None if e is None else n - 1 - e, -p)
    return flipped[tuple(key)]


@_op("Gather")
def _gather(x: Tensor, idx: Tensor, axis: int = 0) -> Tensor:
    if axis == 0 and x.ndim == 2 and x.dtype.is_floating_point:
        return F.embedding(idx, x)
    flat = ember.index_select(x, axis, idx.reshape(-1))
    shape = list(x.shape[:axis]) + list(idx.shape) + list(x.shape[axis + 1 :])
    return flat.reshape(shape)


@_op("Range")
def _range(start: Tensor, limit: Tensor, delta: Tensor) -> Tensor:
    return ember.arange(start.item(), limit.item(), delta.item(), dtype=start.dtype)


_SCATTER_REDUCE = {"max": "amax", "min": "amin", "mul": "prod"}


def _scatter_along(data: Tensor, axis: int, idx: Tensor, upd: Tensor, reduction: str) -> Tensor:
    """ONNX's scatter with ``reduction`` along ``axis`` (``idx`` has ``upd``'s shape)."""
    idx = ember.where(idx < 0, idx + data.shape[axis], idx)
    if reduction == "none":
        return ember.scatter(data, axis, idx, upd)
    if reduction == "add":
        return ember.scatter_add(data, axis, idx, upd)
    return ember.scatter_reduce(data, axis, idx, upd, _SCATTER_REDUCE[reduction])


@_op("ScatterElements")
def _scatter_elements(
    data: Tensor, idx: Tensor, upd: Tensor, axis: int = 0, reduction: str = "none"
) -> Tensor:
    return _scatter_along(data, axis % data.ndim, idx, upd, reduction)


@_op("ScatterND")
def _scatter_nd(data: Tensor, idx: Tensor, upd: Tensor, reduction: str = "none") -> Tensor:
    k, rest = idx.shape[-1], list(data.shape[idx.shape[-1] :])
    lead = data.shape[:k]
    flat = data.reshape([math.prod(lead), *rest])  # the first k axes as one
    idx = idx.reshape(-1, k)
    lin = ember.zeros(idx.shape[0], dtype=ember.int64)
    for j in range(k):
        col = idx[:, j]
        lin = lin * lead[j] + ember.where(col < 0, col + lead[j], col)
    upd = upd.reshape([idx.shape[0], *rest])
    lin = lin.reshape([-1] + [1] * len(rest)).expand(*upd.shape)
    return _scatter_along(flat, 0, lin, upd, reduction).reshape(list(data.shape))


# -- layers ------------------------------------------------------------------------------------
@_op("MatMul")
def _matmul(a: Tensor, b: Tensor) -> Tensor:
    return ember.matmul(a, b)


@_op("Einsum")
def _einsum(*xs: Tensor, equation: str) -> Tensor:
    return ember.einsum(equation, *xs)


@_op("Gemm")
def _gemm(
    a: Tensor,
    b: Tensor,
    c: Tensor | None = None,
    alpha: float = 1.0,
    beta: float = 1.0,
    transA: int = 0,
    transB: int = 0,
) -> Tensor:  # noqa: N803 - ONNX's attribute names
    if transB and not transA and alpha == 1.0 and beta == 1.0:
        return F.linear(a, b, c)
    y = ember.matmul(a.t() if transA else a, b.t() if transB else b) * alpha
    return y if c is None else y + c * beta


@_op("LayerNormalization")
def _layer_norm(
    x: Tensor,
    w: Tensor,
    b: Tensor | None = None,
    axis: int = -1,
    epsilon: float = 1e-5,
    stash_type: int = 1,
) -> Tensor:
    return F.layer_norm(x, tuple(x.shape[axis:]), w, b, epsilon)


@_op("InstanceNormalization")
def _instance_norm(x: Tensor, scale: Tensor, b: Tensor, epsilon: float = 1e-5) -> Tensor:
    return F.instance_norm(x, weight=scale, bias=b, eps=epsilon)


@_op("BatchNormalization")
def _batch_norm(
    x: Tensor,
    w: Tensor,
    b: Tensor,
    mean: Tensor,
    var: Tensor,
    epsilon: float = 1e-5,
    momentum: float = 0.9,
    training_mode: int = 0,
) -> Tensor:
    return F.batch_norm(x, mean, var, w, b, False, 0.0, epsilon)


def _window(a: dict[str, Any], nd: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """ONNX's strides, begin pads, end pads and dilations (defaults filled in)."""
    pads = list(a.get("pads") or [0] * (2 * nd))
    ones = [1] * nd
    return list(a.get("strides") or ones), pads[:nd], pads[nd:], list(a.get("dilations") or ones)


def _pad_spatial(x: Tensor, lo: list[int], hi: list[int], value: float) -> Tensor:
    spec: list[int] = []
    for a, z in zip(reversed(lo), reversed(hi)):
        spec += [a, z]
    return F.pad(x, spec, value=value)


def _by_rank(fns: tuple[Callable[..., Tensor], ...], nd: int) -> Callable[..., Tensor]:
    if not 1 <= nd <= len(fns):
        raise ValueError(f"ember.onnx.load: {nd}-d windows are not supported")
    return fns[nd - 1]


@_op("Conv")
def _conv(x: Tensor, w: Tensor, b: Tensor | None = None, **a: Any) -> Tensor:
    nd = w.ndim - 2
    s, lo, hi, d = _window(a, nd)
    if lo != hi:
        x, lo = _pad_spatial(x, lo, hi, 0.0), [0] * nd
    return _by_rank((F.conv1d, F.conv2d, F.conv3d), nd)(x, w, b, s, lo, d, a.get("group", 1))


@_op("ConvTranspose")
def _conv_transpose(x: Tensor, w: Tensor, b: Tensor | None = None, **a: Any) -> Tensor:
    nd = w.ndim - 2
    s, lo, hi, d = _window(a, nd)
    # ONNX crops lo and hi; PyTorch crops lo on both sides and adds output_padding at the end.
    extra = [o + p - q for o, p, q in zip(a.get("output_padding") or [0] * nd, lo, hi)]
    if any(e < 0 for e in extra):
        raise ValueError("ember.onnx.load: ConvTranspose with pads end > begin is not supported")
    fn = _by_rank((F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d), nd)
    return fn(x, w, b, s, lo, extra, a.get("group", 1), d)


@_op("MaxPool")
def _max_pool(x: Tensor, **a: Any) -> Tensor:
    k = list(a["kernel_shape"])
    s, lo, hi, d = _window(a, len(k))
    if lo != hi:
        x, lo = _pad_spatial(x, lo, hi, float("-inf")), [0] * len(k)
    fn = _by_rank((F.max_pool1d, F.max_pool2d, F.max_pool3d), len(k))
    return fn(x, k, s, lo, d, bool(a.get("ceil_mode", 0)))


@_op("AveragePool")
def _avg_pool(x: Tensor, **a: Any) -> Tensor:
    k = list(a["kernel_shape"])
    s, lo, hi, _ = _window(a, len(k))
    include = bool(a.get("count_include_pad", 0))
    if lo != hi:
        if not include:
            raise ValueError(
                "ember.onnx.load: AveragePool with unequal pads needs count_include_pad=1"
            )
        x, lo = _pad_spatial(x, lo, hi, 0.0), [0] * len(k)
    fn = _by_rank((F.avg_pool1d, F.avg_pool2d, F.avg_pool3d), len(k))
    return fn(x, k, s, lo, bool(a.get("ceil_mode", 0)), include)


@_op("GlobalAveragePool")
def _gap(x: Tensor) -> Tensor:
    return x.mean(tuple(range(2, x.ndim)), keepdim=True)


@_op("GlobalMaxPool")
def _gmp(x: Tensor) -> Tensor:
    return x.amax(tuple(range(2, x.ndim)), keepdim=True)


# -- recurrences -------------------------------------------------------------------------------
Step = Callable[..., tuple[dict[int, Tensor], list[Tensor]]]


def _recurrence(
    x: Tensor,
    w: Tensor,
    r: Tensor,
    opt: tuple[Any, ...],
    a: dict[str, Any],
    n_states: int,
    run: Step,
) -> tuple[Tensor, ...]:
    """ONNX's LSTM/GRU/RNN outputs ``Y (T, D, B, H)`` and the final states ``(D, B, H)``, one
    direction after the other (``run`` is one direction's loop over ``steps``)."""
    opt = tuple(opt) + (None,) * (5 - len(opt))
    b, lens, init = opt[0], opt[1], opt[2 : 2 + n_states]
    direction = a.get("direction", "forward")
    dirs = ["forward", "reverse"] if direction == "bidirectional" else [direction]
    if any(d not in ("forward", "reverse") for d in dirs):
        raise ValueError(f"ember.onnx.load: recurrence direction {direction!r} not supported")
    n, hid = x.shape[0], r.shape[-1]
    ys, finals = [], []
    for k, d in enumerate(dirs):
        states = [
            s[k] if s is not None else ember.zeros(x.shape[1], hid, dtype=x.dtype) for s in init
        ]
        steps = range(n - 1, -1, -1) if d == "reverse" else range(n)
        outs, last = run(x, w[k], r[k], None if b is None else b[k], lens, states, steps)
        ys.append(ember.stack([outs[t] for t in range(n)], 0))
        finals.append(last)
    y = ember.stack(ys, 1)
    return (y, *(ember.stack([f[i] for f in finals], 0) for i in range(n_states)))


def _masked(lens: Tensor | None, t: int, new: Tensor, old: Tensor) -> tuple[Tensor, Tensor]:
    """With ``sequence_lens``, rows past their length keep their state and output zeros:
    ``(state, output)`` for step ``t``."""
    if lens is None:
        return new, new
    live = (lens > t).unsqueeze(1)
    return ember.where(live, new, old), ember.where(live, new, ember.zeros_like(new))


def _summed(b: Tensor | None, gates: int, hid: int) -> Tensor | None:
    return None if b is None else b[: gates * hid] + b[gates * hid :]


def _lstm_steps(x, wi, rh, b, lens, states, steps):
    (h, c), bias, outs = states, _summed(b, 4, rh.shape[-1]), {}
    for t in steps:
        z = F.linear(x[t], wi, bias) + ember.matmul(h, rh.t())
        i, o, f, cc = ember.split(z, rh.shape[-1], -1)
        c_new = ember.sigmoid(f) * c + ember.sigmoid(i) * ember.tanh(cc)
        h, outs[t] = _masked(lens, t, ember.sigmoid(o) * ember.tanh(c_new), h)
        c, _ = _masked(lens, t, c_new, c)
    return outs, [h, c]


def _gru_steps(x, wi, rh, b, lens, states, steps):
    (h,), hid, outs = states, rh.shape[-1], {}
    bw, br = (None, None) if b is None else (b[: 3 * hid], b[3 * hid :])
    for t in steps:
        gx = ember.split(F.linear(x[t], wi, bw), hid, -1)
        gh = ember.split(F.linear(h, rh, br), hid, -1)
        z = ember.sigmoid(gx[0] + gh[0])
        n = ember.tanh(gx[2] + ember.sigmoid(gx[1] + gh[1]) * gh[2])
        h, outs[t] = _masked(lens, t, (1 - z) * n + z * h, h)
    return outs, [h]


def _rnn_steps(x, wi, rh, b, lens, states, steps):
    (h,), bias, outs = states, _summed(b, 1, rh.shape[-1]), {}
    for t in steps:
        new = ember.tanh(F.linear(x[t], wi, bias) + ember.matmul(h, rh.t()))
        h, outs[t] = _masked(lens, t, new, h)
    return outs, [h]


@_op("LSTM")
def _lstm(x: Tensor, w: Tensor, r: Tensor, *opt: Tensor | None, **a: Any) -> tuple[Tensor, ...]:
    return _recurrence(x, w, r, opt, a, 2, _lstm_steps)


@_op("GRU")
def _gru(x: Tensor, w: Tensor, r: Tensor, *opt: Tensor | None, **a: Any) -> tuple[Tensor, ...]:
    if not a.get("linear_before_reset", 0):
        raise ValueError("ember.onnx.load: GRU needs linear_before_reset=1 (PyTorch's GRU)")
    return _recurrence(x, w, r, opt, a, 1, _gru_steps)


@_op("RNN")
def _rnn(x: Tensor, w: Tensor, r: Tensor, *opt: Tensor | None, **a: Any) -> tuple[Tensor, ...]:
    if a.get("activations") not in (None, ["Tanh"], ["Tanh", "Tanh"]):
        raise ValueError(f"ember.onnx.load: RNN activations {a['activations']} (Tanh only)")
    return _recurrence(x, w, r, opt, a, 1, _rnn_steps)


@_op("Trilu")
def _trilu(x: Tensor, k: Tensor | None = None, upper: int = 1) -> Tensor:
    diag = 0 if k is None else int(k.item())
    return ember.triu(x, diag) if upper else ember.tril(x, diag)


@_op("CumSum")
def _cumsum(x: Tensor, axis: Tensor, exclusive: int = 0, reverse: int = 0) -> Tensor:
    if exclusive:
        raise ValueError("ember.onnx.load: exclusive CumSum is not supported")
    d = int(axis.item())
    return ember.flip(ember.cumsum(ember.flip(x, [d]), d), [d]) if reverse else ember.cumsum(x, d)


_OPS["ReduceL1"] = _reduce(lambda x, d, k: x.abs().sum(d, keepdim=k))
