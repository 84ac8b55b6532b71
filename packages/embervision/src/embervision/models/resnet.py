"""ResNet, ResNeXt and Wide ResNet (He et al., 2016; Xie et al., 2017; Zagoruyko & Komodakis,
2016), with torchvision's module names so torchvision checkpoints load unchanged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import tv_weights

__all__ = [
    "ResNet",
    "BasicBlock",
    "Bottleneck",
    "ResNet18_Weights",
    "ResNet34_Weights",
    "ResNet50_Weights",
    "ResNet101_Weights",
    "ResNet152_Weights",
    "ResNeXt50_32X4D_Weights",
    "Wide_ResNet50_2_Weights",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
    "resnext50_32x4d",
    "wide_resnet50_2",
]


def conv3x3(
    in_planes: int, out_planes: int, stride: int = 1, groups: int = 1, dilation: int = 1
) -> nn.Conv2d:
    """3x3 convolution with padding, no bias (a BatchNorm follows)."""
    return nn.Conv2d(
        in_planes,
        out_planes,
        kernel_size=3,
        stride=stride,
        padding=dilation,
        groups=groups,
        bias=False,
        dilation=dilation,
    )


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """1x1 convolution, no bias."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a shortcut (ResNet-18/34)."""

    expansion: int = 1

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
        groups: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        norm_layer: Callable[..., nn.Module] | None = None,
    ) -> None:
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock only supports groups=1 and base_width=64")
        if dilation > 1:
            raise NotImplementedError("dilation > 1 is not supported in BasicBlock")
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm_layer(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm_layer(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (strided, grouped), 1x1 expand, with a shortcut (ResNet-50 and up).

    The stride sits on the 3x3 convolution (ResNet V1.5), as in torchvision.
    """

    expansion: int = 4

    def __init__(
        self,
        inplanes: int,
        planes: int,
        stride: int = 1,
        downsample: nn.Module | None = None,
        groups: int = 1,
        base_width: int = 64,
        dilation: int = 1,
        norm_layer: Callable[..., nn.Module] | None = None,
    ) -> None:
        super().__init__()
        norm_layer = norm_layer or nn.BatchNorm2d
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    """Residual network: a 7x7 stem, four stages of residual blocks, global pooling, a Linear.

    Args:
        block: :class:`BasicBlock` or :class:`Bottleneck`.
        layers: number of blocks in each of the four stages.
        num_classes: output classes.
        zero_init_residual: start each block's last BatchNorm at zero (identity blocks).
        groups: convolution groups in bottlenecks (ResNeXt).
        width_per_group: bottleneck width per group (64 = ResNet, 128 = Wide ResNet-50-2).
        replace_stride_with_dilation: for stages 2-4, dilate instead of striding.
        norm_layer: normalisation layer (default BatchNorm2d).

    Example:
        >>> ResNet(BasicBlock, [1, 1, 1, 1], num_classes=3)(ember.zeros(1, 3, 32, 32)).shape
        (1, 3)
    """

    def __init__(
        self,
        block: type[BasicBlock | Bottleneck],
        layers: Sequence[int],
        num_classes: int = 1000,
        zero_init_residual: bool = False,
        groups: int = 1,
        width_per_group: int = 64,
        replace_stride_with_dilation: Sequence[bool] | None = None,
        norm_layer: Callable[..., nn.Module] | None = None,
    ) -> None:
        super().__init__()
        self._norm_layer = norm_layer or nn.BatchNorm2d
        dilate = list(replace_stride_with_dilation or [False, False, False])
        if len(dilate) != 3:
            raise ValueError(
                f"replace_stride_with_dilation should be None or have 3 elements, got {dilate}"
            )
        self.inplanes = 64
        self.dilation = 1
        self.groups = groups
        self.base_width = width_per_group
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = self._norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2, dilate=dilate[0])
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2, dilate=dilate[1])
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2, dilate=dilate[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        self._init_weights(zero_init_residual)

    def _init_weights(self, zero_init_residual: bool) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    nn.init.constant_(m.bn3.weight, 0)
                elif isinstance(m, BasicBlock):
                    nn.init.constant_(m.bn2.weight, 0)

    def _make_layer(
        self,
        block: type[BasicBlock | Bottleneck],
        planes: int,
        blocks: int,
        stride: int = 1,
        dilate: bool = False,
    ) -> nn.Sequential:
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if dilate:
            self.dilation *= stride
            stride = 1
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                norm_layer(planes * block.expansion),
            )
        layers = [
            block(
                self.inplanes,
                planes,
                stride,
                downsample,
                self.groups,
                self.base_width,
                previous_dilation,
                norm_layer,
            )
        ]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(
                block(
                    self.inplanes,
                    planes,
                    groups=self.groups,
                    base_width=self.base_width,
                    dilation=self.dilation,
                    norm_layer=norm_layer,
                )
            )
        return nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(ember.flatten(self.avgpool(x), 1))


def _resnet(
    block: type[BasicBlock | Bottleneck],
    layers: list[int],
    weights: Any,
    progress: bool,
    **kwargs: Any,
) -> ResNet:
    set_params_from_weights(weights, kwargs)
    return load_weights(ResNet(block, layers, **kwargs), weights, progress)


class ResNet18_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNet18_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class ResNet34_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNet34_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class ResNet50_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNet50_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("ResNet50_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


class ResNet101_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNet101_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("ResNet101_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


class ResNet152_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNet152_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("ResNet152_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


class ResNeXt50_32X4D_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ResNeXt50_32X4D_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("ResNeXt50_32X4D_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


class Wide_ResNet50_2_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("Wide_ResNet50_2_Weights", "IMAGENET1K_V1")
    IMAGENET1K_V2 = tv_weights("Wide_ResNet50_2_Weights", "IMAGENET1K_V2")
    DEFAULT = IMAGENET1K_V2


@register_model(weights=ResNet18_Weights)
def resnet18(
    *, weights: ResNet18_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNet-18 from `Deep Residual Learning for Image Recognition`.

    Args:
        weights: None, a :class:`ResNet18_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnet18(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNet18_Weights.verify(weights)
    return _resnet(BasicBlock, [2, 2, 2, 2], weights, progress, **kwargs)


@register_model(weights=ResNet34_Weights)
def resnet34(
    *, weights: ResNet34_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNet-34 from `Deep Residual Learning for Image Recognition`.

    Args:
        weights: None, a :class:`ResNet34_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnet34(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNet34_Weights.verify(weights)
    return _resnet(BasicBlock, [3, 4, 6, 3], weights, progress, **kwargs)


@register_model(weights=ResNet50_Weights)
def resnet50(
    *, weights: ResNet50_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNet-50 from `Deep Residual Learning for Image Recognition`.

    Args:
        weights: None, a :class:`ResNet50_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnet50(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNet50_Weights.verify(weights)
    return _resnet(Bottleneck, [3, 4, 6, 3], weights, progress, **kwargs)


@register_model(weights=ResNet101_Weights)
def resnet101(
    *, weights: ResNet101_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNet-101 from `Deep Residual Learning for Image Recognition`.

    Args:
        weights: None, a :class:`ResNet101_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnet101(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNet101_Weights.verify(weights)
    return _resnet(Bottleneck, [3, 4, 23, 3], weights, progress, **kwargs)


@register_model(weights=ResNet152_Weights)
def resnet152(
    *, weights: ResNet152_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNet-152 from `Deep Residual Learning for Image Recognition`.

    Args:
        weights: None, a :class:`ResNet152_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnet152(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNet152_Weights.verify(weights)
    return _resnet(Bottleneck, [3, 8, 36, 3], weights, progress, **kwargs)


@register_model(weights=ResNeXt50_32X4D_Weights)
def resnext50_32x4d(
    *, weights: ResNeXt50_32X4D_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """ResNeXt-50 32x4d from `Aggregated Residual Transformations for Deep Neural Networks`.

    Args:
        weights: None, a :class:`ResNeXt50_32X4D_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> resnext50_32x4d(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = ResNeXt50_32X4D_Weights.verify(weights)
    kwargs.setdefault("groups", 32)
    kwargs.setdefault("width_per_group", 4)
    return _resnet(Bottleneck, [3, 4, 6, 3], weights, progress, **kwargs)


@register_model(weights=Wide_ResNet50_2_Weights)
def wide_resnet50_2(
    *, weights: Wide_ResNet50_2_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ResNet:
    """Wide ResNet-50-2 from `Wide Residual Networks`.

    Args:
        weights: None, a :class:`Wide_ResNet50_2_Weights` member or its name (``"DEFAULT"``),
            or a path/URL of a state dict (a torchvision ``.pth`` loads as is).
        progress: show download progress.
        **kwargs: passed to :class:`ResNet` (``num_classes``, ``zero_init_residual``, ...).

    Example:
        >>> wide_resnet50_2(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = Wide_ResNet50_2_Weights.verify(weights)
    kwargs.setdefault("width_per_group", 128)
    return _resnet(Bottleneck, [3, 4, 6, 3], weights, progress, **kwargs)
