"""The table of ember's primitives, the one place tools hang per-op entries on.

Every subclass of :class:`ember.autograd.Primitive` is registered here when its class statement
runs (the ``Function`` metaclass calls :func:`register`), under its ``op_name`` (the class name
without a leading underscore unless the class sets one). A name is taken once: a second class
under the same name is an error, so each primitive is defined once.

What the table offers, and what stays stable for the tools built on it (the ONNX exporter, CuPy
kernels, coverage checks):

* ``PRIMITIVES: dict[str, type[Primitive]]`` and :func:`get` / :func:`names` to walk it;
* :func:`reached_by` — the public functions and ``Tensor`` methods whose code reaches a primitive;
* :func:`register_kernel` — a backend kernel (``"cupy"``, ...) that replaces a primitive's
  ``forward`` for arrays of that backend; it lives in ``Prim.kernels[backend]``;
* :func:`set_dispatch_hook` — one callable that sees every primitive call, recorded or not:
  ``hook(prim_cls, args, kwargs, result)`` with the arguments as the caller passed them (Tensors
  and plain values) and the wrapped result. A tracer (ONNX export) installs it for one run.

This module imports nothing from ember, so the autograd core can import it without a circle.

Example:
    >>> from ember.ops import registry
    >>> registry.get("Mul").__name__
    'Mul'
    >>> "ember.mul" in registry.reached_by("Mul")
    True
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ember.autograd.function import Primitive

__all__ = [
    "PRIMITIVES",
    "get",
    "names",
    "register",
    "register_kernel",
    "set_dispatch_hook",
    "get_dispatch_hook",
    "reached_by",
]

PRIMITIVES: dict[str, type[Primitive]] = {}


class _Dispatch:
    """The hook slot the entry point reads on every call (one attribute load when unset)."""

    __slots__ = ("hook", "guard")

    def __init__(self) -> None:
        self.hook: Callable[..., Any] | None = None
        # ember.backends.device_guard when several GPUs are visible: makes the inputs' GPU current
        self.guard: Callable[..., Any] | None = None


DISPATCH = _Dispatch()


def register(cls: type[Primitive]) -> type[Primitive]:
    """Add a primitive class to the table (done by the metaclass; callable as a decorator).

    Args:
        cls: a subclass of ``Primitive``.

    Returns:
        ``cls``, with its own ``kernels`` dict.

    Raises:
        ValueError: another class already holds ``cls.op_name``.
    """
    name = cls.__dict__.get("op_name") or cls.__name__.lstrip("_")
    old = PRIMITIVES.get(name)
    if old is not None and old is not cls:
        same = (old.__module__, old.__qualname__) == (cls.__module__, cls.__qualname__)
        if not same:  # a module reloaded redefines its classes; anything else is a duplicate
            raise ValueError(
                f"primitive {name!r} is defined twice: {old.__module__}.{old.__qualname__} and "
                f"{cls.__module__}.{cls.__qualname__}; give one an op_name or reuse the other"
            )
    cls.op_name = name
    if "kernels" not in cls.__dict__:
        cls.kernels = {}
    PRIMITIVES[name] = cls
    return cls


def get(name: str) -> type[Primitive]:
    """The primitive registered as ``name``.

    Raises:
        KeyError: no primitive has that name (the message lists close names).
    """
    _load()
    try:
        return PRIMITIVES[name]
    except KeyError:
        close = [n for n in PRIMITIVES if n.lower().startswith(name.lower()[:3])]
        raise KeyError(f"no primitive named {name!r}; close names: {close}") from None


def names() -> list[str]:
    """Every registered primitive name, sorted."""
    _load()
    return sorted(PRIMITIVES)


def register_kernel(name: str, backend: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: use ``fn`` instead of primitive ``name``'s ``forward`` for ``backend`` arrays.

    The kernel has ``forward``'s signature and contract (``fn(ctx, *arrays, **options)``, saves
    what ``backward`` reads), and is picked by the module of the first array argument
    (``"numpy"``, ``"cupy"``). Backward is unchanged: it is written with ember ops.

    Args:
        name: the primitive's registry name.
        backend: the array module's top-level name.

    Example:
        >>> @register_kernel("Relu", "cupy")
        ... def relu_cupy(ctx, x):
        ...     ...
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        get(name).kernels[backend] = fn
        return fn

    return deco


def kernel_for(cls: type[Primitive], arrays: Any) -> Callable[..., Any]:
    """The forward to run for ``arrays``: a registered backend kernel, else ``cls.forward``."""
    for a in arrays:
        if hasattr(a, "dtype") and hasattr(a, "shape"):
            fn = cls.kernels.get(type(a).__module__.partition(".")[0])
            return fn if fn is not None else cls.forward
    return cls.forward


def set_dispatch_hook(hook: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """Install ``hook(prim_cls, args, kwargs, result)`` for every primitive call; None removes it.

    Returns:
        The hook it replaced, so a tracer can restore it.
    """
    old = DISPATCH.hook
    DISPATCH.hook = hook
    return old


def get_dispatch_hook() -> Callable[..., Any] | None:
    """The installed dispatch hook, or None."""
    return DISPATCH.hook


def _load() -> None:
    if "ember" not in sys.modules or not PRIMITIVES:
        importlib.import_module("ember")
    # nn's primitives load with ember.nn, which ember imports; nothing else to do.


def _public_callables() -> list[tuple[str, Any]]:
    """``(qualified name, callable)`` for ember's public op functions and Tensor methods."""
    import ember  # noqa: PLC0415 - walked on request, after ember has loaded
    from ember import fft, linalg  # noqa: PLC0415
    from ember.nn import functional  # noqa: PLC0415

    out: list[tuple[str, Any]] = []
    for prefix, mod in (
        ("ember", ember),
        ("ember.nn.functional", functional),
        ("ember.linalg", linalg),
        ("ember.fft", fft),
    ):
        for name in getattr(mod, "__all__", None) or dir(mod):
            fn = getattr(mod, name, None)
            if isinstance(fn, types.FunctionType):
                out.append((f"{prefix}.{name}", fn))
    for name, fn in vars(ember.Tensor).items():
        if isinstance(fn, (types.FunctionType, property)):
            out.append((f"Tensor.{name}", fn.fget if isinstance(fn, property) else fn))
    return out


