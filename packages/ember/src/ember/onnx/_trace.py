"""The exporter's one contact with how primitives run: record every primitive call of a forward.

``capture(model, record)`` runs a block with a hook on the primitive call path; each outermost
primitive call is reported as a :class:`Call` (the primitive's name, its arguments bound to the
names of its ``forward`` parameters, its raw outputs, and the module path active in the model).

Until the core has a tracer hook on its single entry point, this module wraps the current
dispatch: for the duration of the block, every ``Primitive`` subclass's ``forward`` is replaced
by a reporting wrapper (the array fast paths of ``add``/``sub``/``mul`` are switched off so that
they reach ``forward``), and ``apply_inplace`` is wrapped so that an in-place write is seen as the
target now holding the result. Everything is restored when the block ends. No other file of the
exporter knows how primitives are invoked.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ember.autograd.function import Primitive

__all__ = ["Call", "capture", "primitive_classes"]


@dataclass
class Call:
    """One primitive call seen while tracing.

    Attributes:
        op: the primitive's class name (the key of the converter table).
        args: the ``forward`` arguments by parameter name (raw arrays and plain values).
        outputs: the raw output arrays (a tuple even for one output).
        module: the dotted path of the innermost module running (``""`` for the root).
    """

    op: str
    args: dict[str, Any]
    outputs: tuple[Any, ...]
    module: str
    index: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def primitive_classes() -> list[type[Primitive]]:
    """Every ``Primitive`` subclass defined so far (the op modules are imported first)."""
    import ember.nn.functional  # noqa: F401  (defines the nn primitives)
    import ember.nn.modules.rnn  # noqa: F401
    from ember import ops

    ops.load_all()
    seen: list[type[Primitive]] = []
    stack = list(Primitive.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in seen:
            seen.append(cls)
            stack.extend(cls.__subclasses__())
    return seen


class _Recorder:
    def __init__(self, record: Callable[[Call], None]) -> None:
        self.record = record
        self.depth = 0
        self.modules: list[str] = [""]
        self.count = 0
        self.inplace: list[tuple[Any, Any]] = []

    def wrap_forward(self, cls: type[Primitive], fn: Any) -> Any:
        sig = inspect.signature(fn)
        name = cls.__name__

        def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            self.depth += 1
            try:
                out = fn(ctx, *args, **kwargs)
            finally:
                self.depth -= 1
            if self.depth == 0:
                bound = sig.bind(ctx, *args, **kwargs)
                named = dict(bound.arguments)
                named.pop(next(iter(sig.parameters)))  # ctx
                outs = out if type(out) is tuple else (out,)
                self.record(Call(name, named, outs, self.modules[-1], self.count))
                self.count += 1
            return out

        return staticmethod(forward)

    def wrap_inplace(self, fn: Any) -> Any:
        def apply_inplace(target: Any, result: Any, op: str) -> Any:
            out = fn(target, result, op)
            self.record(
                Call(
                    "_Inplace",
                    {"target": target._data, "result": result._data},
                    (target._data,),
                    self.modules[-1],
                    -1,
                )
            )
            return out

        return apply_inplace


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
        if name not in self._names or self._rec.depth:
            return fn
        rec = self._rec

        def call(*args: Any) -> Any:
            out = fn(*args)
            named = {f"x{i}": a for i, a in enumerate(args)}
            rec.record(Call(f"xp.{name}", named, (out,), rec.modules[-1], rec.count))
            rec.count += 1
            return out

        return call


@contextlib.contextmanager
def _patched(rec: _Recorder) -> Iterator[None]:
    from ember.ops import inplace

    undo: list[tuple[Any, str, Any, bool]] = []

    def patch(obj: Any, attr: str, value: Any) -> None:
        own = attr in vars(obj)
        undo.append((obj, attr, vars(obj).get(attr), own))
        setattr(obj, attr, value)

    try:
        classes = primitive_classes()
        originals = [(cls, cls.forward) for cls in classes]  # before any is wrapped
        for cls, fn in originals:
            patch(cls, "forward", rec.wrap_forward(cls, fn))
            if cls.raw is not None:
                patch(cls, "raw", None)
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
        for path, module in model.named_modules():
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
    with _patched(rec), _module_paths(model, rec):
        yield
