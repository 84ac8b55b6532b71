"""A small log-mel CNN classifier, with ember-trained spoken-digit (FSDD) weights."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from ember import Tensor, nn
from ember.hub import Weights, WeightsEnum, load_weights, register_model, set_params_from_weights
from emberaudio.models._presets import LogMelFeatures

__all__ = ["ConvClassifier", "ConvClassifier_Weights", "conv_classifier"]


def _block(c_in: int, c_out: int, kernel: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm1d(c_out),
        nn.ReLU(inplace=True),
    )


class ConvClassifier(nn.Module):
    """Log-mel spectrogram classifier: 1-D convolutions over time, pooling, a linear layer.

    The mel bins are the input channels of a stack of conv/batch-norm/ReLU blocks (a time-delay
    network), whose output is averaged over time, so any number of frames works. Convolving
    over time only costs about 30 times fewer operations than 2-D convolutions over the
    spectrogram image, at the same accuracy on spoken words.

    Args:
        num_classes: classes.
        n_mels: mel bins of the input (its channels).
        channels: output channels of each block.
        kernel_sizes: kernel of each block (frames).
        strides: stride of each block.
        dropout: dropout before the linear layer.

    Returns:
        ``forward`` takes ``(batch, n_mels, frames)`` (or ``(batch, 1, n_mels, frames)``) and
        gives logits ``(batch, num_classes)``.

    Example:
        >>> ConvClassifier(num_classes=10)(ember.randn(2, 40, 101)).shape
        ember.Size([2, 10])
    """

    def __init__(
        self,
        num_classes: int = 10,
        n_mels: int = 40,
        channels: Sequence[int] = (64, 64, 128, 128),
        kernel_sizes: Sequence[int] = (5, 5, 3, 3),
        strides: Sequence[int] = (2, 1, 2, 1),
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if not len(channels) == len(kernel_sizes) == len(strides):
            raise ValueError("channels, kernel_sizes and strides must have the same length")
        widths = [n_mels, *channels]
        self.features = nn.Sequential(
            *(_block(a, b, k, s) for a, b, k, s in zip(widths, widths[1:], kernel_sizes, strides))
        )
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(widths[-1], num_classes)

    def forward(self, x: Tensor) -> Tensor:
        if x.dim() == 4:
            x = x.flatten(1, 2)
        x = self.features(x).mean(-1)
        return self.fc(self.dropout(x))


NUM_PARAMS = 109_066


class ConvClassifier_Weights(WeightsEnum):
    """Weights for :func:`conv_classifier`.

    ``FSDD_V1`` was trained with ember on the training split of the Free Spoken Digit Dataset
    in the shared data (``emberaudio/_weights/train_conv_classifier.py``); ``meta["_metrics"]``
    holds its accuracy on the official test split (recording indices 0-4). Its transform maps a
    waveform (8 kHz; other rates are resampled) to the 40-bin log-mel input.
    """

    FSDD_V1 = Weights(
        url=None,
        file="emberaudio/_weights/conv_classifier_fsdd-406eaed9.ember",
        sha256="406eaed9e671a0d5f15dc3d102ba081a67eacae3db821eeb5cf2c4bf5b0f0f5e",
        transforms=partial(
            LogMelFeatures, 8000, num_samples=8000, n_fft=256, hop_length=80, n_mels=40
        ),  # fmt: skip
        meta={
            "categories": [str(i) for i in range(10)],
            "sample_rate": 8000,
            "num_params": NUM_PARAMS,
            "recipe": "emberaudio/_weights/train_conv_classifier.py (in the ember repository)",
            "_metrics": {"FSDD": {"acc@1": 98.0}},
            "_docs": (
                "Trained with ember on the CPU from random init on the 1,800 FSDD training "
                "recordings of the shared data (4 speakers): 12 epochs of AdamW (lr 3e-3, "
                "weight decay 1e-4, batch 32, one-cycle schedule), random 0.1 s shifts, +-6 dB "
                "gains and SpecAugment masks, seed 0 (159 s with one BLAS thread on a loaded "
                "2-core machine). Accuracy is on the 200-recording official test split."
            ),
        },
    )
    DEFAULT = FSDD_V1


@register_model(weights=ConvClassifier_Weights)
def conv_classifier(
    *, weights: ConvClassifier_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> ConvClassifier:
    """Log-mel CNN classifier; ``weights="DEFAULT"`` loads ember's spoken-digit weights offline.

    Args:
        weights: None, a :class:`ConvClassifier_Weights` member or its name, or a file path/URL.
        progress: show download progress (the default weights ship with the package).
        **kwargs: passed to :class:`ConvClassifier`.

    Example:
        >>> weights = ConvClassifier_Weights.DEFAULT
        >>> model = conv_classifier(weights=weights).eval()
        >>> features = weights.transforms()(ember.randn(1, 8000) * 0.1)
        >>> model(features).shape
        ember.Size([1, 10])
    """
    weights = ConvClassifier_Weights.verify(weights)
    set_params_from_weights(weights, kwargs)
    return load_weights(ConvClassifier(**kwargs), weights, progress)
