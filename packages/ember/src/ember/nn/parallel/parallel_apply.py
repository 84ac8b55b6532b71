"""Running a list of modules on a list of inputs, as ``torch.nn.parallel.parallel_apply``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ember.nn.modules.module import Module
from ember.nn.parallel._devices import as_device


def parallel_apply(
    modules: Sequence[Module], inputs: Sequence[Any],
    kwargs_tup: Sequence[dict[str, Any]] | None = None, devices: Sequence[Any] | None = None,
) -> list[Any]:
    """``[modules[i](*inputs[i], **kwargs_tup[i]) for i ...]``, one call per replica.

    The calls run one after the other (all replicas share one device); a non-tuple input is
    passed as the single positional argument, as in PyTorch.

    Args:
        modules: the replicas.
        inputs: one input (or tuple of inputs) per replica.
        kwargs_tup: one dict of keyword arguments per replica.
        devices: accepted for compatibility; checked for length.

    Returns:
        The outputs, in order.

    Example:
        >>> net = ember.nn.Linear(2, 1)
        >>> len(parallel_apply([net, net], [ember.zeros(1, 2), ember.zeros(3, 2)]))
        2
    """
    n = len(modules)
    if len(inputs) != n:
        raise ValueError(f"parallel_apply: {n} modules but {len(inputs)} inputs")
    kwargs_tup = list(kwargs_tup) if kwargs_tup is not None else [{} for _ in range(n)]
    if len(kwargs_tup) != n or (devices is not None and len(devices) != n):
        raise ValueError(f"parallel_apply: expected {n} kwargs dicts and devices, one per module")
    for d in devices or ():
        as_device(d)
    outputs = []
    for module, args, kw in zip(modules, inputs, kwargs_tup):
        args = args if isinstance(args, (list, tuple)) else (args,)
        outputs.append(module(*args, **kw))
    return outputs
