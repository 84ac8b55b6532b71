"""AlexNet (Krizhevsky et al., 2012; the one-GPU variant of Krizhevsky, 2014), as torchvision."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._utils import tv_weights

__all__ = ["AlexNet", "AlexNet_Weights", "alexnet"]


class AlexNet(nn.Module):
    """Five convolutions and three fully connected layers.

    Args:
        num_classes: output classes.
        dropout: dropout probability before the first two fully connected layers.

    Example:
        >>> AlexNet(num_classes=5)(ember.zeros(1, 3, 64, 64)).shape
        (1, 5)
    """

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(ember.flatten(x, 1))


class AlexNet_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("AlexNet_Weights", "IMAGENET1K_V1")
    DEFAULT = IMAGENET1K_V1


@register_model(weights=AlexNet_Weights)
def alexnet(
    *, weights: AlexNet_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> AlexNet:
    """AlexNet from `One weird trick for parallelizing convolutional neural networks`.

    Args:
        weights: None, an :class:`AlexNet_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: passed to :class:`AlexNet` (``num_classes``, ``dropout``).

    Example:
        >>> alexnet(num_classes=10)(ember.zeros(1, 3, 64, 64)).shape
        (1, 10)
    """
    weights = AlexNet_Weights.verify(weights)
    set_params_from_weights(weights, kwargs)
    return load_weights(AlexNet(**kwargs), weights, progress)
