"""Turning a list of samples into a batch: ``default_collate``, ``default_convert``, ``collate``."""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.utils.data.dataset import BatchedSamples

__all__ = ["default_collate", "default_convert", "collate", "default_collate_fn_map"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)

CollateFnMap = dict[type | tuple[type, ...], Callable[..., Any]]


def _stack_raw(arrays: list[Any]) -> Tensor:
    """Stack same-shaped raw arrays along a new dim 0, with PyTorch's error for ragged input."""
    first = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                f"and {list(a.shape)} at entry {i}"
            )
    return _wrap(get_xp(arrays[0]).stack(arrays))


def collate_tensor_fn(batch: list[Tensor], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """Stack tensors along a new first dimension."""
    if any(t.requires_grad for t in batch) and hasattr(ember, "stack"):
        return ember.stack(batch)  # keep the autograd history
    return _stack_raw([t._data for t in batch])


def collate_numpy_array_fn(batch: list[np.ndarray], *,
                           collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """Stack NumPy arrays into one tensor (string and object arrays are refused)."""
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return _stack_raw([np.asarray(b) for b in batch])


def collate_numpy_scalar_fn(batch: list[Any], *,
                            collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """NumPy scalars become a 1-D tensor of their dtype."""
    return ember.as_tensor(np.asarray(batch))


def collate_float_fn(batch: list[float], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """Python floats become a float64 tensor (as in PyTorch)."""
    return _wrap(np.asarray(batch, dtype=np.float64))


def collate_int_fn(batch: list[int], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """Python ints become an int64 tensor, Python bools a bool tensor."""
    if all(type(b) is bool for b in batch):
        return _wrap(np.asarray(batch, dtype=np.bool_))
    return _wrap(np.asarray(batch, dtype=np.int64))


def collate_str_fn(batch: list[Any], *, collate_fn_map: CollateFnMap | None = None) -> list[Any]:
    """Strings and bytes are kept as a list."""
    return batch


default_collate_fn_map: CollateFnMap = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    np.memmap: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def _lookup(elem: Any, collate_fn_map: CollateFnMap) -> Callable[..., Any] | None:
    fn = collate_fn_map.get(type(elem))
    if fn is not None:
        return fn
    for key, candidate in collate_fn_map.items():
        if isinstance(elem, key):
            return candidate
    return None


def collate(batch: Any, *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """Collate ``batch`` with per-type functions from ``collate_fn_map``, recursing into containers.

    Args:
        batch: a list of samples.
        collate_fn_map: maps element types to functions
            ``fn(batch, *, collate_fn_map) -> batched``; the exact type is tried first, then
            ``isinstance`` in insertion order.

    Returns:
        The batch.

    Example:
        >>> collate([1, 2], collate_fn_map={int: lambda b, *, collate_fn_map: sum(b)})
        3
    """
    elem = batch[0]
    if collate_fn_map is not None:
        fn = _lookup(elem, collate_fn_map)
        if fn is not None:
            return fn(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        return _collate_mapping(batch, collate_fn_map)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(collate(s, collate_fn_map=collate_fn_map) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        return _collate_sequence(batch, collate_fn_map)
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def _collate_mapping(batch: list[Any], fn_map: CollateFnMap | None) -> Any:
    elem = batch[0]
    values = {key: collate([d[key] for d in batch], collate_fn_map=fn_map) for key in elem}
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:  # the mapping type cannot be copied or built from a dict
        return values


def _collate_sequence(batch: list[Any], fn_map: CollateFnMap | None) -> Any:
    elem = batch[0]
    size = len(elem)
    if not all(len(e) == size for e in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    transposed = list(zip(*batch))
    if isinstance(elem, tuple):
        return [collate(s, collate_fn_map=fn_map) for s in transposed]
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, samples in enumerate(transposed):
                clone[i] = collate(samples, collate_fn_map=fn_map)
            return clone
        return type(elem)([collate(s, collate_fn_map=fn_map) for s in transposed])
    except TypeError:  # e.g. range: no copy or __init__(iterable)
        return [collate(s, collate_fn_map=fn_map) for s in transposed]


def default_collate(batch: Any) -> Any:
    """Merge a list of samples into a batch, as PyTorch's ``default_collate``.

    Tensors and NumPy arrays are stacked along a new first dimension; Python floats become a
    float64 tensor, ints int64, bools bool; NumPy scalars keep their dtype; strings and bytes
    stay a list. Mappings, namedtuples and sequences are collated field by field (tuples come
    back as lists). Samples of unequal structure raise ``RuntimeError``.

    Args:
        batch: a list of samples (or the ``BatchedSamples`` of a batched fetch).

    Returns:
        The batch.

    Example:
        >>> default_collate([(1, 0.5), (2, 1.5)])
        [tensor([1, 2]), tensor([0.5000, 1.5000], dtype=ember.float64)]
    """
    if isinstance(batch, BatchedSamples):
        return batch.collate()
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data: Any) -> Any:
    """Convert NumPy arrays (recursively, inside containers) into tensors; used without batching.

    Args:
        data: one sample.

    Returns:
        The sample with every NumPy array or scalar replaced by a tensor (tuples become lists,
        namedtuples stay namedtuples; string and object arrays are left alone).

    Example:
        >>> default_convert({"x": numpy.array([1, 2])})
        {'x': tensor([1, 2])}
    """
    if isinstance(data, Tensor):
        return data
    elem_type = type(data)
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "bytes_", "string_"):
        if isinstance(data, np.ndarray) and np_str_obj_array_pattern.search(data.dtype.str):
            return data
        return ember.as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _convert_mapping(data)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _convert_sequence(data)
    return data


def _convert_mapping(data: Any) -> Any:
    values = {key: default_convert(data[key]) for key in data}
    try:
        if isinstance(data, collections.abc.MutableMapping):
            clone = copy.copy(data)
            clone.update(values)
            return clone
        return type(data)(values)
    except TypeError:
        return values


def _convert_sequence(data: Any) -> Any:
    try:
        if isinstance(data, collections.abc.MutableSequence):
            clone = copy.copy(data)
            for i, d in enumerate(data):
                clone[i] = default_convert(d)
            return clone
        return type(data)([default_convert(d) for d in data])
    except TypeError:
        return [default_convert(d) for d in data]
