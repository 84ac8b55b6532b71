"""MobileNetV3 small and large (Howard et al., 2019), as torchvision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import _make_divisible, tv_weights
from embervision.models.mobilenetv2 import _init_mobile
from embervision.ops import Conv2dNormActivation, SqueezeExcitation

__all__ = [
    "MobileNetV3",
    "InvertedResidualConfig",
    "MobileNet_V3_Large_Weights",
    "MobileNet_V3_Small_Weights",
    "mobilenet_v3_large",
    "mobilenet_v3_small",
]


def _hardswish(inplace: bool = False) -> nn.Module:
    """Hardswish, always out of place: ember's in-place hardswish cannot be differentiated
    yet (its composite backward needs the input it overwrites). Same outputs and keys."""
    return nn.Hardswish()


_SE_LAYER = partial(SqueezeExcitation, scale_activation=nn.Hardsigmoid)


@dataclass
class InvertedResidualConfig:
    """One MobileNetV3 block: channels are scaled by ``width_mult`` and rounded to 8."""

    input_channels: int
    kernel: int
    expanded_channels: int
    out_channels: int
    use_se: bool
    activation: str
    stride: int
    dilation: int
    width_mult: float = 1.0

    def __post_init__(self) -> None:
        self.input_channels = self.adjust_channels(self.input_channels, self.width_mult)
        self.expanded_channels = self.adjust_channels(self.expanded_channels, self.width_mult)
        self.out_channels = self.adjust_channels(self.out_channels, self.width_mult)
        self.use_hs = self.activation == "HS"

    @staticmethod
    def adjust_channels(channels: int, width_mult: float) -> int:
        return _make_divisible(channels * width_mult, 8)


class InvertedResidual(nn.Module):
    """Expansion, depthwise conv, optional squeeze-excitation, projection; residual if it fits."""

    def __init__(
        self,
        cnf: InvertedResidualConfig,
        norm_layer: Callable[..., nn.Module],
        se_layer: Callable[..., nn.Module] = _SE_LAYER,
    ) -> None:
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError(f"illegal stride value {cnf.stride}")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        act = _hardswish if cnf.use_hs else nn.ReLU
        exp = cnf.expanded_channels
        layers: list[nn.Module] = []
        if exp != cnf.input_channels:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels,
                    exp,
                    kernel_size=1,
                    norm_layer=norm_layer,
                    activation_layer=act,
                )
            )
        stride = 1 if cnf.dilation > 1 else cnf.stride
        layers.append(
            Conv2dNormActivation(
                exp,
                exp,
                kernel_size=cnf.kernel,
                stride=stride,
                dilation=cnf.dilation,
                groups=exp,
                norm_layer=norm_layer,
                activation_layer=act,
            )
        )
        if cnf.use_se:
            layers.append(se_layer(exp, _make_divisible(exp // 4, 8)))
        layers.append(
            Conv2dNormActivation(
                exp, cnf.out_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=None
            )
        )
        self.block = nn.Sequential(*layers)
        self.out_channels = cnf.out_channels

    def forward(self, x: Tensor) -> Tensor:
        out = self.block(x)
        return out + x if self.use_res_connect else out


class MobileNetV3(nn.Module):
    """MobileNetV3: hard-swish stem, inverted residual blocks with SE, 1x1 head, classifier.

    Args:
        inverted_residual_setting: the blocks (see :func:`_mobilenet_v3_conf`).
        last_channel: width of the penultimate Linear layer.
        num_classes: output classes.
        block: the block class.
        norm_layer: normalisation (default BatchNorm2d with eps=0.001, momentum=0.01).
        dropout: dropout before the last Linear.

    Example:
        >>> setting, last = _mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.5)
        >>> MobileNetV3(setting, last, num_classes=3)(ember.zeros(1, 3, 32, 32)).shape
        (1, 3)
    """

    def __init__(
        self,
        inverted_residual_setting: Sequence[InvertedResidualConfig],
        last_channel: int,
        num_classes: int = 1000,
        block: Callable[..., nn.Module] | None = None,
        norm_layer: Callable[..., nn.Module] | None = None,
        dropout: float = 0.2,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        block = block or InvertedResidual
        norm_layer = norm_layer or partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        first = inverted_residual_setting[0].input_channels
        layers: list[nn.Module] = [
            Conv2dNormActivation(
                3,
                first,
                kernel_size=3,
                stride=2,
                norm_layer=norm_layer,
                activation_layer=_hardswish,
            )
        ]
        layers += [block(cnf, norm_layer) for cnf in inverted_residual_setting]
        last_in = inverted_residual_setting[-1].out_channels
        last_out = 6 * last_in
        layers.append(
            Conv2dNormActivation(
                last_in, last_out, kernel_size=1, norm_layer=norm_layer, activation_layer=_hardswish
            )
        )
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(last_out, last_channel),
            _hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True),
            nn.Linear(last_channel, num_classes),
        )
        _init_mobile(self)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(ember.flatten(x, 1))


def _mobilenet_v3_conf(
    arch: str, width_mult: float = 1.0, reduced_tail: bool = False, dilated: bool = False
) -> tuple[list[InvertedResidualConfig], int]:
    """Block configurations and last channel of ``mobilenet_v3_large`` / ``_small``."""
    r = 2 if reduced_tail else 1
    d = 2 if dilated else 1
    c = partial(InvertedResidualConfig, width_mult=width_mult)
    if arch == "mobilenet_v3_large":
        setting = [
            c(16, 3, 16, 16, False, "RE", 1, 1),
            c(16, 3, 64, 24, False, "RE", 2, 1),
            c(24, 3, 72, 24, False, "RE", 1, 1),
            c(24, 5, 72, 40, True, "RE", 2, 1),
            c(40, 5, 120, 40, True, "RE", 1, 1),
            c(40, 5, 120, 40, True, "RE", 1, 1),
            c(40, 3, 240, 80, False, "HS", 2, 1),
            c(80, 3, 200, 80, False, "HS", 1, 1),
            c(80, 3, 184, 80, False, "HS", 1, 1),
            c(80, 3, 184, 80, False, "HS", 1, 1),
            c(80, 3, 480, 112, True, "HS", 1, 1),
            c(112, 3, 672, 112, True, "HS", 1, 1),
            c(112, 5, 672, 160 // r, True, "HS", 2, d),
            c(160 // r, 5, 960 // r, 160 // r, True, "HS", 1, d),
            c(160 // r, 5, 960 // r, 160 // r, True, "HS", 1, d),
        ]
        last = 1280 // r
    elif arch == "mobilenet_v3_small":
        setting = [
            c(16, 3, 16, 16, True, "RE", 2, 1),
            c(16, 3, 72, 24, False, "RE", 2, 1),
            c(24, 3, 88, 24, False, "RE", 1, 1),
            c(24, 5, 96, 40, True, "HS", 2, 1),
            c(40, 5, 240, 40, True, "HS", 1, 1),
            c(40, 5, 240, 40, True, "HS", 1, 1),
            c(40, 5, 120, 48, True, "HS", 1, 1),
            c(48, 5, 144, 48, True, "HS", 1, 1),
            c(48, 5, 288, 96 // r, True, "HS", 2, d),
            c(96 // r, 5, 576 // r, 96 // r, True, "HS", 1, d),
            c(96 // r, 5, 576 // r, 96 // r, True, "HS", 1, d),
        ]
        last = 1024 // r
    else:
        raise ValueError(f"Unsupported model type {arch}")
    return setting, InvertedResidualConfig.adjust_channels(last, width_mult)


def _mobilenet_v3(arch: str, weights: Any, progress: bool, **kwargs: Any) -> MobileNetV3:
    conf_keys = ("width_mult", "reduced_tail", "dilated")
    conf = {k: kwargs.pop(k) for k in conf_keys if k in kwargs}
    setting, last_channel = _mobilenet_v3_conf(arch, **conf)
    set_params_from_weights(weights, kwargs)
    return load_weights(MobileNetV3(setting, last_channel, **kwargs), weights, progress)


class MobileNet_V3_Large_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("MobileNet_V3_Large_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("MobileNet_V3_Large_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


class MobileNet_V3_Small_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("MobileNet_V3_Small_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


@register_model(weights=MobileNet_V3_Large_Weights)
def mobilenet_v3_large(
    *, weights: MobileNet_V3_Large_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> MobileNetV3:
    """MobileNetV3-Large from `Searching for MobileNetV3`.

    Args:
        weights: None, a :class:`MobileNet_V3_Large_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: ``width_mult``, ``reduced_tail``, ``dilated``, and :class:`MobileNetV3`'s
            arguments (``num_classes``, ``dropout``, ...).

    Example:
        >>> mobilenet_v3_large(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    weights = MobileNet_V3_Large_Weights.verify(weights)
    return _mobilenet_v3("mobilenet_v3_large", weights, progress, **kwargs)


@register_model(weights=MobileNet_V3_Small_Weights)
def mobilenet_v3_small(
    *, weights: MobileNet_V3_Small_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> MobileNetV3:
    """MobileNetV3-Small from `Searching for MobileNetV3`.

    Args:
        weights: None, a :class:`MobileNet_V3_Small_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: ``width_mult``, ``reduced_tail``, ``dilated``, and :class:`MobileNetV3`'s
            arguments (``num_classes``, ``dropout``, ...).

    Example:
        >>> mobilenet_v3_small(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    weights = MobileNet_V3_Small_Weights.verify(weights)
    return _mobilenet_v3("mobilenet_v3_small", weights, progress, **kwargs)
