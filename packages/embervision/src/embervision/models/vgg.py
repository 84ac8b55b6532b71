"""VGG 11/13/16/19, with and without BatchNorm (Simonyan & Zisserman, 2015), as torchvision."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import tv_weights

__all__ = [
    "VGG",
    "VGG11_Weights",
    "VGG11_BN_Weights",
    "VGG13_Weights",
    "VGG13_BN_Weights",
    "VGG16_Weights",
    "VGG16_BN_Weights",
    "VGG19_Weights",
    "VGG19_BN_Weights",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]

# Output channels of each 3x3 convolution; "M" is a 2x2 max pool.
CFGS: dict[str, list[int | str]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [
        64,
        64,
        "M",
        128,
        128,
        "M",
        256,
        256,
        256,
        256,
        "M",
        512,
        512,
        512,
        512,
        "M",
        512,
        512,
        512,
        512,
        "M",
    ],
}


class VGG(nn.Module):
    """A stack of 3x3 convolutions (``features``), 7x7 pooling and three Linear layers.

    Args:
        features: the convolutional part, from :func:`make_layers`.
        num_classes: output classes.
        init_weights: apply torchvision's initialisation (Kaiming for convolutions,
            N(0, 0.01) for Linear layers).
        dropout: dropout probability in the classifier.

    Example:
        >>> VGG(make_layers(CFGS["A"]), num_classes=2)(ember.zeros(1, 3, 32, 32)).shape
        (1, 2)
    """

    def __init__(
        self,
        features: nn.Module,
        num_classes: int = 1000,
        init_weights: bool = True,
        dropout: float = 0.5,
    ) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            self._init_weights()

    def _init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.constant_(m.bias, 0)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(ember.flatten(x, 1))


def make_layers(cfg: list[int | str], batch_norm: bool = False) -> nn.Sequential:
    """The convolutional part of a VGG from a config list (see ``CFGS``)."""
    layers: list[nn.Module] = []
    in_channels = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, int(v), kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(int(v)))
        layers.append(nn.ReLU(inplace=True))
        in_channels = int(v)
    return nn.Sequential(*layers)


def _vgg(cfg: str, batch_norm: bool, weights: Any, progress: bool, **kwargs: Any) -> VGG:
    if weights is not None:
        kwargs["init_weights"] = False
    set_params_from_weights(weights, kwargs)
    model = VGG(make_layers(CFGS[cfg], batch_norm=batch_norm), **kwargs)
    return load_weights(model, weights, progress)


class VGG11_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG11_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG11_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG11_BN_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG13_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG13_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG13_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG13_BN_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG16_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG16_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG16_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG16_BN_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG19_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG19_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


class VGG19_BN_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("VGG19_BN_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


@register_model(weights=VGG11_Weights)
def vgg11(
    *, weights: VGG11_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-11 from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG11_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg11(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("A", False, VGG11_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG11_BN_Weights)
def vgg11_bn(
    *, weights: VGG11_BN_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-11 with BatchNorm from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG11_BN_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg11_bn(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("A", True, VGG11_BN_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG13_Weights)
def vgg13(
    *, weights: VGG13_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-13 from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG13_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg13(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("B", False, VGG13_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG13_BN_Weights)
def vgg13_bn(
    *, weights: VGG13_BN_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-13 with BatchNorm from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG13_BN_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg13_bn(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("B", True, VGG13_BN_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG16_Weights)
def vgg16(
    *, weights: VGG16_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-16 from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG16_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg16(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("D", False, VGG16_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG16_BN_Weights)
def vgg16_bn(
    *, weights: VGG16_BN_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-16 with BatchNorm from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG16_BN_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg16_bn(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("D", True, VGG16_BN_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG19_Weights)
def vgg19(
    *, weights: VGG19_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-19 from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG19_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg19(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("E", False, VGG19_Weights.verify(weights), progress, **kwargs)


@register_model(weights=VGG19_BN_Weights)
def vgg19_bn(
    *, weights: VGG19_BN_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VGG:
    """VGG-19 with BatchNorm from `Very Deep Convolutional Networks for Large-Scale Image
    Recognition`.

    Args:
        weights: None, a :class:`VGG19_BN_Weights` member or its name, or a path/URL of a
            state dict.
        progress: show download progress.
        **kwargs: passed to :class:`VGG` (``num_classes``, ``dropout``, ``init_weights``).

    Example:
        >>> vgg19_bn(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    return _vgg("E", True, VGG19_BN_Weights.verify(weights), progress, **kwargs)