def _reach(fn: Any, memo: dict[int, set[str]], stack: set[int], prims: set[type]) -> set[str]:
    """Primitive names a function's code refers to, following ember helpers it calls."""
    key = id(fn)
    if key in memo:
        return memo[key]
    if key in stack or getattr(fn, "__code__", None) is None:
        return set()
    stack.add(key)
    found: set[str] = set()
    refs: list[Any] = []
    g = fn.__globals__
    codes = [fn.__code__]
    while codes:
        code = codes.pop()
        refs.extend(g[n] for n in code.co_names if n in g)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    refs.extend(c.cell_contents for c in fn.__closure__ or () if _filled(c))
    for obj in refs:
        if isinstance(obj, type) and obj in prims:
            found.add(obj.op_name)
        elif isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("ember"):
            found |= _reach(obj, memo, stack, prims)
    stack.discard(key)
    memo[key] = found
    return found


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


_REACH: dict[str, list[str]] = {}


def reached_by(name: str) -> list[str]:
    """Public functions and Tensor methods whose code reaches primitive ``name``.

    Found statically: names each function's code refers to, followed through ember's own
    helper functions and closures. Calls made through another module's attribute
    (``mod.fn(...)``) are not followed, so the list can miss an indirect caller.

    Returns:
        Qualified names such as ``"ember.mul"`` and ``"Tensor.__mul__"``, sorted.
    """
    cls = get(name)
    if not _REACH:
        memo: dict[int, set[str]] = {}
        table: dict[str, set[str]] = {}
        prims = set(PRIMITIVES.values())
        for qual, fn in _public_callables():
            for prim in _reach(fn, memo, set(), prims):
                table.setdefault(prim, set()).add(qual)
        _REACH.update({k: sorted(v) for k, v in table.items()})
        _REACH.setdefault("", [])  # marks the table built even if empty
    return _REACH.get(cls.op_name, [])
