"""ember.nn layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d."""

from __future__ import annotations

import math
from typing import Any

from ember import _creation
from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _tuple(value: Any, n: int) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value) if len(value) == n else (int(value[0]),) * n
    return (int(value),) * n


class _ConvNd(Module):
    """Shared parameters, initialisation and repr of the convolution layers."""

    _nd = 2
    _transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any,
                 padding: Any, dilation: Any, groups: int, bias: bool, padding_mode: str,
                 output_padding: Any = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        nd = self._nd
        _check_args(type(self).__name__, in_channels, out_channels, groups, padding,
                    padding_mode, stride)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _tuple(kernel_size, nd)
        self.stride = _tuple(stride, nd)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, nd)
        self.dilation = _tuple(dilation, nd)
        self.output_padding = _tuple(output_padding, nd)
        self.transposed = self._transposed
        self.padding_mode = padding_mode
        self._reversed_padding_repeated_twice = self._pad_amounts()
        shape = ((in_channels, out_channels // groups) if self._transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        kw = {"device": device, "dtype": dtype}
        self.weight = Parameter(_creation.empty(*shape, **kw))
        if bias:
            self.bias = Parameter(_creation.empty(out_channels, **kw))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _pad_amounts(self) -> list[int]:
        """``F.pad`` arguments for non-zero padding modes (last dimension first)."""
        res: list[int] = []
        for i in reversed(range(self._nd)):
            if self.padding == "same":
                total = self.dilation[i] * (self.kernel_size[i] - 1)
                res += [total // 2, total - total // 2]
            elif self.padding == "valid":
                res += [0, 0]
            else:
                res += [self.padding[i]] * 2
        return res

    def reset_parameters(self) -> None:
        """Re-draw the weights as PyTorch: kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in))."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        nd = self._nd
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        if self.padding != (0,) * nd:
            s += f", padding={self.padding!r}" if isinstance(self.padding, str) \
                else f", padding={self.padding}"
        if self.dilation != (1,) * nd:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * nd:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _check_args(name: str, cin: int, cout: int, groups: int, padding: Any, mode: str,
                stride: Any) -> None:
    if groups <= 0 or cin % groups or cout % groups:
        raise ValueError(f"{name}: in_channels ({cin}) and out_channels ({cout}) must be "
                         f"divisible by groups ({groups})")
    if mode not in _PADDING_MODES:
        raise ValueError(f"{name}: padding_mode must be one of {_PADDING_MODES}, got {mode!r}")
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(f"{name}: invalid padding string {padding!r}, should be one of "
                             "'valid', 'same'")
        if padding == "same" and any(s != 1 for s in _tuple(stride, 1 if isinstance(
                stride, int) else len(stride))):
            raise ValueError(f"{name}: padding='same' is not supported for strided "
                             "convolutions")


class _Conv(_ConvNd):
    """A forward convolution layer; ``forward`` is one call to ``F.conv<n>d``."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, 0, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        fn = (F.conv1d, F.conv2d, F.conv3d)[self._nd - 1]
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return fn(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
        return fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        """Convolve ``input`` with the layer's weight (and add its bias)."""
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-D convolution layer over ``(N, C_in, L)``, as ``torch.nn.Conv1d``.

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: window length.
        stride: step between windows.
        padding: int, tuple, ``"same"`` or ``"valid"``.
        dilation: spacing between kernel taps.
        groups: independent channel groups.
        bias: add a learnable bias.
        padding_mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> ember.nn.Conv1d(2, 4, 3, padding=1)(ember.randn(8, 2, 10)).shape
        ember.Size([8, 4, 10])
    """

    _nd = 1


class Conv2d(_Conv):
    """2-D convolution layer over ``(N, C_in, H, W)``, as ``torch.nn.Conv2d``.

    ``weight`` is ``(out_channels, in_channels / groups, kH, kW)``; both it and ``bias`` start
    as in PyTorch (``kaiming_uniform_(a=sqrt(5))`` and U(-1/sqrt(fan_in), 1/sqrt(fan_in))).

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: int or (kH, kW).
        stride: int or pair.
        padding: int, pair, ``"same"`` or ``"valid"``.
        dilation: int or pair.
        groups: independent channel groups.
        bias: add a learnable bias.
        padding_mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> conv = ember.nn.Conv2d(3, 16, 3, padding=1)
        >>> conv(ember.randn(2, 3, 32, 32)).shape
        ember.Size([2, 16, 32, 32])
    """

    _nd = 2


class Conv3d(_Conv):
    """3-D convolution layer over ``(N, C_in, D, H, W)``, as ``torch.nn.Conv3d``.

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: int or triple.
        stride: int or triple.
        padding: int, triple, ``"same"`` or ``"valid"``.
        dilation: int or triple.
        groups: independent channel groups.
        bias: add a learnable bias.
        padding_mode: ``"zeros"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> ember.nn.Conv3d(1, 2, 3)(ember.randn(1, 1, 5, 5, 5)).shape
        ember.Size([1, 2, 3, 3, 3])
    """

    _nd = 3


class _ConvTranspose(_ConvNd):
    """A transposed convolution layer; ``forward`` is one call to ``F.conv_transpose<n>d``."""

    _transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f"{type(self).__name__}")
        if isinstance(padding, str):
            raise ValueError(f"{type(self).__name__}: string padding is not supported")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, device, dtype)

    def _output_padding(self, input: Tensor, output_size: Any) -> tuple[int, ...]:
        if output_size is None:
            return self.output_padding
        nd = self._nd
        size = [int(s) for s in output_size][-nd:]
        if len(size) != nd:
            raise ValueError(f"output_size must have {nd} or {nd + 2} elements (got "
                             f"{len(list(output_size))})")
        res = []
        for i, n in enumerate(input.shape[-nd:]):
            lo = ((n - 1) * self.stride[i] - 2 * self.padding[i]
                  + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not lo <= size[i] < lo + self.stride[i]:
                raise ValueError(f"requested an output size of {size}, but valid sizes range "
                                 f"from {lo} to {lo + self.stride[i] - 1} (for an input of "
                                 f"{list(input.shape[-nd:])})")
            res.append(size[i] - lo)
        return tuple(res)

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        """Apply the transposed convolution; ``output_size`` picks among ambiguous sizes."""
        fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self._nd - 1]
        op = self._output_padding(input, output_size)
        return fn(input, self.weight, self.bias, self.stride, self.padding, op, self.groups,
                  self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution layer, as ``torch.nn.ConvTranspose1d``.

    ``weight`` is ``(in_channels, out_channels / groups, k)``.

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: window length.
        stride: stride of the matching forward convolution.
        padding: ``dilation * (k - 1) - padding`` zeros are added to both sides.
        output_padding: extra length on one side of the output.
        groups: independent channel groups.
        bias: add a learnable bias.
        dilation: spacing between kernel taps.
        padding_mode: only ``"zeros"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> ember.nn.ConvTranspose1d(4, 2, 3, stride=2)(ember.randn(1, 4, 5)).shape
        ember.Size([1, 2, 11])
    """

    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """2-D transposed convolution layer, as ``torch.nn.ConvTranspose2d``.

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: int or pair.
        stride: int or pair.
        padding: int or pair.
        output_padding: int or pair.
        groups: independent channel groups.
        bias: add a learnable bias.
        dilation: int or pair.
        padding_mode: only ``"zeros"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> up = ember.nn.ConvTranspose2d(8, 4, 2, stride=2)
        >>> up(ember.randn(1, 8, 5, 5)).shape
        ember.Size([1, 4, 10, 10])
    """

    _nd = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution layer, as ``torch.nn.ConvTranspose3d``.

    Args:
        in_channels: channels of the input.
        out_channels: channels produced.
        kernel_size: int or triple.
        stride: int or triple.
        padding: int or triple.
        output_padding: int or triple.
        groups: independent channel groups.
        bias: add a learnable bias.
        dilation: int or triple.
        padding_mode: only ``"zeros"``.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> ember.nn.ConvTranspose3d(2, 1, 2, stride=2)(ember.randn(1, 2, 2, 2, 2)).shape
        ember.Size([1, 1, 4, 4, 4])
    """

    _nd = 3
