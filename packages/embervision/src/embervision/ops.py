"""Vision operators, as ``torchvision.ops``: boxes, NMS, RoI pooling and reusable layers.

Boxes are ``(N, 4)`` tensors, ``(x1, y1, x2, y2)`` unless a format is named. Every function is
composed from ember ops, so gradients flow where they exist mathematically (``box_iou``,
``generalized_box_iou``, ``roi_align``); ``nms`` returns indices and has none.

Example:
    >>> import ember
    >>> from embervision import ops
    >>> boxes = ember.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]])
    >>> ops.box_iou(boxes, boxes)[0, 1].item()
    0.14285714924335480
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import Tensor, nn

__all__ = [
    "stochastic_depth",
    "StochasticDepth",
    "Conv2dNormActivation",
    "SqueezeExcitation",
    "MLP",
]


# ---------------------------------------------------------------------------------- layers ---


def stochastic_depth(input: Tensor, p: float, mode: str, training: bool = True) -> Tensor:
    """Drop whole residual branches at random (Huang et al., 2016), as in torchvision.

    Args:
        input: the branch output, ``(N, ...)``.
        p: probability of zeroing a row (``mode="row"``) or the whole batch (``"batch"``).
        mode: ``"row"`` or ``"batch"``.
        training: apply only when True; otherwise return ``input`` unchanged.

    Returns:
        ``input * noise / (1 - p)`` with ``noise`` Bernoulli(1 - p).

    Example:
        >>> x = ember.ones(4, 3)
        >>> stochastic_depth(x, 0.5, "row", training=False).equal(x)
        True
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"stochastic_depth: drop probability must be in [0, 1], got {p}")
    if mode not in ("batch", "row"):
        raise ValueError(f"stochastic_depth: mode must be 'batch' or 'row', got {mode!r}")
    if not training or p == 0.0:
        return input
    survival = 1.0 - p
    shape = [input.shape[0]] + [1] * (input.ndim - 1) if mode == "row" else [1] * input.ndim
    noise = ember.bernoulli(ember.full(shape, survival, dtype=input.dtype, device=input.device))
    if survival > 0.0:
        noise = noise / survival
    return input * noise


class StochasticDepth(nn.Module):
    """Module form of :func:`stochastic_depth`.

    Example:
        >>> StochasticDepth(0.2, "row").eval()(ember.ones(2, 3)).shape
        (2, 3)
    """

    def __init__(self, p: float, mode: str) -> None:
        super().__init__()
        self.p = p
        self.mode = mode

    def forward(self, input: Tensor) -> Tensor:
        return stochastic_depth(input, self.p, self.mode, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, mode={self.mode}"


class Conv2dNormActivation(nn.Sequential):
    """Conv2d, then a normalisation layer, then an activation (torchvision's building block).

    The state-dict keys are ``0.weight`` (conv), ``1.*`` (norm), as in torchvision.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        kernel_size: convolution size.
        stride: convolution stride.
        padding: default ``(kernel_size - 1) // 2 * dilation`` (keeps the size at stride 1).
        groups: convolution groups.
        norm_layer: called with ``out_channels``; None for no normalisation.
        activation_layer: called with ``inplace=`` when given; None for no activation.
        dilation: convolution dilation.
        inplace: passed to the activation.
        bias: conv bias; default True only without a norm layer.

    Example:
        >>> Conv2dNormActivation(3, 8, kernel_size=3, stride=2)(ember.zeros(1, 3, 8, 8)).shape
        (1, 8, 4, 4)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int | None = None,
        groups: int = 1,
        norm_layer: Callable[..., nn.Module] | None = nn.BatchNorm2d,
        activation_layer: Callable[..., nn.Module] | None = nn.ReLU,
        dilation: int = 1,
        inplace: bool | None = True,
        bias: bool | None = None,
    ) -> None:
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers: list[nn.Module] = [
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride,
                padding,
                dilation=dilation,
                groups=groups,
                bias=bias,
            )
        ]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            kw = {} if inplace is None else {"inplace": inplace}
            layers.append(activation_layer(**kw))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation block (Hu et al., 2018): rescale channels by a learned gate.

    Args:
        input_channels: channels of the input.
        squeeze_channels: channels of the bottleneck.
        activation: activation after ``fc1``.
        scale_activation: activation giving the gate.

    Example:
        >>> SqueezeExcitation(8, 2)(ember.ones(1, 8, 4, 4)).shape
        (1, 8, 4, 4)
    """

    def __init__(
        self,
        input_channels: int,
        squeeze_channels: int,
        activation: Callable[..., nn.Module] = nn.ReLU,
        scale_activation: Callable[..., nn.Module] = nn.Sigmoid,
    ) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, input: Tensor) -> Tensor:
        scale = self.fc2(self.activation(self.fc1(self.avgpool(input))))
        return self.scale_activation(scale) * input


class MLP(nn.Sequential):
    """Linear layers with activation and dropout between them (torchvision's ``ops.MLP``).

    Args:
        in_channels: input features.
        hidden_channels: sizes of each layer; the last one is the output size.
        norm_layer: optional normalisation after each hidden Linear.
        activation_layer: activation after each hidden Linear.
        inplace: passed to the activation and dropout (None: their default).
        bias: Linear biases.
        dropout: dropout probability after each layer.

    Example:
        >>> MLP(4, [8, 2])(ember.zeros(3, 4)).shape
        (3, 2)
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: Sequence[int],
        norm_layer: Callable[..., nn.Module] | None = None,
        activation_layer: Callable[..., nn.Module] | None = nn.ReLU,
        inplace: bool | None = None,
        bias: bool = True,
        dropout: float = 0.0,
    ) -> None:
        kw: dict[str, Any] = {} if inplace is None else {"inplace": inplace}
        layers: list[nn.Module] = []
        in_dim = in_channels
        for hidden in hidden_channels[:-1]:
            layers.append(nn.Linear(in_dim, hidden, bias=bias))
            if norm_layer is not None:
                layers.append(norm_layer(hidden))
            if activation_layer is not None:
                layers.append(activation_layer(**kw))
            layers.append(nn.Dropout(dropout, **kw))
            in_dim = hidden
        layers.append(nn.Linear(in_dim, hidden_channels[-1], bias=bias))
        layers.append(nn.Dropout(dropout, **kw))
        super().__init__(*layers)
