"""ember.nn layers: max, average, adaptive, power-average pooling and max unpooling."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = [
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
    "LPPool1d", "LPPool2d", "LPPool3d",
]


class _MaxPoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 dilation: Any = 1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Any:
        """Pool ``input`` (and return the indices when ``return_indices``)."""
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """1-D max pooling, as ``torch.nn.MaxPool1d`` (see ``F.max_pool1d`` for the arguments).

    Example:
        >>> ember.nn.MaxPool1d(2)(ember.randn(1, 3, 8)).shape
        ember.Size([1, 3, 4])
    """

    _fn = staticmethod(F.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """2-D max pooling, as ``torch.nn.MaxPool2d``.

    Args:
        kernel_size: window size.
        stride: window step (default ``kernel_size``).
        padding: implicit -inf padding, at most half the window.
        dilation: spacing between window elements.
        return_indices: also return the argmax indices (for ``MaxUnpool2d``).
        ceil_mode: ceil instead of floor in the output size.

    Example:
        >>> ember.nn.MaxPool2d(3, stride=2, padding=1)(ember.randn(1, 3, 8, 8)).shape
        ember.Size([1, 3, 4, 4])
    """

    _fn = staticmethod(F.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """3-D max pooling, as ``torch.nn.MaxPool3d`` (see ``F.max_pool3d``).

    Example:
        >>> ember.nn.MaxPool3d(2)(ember.randn(1, 1, 4, 4, 4)).shape
        ember.Size([1, 1, 2, 2, 2])
    """

    _fn = staticmethod(F.max_pool3d)


class _AvgPoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        """Average-pool ``input``."""
        args = [input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                self.count_include_pad]
        if type(self)._fn.__name__ != "avg_pool1d":
            args.append(self.divisor_override)
        return type(self)._fn(*args)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """1-D average pooling, as ``torch.nn.AvgPool1d`` (no ``divisor_override``).

    Example:
        >>> ember.nn.AvgPool1d(2)(ember.ones(1, 2, 6)).shape
        ember.Size([1, 2, 3])
    """

    _fn = staticmethod(F.avg_pool1d)

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)


class AvgPool2d(_AvgPoolNd):
    """2-D average pooling, as ``torch.nn.AvgPool2d``.

    Args:
        kernel_size: window size.
        stride: window step (default ``kernel_size``).
        padding: zero padding, at most half the window.
        ceil_mode: ceil instead of floor in the output size.
        count_include_pad: count padded zeros in the divisor.
        divisor_override: divide each window sum by this instead.

    Example:
        >>> ember.nn.AvgPool2d(2)(ember.ones(1, 2, 4, 4)).shape
        ember.Size([1, 2, 2, 2])
    """

    _fn = staticmethod(F.avg_pool2d)


class AvgPool3d(_AvgPoolNd):
    """3-D average pooling, as ``torch.nn.AvgPool3d``.

    Example:
        >>> ember.nn.AvgPool3d(2)(ember.ones(1, 1, 4, 4, 4)).shape
        ember.Size([1, 1, 2, 2, 2])
    """

    _fn = staticmethod(F.avg_pool3d)


class _AdaptiveAvgPoolNd(Module):
    _fn: Any = None

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        """Average-pool ``input`` to ``output_size``."""
        return type(self)._fn(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Average pooling to a fixed length, as ``torch.nn.AdaptiveAvgPool1d``.

    Example:
        >>> ember.nn.AdaptiveAvgPool1d(3)(ember.ones(1, 2, 7)).shape
        ember.Size([1, 2, 3])
    """

    _fn = staticmethod(F.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Average pooling to a fixed size, as ``torch.nn.AdaptiveAvgPool2d``.

    Args:
        output_size: int or (H, W); None keeps that input size.

    Example:
        >>> ember.nn.AdaptiveAvgPool2d(1)(ember.ones(2, 8, 7, 7)).shape
        ember.Size([2, 8, 1, 1])
    """

    _fn = staticmethod(F.adaptive_avg_pool2d)


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """Average pooling to a fixed ``(D, H, W)``, as ``torch.nn.AdaptiveAvgPool3d``.

    Example:
        >>> ember.nn.AdaptiveAvgPool3d(1)(ember.ones(1, 2, 3, 4, 5)).shape
        ember.Size([1, 2, 1, 1, 1])
    """

    _fn = staticmethod(F.adaptive_avg_pool3d)


class _AdaptiveMaxPoolNd(Module):
    _fn: Any = None

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:
        """Max-pool ``input`` to ``output_size``."""
        return type(self)._fn(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed length, as ``torch.nn.AdaptiveMaxPool1d``.

    Example:
        >>> ember.nn.AdaptiveMaxPool1d(2)(ember.ones(1, 2, 5)).shape
        ember.Size([1, 2, 2])
    """

    _fn = staticmethod(F.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed size, as ``torch.nn.AdaptiveMaxPool2d``.

    Args:
        output_size: int or (H, W); None keeps that input size.
        return_indices: also return the argmax indices.

    Example:
        >>> ember.nn.AdaptiveMaxPool2d((2, 3))(ember.ones(1, 2, 5, 7)).shape
        ember.Size([1, 2, 2, 3])
    """

    _fn = staticmethod(F.adaptive_max_pool2d)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed ``(D, H, W)``, as ``torch.nn.AdaptiveMaxPool3d``.

    Example:
        >>> ember.nn.AdaptiveMaxPool3d(1)(ember.ones(1, 2, 3, 4, 5)).shape
        ember.Size([1, 2, 1, 1, 1])
    """

    _fn = staticmethod(F.adaptive_max_pool3d)


class _MaxUnpoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding

    def forward(self, input: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:
        """Scatter ``input`` back to the positions in ``indices``."""
        return type(self)._fn(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool1d``, as ``torch.nn.MaxUnpool1d``.

    Example:
        >>> y, i = ember.nn.MaxPool1d(2, return_indices=True)(ember.randn(1, 1, 4))
        >>> ember.nn.MaxUnpool1d(2)(y, i).shape
        ember.Size([1, 1, 4])
    """

    _fn = staticmethod(F.max_unpool1d)


class MaxUnpool2d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool2d``, as ``torch.nn.MaxUnpool2d``.

    Example:
        >>> y, i = ember.nn.MaxPool2d(2, return_indices=True)(ember.randn(1, 1, 4, 4))
        >>> ember.nn.MaxUnpool2d(2)(y, i).shape
        ember.Size([1, 1, 4, 4])
    """

    _fn = staticmethod(F.max_unpool2d)


class MaxUnpool3d(_MaxUnpoolNd):
    """Partial inverse of ``MaxPool3d``, as ``torch.nn.MaxUnpool3d``.

    Example:
        >>> y, i = ember.nn.MaxPool3d(2, return_indices=True)(ember.randn(1, 1, 2, 2, 2))
        >>> ember.nn.MaxUnpool3d(2)(y, i).shape
        ember.Size([1, 1, 2, 2, 2])
    """

    _fn = staticmethod(F.max_unpool3d)


class _LPPoolNd(Module):
    _fn: Any = None

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        """Power-average-pool ``input``."""
        return type(self)._fn(input, self.norm_type, self.kernel_size, self.stride,
                              self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """Power-average pooling, as ``torch.nn.LPPool1d``.

    Example:
        >>> ember.nn.LPPool1d(2, 2)(ember.ones(1, 1, 4))
        tensor([[[1.4142, 1.4142]]])
    """

    _fn = staticmethod(F.lp_pool1d)


class LPPool2d(_LPPoolNd):
    """Power-average pooling over 2-D windows, as ``torch.nn.LPPool2d``.

    Example:
        >>> ember.nn.LPPool2d(2, 2)(ember.ones(1, 1, 2, 2))
        tensor([[[[2.]]]])
    """

    _fn = staticmethod(F.lp_pool2d)


class LPPool3d(_LPPoolNd):
    """Power-average pooling over 3-D windows, as ``torch.nn.LPPool3d``.

    Example:
        >>> ember.nn.LPPool3d(2, 2)(ember.ones(1, 1, 2, 2, 2))
        tensor([[[[[2.8284]]]]])
    """

    _fn = staticmethod(F.lp_pool3d)
