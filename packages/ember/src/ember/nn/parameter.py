"""Parameter and Buffer: tensors that modules register automatically."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "is_lazy"]


def _share(cls: type, data: Tensor | None) -> Any:
    """A ``cls`` instance that shares ``data``'s memory and version counter."""
    if data is None:
        from ember import _creation

        data = _creation.empty(0)
    if not isinstance(data, Tensor):
        raise TypeError(f"{cls.__name__} expects a Tensor as data, got {type(data).__name__}")
    obj = object.__new__(cls)
    obj._data = data._data
    obj._requires_grad = False
    obj.grad_fn = None
    obj._vc = data._vc
    return obj


class Parameter(Tensor):
    """A tensor that is a module's learnable weight: assigning one to a Module registers it.

    It shares memory with ``data`` and is a graph leaf.

    Args:
        data: the initial values (an empty tensor when None).
        requires_grad: whether the optimiser will train it.

    Example:
        >>> p = ember.nn.Parameter(ember.zeros(2))
        >>> p.requires_grad
        True
    """

    _is_param = True

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        obj = _share(cls, data)
        if requires_grad:
            obj.requires_grad_(True)
        return obj

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # everything happens in __new__; Tensor.__init__ is the legacy constructor



class UninitializedParameter(Parameter):
    """A placeholder parameter for lazy modules (ember has no lazy modules yet)."""


class Buffer(Tensor):
    """A tensor that, assigned to a Module attribute, registers as a buffer (saved, not trained).

    Args:
        data: the values (an empty tensor when None).
        persistent: whether the buffer is part of ``state_dict()``.

    Example:
        >>> m = ember.nn.Module()
        >>> m.steps = ember.nn.Buffer(ember.zeros(1))
        >>> list(m.state_dict())
        ['steps']
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Buffer:
        obj = _share(cls, data)
        obj.persistent = persistent
        return obj

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True) -> None:
        pass


def is_lazy(param: Any) -> bool:
    """True for an ``UninitializedParameter``."""
    return isinstance(param, UninitializedParameter)
