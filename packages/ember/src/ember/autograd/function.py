"""The graph-node contract shared by built-in primitives and user-defined autograd functions.

``Function.apply`` runs ``forward`` and, when any input requires grad and grad mode is on,
records a node (the ``ctx``) in the graph. The node keeps the edges to its inputs' nodes
(``next_functions``), what ``forward`` saved, and the versions of saved tensors so that an in-place
change made after saving is caught at ``backward()``.

Two flavours share that machinery:

* ``Function`` (public, as ``torch.autograd.Function``): ``forward`` gets Tensors and runs
  without recording; ``backward`` gets and returns Tensors.
* ``Primitive`` (ember's own ops): ``forward`` gets raw NumPy/CuPy arrays and returns arrays, so the
  hot path wraps nothing it does not have to; ``backward`` still works on Tensors, so every
  primitive is twice differentiable.

``Primitive.apply`` is the one entry point of every built-in op: with grad off or no input
requiring grad it runs ``forward`` on the raw arrays with ``NULL_CTX`` (saving is a no-op) and
wraps the result; otherwise it records a node. Either way it runs a backend kernel registered
for the inputs' array module (``ember.ops.registry.register_kernel``) instead of ``forward``,
and calls the dispatch hook when one is installed (``ember.ops.registry.set_dispatch_hook``).
Every primitive class is listed in ``ember.ops.registry.PRIMITIVES``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ember._argcheck import shape_error
from ember._dtype import np_kind
from ember._tensor import Tensor, _ndarray, _new, _wrap
from ember.autograd import anomaly
from ember.autograd.grad_mode import _State
from ember.backends import meta as _meta
from ember.ops import registry
from ember.ops.registry import DISPATCH

__all__ = [
    "Function", "FunctionCtx", "Primitive", "once_differentiable", "BackwardNode", "NULL_CTX",
]

# Kinds of saved entries.
_SAVED_INPUT, _SAVED_OUTPUT, _SAVED_OTHER, _SAVED_NONE = range(4)
_NONE_ENTRY = (_SAVED_NONE, None, None, 0)


class FunctionCtx:
    """The ``ctx`` handed to ``forward`` and ``backward``; after forward it is the graph node.

    Attributes set by the engine: ``next_functions`` (one ``(node_or_leaf, output_nr)`` per
    forward argument, ``None`` where no gradient flows) and ``needs_input_grad``.
    """

    _materialize = True

    def save_for_backward(self, *items: Any) -> None:
        """Keep tensors (arrays in a primitive) for ``backward`` (see ``saved_tensors``)."""
        self._to_save = items

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Declare outputs (such as indices) that get no gradient."""
        self._non_diff_ids = {id(o) for o in outputs}

    def mark_dirty(self, *inputs: Any) -> None:
        """Declare inputs that ``forward`` modified in place."""
        self._dirty_ids = {id(i) for i in inputs}

    def set_materialize_grads(self, value: bool) -> None:
        """If False, ``backward`` receives None (not zeros) for outputs that got no gradient."""
        self._materialize = bool(value)


