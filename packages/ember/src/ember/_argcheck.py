"""Argument checking at the public-function boundary, with PyTorch's exception classes.

PyTorch's argument parser raises ``TypeError`` when a Python scalar (or list, or None) is passed
where a Tensor is required, and when a size is not made of ints; its kernels raise
``RuntimeError`` for bad shapes and dtypes. ember's op functions read ``x._data`` directly, so a
non-Tensor used to surface as an incidental ``AttributeError``. Two shared pieces fix that class
of problem in one place:

* ``guard(fn)`` wraps each public op function (``ember.<name>``, ``ember.nn.functional.<name>``):
  nothing is checked on the normal path (one extra call, no inspection); when the call fails
  with ``AttributeError`` or ``TypeError`` and an argument annotated ``Tensor`` is not one, the
  error is re-raised as ``NotATensorError`` naming the op, the argument, its position and type.
* ``size_arg(op, size)`` parses the ``*size`` of the factory functions: ``TypeError`` for a
  non-integer entry, ``RuntimeError`` for a negative one.

Error classes subclass the builtin PyTorch raises, and also the one ember raised before where it
differed, so existing ``except`` clauses keep working.
"""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from ember._tensor import Tensor

__all__ = ["NotATensorError", "ShapeError", "guard", "guard_names", "shape_error", "size_arg"]


class NotATensorError(TypeError, AttributeError):
    """A non-Tensor where a Tensor is required: ``TypeError`` as PyTorch raises it, and
    ``AttributeError`` as ember's op functions raised it before (so old handlers still match)."""


class ShapeError(RuntimeError, ValueError):
    """A bad size or shape: ``RuntimeError`` as PyTorch raises it, and ``ValueError`` as NumPy
    (and so ember) raised it before."""


def _describe(arrays: Any) -> str:
    parts = [f"{list(a.shape)} {a.dtype}" for a in arrays if hasattr(a, "shape")]
    return ", ".join(parts)


def shape_error(op: str, arrays: Any, err: ValueError) -> ShapeError:
    """The ``ShapeError`` for a NumPy/CuPy ``ValueError`` raised inside op ``op``.

    A failed broadcast gets PyTorch's wording (which dimension of which operand); anything else
    keeps NumPy's message. Both name the op and the input shapes and dtypes.
    """
    if isinstance(err, ShapeError):
        return err
    shapes = [tuple(a.shape) for a in arrays if hasattr(a, "shape")]
    if "broadcast" in str(err) and len(shapes) >= 2:
        sa, sb = shapes[0], shapes[1]
        for i in range(1, max(len(sa), len(sb)) + 1):
            da = sa[-i] if i <= len(sa) else 1
            db = sb[-i] if i <= len(sb) else 1
            if da != db and 1 not in (da, db):
                return ShapeError(
                    f"{op}: The size of tensor a ({da}) must match the size of tensor b ({db}) "
                    f"at non-singleton dimension {max(len(sa), len(sb)) - i} (inputs "
                    f"{_describe(arrays)})"
                )
    return ShapeError(f"{op}: {err} (inputs {_describe(arrays)})")


def _tensor_params(fn: Callable[..., Any]) -> list[tuple[int, str]]:
    """``(position, name)`` of the parameters annotated exactly ``Tensor``, and of a first
    parameter named ``input`` (PyTorch's name for the Tensor an op works on)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    out = []
    for pos, p in enumerate(params):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            break
        if p.annotation in ("Tensor", Tensor) or (pos == 0 and p.name == "input"):
            out.append((pos, p.name))
    return out


def _not_a_tensor(
    op: str, spec: list[tuple[int, str]], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> NotATensorError | None:
    for pos, name in spec:
        if pos < len(args):
            value = args[pos]
        elif name in kwargs:
            value = kwargs[name]
        else:
            continue
        if not isinstance(value, Tensor):
            return NotATensorError(
                f"{op}(): argument '{name}' (position {pos + 1}) must be Tensor, not "
                f"{type(value).__name__}"
            )
    return None


_GUARDED: dict[Callable[..., Any], Callable[..., Any]] = {}


def guard(
    fn: Callable[..., Any], name: str | None = None, *, strict: bool = False
) -> Callable[..., Any]:
    """Wrap a public op function so a non-Tensor argument raises ``NotATensorError``.

    Args:
        fn: the op function.
        name: the op name used in messages (default: ``fn.__name__``).
        strict: check the ``Tensor`` arguments before the call (``nn.functional``, where
            PyTorch rejects numbers for every Tensor argument); otherwise only a failed call is
            inspected, so the normal path pays one extra function call and nothing else.

    Returns:
        The wrapper (``functools.wraps`` of ``fn``; ``__wrapped__`` is ``fn``).
    """
    if fn in _GUARDED:  # one wrapper per function, so aliases stay identical
        return _GUARDED[fn]
    if getattr(fn, "_ember_guarded", False):
        return fn
    spec = _tensor_params(fn)
    op = name or fn.__name__
    check_first = strict and bool(spec)

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if check_first:
            err = _not_a_tensor(op, spec, args, kwargs)
            if err is not None:
                raise err
        try:
            return fn(*args, **kwargs)
        except (AttributeError, TypeError) as exc:
            if isinstance(exc, NotATensorError):
                raise
            err = _not_a_tensor(op, spec, args, kwargs)
            if err is None:
                raise
            raise err from exc
        except ValueError as exc:
            # NumPy's failed broadcasts (in ops that are not primitives) are RuntimeErrors.
            if type(exc) is not ValueError or "broadcast" not in str(exc):
                raise
            tensors = [a._data for a in args if isinstance(a, Tensor)]
            raise shape_error(op, tensors, exc) from exc

    guarded._ember_guarded = True  # type: ignore[attr-defined]
    _GUARDED[fn] = guarded
    return guarded


def guard_names(namespace: dict[str, Any], names: list[str], *, strict: bool = False) -> None:
    """Replace each plain function ``namespace[name]`` by ``guard(function)``, in place."""
    for name in names:
        fn = namespace.get(name)
        if inspect.isfunction(fn):
            namespace[name] = guard(fn, name, strict=strict)


def _dim(op: str, value: Any, pos: int) -> int:
    if isinstance(value, Tensor) and value.ndim == 0 and value._data.dtype.kind in "iu":
        return int(value)  # through Tensor.__int__, which tracers (ONNX export) follow
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{op}(): argument 'size' must be tuple of ints, but found element of type "
            f"{type(value).__name__} at pos {pos}"
        )
    return operator.index(value)


def size_arg(op: str, size: tuple[Any, ...]) -> tuple[int, ...]:
    """Parse a factory's ``*size``: ints, or one sequence of ints (an ``ember.Size``).

    Args:
        op: the function name, for messages.
        size: the positional arguments as received.

    Returns:
        The shape as a tuple of ints.

    Raises:
        TypeError: an entry is not an integer (a float, a string, a bool), as PyTorch.
        ShapeError: an entry is negative (a ``RuntimeError``, as PyTorch).
    """
    if len(size) == 1 and not isinstance(size[0], (int, np.integer, Tensor)):
        if isinstance(size[0], (str, bytes, float)) or not hasattr(size[0], "__iter__"):
            raise TypeError(
                f"{op}(): argument 'size' (position 1) must be tuple of ints, not "
                f"{type(size[0]).__name__}"
            )
        size = tuple(size[0])
    shape = tuple(_dim(op, s, i + 1) for i, s in enumerate(size))
    if any(s < 0 for s in shape):
        raise ShapeError(f"{op}(): Trying to create tensor with negative dimension: {list(shape)}")
    return shape
