"""``Variable``: the legacy autograd wrapper, kept as PyTorch keeps it.

Since PyTorch 0.4 every tensor is a Variable: ``Variable(t)`` returns a new tensor sharing
``t``'s data, detached from its graph, with the given ``requires_grad``. ``isinstance(x,
Variable)`` is true for every tensor.
"""

from __future__ import annotations

import warnings
from typing import Any

from ember._creation import tensor
from ember._tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False, volatile=False)``: a detached alias of ``data``.

    Args:
        data: a Tensor.
        requires_grad: whether the new tensor is a leaf that requires grad.
        volatile: removed in PyTorch 0.4; warns and has no effect.

    Returns:
        A Tensor sharing ``data``'s memory.

    Example:
        >>> from ember.autograd import Variable
        >>> v = Variable(ember.ones(2), requires_grad=True)
        >>> (v.requires_grad, v.is_leaf, isinstance(v, Variable))
        (True, True, True)
    """

    def __new__(
        cls,
        data: Any = None,
        requires_grad: bool = False,  # type: ignore[misc]
        volatile: bool = False,
    ) -> Tensor:
        if volatile:
            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning,
                stacklevel=2,
            )
        if data is None:
            data = tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(bool(requires_grad))