class BackwardNode(FunctionCtx):
    """A recorded call: the ``grad_fn`` of the tensors it produced."""

    # The engine's fields live in slots (set on every recorded call); what forward stores on the
    # ctx (``ctx.shapes``...) goes to the instance ``__dict__``.
    __slots__ = ("needs_input_grad", "next_functions", "_in_meta", "_out_meta", "_saved")

    _fn: type[Function]
    next_functions: tuple[tuple[Any, int] | None, ...]
    needs_input_grad: tuple[bool, ...]

    def name(self) -> str:
        """The node's name, as PyTorch prints it (``MulBackward0``; ``MyFnBackward`` for user
        Functions)."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved tensors, checked against in-place changes made since they were saved."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or if "
                "you need to access saved tensors after calling backward."
            )
        out = []
        for kind, value, vc, version in saved:
            if vc is not None and vc[0] != version:
                self._raise_modified(value, kind, vc[0], version)
            if kind == _SAVED_INPUT or kind == _SAVED_OTHER:
                out.append(value)
            elif kind == _SAVED_OUTPUT:
                arr, nr = value
                t = _wrap(arr)
                t.grad_fn = self
                t._output_nr = nr
                t._requires_grad = True
                t._vc = vc
                out.append(t)
            else:
                out.append(None)
        return tuple(out)

    def _raise_modified(self, value: Any, kind: int, now: int, then: int) -> None:
        if kind == _SAVED_OUTPUT:
            shape, where = value[0].shape, f"output {value[1]} of {self.name()}"
        else:
            shape = value.shape
            fn = value.grad_fn
            where = f"output {value._output_nr} of {fn.name()}" if fn else "a leaf tensor"
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [tensor of shape {list(shape)}], which is {where}, is at version "
            f"{now}; expected version {then} instead. Hint: replace the in-place operation "
            "(such as x += y or x.add_(y)) with its out-of-place form (x = x + y)."
        )


class _NullCtx:
    """The ctx a primitive's ``forward`` gets when nothing is recorded: saving is a no-op."""

    __slots__ = ()
    needs_input_grad = (False,) * 32

    def save_for_backward(self, *items: Any) -> None:
        pass

    def mark_non_differentiable(self, *outputs: Any) -> None:
        pass

    def mark_dirty(self, *inputs: Any) -> None:
        pass

    def set_materialize_grads(self, value: bool) -> None:
        pass

    def __setattr__(self, name: str, value: Any) -> None:
        pass


NULL_CTX = _NullCtx()


class _FunctionMeta(type):
    """Gives each Function subclass its node class, so ``grad_fn`` prints as ``NameBackward0``,
    and lists each Primitive subclass in ``ember.ops.registry``."""

    def __init__(cls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> None:
        super().__init__(name, bases, ns)
        suffix = "Backward0" if cls._raw else "Backward"  # PyTorch's names for both kinds
        cls._node_cls = type(name + suffix, (BackwardNode,), {"_fn": cls, "__slots__": ()})
        if cls._raw and bases != (Function,):
            registry.register(cls)  # type: ignore[arg-type]


class Function(metaclass=_FunctionMeta):
    """Base class for differentiable operations written by users, as ``torch.autograd.Function``.

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` and call
    ``MyFn.apply(*args)``. ``backward`` returns one gradient (or None) per ``forward`` argument.

    Example:
        >>> class Square(ember.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return 2 * x * grad
        >>> Square.apply(ember.tensor(3.0, requires_grad=True)).backward()
    """

    _raw = False
    _node_cls: type[BackwardNode]

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """Compute the outputs. Must be overridden."""
        raise NotImplementedError("subclasses of Function must implement forward")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Return gradients with respect to each forward input. Must be overridden."""
        raise NotImplementedError("subclasses of Function must implement backward")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on ``args`` and record the call in the graph when grad is needed."""
        needs = None
        if _State.enabled:
            for a in args:
                if isinstance(a, Tensor) and a._requires_grad:
                    needs = tuple(isinstance(x, Tensor) and x._requires_grad for x in args)
                    break
        if needs is None:
            return _run_untracked(cls, args, kwargs)
        return _run_tracked(cls, args, kwargs, needs)


class Primitive(Function):
    """Base class of ember's built-in ops: ``forward`` works on raw arrays (see module docs).

    Subclass it with static ``forward(ctx, *arrays_and_options)`` and ``backward(ctx, *grads)``;
    the class is registered in ``ember.ops.registry`` under ``op_name`` (default: the class name
    without a leading underscore). Call it only through :meth:`apply`.

    ``raw``, when set, is a plain array function equal to ``forward`` without bookkeeping
    (``operator.add`` for ``Add``): the entry point calls it when nothing is recorded.
    """

    _raw = True
    raw: Any = None
    op_name: str = ""
    kernels: dict[str, Callable[..., Any]] = {}

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run the primitive on ``args`` (Tensors and plain values): the one entry point.

        Records a graph node when grad mode is on and a Tensor argument requires grad; otherwise
        runs ``forward`` on the raw arrays with ``NULL_CTX`` and wraps what it returns (a tuple
        stays a tuple). Returns Tensors.
        """
        if DISPATCH.guard is not None and (scope := DISPATCH.guard(args)) is not None:
            with scope:  # the inputs' GPU is made current; inside, the guard finds it so
                return cls.apply(*args, **kwargs)
        if len(args) == 2:  # binary ops, the hottest: unrolled
            x, y = args
            if isinstance(x, Tensor):
                if x._requires_grad and _State.enabled:
                    return _record(cls, args, kwargs)
                x = x._data
            if isinstance(y, Tensor):
                if y._requires_grad and _State.enabled:
                    return _record(cls, args, kwargs)
                y = y._data
            raw: Any = (x, y)
        else:
            raw = []
            for a in args:
                if isinstance(a, Tensor):
                    if a._requires_grad and _State.enabled:
                        return _record(cls, args, kwargs)
                    raw.append(a._data)
                else:
                    raw.append(a)
        try:
            if cls.kernels:
                out = registry.kernel_for(cls, raw)(NULL_CTX, *raw, **kwargs)
            elif cls.raw is not None and not kwargs:
                out = cls.raw(*raw)
            else:
                out = cls.forward(NULL_CTX, *raw, **kwargs)
        except _meta.NoData:  # a meta tensor's data was asked for: shapes and dtypes only
            return _run_meta(cls, args, kwargs)
        except (TypeError, ValueError) as e:
            _forward_failed(cls, args, kwargs, raw, e)
            raise
        if type(out) is _ndarray:  # _wrap, inlined: the no-grad hot path
            result = _new(Tensor)
            result._data = out
            result._requires_grad = False
            result.grad_fn = None
            result._vc = [0]
        elif type(out) is tuple:
            result = tuple(_wrap(o) if o is not None else None for o in out)
        else:
            result = _wrap(out)
        if DISPATCH.hook is not None:
            DISPATCH.hook(cls, args, kwargs, result)
        return result


def _run_meta(cls: type[Primitive], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A primitive on meta tensors: its forward on data-less stand-ins, meta tensors out.

    No graph is recorded: outputs of float dtype require grad when an input does (as PyTorch
    reports), but backward through meta tensors is not supported.
    """
    out = _meta.run_meta(cls, NULL_CTX, args, kwargs)
    grad = _State.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args)
    outs = out if type(out) is tuple else (out,)
    wrapped = []
    for o in outs:
        t = _wrap(o) if o is not None else None
        if t is not None and grad and np_kind(o.dtype) in "fc":
            t._requires_grad = True
        wrapped.append(t)
    result = tuple(wrapped) if type(out) is tuple else wrapped[0]
    if DISPATCH.hook is not None:
        DISPATCH.hook(cls, args, kwargs, result)
    return result


