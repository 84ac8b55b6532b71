"""Splitting inputs across devices and concatenating outputs back, as ``torch.nn.parallel``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import ember
from ember._tensor import Tensor
from ember.nn.parallel._devices import as_device


def scatter(inputs: Any, target_gpus: Sequence[Any], dim: int = 0) -> list[Any]:
    """Split tensors in ``inputs`` into chunks along ``dim``, one chunk per target device.

    Tuples, lists and dicts are split element by element; any other object is shared by
    reference. Fewer chunks than devices come back when a tensor is shorter than the device
    list (as in PyTorch). The chunks keep their autograd history.

    Args:
        inputs: a tensor or a nested tuple/list/dict of tensors and other objects.
        target_gpus: devices (indices, strings or ``ember.device``), one per chunk.
        dim: the dimension to split along.

    Returns:
        A list with one entry per chunk, each shaped like ``inputs``.

    Example:
        >>> [c.shape for c in scatter(ember.zeros(4, 2), ["cpu", "cpu"])]
        [ember.Size([2, 2]), ember.Size([2, 2])]
    """
    devices = [as_device(d) for d in target_gpus]
    return _scatter_map(inputs, devices, dim)


def _scatter_map(obj: Any, devices: list[Any], dim: int) -> list[Any]:
    if isinstance(obj, Tensor):
        return [c.to(d) for c, d in zip(ember.chunk(obj, len(devices), dim), devices)]
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return [type(obj)(*args) for args in zip(*(_scatter_map(o, devices, dim) for o in obj))]
    if isinstance(obj, (tuple, list)) and obj:
        return [type(obj)(parts) for parts in zip(*(_scatter_map(o, devices, dim) for o in obj))]
    if isinstance(obj, dict) and obj:
        keys = list(obj)
        parts = zip(*(_scatter_map(obj[k], devices, dim) for k in keys))
        return [type(obj)(zip(keys, p)) for p in parts]
    return [obj for _ in devices]


def scatter_kwargs(
    inputs: tuple[Any, ...], kwargs: dict[str, Any] | None, target_gpus: Sequence[Any],
    dim: int = 0,
) -> tuple[tuple[tuple[Any, ...], ...], tuple[dict[str, Any], ...]]:
    """Scatter positional and keyword arguments, padding the shorter list with empty ones.

    Args:
        inputs: the positional arguments.
        kwargs: the keyword arguments (or None).
        target_gpus: devices, one per chunk.
        dim: the dimension to split along.

    Returns:
        ``(inputs_per_device, kwargs_per_device)``, two tuples of equal length.

    Example:
        >>> ins, kws = scatter_kwargs((ember.zeros(2, 3),), {"flag": True}, ["cpu", "cpu"])
        >>> len(ins), kws[1]
        (2, {'flag': True})
    """
    scattered_in = scatter(inputs, target_gpus, dim) if inputs else []
    scattered_kw = scatter(kwargs, target_gpus, dim) if kwargs else []
    n = max(len(scattered_in), len(scattered_kw))
    scattered_in += [() for _ in range(n - len(scattered_in))]
    scattered_kw += [{} for _ in range(n - len(scattered_kw))]
    return tuple(tuple(i) for i in scattered_in), tuple(scattered_kw)


def gather(outputs: Sequence[Any], target_device: Any, dim: int = 0) -> Any:
    """Concatenate per-device outputs along ``dim`` on ``target_device`` (``-1`` or ``"cpu"``).

    Tuples, lists and dicts are gathered element by element; ``None`` stays ``None``.
    Zero-dimensional tensors (per-device losses) become a vector, with a warning, as in
    PyTorch. Gradients flow back to every chunk.

    Args:
        outputs: one output per device, all with the same structure.
        target_device: where the result goes.
        dim: the dimension to concatenate along.

    Returns:
        One output with the same structure.

    Example:
        >>> gather([ember.ones(2), ember.zeros(3)], "cpu").shape
        ember.Size([5])
    """
    return _gather_map(list(outputs), as_device(target_device), dim)


def _gather_map(outs: list[Any], device: Any, dim: int) -> Any:
    first = outs[0]
    if isinstance(first, Tensor):
        return _gather_tensors(outs, device, dim)
    if first is None:
        return None
    if isinstance(first, dict):
        if any(set(o) != set(first) for o in outs):
            raise ValueError("gather: all outputs must be dicts with the same keys")
        return type(first)((k, _gather_map([o[k] for o in outs], device, dim)) for k in first)
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(_gather_map(list(p), device, dim) for p in zip(*outs)))
    if isinstance(first, (tuple, list)):
        return type(first)(_gather_map(list(p), device, dim) for p in zip(*outs))
    return first if len(outs) == 1 else outs


def _gather_tensors(outs: list[Tensor], device: Any, dim: int) -> Tensor:
    if len(outs) == 1:
        return outs[0].to(device)
    if all(t.dim() == 0 for t in outs):
        warnings.warn(
            "Was asked to gather along dimension 0, but all input tensors were scalars; "
            "will instead unsqueeze and return a vector.", stacklevel=3)
        outs = [t.reshape(1) for t in outs]
    return ember.cat([t.to(device) for t in outs], dim)
