"""``skip_init``: build a module without running its parameter initialisation."""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["skip_init"]


def skip_init(module_cls: type, *args: Any, **kwargs: Any) -> Any:
    """Instantiate ``module_cls`` with uninitialised parameters and buffers.

    The module is built on the ``meta`` device (its initialisers store nothing) and then given
    uninitialised memory on ``device`` (default ``"cpu"``) with :meth:`Module.to_empty`, as
    PyTorch's ``torch.nn.utils.skip_init`` does.

    Args:
        module_cls: a ``Module`` subclass whose constructor takes a ``device`` keyword.
        *args: positional arguments for the constructor.
        **kwargs: keyword arguments for the constructor; ``device`` is where the memory goes.

    Returns:
        The module, its parameters holding whatever the memory held.

    Raises:
        RuntimeError: ``module_cls`` is not a Module class, or takes no ``device`` argument.

    Example:
        >>> m = ember.nn.utils.skip_init(ember.nn.Linear, 5, 1)
        >>> m.weight.shape, m.weight.device
        (ember.Size([1, 5]), device(type='cpu'))
    """
    from ember.nn.modules.module import Module  # noqa: PLC0415 - nn.utils loads before nn

    if not issubclass(module_cls, Module):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    final_device = kwargs.pop("device", "cpu")
    kwargs["device"] = "meta"
    return module_cls(*args, **kwargs).to_empty(device=final_device)
