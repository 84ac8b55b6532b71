"""Wav2Letter (Collobert et al., 2016) and a greedy CTC decoder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ember import Tensor, nn
from ember.hub import register_model
from ember.nn import functional as F

__all__ = ["GreedyCTCDecoder", "Wav2Letter", "ctc_greedy_decode", "wav2letter"]


def _conv_relu(c_in: int, c_out: int, kernel: int, stride: int, padding: int) -> list[nn.Module]:
    return [nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=padding), nn.ReLU()]


class Wav2Letter(nn.Module):
    """Fully convolutional speech recogniser trained with CTC; torchaudio's layout and keys.

    Args:
        num_classes: output symbols, the CTC blank included.
        input_type: ``"waveform"`` (raw audio, a strided front-end convolution first),
            ``"power_spectrum"`` or ``"mfcc"`` (features ``(batch, num_features, time)``).
        num_features: input channels: 1 for a waveform, else the feature size.

    Returns:
        ``forward`` gives log-probabilities ``(batch, num_classes, frames)``.

    Example:
        >>> model = Wav2Letter(num_classes=5, input_type="mfcc", num_features=13)
        >>> model(ember.randn(2, 13, 50)).shape
        ember.Size([2, 5, 25])
    """

    def __init__(
        self, num_classes: int = 40, input_type: str = "waveform", num_features: int = 1
    ) -> None:
        super().__init__()
        if input_type not in ("waveform", "power_spectrum", "mfcc"):
            raise ValueError(
                f"input_type must be 'waveform', 'power_spectrum' or 'mfcc', got {input_type!r}"
            )
        width = 250 if input_type == "waveform" else num_features
        layers = _conv_relu(width, 250, 48, 2, 23)
        for _ in range(7):
            layers += _conv_relu(250, 250, 7, 1, 3)
        layers += _conv_relu(250, 2000, 32, 1, 16)
        layers += _conv_relu(2000, 2000, 1, 1, 0)
        layers += _conv_relu(2000, num_classes, 1, 1, 0)
        acoustic = nn.Sequential(*layers)
        if input_type == "waveform":
            front = nn.Sequential(*_conv_relu(num_features, 250, 250, 160, 45))
            self.acoustic_model = nn.Sequential(front, acoustic)
        else:
            self.acoustic_model = acoustic

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(self.acoustic_model(x), dim=1)


def ctc_greedy_decode(emission: Tensor, blank: int = 0) -> list[list[int]]:
    """Best-path CTC decoding: argmax per frame, merge repeats, drop blanks.

    Args:
        emission: ``(batch, frames, classes)`` or ``(frames, classes)`` scores.
        blank: index of the blank symbol.

    Returns:
        One list of symbol indices per batch item.

    Example:
        >>> em = ember.tensor([[0.0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]).log()
        >>> ctc_greedy_decode(em)
        [[1, 2]]
    """
    best = emission.argmax(-1).cpu().numpy()
    if best.ndim == 1:
        best = best[None]
    out = []
    for row in best:
        keep = [int(s) for i, s in enumerate(row) if s != blank and (i == 0 or s != row[i - 1])]
        out.append(keep)
    return out


class GreedyCTCDecoder(nn.Module):
    """Turn frame-wise CTC emissions into label sequences (best path).

    Args:
        labels: symbol per class index (the blank's entry is ignored).
        blank: index of the blank symbol.
        separator: joins the decoded symbols of one item.

    Example:
        >>> decode = GreedyCTCDecoder(["-", "no", "yes"], separator=" ")
        >>> decode(ember.tensor([[0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.1, 0.1, 0.8]]).log())
        ['no yes']
    """

    def __init__(self, labels: Sequence[str], blank: int = 0, separator: str = "") -> None:
        super().__init__()
        self.labels = list(labels)
        self.blank = blank
        self.separator = separator

    def forward(self, emission: Tensor) -> list[str]:
        return [
            self.separator.join(self.labels[i] for i in seq)
            for seq in ctc_greedy_decode(emission, self.blank)
        ]


@register_model()
def wav2letter(*, weights: None = None, progress: bool = True, **kwargs: Any) -> Wav2Letter:
    """Build :class:`Wav2Letter` (no pretrained weights are published).

    Args:
        weights: must be None.
        progress: unused.
        **kwargs: passed to :class:`Wav2Letter`.

    Example:
        >>> wav2letter(num_classes=3, input_type="mfcc", num_features=13).eval() is not None
        True
    """
    if weights is not None:
        raise ValueError("wav2letter has no pretrained weights; use weights=None")
    return Wav2Letter(**kwargs)
