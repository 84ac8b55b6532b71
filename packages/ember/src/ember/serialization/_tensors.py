"""Building tensors on loaded storages: bounds-checked strided views, Parameters, bfloat16."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.serialization._errors import SerializationError


def check_layout(
    nbytes: int,
    itemsize: int,
    offset: int,
    shape: Sequence[int],
    strides: Sequence[int],
    what: str,
) -> None:
    """Refuse a view whose elements would fall outside a storage of ``nbytes`` bytes.

    ``offset`` and ``strides`` are in bytes; strides may be negative (NumPy views).
    """
    if len(shape) != len(strides):
        raise SerializationError(f"{what}: shape {list(shape)} and strides {list(strides)} differ")
    if any(not isinstance(v, int) or isinstance(v, bool) for v in (offset, *shape, *strides)):
        raise SerializationError(f"{what}: offsets, shape and strides must be integers")
    if any(s < 0 for s in shape) or offset < 0:
        raise SerializationError(f"{what}: negative size in shape {list(shape)} or offset")
    if 0 in shape:
        return
    lo = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s < 0)
    hi = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s > 0) + itemsize
    if lo < 0 or hi > nbytes:
        raise SerializationError(
            f"{what}: a view of shape {list(shape)}, strides {list(strides)} (bytes) and offset "
            f"{offset} needs bytes [{lo}, {hi}) but its storage has only {nbytes} bytes"
        )


def strided_view(
    storage: Any,
    dtype: np.dtype,
    offset: int,
    shape: Sequence[int],
    strides: Sequence[int],
    what: str,
) -> Any:
    """A view of ``dtype`` elements on a contiguous 1-D storage array (NumPy or CuPy)."""
    nbytes = int(storage.nbytes)
    check_layout(nbytes, dtype.itemsize, offset, shape, strides, what)
    shape, strides = tuple(shape), tuple(strides)
    if 0 in shape:
        return get_xp(storage).empty(shape, dtype=dtype)
    if type(storage) is np.ndarray:
        return np.ndarray(shape, dtype=dtype, buffer=storage, offset=offset, strides=strides)
    xp = get_xp(storage)
    return xp.ndarray(shape, dtype=dtype, memptr=storage.data + offset, strides=strides)


def make_tensor(arr: Any, requires_grad: bool = False, parameter: bool = False) -> Tensor:
    """Wrap a loaded array as a Tensor or, when ``parameter``, an ``ember.nn.Parameter``."""
    t = _wrap(arr)
    floating = np_kind(arr.dtype) in "fc"
    if parameter:
        from ember.nn.parameter import Parameter

        return Parameter(t, requires_grad=bool(requires_grad) and floating)
    if requires_grad and floating:
        t._requires_grad = True
    return t


def bfloat16_to_float32(raw: np.ndarray) -> np.ndarray:
    """Widen bfloat16 bit patterns (uint16) to float32 exactly: the bits become the high half."""
    return (raw.astype(np.uint32) << 16).view(np.float32)


def float32_to_bfloat16(x: np.ndarray) -> np.ndarray:
    """Round float32 to bfloat16 bit patterns (uint16), to nearest even; NaN stays NaN."""
    bits = x.astype(np.float32, order="C", copy=False).view(np.uint32)
    rounded = (bits + (0x7FFF + ((bits >> 16) & 1))) >> 16
    nan = np.isnan(x)
    if nan.any():
        rounded = np.where(nan, (bits >> 16) | 0x0040, rounded)
    return rounded.astype(np.uint16)


# ember has no unsigned types wider than uint8: they widen losslessly to the next signed type.
_WIDEN = {
    np.dtype(np.uint16): np.dtype(np.int32),
    np.dtype(np.uint32): np.dtype(np.int64),
    np.dtype(np.uint64): np.dtype(np.int64),
}


def loaded_dtype(dt: np.dtype) -> np.dtype:
    """The native dtype ember keeps for file dtype ``dt`` (uint16/32/64 are widened)."""
    native = dt.newbyteorder("=")
    return _WIDEN.get(native, native)


def to_loaded(arr: np.ndarray, what: str) -> np.ndarray:
    """``arr`` in its loaded dtype: native byte order, unsigned types widened (checked)."""
    target = loaded_dtype(arr.dtype)
    if arr.dtype == target:
        return arr
    if arr.dtype.newbyteorder("=") == np.dtype(np.uint64) and arr.size and arr.max() > 2**63 - 1:
        raise SerializationError(f"{what}: uint64 values above 2**63-1 do not fit ember's int64")
    return arr.astype(target)