def _forward_failed(
    cls: type[Primitive], args: Any, kwargs: Any, arrays: Any, err: Exception
) -> None:
    """A primitive's forward raised ``err`` (a TypeError or ValueError): raise PyTorch's error
    instead where there is one (tensors on two devices; NumPy's shape errors, which are
    RuntimeErrors in PyTorch). Returns when ``err`` should propagate as it is."""
    _mixed_devices(cls, args, kwargs, err)
    if isinstance(err, ValueError):
        raise shape_error(cls.op_name, arrays, err) from err


def _mixed_devices(cls: type[Primitive], args: Any, kwargs: Any, err: Exception) -> None:
    """After a primitive's forward failed: when its tensor arguments live on different devices
    (CuPy refuses host arrays with a TypeError, arrays of another GPU with a ValueError), raise
    PyTorch's RuntimeError naming both devices instead. Costs nothing when the forward works."""
    from ember.backends import device_of

    seen: list[Any] = []
    for a in (*args, *kwargs.values()):
        for t in a if isinstance(a, (list, tuple)) else (a,):
            if isinstance(t, Tensor) and (t._data.ndim or type(t._data) is not _ndarray):
                dev = device_of(t._data)
                if seen and dev != seen[0]:
                    raise RuntimeError(
                        f"{_public_op(cls)}: Expected all tensors to be on the same "
                        f"device, but found at least two devices, {seen[0]} and {dev}! Move "
                        "them with .to(device) first."
                    ) from err
                seen.append(dev)


_PUBLIC_CODES: dict[Any, str] = {}


