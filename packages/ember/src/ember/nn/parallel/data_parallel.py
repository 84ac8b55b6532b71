"""``DataParallel`` and ``data_parallel``: PyTorch's interface, run on one device."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

from ember.backends import Device
from ember.nn.modules.module import Module
from ember.nn.parallel._devices import as_device, default_device_ids
from ember.nn.parallel.parallel_apply import parallel_apply
from ember.nn.parallel.replicate import replicate
from ember.nn.parallel.scatter_gather import gather, scatter_kwargs


def _index(d: Any) -> int:
    dev = as_device(d)
    if dev.type != "cuda":
        raise ValueError(f"DataParallel device_ids must be CUDA devices, got {dev}")
    return dev.index or 0


def _check_module_device(module: Module, src: Device) -> None:
    for t in itertools.chain(module.parameters(), module.buffers()):
        if t.device != src:
            raise RuntimeError(
                f"module must have its parameters and buffers on device {src} (device_ids[0]) "
                f"but found one of them on device: {t.device}")


def _one_device(ids: list[int]) -> list[int]:
    """Ember keeps one device: several distinct GPUs collapse to the first, with a warning."""
    if len(set(ids)) > 1:
        warnings.warn(
            f"ember's DataParallel runs on one device; device_ids={ids} will use cuda:{ids[0]} "
            "for the whole batch", stacklevel=3)
        return [ids[0]]
    return ids


class DataParallel(Module):
    """Wraps ``module`` so that a batch is split along ``dim``, run, and gathered back.

    Ember's version is transparent on one device: without CUDA (or with no GPUs listed) it
    calls ``module`` directly, and on a GPU it runs ``module`` on ``device_ids[0]``. Listing one
    device several times (``device_ids=[0, 0]``) splits the batch into that many chunks, runs
    them one after the other and concatenates the outputs, just as PyTorch's replicas would.
    Several distinct GPUs fall back to the first one with a warning. The wrapped module is
    ``self.module``, so ``state_dict`` keys start with ``module.`` as in PyTorch.

    Args:
        module: the module to run.
        device_ids: CUDA devices (indices, ``"cuda:N"`` or ``ember.device``); default all GPUs.
        output_device: where outputs are gathered; default ``device_ids[0]``.
        dim: the batch dimension inputs are split along.

    Example:
        >>> model = ember.nn.DataParallel(ember.nn.Linear(4, 2))
        >>> model(ember.randn(8, 4)).shape
        ember.Size([8, 2])
        >>> model.module.weight.shape
        ember.Size([2, 4])
    """

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None,
                 output_device: Any = None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.dim = dim
        ids = default_device_ids() if device_ids is None else [_index(d) for d in device_ids]
        if not default_device_ids():
            ids = []  # as PyTorch: with no GPU the wrapper only forwards to the module
        self.device_ids: list[int] = _one_device(ids)
        if not self.device_ids:
            self.output_device: Any = None
            self.src_device_obj: Device = Device("cpu")
            return
        self.output_device = _index(output_device if output_device is not None else ids[0])
        self.src_device_obj = Device("cuda", self.device_ids[0])
        if len(self.device_ids) == 1:
            self.module.to(self.src_device_obj)

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """Scatter the inputs, run the module on each chunk, gather the outputs."""
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        _check_module_device(self.module, self.src_device_obj)
        ins, kws = self.scatter(inputs, kwargs, self.device_ids)
        if not ins and not kws:
            ins, kws = ((),), ({},)
        if len(self.device_ids) == 1:
            return self.module(*ins[0], **kws[0])
        replicas = self.replicate(self.module, self.device_ids[: len(ins)])
        outputs = self.parallel_apply(replicas, ins, kws)
        return self.gather(outputs, self.output_device)

    def replicate(self, module: Module, device_ids: Sequence[Any]) -> list[Module]:
        """The replicas ``forward`` runs (the module itself, once per chunk)."""
        return replicate(module, device_ids)

    def scatter(self, inputs: tuple[Any, ...], kwargs: dict[str, Any] | None,
                device_ids: Sequence[Any]) -> tuple[tuple[Any, ...], tuple[dict[str, Any], ...]]:
        """Split positional and keyword arguments along ``self.dim``."""
        return scatter_kwargs(inputs, kwargs, device_ids, dim=self.dim)

    def parallel_apply(self, replicas: Sequence[Module], inputs: Sequence[Any],
                       kwargs: Sequence[dict[str, Any]]) -> list[Any]:
        """Run each replica on its chunk."""
        return parallel_apply(replicas, inputs, kwargs, self.device_ids[: len(replicas)])

    def gather(self, outputs: Sequence[Any], output_device: Any) -> Any:
        """Concatenate the chunk outputs on ``output_device``."""
        return gather(outputs, output_device, dim=self.dim)


def data_parallel(
    module: Module, inputs: Any, device_ids: Sequence[Any] | None = None,
    output_device: Any = None, dim: int = 0, module_kwargs: dict[str, Any] | None = None,
) -> Any:
    """The functional form of :class:`DataParallel`: ``module(*inputs)`` split along ``dim``.

    Args:
        module: the module to run.
        inputs: one input or a tuple of inputs.
        device_ids: CUDA devices; default all GPUs (none without CUDA: a plain call).
        output_device: where outputs are gathered; default ``device_ids[0]``.
        dim: the batch dimension.
        module_kwargs: keyword arguments for ``module``.

    Returns:
        The module's output.

    Example:
        >>> data_parallel(ember.nn.Linear(4, 2), ember.randn(8, 4)).shape
        ember.Size([8, 2])
    """
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    module_kwargs = module_kwargs or {}
    ids = default_device_ids() if device_ids is None else [_index(d) for d in device_ids]
    ids = _one_device(ids) if default_device_ids() else []
    if not ids:
        return module(*inputs, **module_kwargs)
    _check_module_device(module, Device("cuda", ids[0]))
    ins, kws = scatter_kwargs(inputs, module_kwargs, ids, dim)
    if not ins and not kws:
        ins, kws = ((),), ({},)
    replicas = replicate(module, ids[: len(ins)])
    outputs = parallel_apply(replicas, ins, kws, ids[: len(ins)])
    target = _index(output_device if output_device is not None else ids[0])
    return gather(outputs, target, dim)
