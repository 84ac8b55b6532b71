"""The ``out=`` keyword, in one place: a wrapper put around every public function torch gives one.

PyTorch's rules, which the wrapper applies to any op:

- the result is written into ``out`` (through its memory, so views of it see the values) and
  ``out`` is returned; ops with several results take and return a tuple of outs;
- an ``out`` of the wrong shape is resized: silently when it is empty, with a ``UserWarning``
  when it had elements;
- the result must be castable to ``out``'s dtype (no float into an integer tensor, no complex into
  a real one, nothing but bool into bool), else ``RuntimeError: result type Float can't be cast
  to the desired output type Long``; index results (``argmax``, the ``indices`` of ``max``) need
  ``int64`` exactly;
- autograd does not record through ``out=``: a RuntimeError when grad mode is on and an argument
  (or ``out`` itself) requires grad;
- factory functions (``zeros``, ``arange``, ``rand``...) take their dtype from ``out``.

Which functions get the wrapper is the list in ``_out_names.py``, written from torch's own
signatures by ``tests/ember/surface/surface_diff.py --write``.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from ember import _dtype
from ember._tensor import Tensor
from ember.autograd.grad_mode import _State, no_grad
from ember.backends import get_xp
from ember.ops._out_names import FACTORIES, INDEX_RESULTS, OUT_FUNCTIONS

__all__ = ["install", "with_out", "write_out"]

_TORCH_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "bfloat16": "BFloat16",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
    "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}
_C_NAMES = {
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "float32": "float",
    "float64": "double",
    "bool": "bool",
}


def _kind(dt: Any) -> int:
    """0 bool, 1 integer, 2 floating, 3 complex (PyTorch's casting lattice)."""
    k = dt.kind
    return 0 if k == "b" else 1 if k in "iu" else 3 if k == "c" else 2


def _check_dtype(name: str, result: Tensor, out: Tensor, index: bool) -> None:
    rdt, odt = result._data.dtype, out._data.dtype
    if index and odt != rdt:
        raise RuntimeError(
            f"{name}(): Expected out tensor to have dtype {_C_NAMES.get(rdt.name, rdt.name)}, "
            f"but got {_C_NAMES.get(odt.name, odt.name)} instead"
        )
    rk, ok = _kind(rdt), _kind(odt)
    if rk > ok or (ok == 0 and rk != 0):
        raise RuntimeError(
            f"{name}(): result type {_TORCH_NAMES.get(rdt.name, rdt.name)} can't be cast to the "
            f"desired output type {_TORCH_NAMES.get(odt.name, odt.name)}"
        )


def _resize(name: str, out: Tensor, shape: tuple[int, ...]) -> None:
    if out._data.size:
        warnings.warn(
            f"{name}(): An output with one or more elements was resized since it had shape "
            f"{list(out._data.shape)}, which does not match the required output shape "
            f"{list(shape)}. This behavior is deprecated, and in a future PyTorch release outputs "
            "will not be resized unless they have zero elements. You can explicitly reuse an out "
            "tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
            UserWarning,
            stacklevel=4,
        )
    out._data = get_xp(out._data).empty(shape, dtype=out._data.dtype)
    out._vc[0] += 1


def write_out(name: str, result: Any, out: Any, *, index: bool = False) -> Any:
    """Write ``result`` (a Tensor or a tuple of them) into ``out`` with PyTorch's checks.

    Args:
        name: the op's name, for messages.
        result: what the op returned.
        out: a Tensor, or a tuple/list of Tensors for ops with several results.
        index: the (single) result holds indices and needs ``out`` of exactly its dtype.

    Returns:
        ``out`` (as the op's own tuple type when it returns several results).
    """
    if isinstance(result, Tensor):
        if not isinstance(out, Tensor):
            raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
        _write_one(name, result, out, index)
        return out
    results = tuple(result)
    if not isinstance(out, (tuple, list)) or len(out) != len(results):
        raise TypeError(
            f"{name}(): argument 'out' must be a tuple of {len(results)} Tensors, "
            f"got {type(out).__name__}"
        )
    for i, (r, o) in enumerate(zip(results, out)):
        # the second result of max/min/sort/topk/... is int64 indices
        _write_one(name, r, o, i > 0 and r._data.dtype.name == "int64")
    fields = getattr(type(result), "_fields", None)
    return type(result)(*out) if fields else tuple(out)


def _write_one(name: str, result: Tensor, out: Tensor, index: bool) -> None:
    _check_dtype(name, result, out, index)
    if out.device != result.device:
        raise RuntimeError(
            f"{name}(): Expected out tensor to be on {result.device}, but got {out.device}"
        )
    shape = tuple(result._data.shape)
    if tuple(out._data.shape) != shape:
        _resize(name, out, shape)
    get_xp(out._data).copyto(out._data, result._data, casting="unsafe")
    out._vc[0] += 1


def _tensors(values: Iterable[Any]) -> Iterable[Tensor]:
    for v in values:
        if isinstance(v, Tensor):
            yield v
        elif isinstance(v, (list, tuple)):
            yield from (x for x in v if isinstance(x, Tensor))


def _check_no_grad(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], out: Any) -> None:
    if not _State.enabled:
        return
    outs = [out] if isinstance(out, Tensor) else list(out) if isinstance(out, (list, tuple)) else []
    for t in (*_tensors(args), *_tensors(kwargs.values()), *_tensors(outs)):
        if t._requires_grad:
            raise RuntimeError(
                f"{name}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )


def with_out(fn: Callable[..., Any], name: str | None = None) -> Callable[..., Any]:
    """``fn`` with a keyword-only ``out=`` handled by :func:`write_out`.

    Args:
        fn: a public op returning a Tensor (or a tuple of Tensors).
        name: the op's public name (default ``fn.__name__``).

    Returns:
        The wrapped function (``fn`` itself is reachable as ``__wrapped__``).

    Example:
        >>> out = ember.empty(0)
        >>> ember.add(ember.ones(2), 1, out=out) is out
        True
    """
    op = name or fn.__name__
    factory = op in FACTORIES
    index = op in INDEX_RESULTS

    @functools.wraps(fn)
    def wrapper(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        _check_no_grad(op, args, kwargs, out)
        if factory and isinstance(out, Tensor):
            kwargs.setdefault("dtype", _dtype.from_numpy_dtype(out._data.dtype))
            kwargs.setdefault("device", out.device)
        with no_grad():
            result = fn(*args, **kwargs)
        return write_out(op, result, out, index=index)

    wrapper._takes_out = True  # type: ignore[attr-defined]
    return wrapper


# One wrapper per function, so that aliases stay identical (``special.gammaln is ember.lgamma``).
_WRAPPERS: dict[int, tuple[Callable[..., Any], Callable[..., Any]]] = {}


def install(namespace: dict[str, Any], key: str) -> list[str]:
    """Wrap, in ``namespace`` (a module's globals), every function torch's ``key`` namespace
    gives ``out=``; returns the names wrapped."""
    done = []
    for name in OUT_FUNCTIONS.get(key, ()):
        fn = namespace.get(name)
        if callable(fn) and not getattr(fn, "_takes_out", False):
            if id(fn) not in _WRAPPERS:
                _WRAPPERS[id(fn)] = (fn, with_out(fn, name))  # fn kept alive: ids stay unique
            namespace[name] = _WRAPPERS[id(fn)][1]
            done.append(name)
    return done