def _public_op(cls: type[Primitive]) -> str:
    """The public op the failing primitive was called through, for error messages: the nearest
    caller on the stack that is an ember function or Tensor method (``F.cross_entropy`` for
    ``CrossEntropy``, ``Tensor.__matmul__`` for ``MatMul``), else the primitive's name in
    snake case."""
    import re
    import sys

    if not _PUBLIC_CODES:
        from ember.ops.registry import _public_callables

        for qual, fn in reversed(_public_callables()):  # ember.x wins over a Tensor method
            while hasattr(fn, "__wrapped__"):  # the argument-check and out= wrappers share code
                fn = fn.__wrapped__
            if hasattr(fn, "__code__"):
                _PUBLIC_CODES[fn.__code__] = qual.rsplit(".", 1)[-1].strip("_")
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code in _PUBLIC_CODES:
            return _PUBLIC_CODES[frame.f_code]
        frame = frame.f_back
    name = cls.op_name or cls.__name__
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _record(cls: type[Primitive], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run a primitive's forward on raw arrays and record its node (``Primitive.apply``'s graph
    path): the edges and input metadata come from one pass over the arguments."""
    node = cls._node_cls()
    arrays: list[Any] = []
    needs: list[bool] = []
    edges: list[Any] = []
    in_meta: list[Any] = []
    for a in args:
        if isinstance(a, Tensor):
            d = a._data
            arrays.append(d)
            if a._requires_grad:
                fn = a.grad_fn
                needs.append(True)
                edges.append((fn, a._output_nr) if fn is not None else (a, 0))
                in_meta.append((d.shape, d.dtype))
                continue
        else:
            arrays.append(a)
        needs.append(False)
        edges.append(None)
        in_meta.append(None)
    node.needs_input_grad = tuple(needs)
    fwd = registry.kernel_for(cls, arrays) if cls.kernels else cls.forward
    _State.enabled = False
    try:
        out = fwd(node, *arrays, **kwargs)
    except _meta.NoData:
        _State.enabled = True
        return _run_meta(cls, args, kwargs)
    except (TypeError, ValueError) as e:
        _forward_failed(cls, args, kwargs, arrays, e)
        raise
    finally:
        _State.enabled = True
    node.next_functions = tuple(edges)
    node._in_meta = in_meta
    d = node.__dict__
    if type(out) is _ndarray and "_non_diff_ids" not in d:
        # One array out, the common case: _wrap and _wrap_single inlined.
        result = _new(Tensor)
        result._data = out
        result._vc = [0]
        node._out_meta = ((out.shape, out.dtype),)
        if np_kind(out.dtype) in "fc":
            result.grad_fn = node
            result._requires_grad = True
        else:
            result.grad_fn = None
            result._requires_grad = False
        wrapped: list[Any] = [result]
        outs: tuple[Any, ...] = (out,)
    elif type(out) is not tuple and "_non_diff_ids" not in d:
        result = _wrap_single(node, out)
        wrapped = [result]
        outs = (out,)
    else:
        outs = (out,) if type(out) is not tuple else out
        wrapped = _wrap_outputs(node, args, outs, True)
        result = wrapped[0] if type(out) is not tuple else tuple(wrapped)
    items = d.pop("_to_save", None)
    if items is None:
        node._saved = ()
    else:
        saved = []
        for item in items:
            if item is None:
                saved.append(_NONE_ENTRY)
                continue
            for a in args:  # most saved arrays are inputs: their Tensor and version go in
                if isinstance(a, Tensor) and item is a._data:
                    vc = a._vc
                    saved.append((_SAVED_INPUT, a, vc, vc[0]))
                    break
            else:
                saved.append(_saved_entry(item, args, outs, wrapped, True))
        node._saved = tuple(saved)
    if anomaly._State.enabled:
        anomaly.record_trace(node)
    if DISPATCH.hook is not None:
        DISPATCH.hook(cls, args, kwargs, result)
    return result


def _run_untracked(cls: type[Function], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A user Function with nothing to record: ``forward`` on the Tensors, grad mode off."""
    prev = _State.enabled
    _State.enabled = False
    try:
        return cls.forward(FunctionCtx(), *args, **kwargs)
    finally:
        _State.enabled = prev


