"""Transform modules: thin ``nn.Module`` classes holding torchaudio's constructor arguments.

Each ``forward`` is one call into :mod:`emberaudio.functional`. Windows, filter banks and
resampling kernels are buffers (they follow ``.to(device)`` and are not parameters).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import ember
from ember import Tensor, nn
from emberaudio import functional as AF
from emberaudio.functional.spectral import _power, _spectral_map

__all__ = [
    "AmplitudeToDB",
    "ComputeDeltas",
    "Fade",
    "FrequencyMasking",
    "GriffinLim",
    "InverseSpectrogram",
    "LFCC",
    "MFCC",
    "MelScale",
    "MelSpectrogram",
    "MuLawDecoding",
    "MuLawEncoding",
    "Resample",
    "SpecAugment",
    "Spectrogram",
    "TimeMasking",
    "TimeStretch",
    "Vol",
]

WindowFn = Callable[..., Tensor]


def _window(window_fn: WindowFn, win_length: int, wkwargs: dict[str, Any] | None) -> Tensor:
    return window_fn(win_length, **(wkwargs or {}))


class Spectrogram(nn.Module):
    """Spectrogram of a waveform, ``(..., time) -> (..., n_fft // 2 + 1, frames)``.

    Args:
        n_fft: FFT size.
        win_length: window length (default ``n_fft``).
        hop_length: hop (default ``win_length // 2``).
        pad: zero padding on both sides.
        window_fn: window constructor (``ember.hann_window``).
        power: 2 for power, 1 for magnitude, None for complex.
        normalized: True/``"window"`` or ``"frame_length"`` normalisation.
        wkwargs: keyword arguments of ``window_fn``.
        center: centre frames on their time stamps.
        pad_mode: padding for ``center``.
        onesided: keep non-negative frequencies only.
        return_complex: ignored (as in recent torchaudio).

    Example:
        >>> Spectrogram(n_fft=400, hop_length=160)(ember.randn(16000)).shape
        ember.Size([201, 101])
    """

    def __init__(
        self,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        pad: int = 0,
        window_fn: WindowFn = ember.hann_window,
        power: float | None = 2.0,
        normalized: bool | str = False,
        wkwargs: dict[str, Any] | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool = True,
        return_complex: bool | None = None,
    ) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.win_length = win_length if win_length is not None else n_fft
        self.hop_length = hop_length if hop_length is not None else self.win_length // 2
        self.pad = pad
        self.power = power
        self.normalized = normalized
        self.center = center
        self.pad_mode = pad_mode
        self.onesided = onesided
        self.register_buffer("window", _window(window_fn, self.win_length, wkwargs))

    def forward(self, waveform: Tensor) -> Tensor:
        return AF.spectrogram(
            waveform, self.pad, self.window, self.n_fft, self.hop_length, self.win_length,
            self.power, self.normalized, self.center, self.pad_mode, self.onesided,
        )  # fmt: skip


class InverseSpectrogram(nn.Module):
    """Waveform from a complex spectrogram (the inverse of ``Spectrogram(power=None)``).

    Args:
        n_fft, win_length, hop_length, pad, window_fn, normalized, wkwargs, center, pad_mode,
            onesided: as for :class:`Spectrogram`.

    Example:
        >>> spec = Spectrogram(power=None)(ember.randn(4000))
        >>> InverseSpectrogram()(spec, length=4000).shape
        ember.Size([4000])
    """

    def __init__(
        self,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        pad: int = 0,
        window_fn: WindowFn = ember.hann_window,
        normalized: bool | str = False,
        wkwargs: dict[str, Any] | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool = True,
    ) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.win_length = win_length if win_length is not None else n_fft
        self.hop_length = hop_length if hop_length is not None else self.win_length // 2
        self.pad = pad
        self.normalized = normalized
        self.center = center
        self.pad_mode = pad_mode
        self.onesided = onesided
        self.register_buffer("window", _window(window_fn, self.win_length, wkwargs))

    def forward(self, spectrogram: Tensor, length: int | None = None) -> Tensor:
        return AF.inverse_spectrogram(
            spectrogram, length, self.pad, self.window, self.n_fft, self.hop_length,
            self.win_length, self.normalized, self.center, self.pad_mode, self.onesided,
        )  # fmt: skip


class GriffinLim(nn.Module):
    """Waveform from a magnitude or power spectrogram by fast Griffin-Lim.

    Args:
        n_fft: FFT size.
        n_iter: iterations.
        win_length: window length (default ``n_fft``).
        hop_length: hop (default ``win_length // 2``).
        window_fn: window constructor.
        power: exponent of the input spectrogram.
        wkwargs: keyword arguments of ``window_fn``.
        momentum: fast Griffin-Lim momentum in [0, 1).
        length: output length, or None.
        rand_init: random initial phase.

    Example:
        >>> spec = Spectrogram()(ember.randn(4000))
        >>> GriffinLim(n_iter=4, length=4000)(spec).shape
        ember.Size([4000])
    """

    def __init__(
        self,
        n_fft: int = 400,
        n_iter: int = 32,
        win_length: int | None = None,
        hop_length: int | None = None,
        window_fn: WindowFn = ember.hann_window,
        power: float = 2.0,
        wkwargs: dict[str, Any] | None = None,
        momentum: float = 0.99,
        length: int | None = None,
        rand_init: bool = True,
    ) -> None:
        super().__init__()
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.n_fft = n_fft
        self.n_iter = n_iter
        self.win_length = win_length if win_length is not None else n_fft
        self.hop_length = hop_length if hop_length is not None else self.win_length // 2
        self.power = power
        self.momentum = momentum
        self.length = length
        self.rand_init = rand_init
        self.register_buffer("window", _window(window_fn, self.win_length, wkwargs))

    def forward(self, specgram: Tensor) -> Tensor:
        return AF.griffinlim(
            specgram, self.window, self.n_fft, self.hop_length, self.win_length, self.power,
            self.n_iter, self.momentum, self.length, self.rand_init,
        )  # fmt: skip


class MelScale(nn.Module):
    """Map a linear-frequency spectrogram ``(..., n_stft, time)`` to ``(..., n_mels, time)``.

    Args:
        n_mels: mel bins.
        sample_rate: sample rate.
        f_min: lowest frequency.
        f_max: highest frequency (default ``sample_rate // 2``).
        n_stft: frequency bins of the input (``n_fft // 2 + 1``).
        norm: None or ``"slaney"``.
        mel_scale: ``"htk"`` or ``"slaney"``.

    Example:
        >>> MelScale(n_mels=40, n_stft=201)(ember.rand(201, 50)).shape
        ember.Size([40, 50])
    """

    def __init__(
        self,
        n_mels: int = 128,
        sample_rate: int = 16000,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_stft: int = 201,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        self.n_mels = n_mels
        self.sample_rate = sample_rate
        self.f_max = f_max if f_max is not None else float(sample_rate // 2)
        self.f_min = f_min
        self.norm = norm
        self.mel_scale = mel_scale
        if f_min > self.f_max:
            raise ValueError(f"f_min ({f_min}) must not exceed f_max ({self.f_max})")
        fb = AF.melscale_fbanks(n_stft, f_min, self.f_max, n_mels, sample_rate, norm, mel_scale)
        self.register_buffer("fb", fb)

    def forward(self, specgram: Tensor) -> Tensor:
        return ember.matmul(specgram.transpose(-1, -2), self.fb).transpose(-1, -2)


class MelSpectrogram(nn.Module):
    """Mel spectrogram: :class:`Spectrogram` then :class:`MelScale`.

    Args:
        sample_rate: sample rate.
        n_fft: FFT size.
        win_length: window length (default ``n_fft``).
        hop_length: hop (default ``win_length // 2``).
        f_min: lowest frequency.
        f_max: highest frequency (default ``sample_rate // 2``).
        pad: zero padding on both sides.
        n_mels: mel bins.
        window_fn: window constructor.
        power: 2 for power, 1 for magnitude.
        normalized: window normalisation.
        wkwargs: keyword arguments of ``window_fn``.
        center: centre frames.
        pad_mode: padding for ``center``.
        onesided: ignored (kept for torchaudio's signature).
        norm: None or ``"slaney"``.
        mel_scale: ``"htk"`` or ``"slaney"``.

    Example:
        >>> MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=80)(ember.randn(16000)).shape
        ember.Size([80, 101])
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        f_min: float = 0.0,
        f_max: float | None = None,
        pad: int = 0,
        n_mels: int = 128,
        window_fn: WindowFn = ember.hann_window,
        power: float = 2.0,
        normalized: bool = False,
        wkwargs: dict[str, Any] | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool | None = None,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        self.sample_rate = sample_rate
        self.n_mels = n_mels
        self.spectrogram = Spectrogram(
            n_fft=n_fft, win_length=win_length, hop_length=hop_length, pad=pad,
            window_fn=window_fn, power=power, normalized=normalized, wkwargs=wkwargs,
            center=center, pad_mode=pad_mode, onesided=True,
        )  # fmt: skip
        self.mel_scale = MelScale(
            n_mels, sample_rate, f_min, f_max, n_fft // 2 + 1, norm, mel_scale
        )

    def forward(self, waveform: Tensor) -> Tensor:
        # project each block of frames onto the mel bank as soon as it is transformed
        sp, fb = self.spectrogram, self.mel_scale.fb
        return _spectral_map(
            waveform, sp.pad, sp.window, sp.n_fft, sp.hop_length, sp.win_length, sp.normalized,
            sp.center, sp.pad_mode, True, lambda spec: ember.matmul(_power(spec, sp.power), fb),
        )  # fmt: skip


class AmplitudeToDB(nn.Module):
    """Power or amplitude spectrogram to decibels.

    Args:
        stype: ``"power"`` (10 log10) or ``"magnitude"`` (20 log10).
        top_db: floor at this many dB below each spectrogram's maximum, or None.

    Example:
        >>> AmplitudeToDB()(ember.tensor([[1.0, 0.01]]))
        tensor([[  0., -20.]])
    """

    def __init__(self, stype: str = "power", top_db: float | None = None) -> None:
        super().__init__()
        if stype not in ("power", "magnitude"):
            raise ValueError(f'stype must be "power" or "magnitude", got {stype!r}')
        if top_db is not None and top_db < 0:
            raise ValueError(f"top_db must be positive, got {top_db}")
        self.stype = stype
        self.top_db = top_db
        self.multiplier = 10.0 if stype == "power" else 20.0
        self.amin = 1e-10
        self.ref_value = 1.0
        self.db_multiplier = math.log10(max(self.amin, self.ref_value))

    def forward(self, x: Tensor) -> Tensor:
        return AF.amplitude_to_DB(x, self.multiplier, self.amin, self.db_multiplier, self.top_db)


class _Cepstral(nn.Module):
    def _dct(self, spec: Tensor) -> Tensor:
        if self.log:
            spec = ember.log(spec + 1e-6)
        else:
            spec = self.amplitude_to_DB(spec)
        return ember.matmul(spec.transpose(-1, -2), self.dct_mat).transpose(-1, -2)


class MFCC(_Cepstral):
    """Mel-frequency cepstral coefficients.

    Args:
        sample_rate: sample rate.
        n_mfcc: coefficients.
        dct_type: 2.
        norm: ``"ortho"`` or None.
        log_mels: natural log of the mel spectrogram instead of decibels (``top_db=80``).
        melkwargs: keyword arguments of :class:`MelSpectrogram`.

    Example:
        >>> MFCC(16000, n_mfcc=13, melkwargs={"n_mels": 40})(ember.randn(16000)).shape
        ember.Size([13, 81])
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_mfcc: int = 40,
        dct_type: int = 2,
        norm: str = "ortho",
        log_mels: bool = False,
        melkwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if dct_type != 2:
            raise ValueError(f"DCT type {dct_type} is not supported; use 2")
        self.n_mfcc = n_mfcc
        self.log = log_mels
        self.MelSpectrogram = MelSpectrogram(sample_rate=sample_rate, **(melkwargs or {}))
        if self.MelSpectrogram.n_mels < n_mfcc:
            raise ValueError(
                f"n_mfcc ({n_mfcc}) cannot exceed n_mels ({self.MelSpectrogram.n_mels})"
            )
        self.amplitude_to_DB = AmplitudeToDB("power", top_db=80.0)
        self.register_buffer("dct_mat", AF.create_dct(n_mfcc, self.MelSpectrogram.n_mels, norm))

    def forward(self, waveform: Tensor) -> Tensor:
        return self._dct(self.MelSpectrogram(waveform))


class LFCC(_Cepstral):
    """Linear-frequency cepstral coefficients.

    Args:
        sample_rate: sample rate.
        n_filter: linear filters.
        f_min: lowest frequency.
        f_max: highest frequency (default ``sample_rate // 2``).
        n_lfcc: coefficients.
        dct_type: 2.
        norm: ``"ortho"`` or None.
        log_lf: natural log instead of decibels.
        speckwargs: keyword arguments of :class:`Spectrogram`.

    Example:
        >>> LFCC(16000, n_lfcc=20)(ember.randn(16000)).shape
        ember.Size([20, 81])
    """

    def __init__(
        self,
        sample_rate: int = 16000,
        n_filter: int = 128,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_lfcc: int = 40,
        dct_type: int = 2,
        norm: str = "ortho",
        log_lf: bool = False,
        speckwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if dct_type != 2:
            raise ValueError(f"DCT type {dct_type} is not supported; use 2")
        if n_lfcc > n_filter:
            raise ValueError(f"n_lfcc ({n_lfcc}) cannot exceed n_filter ({n_filter})")
        self.log = log_lf
        self.Spectrogram = Spectrogram(**(speckwargs or {}))
        f_max = f_max if f_max is not None else float(sample_rate // 2)
        n_freqs = self.Spectrogram.n_fft // 2 + 1
        self.register_buffer(
            "filter_mat", AF.linear_fbanks(n_freqs, f_min, f_max, n_filter, sample_rate)
        )
        self.amplitude_to_DB = AmplitudeToDB("power", top_db=80.0)
        self.register_buffer("dct_mat", AF.create_dct(n_lfcc, n_filter, norm))

    def forward(self, waveform: Tensor) -> Tensor:
        spec = self.Spectrogram(waveform)
        spec = ember.matmul(spec.transpose(-1, -2), self.filter_mat).transpose(-1, -2)
        return self._dct(spec)


class Resample(nn.Module):
    """Resample a waveform; the kernel is computed once per rate pair and kept as a buffer.

    Args:
        orig_freq: input rate.
        new_freq: output rate.
        resampling_method: ``"sinc_interp_hann"`` or ``"sinc_interp_kaiser"``.
        lowpass_filter_width: zero crossings kept on each side.
        rolloff: cutoff as a fraction of the lower Nyquist frequency.
        beta: Kaiser window shape.
        dtype: kernel dtype (float32 by default; match the waveform's).

    Example:
        >>> Resample(44100, 16000)(ember.randn(2, 44100)).shape
        ember.Size([2, 16000])
    """

    def __init__(
        self,
        orig_freq: int = 16000,
        new_freq: int = 16000,
        resampling_method: str = "sinc_interp_hann",
        lowpass_filter_width: int = 6,
        rolloff: float = 0.99,
        beta: float | None = None,
        *,
        dtype: ember.dtype | None = None,
    ) -> None:
        super().__init__()
        self.orig_freq = orig_freq
        self.new_freq = new_freq
        if orig_freq != new_freq:
            kernel, self.width = AF.sinc_resample_kernel(
                orig_freq, new_freq, lowpass_filter_width, rolloff, resampling_method, beta,
                dtype=dtype or ember.float32,
            )  # fmt: skip
            self.register_buffer("kernel", kernel)

    def forward(self, waveform: Tensor) -> Tensor:
        if self.orig_freq == self.new_freq:
            return waveform
        kernel = self.kernel.to(dtype=waveform.dtype)
        return AF.resample_with_kernel(waveform, kernel, self.width, self.orig_freq, self.new_freq)


class _MuLaw(nn.Module):
    def __init__(self, quantization_channels: int = 256) -> None:
        super().__init__()
        self.quantization_channels = quantization_channels


class MuLawEncoding(_MuLaw):
    """Mu-law companding to integer codes.

    Args:
        quantization_channels: number of levels.

    Example:
        >>> MuLawEncoding(256)(ember.tensor([0.0]))
        tensor([128])
    """

    def forward(self, x: Tensor) -> Tensor:
        return AF.mu_law_encoding(x, self.quantization_channels)


class MuLawDecoding(_MuLaw):
    """Mu-law codes back to a signal in [-1, 1].

    Args:
        quantization_channels: number of levels.

    Example:
        >>> MuLawDecoding(256)(ember.tensor([255]))
        tensor([1.])
    """

    def forward(self, x_mu: Tensor) -> Tensor:
        return AF.mu_law_decoding(x_mu, self.quantization_channels)


class ComputeDeltas(nn.Module):
    """Delta coefficients of a spectrogram along time.

    Args:
        win_length: regression window.
        mode: edge padding mode.

    Example:
        >>> ComputeDeltas()(ember.randn(13, 50)).shape
        ember.Size([13, 50])
    """

    def __init__(self, win_length: int = 5, mode: str = "replicate") -> None:
        super().__init__()
        self.win_length = win_length
        self.mode = mode

    def forward(self, specgram: Tensor) -> Tensor:
        return AF.compute_deltas(specgram, self.win_length, self.mode)


class Vol(nn.Module):
    """Scale a waveform's volume, then clamp to [-1, 1].

    Args:
        gain: the factor (``"amplitude"``), decibels (``"db"``) or power ratio (``"power"``).
        gain_type: ``"amplitude"``, ``"db"`` or ``"power"``.

    Example:
        >>> Vol(2.0)(ember.tensor([0.25, 0.75]))
        tensor([0.5000, 1.0000])
    """

    def __init__(self, gain: float, gain_type: str = "amplitude") -> None:
        super().__init__()
        if gain_type not in ("amplitude", "db", "power"):
            raise ValueError(f'gain_type must be "amplitude", "db" or "power", got {gain_type!r}')
        if gain_type in ("amplitude", "power") and gain < 0:
            raise ValueError(f"gain must be >= 0 for gain_type {gain_type!r}, got {gain}")
        self.gain = gain
        self.gain_type = gain_type

    def forward(self, waveform: Tensor) -> Tensor:
        if self.gain_type == "amplitude":
            out = waveform * self.gain
        elif self.gain_type == "db":
            out = AF.gain(waveform, self.gain)
        else:
            out = AF.gain(waveform, 10 * math.log10(self.gain))
        return ember.clamp(out, -1.0, 1.0)


class Fade(nn.Module):
    """Fade a waveform in and out.

    Args:
        fade_in_len: samples of fade-in.
        fade_out_len: samples of fade-out.
        fade_shape: ``"linear"``, ``"exponential"``, ``"logarithmic"``, ``"quarter_sine"`` or
            ``"half_sine"``.

    Example:
        >>> Fade(fade_in_len=2)(ember.ones(4))
        tensor([0., 1., 1., 1.])
    """

    def __init__(self, fade_in_len: int = 0, fade_out_len: int = 0, fade_shape: str = "linear"):
        super().__init__()
        self.fade_in_len = fade_in_len
        self.fade_out_len = fade_out_len
        self.fade_shape = fade_shape

    def forward(self, waveform: Tensor) -> Tensor:
        return AF.fade(waveform, self.fade_in_len, self.fade_out_len, self.fade_shape)


class _AxisMasking(nn.Module):
    def __init__(self, mask_param: int, axis: int, iid_masks: bool, p: float = 1.0) -> None:
        super().__init__()
        self.mask_param = mask_param
        self.axis = axis
        self.iid_masks = iid_masks
        self.p = p

    def forward(self, specgram: Tensor, mask_value: float = 0.0) -> Tensor:
        if self.iid_masks and specgram.dim() == 4:
            return AF.mask_along_axis_iid(specgram, self.mask_param, mask_value, self.axis + 1,
                                          p=self.p)  # fmt: skip
        return AF.mask_along_axis(
            specgram, self.mask_param, mask_value, self.axis + specgram.dim() - 3, p=self.p
        )


class FrequencyMasking(_AxisMasking):
    """SpecAugment frequency masking: one random band of up to ``freq_mask_param`` bins.

    Args:
        freq_mask_param: maximum band width.
        iid_masks: with a 4-D batch, a different band per example and channel.

    Example:
        >>> FrequencyMasking(8)(ember.ones(1, 40, 100)).shape
        ember.Size([1, 40, 100])
    """

    def __init__(self, freq_mask_param: int, iid_masks: bool = False) -> None:
        super().__init__(freq_mask_param, 1, iid_masks)


class TimeMasking(_AxisMasking):
    """SpecAugment time masking: one random band of up to ``time_mask_param`` frames.

    Args:
        time_mask_param: maximum band width.
        iid_masks: with a 4-D batch, a different band per example and channel.
        p: the band is at most ``p`` times the number of frames.

    Example:
        >>> TimeMasking(20)(ember.ones(1, 40, 100)).shape
        ember.Size([1, 40, 100])
    """

    def __init__(self, time_mask_param: int, iid_masks: bool = False, p: float = 1.0) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be in [0, 1], got {p}")
        super().__init__(time_mask_param, 2, iid_masks, p)


class SpecAugment(nn.Module):
    """SpecAugment (Park et al., 2019): several time and frequency masks.

    Args:
        n_time_masks: time masks.
        time_mask_param: maximum width of each time mask.
        n_freq_masks: frequency masks.
        freq_mask_param: maximum width of each frequency mask.
        iid_masks: different masks per example and channel of a 4-D batch.
        p: time masks are at most ``p`` times the number of frames.
        zero_masking: fill with 0 if True, else with the spectrogram's mean.

    Example:
        >>> SpecAugment(2, 10, 2, 5)(ember.ones(2, 1, 40, 100)).shape
        ember.Size([2, 1, 40, 100])
    """

    def __init__(
        self,
        n_time_masks: int,
        time_mask_param: int,
        n_freq_masks: int,
        freq_mask_param: int,
        iid_masks: bool = True,
        p: float = 1.0,
        zero_masking: bool = False,
    ) -> None:
        super().__init__()
        self.n_time_masks = n_time_masks
        self.time_mask_param = time_mask_param
        self.n_freq_masks = n_freq_masks
        self.freq_mask_param = freq_mask_param
        self.iid_masks = iid_masks
        self.p = p
        self.zero_masking = zero_masking

    def forward(self, specgram: Tensor) -> Tensor:
        value = 0.0 if self.zero_masking else float(specgram.mean())
        time_axis, freq_axis = specgram.dim() - 1, specgram.dim() - 2
        iid = self.iid_masks and specgram.dim() == 4
        mask = AF.mask_along_axis_iid if iid else AF.mask_along_axis
        for _ in range(self.n_time_masks):
            specgram = mask(specgram, self.time_mask_param, value, time_axis, p=self.p)
        for _ in range(self.n_freq_masks):
            specgram = mask(specgram, self.freq_mask_param, value, freq_axis)
        return specgram


class TimeStretch(nn.Module):
    """Stretch a complex spectrogram in time without changing pitch (phase vocoder).

    Args:
        hop_length: hop of the STFT that made the input (default ``(n_freq - 1)``).
        n_freq: frequency bins of the input.
        fixed_rate: rate used when ``forward`` gets none.

    Example:
        >>> spec = Spectrogram(power=None, hop_length=100)(ember.randn(8000))
        >>> TimeStretch(hop_length=100, n_freq=201, fixed_rate=2.0)(spec).shape
        ember.Size([201, 41])
    """

    def __init__(
        self, hop_length: int | None = None, n_freq: int = 201, fixed_rate: float | None = None
    ) -> None:
        super().__init__()
        self.fixed_rate = fixed_rate
        n_fft = (n_freq - 1) * 2
        hop_length = hop_length if hop_length is not None else n_fft // 2
        self.register_buffer(
            "phase_advance", ember.linspace(0, math.pi * hop_length, n_freq)[..., None]
        )

    def forward(self, complex_specgrams: Tensor, overriding_rate: float | None = None) -> Tensor:
        rate = self.fixed_rate if overriding_rate is None else overriding_rate
        if rate is None:
            raise ValueError("give a rate: either fixed_rate at construction or overriding_rate")
        return AF.phase_vocoder(complex_specgrams, rate, self.phase_advance)
