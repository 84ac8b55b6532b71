"""LeNet-5-style CNN for 28x28 digits (LeCun et al., 1998), with ember-trained MNIST weights."""

from __future__ import annotations

from functools import partial
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import Weights, WeightsEnum, load_weights, register_model, set_params_from_weights
from embervision.models._presets import ImageClassification

__all__ = ["LeNet", "LeNet_Weights", "lenet"]

MNIST_MEAN = (0.1307,)
MNIST_STD = (0.3081,)


class LeNet(nn.Module):
    """Two 5x5 convolutions with max pooling, then three fully connected layers.

    The first convolution pads by 2, so 28x28 inputs (MNIST) reach the classifier as 16x5x5,
    the size of LeNet-5's original 32x32 inputs. ReLU and max pooling replace the original
    tanh and subsampling layers; there are 61,706 parameters for 10 classes.

    Args:
        num_classes: output classes.
        in_channels: input channels (1 for grayscale).
        dropout: dropout before the last two fully connected layers.

    Example:
        >>> LeNet()(ember.zeros(2, 1, 28, 28)).shape
        (2, 10)
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1, dropout: float = 0.0) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(120, 84),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(84, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.features(x)
        return self.classifier(ember.flatten(x, 1))


class LeNet_Weights(WeightsEnum):
    """Weights for :func:`lenet`.

    ``MNIST_V1`` was trained with ember on the 5,000-image MNIST training subset of the shared
    data (``embervision/_weights/train_lenet.py``); ``meta["_metrics"]`` holds its accuracy on
    the 10,000-image MNIST test split.
    """

    MNIST_V1 = Weights(
        url=None,
        file="embervision/_weights/lenet_mnist-3113621b.ember",
        sha256="3113621b47373bfaa180747913080a8ae366956446837330ed25177dfca91db8",
        transforms=partial(
            ImageClassification, crop_size=28, resize_size=28, mean=MNIST_MEAN, std=MNIST_STD
        ),
        meta={
            "categories": [str(i) for i in range(10)],
            "num_params": 61706,
            "min_size": (28, 28),
            "recipe": "embervision/_weights/train_lenet.py (in the ember repository)",
            "_metrics": {"MNIST": {"acc@1": 98.31}},
            "_docs": (
                "Trained with ember on the CPU from random init on 5,000 MNIST training "
                "images: 30 epochs of AdamW (lr 2e-3, weight decay 1e-4, batch 64, cosine "
                "schedule), random 2-pixel translations, seed 0. Accuracy is on the full "
                "10,000-image MNIST test split."
            ),
        },
    )
    DEFAULT = MNIST_V1


@register_model(weights=LeNet_Weights)
def lenet(
    *, weights: LeNet_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> LeNet:
    """LeNet-5-style digit classifier; ``weights="DEFAULT"`` loads ember's MNIST weights offline.

    Args:
        weights: None, a :class:`LeNet_Weights` member or its name, or a file path or URL.
        progress: show download progress (the default weights ship with the package).
        **kwargs: passed to :class:`LeNet` (``num_classes``, ``in_channels``, ``dropout``).

    Example:
        >>> model = lenet(weights="DEFAULT").eval()
        >>> model(ember.zeros(1, 1, 28, 28)).shape
        (1, 10)
    """
    weights = LeNet_Weights.verify(weights)
    set_params_from_weights(weights, kwargs)
    return load_weights(LeNet(**kwargs), weights, progress)
