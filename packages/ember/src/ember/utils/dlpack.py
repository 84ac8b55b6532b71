"""``ember.utils.dlpack``: PyTorch's spelling of the DLPack exchange.

Example:
    >>> t = ember.arange(3.0)
    >>> ember.utils.dlpack.from_dlpack(ember.utils.dlpack.to_dlpack(t))
    tensor([0., 1., 2.])
"""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.ops.conversion import from_dlpack

__all__ = ["to_dlpack", "from_dlpack"]


class _Capsule:
    """A one-shot DLPack producer around a capsule, so consumers that want ``__dlpack__``
    (NumPy's ``from_dlpack``) can take it."""

    def __init__(self, capsule: Any, device: tuple[int, int]) -> None:
        self._capsule, self._device = capsule, device

    def __dlpack__(self, **kwargs: Any) -> Any:
        return self._capsule

    def __dlpack_device__(self) -> tuple[int, int]:
        return self._device


def to_dlpack(tensor: Tensor) -> Any:
    """A DLPack producer for ``tensor``'s memory (zero-copy)."""
    return _Capsule(tensor.__dlpack__(), tensor.__dlpack_device__())
