"""The ONNX graph under construction: values named by the arrays they hold, nodes, initializers,
and the symbolic (dynamic) dimensions of the graph inputs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ember.onnx._trace import Call

__all__ = ["Graph", "ExportError", "Symbol"]


def _equal(a: np.ndarray, b: Any) -> bool:
    b = np.asarray(b.get() if hasattr(b, "get") else b)
    return a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")


def _same_layout(a: Any, b: Any) -> bool:
    return (
        a.shape == b.shape
        and a.strides == b.strides
        and a.dtype == b.dtype
        and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    )


def _root(arr: Any) -> Any:
    while getattr(arr, "base", None) is not None:
        arr = arr.base
    return arr


class ExportError(RuntimeError):
    """An export failed: an op without an ONNX mapping, or a value the graph cannot express."""


@dataclass
class Symbol:
    """A dynamic dimension: graph input ``value`` at ``axis``, ``size`` in the traced call and
    ``size2`` in the second (resized) trace."""

    name: str
    value: str
    axis: int
    size: int
    size2: int


class Graph:
    """Nodes and initializers of the graph being exported, made with ``onnx.helper``.

    Values are found by the identity of the raw arrays that hold them in the traced forward pass
    (the arrays are kept alive until the export ends, so identities are not reused).
    """

    def __init__(self, helper: Any, numpy_helper: Any, opset: int) -> None:
        self.helper, self.numpy_helper, self.opset = helper, numpy_helper, opset
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.symbols: list[Symbol] = []
        self._values: dict[int, str] = {}
        self._blocked: dict[int, str] = {}
        self._keep: list[Any] = []
        self._names: set[str] = set()
        self._consts: dict[tuple[Any, ...], str] = {}
        self._sym_dims: dict[int, str] = {}
        self._roots: dict[int, list[Any]] = {}
        self._pairs: list[tuple[Any, Any, str]] = []
        self._inputs_of: dict[str, list[str]] = {}
        self._perms: set[int] = set()
        self.packed: dict[str, str] = {}
        self.call: Call | None = None
        self.call2: Call | None = None

    # -- names and values ------------------------------------------------------------------
    def fresh(self, hint: str) -> str:
        """A value name not used yet, built from ``hint``."""
        base = hint.replace("/", ".") or "v"
        name, i = base, 0
        while name in self._names:
            i += 1
            name = f"{base}_{i}"
        self._names.add(name)
        return name

    def bind(self, arr: Any, name: str) -> None:
        """Record that ``arr`` holds the graph value ``name``."""
        self._keep.append(arr)
        self._values[id(arr)] = name
        self._blocked.pop(id(arr), None)

    def block(self, arr: Any, why: str) -> None:
        """Make a later use of ``arr`` fail with ``why`` (an output the graph does not produce)."""
        self._keep.append(arr)
        self._blocked[id(arr)] = why

    def known(self, arr: Any) -> str | None:
        """The value name held by ``arr``, or None."""
        return self._values.get(id(arr))

    def value(self, key: str) -> str | None:
        """The graph value for the current call's array argument ``key`` (None stays None).

        An array the trace has not seen (made inside ``forward`` outside any primitive)
        becomes a constant; when the second trace shows it changing shape with a dynamic axis,
        a uniform array becomes ``ConstantOfShape`` and anything else is an error.
        """
        arr = self.call.args[key] if self.call is not None else None
        if arr is None:
            return None
        return self.array(arr, self._second(key))

    def array(self, arr: Any, arr2: Any = None) -> str:
        """The graph value for raw array ``arr`` (``arr2``: the same argument in trace two)."""
        if id(arr) in self._blocked:
            raise self.error(self._blocked[id(arr)])
        name = self._values.get(id(arr)) or self._same_view(arr)
        if name is not None:
            return name
        view = self._view_of_known(arr, arr2)
        if view is not None:
            self.bind(arr, view)
            return view
        a = np.asarray(arr.get() if hasattr(arr, "get") else arr)
        if arr2 is not None and tuple(np.shape(arr2)) != a.shape:
            name = self._same_content(a, arr2) or self._uniform_of_shape(a, tuple(np.shape(arr2)))
        elif arr2 is not None and not _equal(a, arr2):
            name = self._same_content(a, arr2) or self._frozen(a)
        else:
            name = self.const(a, hint="const")
        self.bind(arr, name)
        return name

    def _same_view(self, arr: Any) -> str | None:
        """The value of an array this one is a plain view of (same memory, shape and strides:
        ``idx.reshape(-1)`` of a 1-D index), or None."""
        base = getattr(arr, "base", None)
        while base is not None:
            name = self._values.get(id(base))
            if name is not None and _same_layout(arr, base):
                self.bind(arr, name)
                return name
            base = getattr(base, "base", None)
        return None

    def _view_of_known(self, arr: Any, arr2: Any) -> str | None:
        """A slice of a known value (such as ``pe[:seq_len]`` of a buffer), as a Slice node."""
        for base in self._roots.get(id(_root(arr)), ()):
            if base is not arr and base.ndim == arr.ndim and base.strides == arr.strides:
                name = self._slice_of(base, arr, arr2)
                if name is not None:
                    return name
        return None

    def _slice_of(self, base: Any, arr: Any, arr2: Any) -> str | None:
        offset = arr.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        starts = []
        for stride, n, m in zip(base.strides, base.shape, arr.shape):
            start, offset = divmod(offset, stride) if stride else (0, offset)
            if start + m > n:
                return None
            starts.append(start)
        if offset:
            return None
        shape2 = tuple(np.shape(arr2)) if arr2 is not None else arr.shape
        ends = [self.dim(s + m, s + m2) or s + m for s, m, m2 in zip(starts, arr.shape, shape2)]
        if all(isinstance(e, int) for e in ends):
            end = self.const(np.array(ends, np.int64))
        else:
            end = self.node(
                "Concat",
                [e if isinstance(e, str) else self.const(np.array([e], np.int64)) for e in ends],
                axis=0,
            )
        axes = self.const(np.arange(arr.ndim, dtype=np.int64))
        return self.node(
            "Slice", [self._values[id(base)], self.const(np.array(starts, np.int64)), end, axes]
        )

    def remember(self, arr: Any, arr2: Any, name: str) -> None:
        """Keep an op's output in both traces, to recognise copies made outside the ops."""
        if arr2 is not None and getattr(arr, "size", 0) <= 1 << 20:
            self._pairs.append((arr, arr2, name))

    def _same_content(self, a: np.ndarray, a2: Any) -> str | None:
        """A value equal to ``a`` in trace one and to ``a2`` in trace two (such as a mask
        converted outside the ops), or None."""
        for p1, p2, name in reversed(self._pairs):
            if (
                p1.shape == a.shape
                and p2.shape == np.shape(a2)
                and p1.dtype == a.dtype
                and np.array_equal(p1, a, equal_nan=True)
                and np.array_equal(p2, a2, equal_nan=True)
            ):
                return name
        return None

    def _second(self, key: str) -> Any:
        if self.call2 is None:
            return None
        return self.call2.args.get(key)

    def _frozen(self, a: np.ndarray) -> str:
        """A constant that differed in the second trace: it follows the inputs (or is random)."""
        warnings.warn(
            self.error(
                f"an array of shape {list(a.shape)} made outside ember's ops depends on the inputs "
                "(or is random); it is exported as the constant this trace saw"
            ).args[0],
            stacklevel=5,
        )
        return self.const(a, hint="const")

    def _uniform_of_shape(self, a: np.ndarray, shape2: tuple[int, ...]) -> str:
        flat = a.reshape(-1)
        if flat.size == 0 or not np.all(flat == flat[0]):
            raise self.error(
                f"an array of shape {list(a.shape)} made inside forward() (not by an ember op) "
                "changes shape with the dynamic axes; build it from the inputs with ember ops"
            )
        shape = self.shape_of(a.shape, shape2, infer=False)
        fill = self.numpy_helper.from_array(flat[:1].copy(), name="")
        return self.node("ConstantOfShape", [shape], value=fill)

    # -- constants, initializers, nodes ---------------------------------------------------------
    def const(self, value: Any, dtype: Any = None, hint: str = "const") -> str:
        """An initializer holding ``value`` (deduplicated for small constants)."""
        a = np.asarray(value, dtype=dtype)
        if a.dtype == np.float64 and dtype is None and not isinstance(value, np.ndarray):
            a = a.astype(np.float32)
        key = None
        if a.size <= 16:
            key = (a.dtype.str, a.shape, a.tobytes())
            if key in self._consts:
                return self._consts[key]
        name = self.fresh(hint)
        self.initializers.append(self.numpy_helper.from_array(a.copy(order="C"), name))
        if key is not None:
            self._consts[key] = name
        return name

    def initializer(self, arr: Any, name: str) -> str:
        """A named initializer (a parameter or buffer) for raw array ``arr``."""
        a = np.asarray(arr.get() if hasattr(arr, "get") else arr)
        name = self.fresh(name)
        self.initializers.append(self.numpy_helper.from_array(a.copy(order="C"), name))
        self.bind(arr, name)
        self._roots.setdefault(id(_root(arr)), []).append(arr)
        return name

    def node(self, op: str, inputs: list[str | None], n_out: int = 1, **attrs: Any) -> Any:
        """Append one ONNX node; returns its output name (a list when ``n_out > 1``)."""
        where = self.call.module if self.call is not None and self.call.module else "model"
        outs = [self.fresh(f"{where}.{op}") for _ in range(n_out)]
        ins = ["" if i is None else i for i in inputs]
        while ins and ins[-1] == "":
            ins.pop()
        self.nodes.append(self.helper.make_node(op, ins, outs, name=outs[0], **attrs))
        for o in outs:
            self._inputs_of[o] = [i for i in ins if i]
        return outs[0] if n_out == 1 else outs

    # -- packed sequences ------------------------------------------------------------------------
    def identity_permutation(self, arr: Any) -> None:
        """Mark ``arr`` as a batch permutation that the graph does not apply (the sorting of a
        packed sequence: the graph keeps the batch order, so gathers with it are identities)."""
        self._keep.append(arr)
        self._perms.add(id(_root(arr)))

    def is_identity_permutation(self, arr: Any) -> bool:
        """Whether ``arr`` (or the array it views) was marked by :meth:`identity_permutation`."""
        return id(_root(arr)) in self._perms

    def packed_lengths(self, name: str) -> str | None:
        """The int32 sequence lengths of the packed sequence value ``name`` derives from (the
        nearest one up its inputs), or None when it does not come from a packed sequence."""
        seen, todo = set(), [name]
        while todo:
            v = todo.pop(0)
            if v in self.packed:
                return self.packed[v]
            if v not in seen:
                seen.add(v)
                todo.extend(self._inputs_of.get(v, ()))
        return None

    def cast_like(self, scalar: Any, like: Any) -> str:
        """A 0-d constant of ``like``'s dtype (a Python number operand)."""
        return self.const(np.asarray(scalar, dtype=np.asarray(like).dtype))

    def error(self, what: str) -> ExportError:
        """An ExportError naming the current op, module path and opset."""
        call = self.call
        op = call.op if call is not None else "?"
        where = (call.module or "<root>") if call is not None else "?"
        return ExportError(
            f"ember.onnx.export: {what} (op {op!r} in module {where!r}, opset {self.opset})"
        )

    # -- dynamic dimensions -----------------------------------------------------------------
    def dims_changed(self, key: str) -> tuple[Any, Any]:
        """The current call's argument ``key`` in both traces (the second is None if absent)."""
        return self.call.args[key], self._second(key)

    def sym_dim(self, s: Symbol) -> str:
        """A 1-element int64 tensor holding the runtime size of symbol ``s``."""
        cached = self._sym_dims.get(id(s))
        if cached is None:
            shape = self.node("Shape", [s.value])
            cached = self.node("Gather", [shape, self.const(np.array([s.axis], np.int64))])
            self._sym_dims[id(s)] = cached
        return cached

    def dim(self, v1: int, v2: int | None) -> str | None:
        """A 1-element int64 tensor for one dimension: a constant, or ``coef * symbol`` (or a
        product of two symbols) when the second trace shows it follows the dynamic axes."""
        if v2 is None or v1 == v2:
            return None
        for s in self.symbols:
            if s.size and v1 % s.size == 0 and (v1 // s.size) * s.size2 == v2:
                coef = v1 // s.size
                d = self.sym_dim(s)
                return d if coef == 1 else self.node("Mul", [d, self.const([coef], np.int64)])
        for s in self.symbols:
            for t in self.symbols:
                p1, p2 = s.size * t.size, s.size2 * t.size2
                if s is not t and p1 and v1 % p1 == 0 and (v1 // p1) * p2 == v2:
                    d = self.node("Mul", [self.sym_dim(s), self.sym_dim(t)])
                    coef = v1 // p1
                    return d if coef == 1 else self.node("Mul", [d, self.const([coef], np.int64)])
        raise self.error(
            f"a size ({v1}, then {v2} with the dynamic axes resized) does not "
            "follow the dynamic axes in a way the exporter can express"
        )

    def shape_of(self, dims: Any, dims2: Any, *, infer: bool) -> str:
        """An int64 shape tensor for ``dims``; entries that change with the dynamic axes are
        computed from the inputs' shapes (one of them may be -1 when ``infer``)."""
        dims = [int(d) for d in dims]
        dims2 = None if dims2 is None or len(dims2) != len(dims) else [int(d) for d in dims2]
        if dims2 is None or dims == dims2:
            return self.const(np.array(dims, np.int64))
        changed = [i for i, (a, b) in enumerate(zip(dims, dims2)) if a != b]
        if infer and len(changed) == 1:
            out = list(dims)
            out[changed[0]] = -1
            return self.const(np.array(out, np.int64))
        parts = []
        for a, b in zip(dims, dims2):
            d = self.dim(a, b)
            parts.append(d if d is not None else self.const(np.array([a], np.int64)))
        return self.node("Concat", parts, axis=0)
