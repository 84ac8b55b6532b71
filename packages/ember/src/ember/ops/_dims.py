"""Argument normalisation for ``dim`` arguments."""

from __future__ import annotations

from typing import Any

from ember._tensor import _wrap_dim

__all__ = ["norm_dims", "require_dims", "wrap_dim"]

wrap_dim = _wrap_dim


def norm_dims(dim: Any, ndim: int, op: str = "op") -> tuple[int, ...] | None:
    """``dim`` (None, an int, or a sequence of ints) as a sorted tuple of non-negative dims."""
    if dim is None:
        return None
    if isinstance(dim, int):
        _wrap_dim(dim, ndim, op)
        # A 0-d tensor accepts dim 0 / -1 (as PyTorch) and has no axis to reduce.
        return (_wrap_dim(dim, ndim, op),) if ndim else ()
    if isinstance(dim, str):
        raise TypeError(f"{op}(): argument 'dim' must be an int or a tuple of ints, not str")
    if len(dim) == 0:
        return None  # dim=() or [] reduces every dimension, as PyTorch
    dims = tuple(sorted({_wrap_dim(int(d), ndim, op) for d in dim}))
    if len(dims) != len(tuple(dim)):
        raise RuntimeError(f"{op}: dim {list(dim)} appears multiple times in the list of dims")
    return dims if ndim else ()


def require_dims(op: str, ndim: int, dim: Any, *, kind: type = IndexError, msg: str = "") -> None:
    """PyTorch's error for an op that needs at least one dimension, given a 0-d tensor.

    Args:
        op: the op's name.
        ndim: the input's number of dimensions (nothing happens unless it is 0).
        dim: the dim asked for, named in the default message.
        kind: the exception class (PyTorch raises IndexError for some ops, RuntimeError for
            others).
        msg: the message, when it is not "Dimension specified as ... but tensor has no
            dimensions".
    """
    if ndim == 0:
        msg = msg or f"Dimension specified as {dim} but tensor has no dimensions"
        raise kind(f"{op}: {msg}")
