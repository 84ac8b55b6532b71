"""The exporter's one contact with how ops run: record every op call of a forward pass.

``capture(model, record)`` runs a block with the core's dispatch hook installed
(``ember.ops.registry.set_dispatch_hook``): ``Primitive.apply``, the one entry point of every
primitive, reports each call, and this module hands it on as a :class:`Call` (the primitive's
registry name, its arguments bound to the names of its ``forward`` parameters as raw arrays and
plain values, its raw outputs, and the module path active in the model, from forward pre/post
hooks).

Some work still happens outside any primitive, and is seen here by wrapping for the duration
of the block only:

* comparisons and logical ops (results outside the graph) and ``masked_fill``'s no-grad path:
  the array module their op modules ask for reports these calls as ``xp.<name>``
  pseudo-primitives;
* in-place ops, which write an out-of-place result back into the target (``apply_inplace``):
  reported as ``_Inplace`` so the target is known to hold the result;
* functions whose result depends on integer inputs through Python (``COMPOSITES``: bag ids of
  ``embedding_bag``, the sorting and batch sizes of ``pack_padded_sequence``): reported whole as
  ``nn.<name>`` pseudo-primitives with their arguments, the primitives they run unreported.

No other file of the exporter knows how ops are invoked.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ember._tensor import Tensor
from ember.autograd.function import Primitive
from ember.ops import inplace, registry

__all__ = ["Call", "capture"]


@dataclass
class Call:
    """One primitive call seen while tracing.

    Attributes:
        op: the primitive's registry name (the key of the converter table).
        args: the ``forward`` arguments by parameter name (raw arrays and plain values).
        outputs: the raw output arrays (a tuple even for one output).
        module: the dotted path of the innermost module running (``""`` for the root).
    """

    op: str
    args: dict[str, Any]
    outputs: tuple[Any, ...]
    module: str


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


class _Recorder:
    def __init__(self, record: Callable[[Call], None]) -> None:
        self.sink = record
        self.modules: list[str] = [""]
        self.signatures: dict[type, inspect.Signature] = {}
        self.inside = 0  # > 0 while a composite runs: its own ops are not reported

    def record(self, call: Call) -> None:
        if not self.inside:
            self.sink(call)

    def hook(
        self, cls: type[Primitive], args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
    ) -> None:
        """The dispatch hook: one primitive call, as the caller passed it."""
        if self.inside:
            return
        sig = self.signatures.get(cls)
        if sig is None:
            sig = self.signatures[cls] = inspect.signature(cls.forward)
        raw = [_raw(a) for a in args]
        named = dict(sig.bind(None, *raw, **kwargs).arguments)
        named.pop(next(iter(sig.parameters)))  # ctx
        outs = result if type(result) is tuple else (result,)
        outs = tuple(_raw(o) for o in outs)
        self.record(Call(cls.op_name, named, outs, self.modules[-1]))

    def wrap_inplace(self, fn: Any) -> Any:
        def apply_inplace(target: Any, result: Any, op: str) -> Any:
            out = fn(target, result, op)
            self.record(
                Call(
                    "_Inplace",
                    {"target": target._data, "result": result._data},
                    (target._data,),
                    self.modules[-1],
                )
            )
            return out

        return apply_inplace

    def wrap_composite(self, op: str, fn: Any) -> Any:
        sig = inspect.signature(fn)

        def composite(*args: Any, **kwargs: Any) -> Any:
            self.inside += 1
            try:
                out = fn(*args, **kwargs)
            finally:
                self.inside -= 1
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            named = {k: _raw_tree(v) for k, v in bound.arguments.items()}
            outs = tuple(_raw_tree(o) for o in (out if isinstance(out, tuple) else (out,)))
            self.record(Call(op, named, outs, self.modules[-1]))
            return out

        return composite


def _raw_tree(x: Any) -> Any:
    if isinstance(x, (list, tuple)) and not hasattr(x, "_fields"):
        return type(x)(_raw_tree(v) for v in x)
    return _raw(x)


# Functions reported whole (module, attribute, pseudo-primitive name): wherever a module, or the
# globals of the model's code, hold the function under its own name, the reference is swapped
# for the block.
COMPOSITES = (
    ("ember.nn._functional.sparse", "embedding_bag", "nn.embedding_bag"),
    ("ember.nn.utils.rnn", "pack_padded_sequence", "nn.pack_padded_sequence"),
    ("ember.nn.utils.rnn", "pad_packed_sequence", "nn.pad_packed_sequence"),
)


# Ops computed on raw arrays outside any primitive (comparisons, logical ops, and masked_fill's
# no-grad path) are seen through the array module their op module asks for: these calls of it
# are reported as ``xp.<name>`` pseudo-primitives.
_XP_CALLS = {
    "ember.ops.comparison": {
        "equal",
        "not_equal",
        "less",
        "less_equal",
        "greater",
        "greater_equal",
        "logical_and",
        "logical_or",
        "logical_xor",
        "logical_not",
        "invert",
        "bitwise_and",
        "bitwise_or",
        "bitwise_xor",
    },
    "ember.ops.indexing": {"where"},
}


class _XpProxy:
    """An array module whose listed functions report their calls (outside primitives)."""

    def __init__(self, xp: Any, rec: _Recorder, names: set[str]) -> None:
        self._xp, self._rec, self._names = xp, rec, names

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self._xp, name)
        if name not in self._names:
            return fn
        rec = self._rec

        def call(*args: Any) -> Any:
            out = fn(*args)
            named = {f"x{i}": a for i, a in enumerate(args)}
            rec.record(Call(f"xp.{name}", named, (out,), rec.modules[-1]))
            return out

        return call


def _namespaces(model: Any) -> list[dict[str, Any]]:
    """The global namespaces the model's code may find a function in: every module's, and those
    of the functions of the model's classes (code run with ``exec`` has no module)."""
    spaces = {
        id(d): d
        for d in (getattr(m, "__dict__", None) for m in list(sys.modules.values()))
        if isinstance(d, dict)
    }
    parts = list(model.modules()) if hasattr(model, "modules") else [model]
    for part in parts:
        for owner in (part, *type(part).__mro__):
            for fn in vars(owner).values() if hasattr(owner, "__dict__") else ():
                if isinstance(fn, types.FunctionType):
                    spaces.setdefault(id(fn.__globals__), fn.__globals__)
        if isinstance(part, types.FunctionType):
            spaces.setdefault(id(part.__globals__), part.__globals__)
    return list(spaces.values())