def _run_tracked(
    cls: type[Function], args: tuple[Any, ...], kwargs: dict[str, Any], needs: tuple[bool, ...]
) -> Any:
    """A user Function's recorded call (primitives record through ``_record``)."""
    node = cls._node_cls()
    node.needs_input_grad = needs
    prev = _State.enabled
    _State.enabled = False
    try:
        out = cls.forward(node, *args, **kwargs)
    finally:
        _State.enabled = prev
    # Edges first: an input marked dirty takes this node as its grad_fn below.
    _record_edges(node, args, needs)
    outs = (out,) if type(out) is not tuple else out
    wrapped = _wrap_outputs(node, args, outs, False)
    result = wrapped[0] if type(out) is not tuple else tuple(wrapped)
    _record_saved(node, args, outs, wrapped, False)
    if anomaly._State.enabled:
        anomaly.record_trace(node)
    return result


def _wrap_single(node: BackwardNode, out: Any) -> Tensor:
    t = _wrap(out)
    arr = t._data
    node._out_meta = ((arr.shape, arr.dtype),)
    if np_kind(arr.dtype) in "fc":
        t.grad_fn = node
        t._requires_grad = True
    return t


def _wrap_outputs(node: BackwardNode, args: tuple[Any, ...], outs: tuple[Any, ...], raw: bool):
    non_diff = getattr(node, "_non_diff_ids", ())
    dirty = getattr(node, "_dirty_ids", ())
    wrapped = []
    meta = []
    for nr, o in enumerate(outs):
        if o is None:
            wrapped.append(None)
            meta.append(None)
            continue
        if raw:
            t = _wrap(o)
        elif not isinstance(o, Tensor):
            wrapped.append(o)
            meta.append(None)
            continue
        elif id(o) in dirty:
            t = o
            t._vc[0] += 1
        elif any(o is a for a in args):
            t = o.detach()  # an input returned as is: a new tensor viewing it
        else:
            t = o
        arr = t._data
        meta.append((arr.shape, arr.dtype))
        if id(o) in non_diff or np_kind(arr.dtype) not in "fc":
            wrapped.append(t)
            continue
        t.grad_fn = node
        t._output_nr = nr
        t._requires_grad = True
        wrapped.append(t)
    node._out_meta = meta
    return wrapped


def _record_edges(node: BackwardNode, args: tuple[Any, ...], needs: tuple[bool, ...]) -> None:
    edges: list[Any] = []
    in_meta: list[Any] = []
    for a, n in zip(args, needs):
        if n:
            fn = a.grad_fn
            edges.append((fn, a._output_nr) if fn is not None else (a, 0))
            in_meta.append((a._data.shape, a._data.dtype))
        else:
            edges.append(None)
            in_meta.append(None)
    node.next_functions = tuple(edges)
    node._in_meta = in_meta


def _record_saved(node, args, outs, wrapped, raw):
    items = node.__dict__.pop("_to_save", None)
    if items is None:
        node._saved = ()
        return
    entries = []
    for item in items:
        entries.append(_saved_entry(item, args, outs, wrapped, raw))
    node._saved = tuple(entries)


def _saved_entry(item, args, outs, wrapped, raw):
    if item is None:
        return (_SAVED_NONE, None, None, 0)
    for a in args:
        if isinstance(a, Tensor) and (item is a._data if raw else item is a):
            return (_SAVED_INPUT, a, a._vc, a._vc[0])
    for nr, o in enumerate(outs):
        if item is o:
            t = wrapped[nr]
            if t.grad_fn is None:
                return (_SAVED_OTHER, t, t._vc, t._vc[0])
            return (_SAVED_OUTPUT, (t._data, nr), t._vc, t._vc[0])
    if isinstance(item, Tensor):
        return (_SAVED_OTHER, item, item._vc, item._vc[0])
    if hasattr(item, "shape") and hasattr(item, "dtype"):
        return (_SAVED_OTHER, _wrap(item), None, 0)
    return (_SAVED_OTHER, item, None, 0)  # a Python number stays a number


def once_differentiable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a ``backward`` that is not itself differentiable: it runs without recording."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        prev = _State.enabled
        _State.enabled = False
        try:
            return fn(ctx, *args)
        finally:
            _State.enabled = prev

    return wrapper
