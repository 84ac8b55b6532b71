"""Inference preprocessing that pretrained audio weights expect (``weights.transforms()``)."""

from __future__ import annotations

import ember
from ember import Tensor, nn
from emberaudio import functional as AF
from emberaudio.transforms import MelSpectrogram

__all__ = ["LogMelFeatures"]


class LogMelFeatures(nn.Module):
    """Waveform to a fixed-size log-mel spectrogram: resample, pad/crop, mel, ``log(x + eps)``.

    Args:
        sample_rate: rate the model expects; other rates are resampled when given to forward.
        num_samples: waveforms are zero-padded or cropped (centred) to this many samples;
            None keeps their length.
        n_fft: FFT size.
        hop_length: hop.
        n_mels: mel bins.
        eps: added before the log.

    Returns:
        ``forward(waveform, sample_rate=None)`` maps ``(..., time)`` to ``(..., n_mels, frames)``.

    Example:
        >>> LogMelFeatures(8000, num_samples=8000, n_mels=40)(ember.randn(1, 6000)).shape
        ember.Size([1, 40, 101])
    """

    def __init__(
        self,
        sample_rate: int = 8000,
        *,
        num_samples: int | None = 8000,
        n_fft: int = 256,
        hop_length: int = 80,
        n_mels: int = 40,
        eps: float = 1e-6,
    ) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.num_samples = num_samples
        self.eps = eps
        self.mel = MelSpectrogram(sample_rate, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels)

    def forward(self, waveform: Tensor, sample_rate: int | None = None) -> Tensor:
        if sample_rate is not None and sample_rate != self.sample_rate:
            waveform = AF.resample(waveform, sample_rate, self.sample_rate)
        if self.num_samples is not None:
            waveform = fit_length(waveform, self.num_samples)
        return ember.log(self.mel(waveform) + self.eps)


def fit_length(waveform: Tensor, num_samples: int) -> Tensor:
    """Zero-pad (both sides) or centre-crop the last dimension to ``num_samples``."""
    length = waveform.shape[-1]
    if length >= num_samples:
        start = (length - num_samples) // 2
        return waveform[..., start : start + num_samples]
    left = (num_samples - length) // 2
    return nn.functional.pad(waveform, (left, num_samples - length - left))
