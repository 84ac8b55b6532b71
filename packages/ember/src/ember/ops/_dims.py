"""Argument normalisation for ``dim`` arguments."""

from __future__ import annotations

from typing import Any

from ember._tensor import _wrap_dim

__all__ = ["norm_dims", "wrap_dim"]

wrap_dim = _wrap_dim


def norm_dims(dim: Any, ndim: int, op: str = "op") -> tuple[int, ...] | None:
    """``dim`` (None, an int, or a sequence of ints) as a sorted tuple of non-negative dims."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (_wrap_dim(dim, ndim, op),)
    if isinstance(dim, str):
        raise TypeError(f"{op}(): argument 'dim' must be an int or a tuple of ints, not str")
    dims = tuple(sorted({_wrap_dim(int(d), ndim, op) for d in dim}))
    if len(dims) != len(tuple(dim)):
        raise RuntimeError(f"{op}: dim {list(dim)} appears multiple times in the list of dims")
    return dims