@contextlib.contextmanager
def _patched(rec: _Recorder, model: Any) -> Iterator[None]:
    undo: list[tuple[Any, str, Any, bool]] = []

    def patch(obj: Any, attr: str, value: Any) -> None:
        own = attr in vars(obj)
        undo.append((obj, attr, vars(obj).get(attr), own))
        setattr(obj, attr, value)

    spaces: list[tuple[dict[str, Any], str, Any]] = []
    try:
        namespaces = _namespaces(model)
        for modname, attr, op in COMPOSITES:
            fn = getattr(importlib.import_module(modname), attr)
            wrapped_fn = rec.wrap_composite(op, fn)
            for space in namespaces:
                held = space.get(attr)
                # ember.nn.functional holds the function behind its argument-check guard
                if held is fn or getattr(held, "__wrapped__", None) is fn:
                    spaces.append((space, attr, held))
                    space[attr] = wrapped_fn
        for modname, names in _XP_CALLS.items():
            mod = sys.modules[modname]
            get = mod.get_xp
            patch(mod, "get_xp", lambda arr, get=get, names=names: _XpProxy(get(arr), rec, names))
        original = inplace.apply_inplace
        wrapped = rec.wrap_inplace(original)
        for mod in list(sys.modules.values()):
            if (
                getattr(mod, "__name__", "").startswith("ember")
                and getattr(mod, "apply_inplace", None) is original
            ):
                patch(mod, "apply_inplace", wrapped)
        yield
    finally:
        for obj, attr, old, own in reversed(undo):
            if own:
                setattr(obj, attr, old)
            else:
                delattr(obj, attr)
        for space, attr, fn in spaces:
            space[attr] = fn


@contextlib.contextmanager
def _module_paths(model: Any, rec: _Recorder) -> Iterator[None]:
    handles = []

    def enter(path: str) -> Callable[..., None]:
        def hook(module: Any, args: Any) -> None:
            rec.modules.append(path)

        return hook

    def leave(module: Any, args: Any, output: Any) -> None:
        rec.modules.pop()

    try:
        named = model.named_modules() if hasattr(model, "named_modules") else ()
        for path, module in named:
            if path:
                handles.append(module.register_forward_pre_hook(enter(path)))
                handles.append(module.register_forward_hook(leave))
        yield
    finally:
        for h in handles:
            h.remove()


@contextlib.contextmanager
def capture(model: Any, record: Callable[[Call], None]) -> Iterator[None]:
    """Report every outermost primitive call made inside the block to ``record``.

    Args:
        model: the module being traced (its submodules give the module paths).
        record: called with a :class:`Call` for each primitive call, in execution order, and
            with a ``"_Inplace"`` call when an in-place op wrote a result into its target.
    """
    rec = _Recorder(record)
    old = registry.set_dispatch_hook(rec.hook)
    try:
        with _patched(rec, model), _module_paths(model, rec):
            yield
    finally:
        registry.set_dispatch_hook(old)
