"""Helpers shared by the functional modules: dtype and shape checks."""

from __future__ import annotations

from typing import Any

import ember
from ember._dtype import np_kind
from ember._tensor import Tensor
from ember.ops.inplace import apply_inplace

__all__: list[str] = []


def _matmul(a: Tensor, b: Tensor) -> Tensor:
    return ember.matmul(a, b)


def _check_float_same(op: str, *tensors: Tensor | None) -> None:
    dts = {t._data.dtype for t in tensors if t is not None}
    if len(dts) > 1:
        names = ", ".join(str(t.dtype) for t in tensors if t is not None)
        raise RuntimeError(
            f"{op}: expected all tensors to have the same dtype, got {names}; cast them with "
            ".to(dtype) first"
        )


def _ntuple(value: Any, n: int, name: str, op: str) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return (int(value[0]),) * n
        if len(value) != n:
            raise ValueError(f"{op}: expected {name} to be a single int or a tuple of {n} ints, "
                             f"got {tuple(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _check_input(op: str, x: Any, dims: tuple[int, ...]) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if x.ndim not in dims:
        want = " or ".join(f"{d}D" for d in dims)
        raise RuntimeError(f"{op}: expected {want} input, but got input of size "
                           f"{list(x.shape)}")


def _check_float(op: str, x: Tensor) -> None:
    if np_kind(x._data.dtype) != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got {x.dtype}; "
                           "convert it with .float() first")


def _nc(x: Any, nd: int) -> Any:
    """View ``(*lead, *spatial)`` as ``(1, prod(lead), *spatial)`` for the pooling kernels."""
    return x.reshape((1, -1) + x.shape[x.ndim - nd:])


def _inplace(target: Tensor, result: Tensor, op: str) -> Tensor:
    return apply_inplace(target, result, op)


def _maybe_inplace(input: Tensor, result: Tensor, inplace: bool, op: str) -> Tensor:
    return _inplace(input, result, op) if inplace else result


class ArgumentError(RuntimeError, ValueError):
    """A bad argument value: PyTorch raises ``RuntimeError`` for these, and ember's earlier
    releases raised ``ValueError``; this is both, so either ``except`` keeps working."""
