"""Helpers shared by the op modules: operand checking, type promotion, the no-grad context."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.autograd.function import NULL_CTX
from ember.autograd.grad_mode import _State
from ember.backends import device_of, get_xp

__all__ = [
    "NULL_CTX", "binary_operands", "as_tensor_like", "check_same_device", "grad_needed",
    "return_type",
]




def _return_type_repr(self: Any) -> str:
    fields = ",".join(f"\n{k}={v!r}" for k, v in zip(self._fields, self))
    return f"ember.return_types.{type(self).__name__}({fields})"


def return_type(name: str, fields: list[str]) -> type:
    """A named result tuple printed like ``torch.return_types.<name>``."""
    cls = namedtuple(name, fields)  # type: ignore[misc]
    cls.__module__ = "ember.return_types"
    cls.__repr__ = _return_type_repr  # type: ignore[method-assign]
    return cls
_SCALARS = (int, float, bool)


def grad_needed(*tensors: Any) -> bool:
    """True when grad mode is on and one of ``tensors`` requires grad."""
    if not _State.enabled:
        return False
    for t in tensors:
        if isinstance(t, Tensor) and t._requires_grad:
            return True
    return False


def check_same_device(op: str, a: Any, b: Any) -> None:
    """RuntimeError naming both devices when two arrays live on different devices."""
    if type(a) is not type(b) or (type(a) is not np.ndarray and a.device != b.device):
        raise RuntimeError(
            f"{op}: Expected all tensors to be on the same device, but found at least two "
            f"devices, {device_of(a)} and {device_of(b)}! Move them with .to(device) first."
        )


def _scalars_follow(op: str, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """As PyTorch: a 0-d CPU tensor next to a GPU tensor acts as a scalar and moves to its
    device; any other mix of devices is an error naming both."""
    ad, bd = a._data, b._data
    if type(ad) is np.ndarray and ad.ndim == 0:
        return a.to(b.device), b
    if type(bd) is np.ndarray and bd.ndim == 0:
        return a, b.to(a.device)
    check_same_device(op, ad, bd)
    return a, b


def _cast(t: Tensor, dt: _dtype.dtype) -> Tensor:
    return t.to(dt)


def binary_operands(op: str, a: Any, b: Any) -> tuple[Any, Any]:
    """Promote ``a`` and ``b`` (Tensors or Python scalars) to PyTorch's result dtype.

    Returns Tensors (or Python scalars that NumPy will treat as weakly typed) that a primitive can
    combine without further casting. The common case, two tensors of one dtype, returns at once.
    """
    ta = isinstance(a, Tensor)
    tb = isinstance(b, Tensor)
    if ta and tb:
        ad, bd = a._data, b._data
        if type(ad) is not type(bd):
            a, b = _scalars_follow(op, a, b)
            ad, bd = a._data, b._data
        if ad.dtype is bd.dtype or ad.dtype == bd.dtype:
            return a, b
        dt = _dtype.result_type(a, b)
        return (a if a.dtype is dt else _cast(a, dt)), (b if b.dtype is dt else _cast(b, dt))
    if ta:
        return _with_scalar(op, a, b), _scalar_value(op, b, a)
    if tb:
        return _scalar_value(op, a, b), _with_scalar(op, b, a)
    cat = _dtype.scalar_category(a)
    if cat >= 0 and _dtype.scalar_category(b) >= 0:  # two numbers: PyTorch makes a 0-d tensor
        return binary_operands(op, _wrap(np.asarray(a, _dtype.default_for_category(cat).np)), b)
    raise TypeError(
        f"{op}: expected at least one Tensor operand, got {type(a).__name__} and {type(b).__name__}"
    )


def _with_scalar(op: str, t: Tensor, s: Any) -> Tensor:
    cat = _dtype.scalar_category(s)
    if cat < 0:
        if isinstance(s, np.ndarray):
            return t
        raise TypeError(
            f"{op}: unsupported operand type {type(s).__name__}; expected a Tensor or a number"
        )
    tcat = _dtype.from_numpy_dtype(t._data.dtype)._category
    if cat > tcat:
        return _cast(t, _dtype.default_for_category(cat))
    return t


def _scalar_value(op: str, s: Any, t: Tensor) -> Any:
    if isinstance(s, np.ndarray):
        return as_tensor_like(s, t)
    if isinstance(s, np.generic):
        return s.item()
    return s


def as_tensor_like(x: Any, like: Tensor) -> Tensor:
    """Turn a number or array into a Tensor on ``like``'s device."""
    if isinstance(x, Tensor):
        return x

    xp = get_xp(like._data)
    arr = xp.asarray(x)
    if arr.dtype == np.float64 and isinstance(x, (float, list, tuple)):
        arr = arr.astype(_dtype.get_default_dtype().np)
    return _wrap(arr)


def broadcast_error(op: str, a: Any, b: Any) -> RuntimeError:
    """PyTorch's error for operands whose shapes do not broadcast."""
    sa, sb = tuple(getattr(a, "shape", ())), tuple(getattr(b, "shape", ()))
    for i in range(1, max(len(sa), len(sb)) + 1):
        da = sa[-i] if i <= len(sa) else 1
        db = sb[-i] if i <= len(sb) else 1
        if da != db and 1 not in (da, db):
            dim = max(len(sa), len(sb)) - i
            return RuntimeError(
                f"{op}: The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                f"non-singleton dimension {dim} (shapes {list(sa)} and {list(sb)})"
            )
    return RuntimeError(f"{op}: shapes {list(sa)} and {list(sb)} cannot be broadcast together")
