"""ember.nn layers: fractional max pooling (2-D and 3-D)."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["FractionalMaxPool2d", "FractionalMaxPool3d"]


def _tuple(value: Any, n: int) -> tuple[Any, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n


class _FractionalMaxPoolNd(Module):
    _nd = 2
    _fn: Any = None

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Tensor | None = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.kernel_size = _tuple(kernel_size, self._nd)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _tuple(output_size, self._nd)
        self.output_ratio = _tuple(output_ratio, self._nd)
        if output_size is None and output_ratio is None:
            raise ValueError(
                f"{name} requires specifying either an output size, or a pooling ratio"
            )
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor) -> Any:
        """Pool ``input`` (and return the indices when ``return_indices``)."""
        return type(self)._fn(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            _random_samples=self._random_samples,
        )


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """2-D fractional max pooling, as ``torch.nn.FractionalMaxPool2d``.

    Windows of ``kernel_size`` start at pseudo-random, increasing positions chosen so that the
    output has ``output_size`` (or ``output_ratio`` times the input size); see
    ``F.fractional_max_pool2d``.

    Args:
        kernel_size: int or ``(kH, kW)``.
        output_size: int or ``(oH, oW)``; give this or ``output_ratio``.
        output_ratio: number or pair in (0, 1).
        return_indices: also return the argmax indices (for ``MaxUnpool2d``).
        _random_samples: fixed ``(N, C, 2)`` samples (a non-persistent choice of windows);
            fresh draws every call when None.

    Example:
        >>> pool = ember.nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5))
        >>> pool(ember.randn(2, 4, 10, 12)).shape
        ember.Size([2, 4, 5, 6])
    """

    _nd = 2
    _fn = staticmethod(F.fractional_max_pool2d)


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """3-D fractional max pooling, as ``torch.nn.FractionalMaxPool3d``.

    Args:
        kernel_size: int or ``(kT, kH, kW)``.
        output_size: int or ``(oT, oH, oW)``; give this or ``output_ratio``.
        output_ratio: number or triple in (0, 1).
        return_indices: also return the argmax indices (for ``MaxUnpool3d``).
        _random_samples: fixed ``(N, C, 3)`` samples; fresh draws every call when None.

    Example:
        >>> pool = ember.nn.FractionalMaxPool3d(2, output_size=(3, 3, 3))
        >>> pool(ember.randn(1, 2, 7, 7, 7)).shape
        ember.Size([1, 2, 3, 3, 3])
    """

    _nd = 3
    _fn = staticmethod(F.fractional_max_pool3d)
