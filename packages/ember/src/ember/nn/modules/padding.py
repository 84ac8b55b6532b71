"""ember.nn layers: constant, zero, reflection, replication and circular padding."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = [
    "ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d",
    "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d",
    "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d",
]


def _padding(value: Any, nd: int, name: str) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2 * nd:
            raise ValueError(f"{name}: padding must be an int or a tuple of {2 * nd} ints "
                             f"(left, right{', top, bottom' if nd > 1 else ''}...), got {value}")
        return tuple(int(v) for v in value)
    return (int(value),) * (2 * nd)


class _PadNd(Module):
    _nd = 1
    _mode = "constant"

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _padding(padding, self._nd, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        """Pad the last ``nd`` dimensions of ``input``."""
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        """Pad the last ``nd`` dimensions of ``input`` with ``value``."""
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dimension with a constant, as ``torch.nn.ConstantPad1d``.

    Args:
        padding: int, or (left, right).
        value: the fill value.

    Example:
        >>> ember.nn.ConstantPad1d((1, 2), 3.5)(ember.zeros(1, 2)).shape
        ember.Size([1, 5])
    """

    _nd = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dimensions with a constant, as ``torch.nn.ConstantPad2d``.

    Args:
        padding: int, or (left, right, top, bottom).
        value: the fill value.

    Example:
        >>> ember.nn.ConstantPad2d(1, 0.5)(ember.zeros(1, 2, 2)).shape
        ember.Size([1, 4, 4])
    """

    _nd = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dimensions with a constant, as ``torch.nn.ConstantPad3d``.

    Example:
        >>> ember.nn.ConstantPad3d(1, 0.0)(ember.zeros(1, 1, 1, 1)).shape
        ember.Size([1, 3, 3, 3])
    """

    _nd = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last dimension with zeros, as ``torch.nn.ZeroPad1d``.

    Example:
        >>> ember.nn.ZeroPad1d(2)(ember.ones(1, 3)).shape
        ember.Size([1, 7])
    """

    _nd = 1


class ZeroPad2d(_ZeroPadNd):
    """Pad the last two dimensions with zeros, as ``torch.nn.ZeroPad2d``.

    Args:
        padding: int, or (left, right, top, bottom).

    Example:
        >>> ember.nn.ZeroPad2d((1, 1, 2, 0))(ember.ones(1, 1, 3, 3)).shape
        ember.Size([1, 1, 5, 5])
    """

    _nd = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last three dimensions with zeros, as ``torch.nn.ZeroPad3d``.

    Example:
        >>> ember.nn.ZeroPad3d(1)(ember.ones(1, 1, 1, 1)).shape
        ember.Size([1, 3, 3, 3])
    """

    _nd = 3


class ReflectionPad1d(_PadNd):
    """Mirror-pad the last dimension (edge not repeated), as ``torch.nn.ReflectionPad1d``.

    Example:
        >>> ember.nn.ReflectionPad1d(2)(ember.tensor([[[0.0, 1.0, 2.0, 3.0]]]))
        tensor([[[2., 1., 0., 1., 2., 3., 2., 1.]]])
    """

    _nd, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror-pad the last two dimensions, as ``torch.nn.ReflectionPad2d``.

    Args:
        padding: int, or (left, right, top, bottom); each smaller than its dimension.

    Example:
        >>> ember.nn.ReflectionPad2d(1)(ember.ones(1, 1, 3, 3)).shape
        ember.Size([1, 1, 5, 5])
    """

    _nd, _mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Mirror-pad the last three dimensions, as ``torch.nn.ReflectionPad3d``.

    Example:
        >>> ember.nn.ReflectionPad3d(1)(ember.ones(1, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 4, 4, 4])
    """

    _nd, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the edge values of the last dimension, as ``torch.nn.ReplicationPad1d``.

    Example:
        >>> ember.nn.ReplicationPad1d((1, 2))(ember.tensor([[[1.0, 2.0]]]))
        tensor([[[1., 1., 2., 2., 2.]]])
    """

    _nd, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the edge values of the last two dimensions, as ``torch.nn.ReplicationPad2d``.

    Example:
        >>> ember.nn.ReplicationPad2d(1)(ember.ones(1, 1, 2, 2)).shape
        ember.Size([1, 1, 4, 4])
    """

    _nd, _mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Repeat the edge values of the last three dimensions, as ``torch.nn.ReplicationPad3d``.

    Example:
        >>> ember.nn.ReplicationPad3d(1)(ember.ones(1, 1, 1, 1, 1)).shape
        ember.Size([1, 1, 3, 3, 3])
    """

    _nd, _mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Wrap-around padding of the last dimension, as ``torch.nn.CircularPad1d``.

    Example:
        >>> ember.nn.CircularPad1d(1)(ember.tensor([[[1.0, 2.0, 3.0]]]))
        tensor([[[3., 1., 2., 3., 1.]]])
    """

    _nd, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Wrap-around padding of the last two dimensions, as ``torch.nn.CircularPad2d``.

    Example:
        >>> ember.nn.CircularPad2d(1)(ember.ones(1, 1, 2, 2)).shape
        ember.Size([1, 1, 4, 4])
    """

    _nd, _mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Wrap-around padding of the last three dimensions, as ``torch.nn.CircularPad3d``.

    Example:
        >>> ember.nn.CircularPad3d(1)(ember.ones(1, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 4, 4, 4])
    """

    _nd, _mode = 3, "circular"
