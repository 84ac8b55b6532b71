"""Parameter and Buffer: tensors that modules register automatically."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "is_lazy"]


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



_UNINIT_MSG = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually happens "
    "in `load_state_dict` when trying to load an uninitialized parameter into an initialized "
    "one. Call `forward` to initialize the parameters before accessing their attributes."
)


class UninitializedTensorMixin:
    """What the uninitialized placeholders share: no shape until ``materialize(shape)``.

    The placeholder holds an empty array of the dtype and device it will have, so
    ``module.to(...)`` / ``.double()`` before the first forward still choose them. Reading its
    shape raises ``RuntimeError`` as in PyTorch.
    """

    __slots__ = ()
    cls_to_become: type = Tensor

    @property
    def shape(self) -> Any:
        raise RuntimeError(_UNINIT_MSG)

    @property
    def ndim(self) -> int:
        raise RuntimeError(_UNINIT_MSG)

    def size(self, dim: int | None = None) -> Any:
        raise RuntimeError(_UNINIT_MSG)

    def dim(self) -> int:
        raise RuntimeError(_UNINIT_MSG)

    def numel(self) -> int:
        raise RuntimeError(_UNINIT_MSG)

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give the placeholder storage of ``shape`` (uninitialised values), in place.

        The object keeps its identity (so an optimizer or a module holding it sees the change)
        and becomes a ``Parameter`` (a plain ``Tensor`` for a buffer).

        Args:
            shape: the shape to allocate.
            device: the device (default: the placeholder's).
            dtype: the dtype (default: the placeholder's).
        """
        from ember import _creation

        dev = self.device if device is None else device  # type: ignore[attr-defined]
        dt = self.dtype if dtype is None else dtype  # type: ignore[attr-defined]
        shape = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
        self._data = _creation.empty(*shape, device=dev, dtype=dt)._data
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __reduce_ex__(self, protocol: int) -> Any:
        return (type(self), (self.requires_grad,))  # type: ignore[attr-defined]


def _placeholder(cls: type, device: Any, dtype: Any) -> Any:
    from ember import _creation

    return _share(cls, _creation.empty(0, device=device, dtype=dtype))


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet: the placeholder lazy modules hold.

    ``materialize(shape)`` turns it, in place, into an ordinary ``Parameter``; lazy modules do
    that on their first forward (or when ``load_state_dict`` gives the shape).

    Args:
        requires_grad: whether the materialised parameter requires grad.
        device: the device it will live on.
        dtype: the dtype it will have (default: the default dtype).

    Example:
        >>> p = ember.nn.UninitializedParameter()
        >>> p.materialize((2, 3))
        >>> type(p).__name__, tuple(p.shape)
        ('Parameter', (2, 3))
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device: Any = None,
                dtype: Any = None) -> UninitializedParameter:
        obj = _placeholder(cls, device, dtype)
        if requires_grad:
            obj.requires_grad_(True)
        return obj

    def __init__(self, requires_grad: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        pass


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (lazy modules' running statistics).

    Args:
        requires_grad: whether the materialised tensor requires grad.
        device: the device it will live on.
        dtype: the dtype it will have.
        persistent: whether it is part of ``state_dict()`` once registered.

    Example:
        >>> b = ember.nn.UninitializedBuffer()
        >>> b.materialize(4)
        >>> type(b).__name__, tuple(b.shape)
        ('Tensor', (4,))
    """

    def __new__(cls, requires_grad: bool = False, device: Any = None, dtype: Any = None,
                persistent: bool = True) -> UninitializedBuffer:
        obj = _placeholder(cls, device, dtype)
        obj.persistent = persistent
        if requires_grad:
            obj.requires_grad_(True)
        return obj

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None,
                 persistent: bool = True) -> None:
        pass


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
    """True for an uninitialized parameter or buffer (one that still has no shape)."""
    return isinstance(param, UninitializedTensorMixin)
