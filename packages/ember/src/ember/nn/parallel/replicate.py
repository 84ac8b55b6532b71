"""Module replicas for data parallelism; on one device every replica is the module itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ember.nn.modules.module import Module
from ember.nn.parallel._devices import as_device


def replicate(network: Module, devices: Sequence[Any], detach: bool = False) -> list[Module]:
    """One replica of ``network`` per entry of ``devices``.

    Ember runs data parallelism on one device: every device must be the one ``network``'s
    parameters live on, and every replica is ``network`` itself, so gradients from every
    chunk accumulate in the same parameters (exactly what PyTorch's broadcast replicas give).

    Args:
        network: the module to replicate.
        devices: target devices (indices, strings or ``ember.device``).
        detach: accepted for compatibility; replicas share parameters either way.

    Returns:
        A list of modules, one per device.

    Raises:
        NotImplementedError: when a device differs from the module's device.

    Example:
        >>> net = ember.nn.Linear(2, 2)
        >>> replicate(net, ["cpu", "cpu"])[1] is net
        True
    """
    home = _module_device(network)
    for d in devices:
        dev = as_device(d)
        if home is not None and dev != home:
            raise NotImplementedError(
                f"replicate: ember runs data parallelism on one device; the module is on {home} "
                f"but a replica was asked for on {dev}. Move the module there, or pass "
                f"device_ids=[{dev.index if dev.type == 'cuda' else -1}]")
    return [network for _ in devices]


def _module_device(network: Module) -> Any:
    for t in network.parameters():
        return t.device
    for t in network.buffers():
        return t.device
    return None
