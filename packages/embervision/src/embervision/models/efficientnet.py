"""EfficientNet-B0 (Tan & Le, 2019), as torchvision."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import _make_divisible, tv_weights
from embervision.ops import Conv2dNormActivation, SqueezeExcitation, StochasticDepth

__all__ = ["EfficientNet", "MBConvConfig", "EfficientNet_B0_Weights", "efficientnet_b0"]


@dataclass
class MBConvConfig:
    """One EfficientNet stage: channels scaled by ``width_mult``, depth by ``depth_mult``."""

    expand_ratio: float
    kernel: int
    stride: int
    input_channels: int
    out_channels: int
    num_layers: int
    width_mult: float = 1.0
    depth_mult: float = 1.0

    def __post_init__(self) -> None:
        self.input_channels = self.adjust_channels(self.input_channels, self.width_mult)
        self.out_channels = self.adjust_channels(self.out_channels, self.width_mult)
        self.num_layers = int(math.ceil(self.num_layers * self.depth_mult))

    @staticmethod
    def adjust_channels(channels: float, width_mult: float) -> int:
        return _make_divisible(channels * width_mult, 8)

    def block(self, sd_prob: float, norm_layer: Callable[..., nn.Module]) -> nn.Module:
        return MBConv(self, sd_prob, norm_layer)


class MBConv(nn.Module):
    """Mobile inverted bottleneck with squeeze-excitation and stochastic depth."""

    def __init__(
        self, cnf: MBConvConfig, stochastic_depth_prob: float, norm_layer: Callable[..., nn.Module]
    ) -> None:
        super().__init__()
        if not 1 <= cnf.stride <= 2:
            raise ValueError(f"illegal stride value {cnf.stride}")
        self.use_res_connect = cnf.stride == 1 and cnf.input_channels == cnf.out_channels
        exp = cnf.adjust_channels(cnf.input_channels, cnf.expand_ratio)
        layers: list[nn.Module] = []
        if exp != cnf.input_channels:
            layers.append(
                Conv2dNormActivation(
                    cnf.input_channels,
                    exp,
                    kernel_size=1,
                    norm_layer=norm_layer,
                    activation_layer=nn.SiLU,
                )
            )
        layers.append(
            Conv2dNormActivation(
                exp,
                exp,
                kernel_size=cnf.kernel,
                stride=cnf.stride,
                groups=exp,
                norm_layer=norm_layer,
                activation_layer=nn.SiLU,
            )
        )
        squeeze = max(1, cnf.input_channels // 4)
        layers.append(SqueezeExcitation(exp, squeeze, activation=partial(nn.SiLU, inplace=True)))
        layers.append(
            Conv2dNormActivation(
                exp, cnf.out_channels, kernel_size=1, norm_layer=norm_layer, activation_layer=None
            )
        )
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")
        self.out_channels = cnf.out_channels

    def forward(self, x: Tensor) -> Tensor:
        out = self.block(x)
        if self.use_res_connect:
            out = self.stochastic_depth(out) + x
        return out


class EfficientNet(nn.Module):
    """EfficientNet: SiLU stem, MBConv stages, 1x1 head conv, pooling and a Linear.

    Args:
        inverted_residual_setting: the stages (:class:`MBConvConfig`).
        dropout: dropout before the classifier.
        stochastic_depth_prob: drop probability of the last block (linear in depth).
        num_classes: output classes.
        norm_layer: normalisation (default BatchNorm2d).
        last_channel: head width (default 4x the last stage's channels).

    Example:
        >>> cfg = [MBConvConfig(1, 3, 1, 32, 16, 1), MBConvConfig(6, 3, 2, 16, 24, 1)]
        >>> EfficientNet(cfg, 0.2, num_classes=3)(ember.zeros(1, 3, 32, 32)).shape
        (1, 3)
    """

    def __init__(
        self,
        inverted_residual_setting: Sequence[MBConvConfig],
        dropout: float,
        stochastic_depth_prob: float = 0.2,
        num_classes: int = 1000,
        norm_layer: Callable[..., nn.Module] | None = None,
        last_channel: int | None = None,
    ) -> None:
        super().__init__()
        if not inverted_residual_setting:
            raise ValueError("The inverted_residual_setting should not be empty")
        norm_layer = norm_layer or nn.BatchNorm2d
        setting = inverted_residual_setting
        layers: list[nn.Module] = [
            Conv2dNormActivation(
                3,
                setting[0].input_channels,
                kernel_size=3,
                stride=2,
                norm_layer=norm_layer,
                activation_layer=nn.SiLU,
            )
        ]
        total = sum(cnf.num_layers for cnf in setting)
        block_id = 0
        for cnf in setting:
            stage: list[nn.Module] = []
            for _ in range(cnf.num_layers):
                block_cnf = copy.copy(cnf)
                if stage:
                    block_cnf.input_channels = block_cnf.out_channels
                    block_cnf.stride = 1
                sd_prob = stochastic_depth_prob * float(block_id) / total
                stage.append(block_cnf.block(sd_prob, norm_layer))
                block_id += 1
            layers.append(nn.Sequential(*stage))
        last_in = setting[-1].out_channels
        last_out = last_channel if last_channel is not None else 4 * last_in
        layers.append(
            Conv2dNormActivation(
                last_in, last_out, kernel_size=1, norm_layer=norm_layer, activation_layer=nn.SiLU
            )
        )
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout, inplace=True), nn.Linear(last_out, num_classes)
        )
        self._init_weights()

    def _init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                init_range = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -init_range, init_range)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(ember.flatten(x, 1))


def _b0_setting(width_mult: float = 1.0, depth_mult: float = 1.0) -> list[MBConvConfig]:
    c = partial(MBConvConfig, width_mult=width_mult, depth_mult=depth_mult)
    return [
        c(1, 3, 1, 32, 16, 1),
        c(6, 3, 2, 16, 24, 2),
        c(6, 5, 2, 24, 40, 2),
        c(6, 3, 2, 40, 80, 3),
        c(6, 5, 1, 80, 112, 3),
        c(6, 5, 2, 112, 192, 4),
        c(6, 3, 1, 192, 320, 1),
    ]


class EfficientNet_B0_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("EfficientNet_B0_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


@register_model(weights=EfficientNet_B0_Weights)
def efficientnet_b0(
    *, weights: EfficientNet_B0_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> EfficientNet:
    """EfficientNet-B0 from `EfficientNet: Rethinking Model Scaling for CNNs`.

    Args:
        weights: None, an :class:`EfficientNet_B0_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: passed to :class:`EfficientNet` (``num_classes``, ``dropout``,
            ``stochastic_depth_prob``, ...).

    Example:
        >>> efficientnet_b0(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    weights = EfficientNet_B0_Weights.verify(weights)
    set_params_from_weights(weights, kwargs)
    dropout = kwargs.pop("dropout", 0.2)
    return load_weights(EfficientNet(_b0_setting(), dropout, **kwargs), weights, progress)
