"""MobileNetV2 (Sandler et al., 2018), as torchvision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import _make_divisible, tv_weights
from embervision.ops import Conv2dNormActivation

__all__ = ["MobileNetV2", "InvertedResidual", "MobileNet_V2_Weights", "mobilenet_v2"]


class InvertedResidual(nn.Module):
    """1x1 expansion, 3x3 depthwise convolution, linear 1x1 projection; residual when shapes
    allow it."""

    def __init__(
        self,
        inp: int,
        oup: int,
        stride: int,
        expand_ratio: int,
        norm_layer: Callable[..., nn.Module] | None = None,
    ) -> None:
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"InvertedResidual: stride should be 1 or 2, got {stride}")
        norm_layer = norm_layer or nn.BatchNorm2d
        self.stride = stride
        hidden_dim = int(round(inp * expand_ratio))
        self.use_res_connect = stride == 1 and inp == oup
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(
                Conv2dNormActivation(
                    inp, hidden_dim, kernel_size=1, norm_layer=norm_layer, activation_layer=nn.ReLU6
                )
            )
        layers += [
            Conv2dNormActivation(
                hidden_dim,
                hidden_dim,
                stride=stride,
                groups=hidden_dim,
                norm_layer=norm_layer,
                activation_layer=nn.ReLU6,
            ),
            nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False),
            norm_layer(oup),
        ]
        self.conv = nn.Sequential(*layers)
        self.out_channels = oup

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


_SETTING = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
]


class MobileNetV2(nn.Module):
    """MobileNetV2: a strided stem, inverted residual stages, a 1x1 head conv, a classifier.

    Args:
        num_classes: output classes.
        width_mult: channel multiplier.
        inverted_residual_setting: rows ``[t, c, n, s]`` (expansion, channels, repeats, stride).
        round_nearest: round channel counts to a multiple of this.
        block: the block class (default :class:`InvertedResidual`).
        norm_layer: normalisation layer (default BatchNorm2d).
        dropout: dropout before the classifier.

    Example:
        >>> MobileNetV2(num_classes=3, width_mult=0.25)(ember.zeros(1, 3, 32, 32)).shape
        (1, 3)
    """

    def __init__(
        self,
        num_classes: int = 1000,
        width_mult: float = 1.0,
        inverted_residual_setting: Sequence[Sequence[int]] | None = None,
        round_nearest: int = 8,
        block: Callable[..., nn.Module] | None = None,
        norm_layer: Callable[..., nn.Module] | None = None,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        block = block or InvertedResidual
        norm_layer = norm_layer or nn.BatchNorm2d
        setting = inverted_residual_setting or _SETTING
        if any(len(row) != 4 for row in setting):
            raise ValueError(f"inverted_residual_setting should be rows of 4, got {setting}")
        input_channel = _make_divisible(32 * width_mult, round_nearest)
        self.last_channel = _make_divisible(1280 * max(1.0, width_mult), round_nearest)
        features: list[nn.Module] = [
            Conv2dNormActivation(
                3, input_channel, stride=2, norm_layer=norm_layer, activation_layer=nn.ReLU6
            )
        ]
        for t, c, n, s in setting:
            output_channel = _make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                features.append(
                    block(
                        input_channel, output_channel, s if i == 0 else 1, t, norm_layer=norm_layer
                    )
                )
                input_channel = output_channel
        features.append(
            Conv2dNormActivation(
                input_channel,
                self.last_channel,
                kernel_size=1,
                norm_layer=norm_layer,
                activation_layer=nn.ReLU6,
            )
        )
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes)
        )
        _init_mobile(self)

    def forward(self, x: Tensor) -> Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(ember.flatten(x, 1))


def _init_mobile(model: nn.Module) -> None:
    """torchvision's MobileNet initialisation: Kaiming (fan_out) convs, N(0, 0.01) Linear."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)


class MobileNet_V2_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("MobileNet_V2_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("MobileNet_V2_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


@register_model(weights=MobileNet_V2_Weights)
def mobilenet_v2(
    *, weights: MobileNet_V2_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> MobileNetV2:
    """MobileNetV2 from `MobileNetV2: Inverted Residuals and Linear Bottlenecks`.

    Args:
        weights: None, a :class:`MobileNet_V2_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: passed to :class:`MobileNetV2` (``num_classes``, ``width_mult``, ...).

    Example:
        >>> mobilenet_v2(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    weights = MobileNet_V2_Weights.verify(weights)
    set_params_from_weights(weights, kwargs)
    return load_weights(MobileNetV2(**kwargs), weights, progress)
