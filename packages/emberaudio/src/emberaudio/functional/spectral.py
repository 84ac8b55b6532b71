"""Spectral features: spectrograms, mel/linear filter banks, cepstra, decibels, phase vocoder.

Everything is written with ember's public ops (``ember.stft``, ``ember.istft``, matmul, ...), so
it runs on NumPy or CuPy and is differentiable wherever the maths is. Signatures and numerics
follow ``torchaudio.functional``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember import Tensor
from ember.nn import functional as F
from emberaudio.functional._framing import frame_pieces, samples_needed

__all__ = [
    "amplitude_to_DB",
    "create_dct",
    "DB_to_amplitude",
    "griffinlim",
    "inverse_spectrogram",
    "lfcc",
    "linear_fbanks",
    "mask_along_axis",
    "mask_along_axis_iid",
    "mel_spectrogram",
    "melscale_fbanks",
    "mfcc",
    "phase_vocoder",
    "spectrogram",
]


def _flatten_batch(x: Tensor, keep: int) -> tuple[Tensor, tuple[int, ...]]:
    """Fold every leading dimension into one batch dimension; return the leading shape."""
    lead = tuple(x.shape[:-keep]) if x.dim() > keep else ()
    return x.reshape((-1, *x.shape[x.dim() - keep :])), lead


def _window_norm(window: Tensor, normalized: bool | str) -> tuple[Tensor, bool]:
    """Fold ``normalized="window"`` into the window (the transform is linear in it)."""
    if normalized is True or normalized == "window":
        return window / window.pow(2).sum().sqrt(), False
    return window, normalized == "frame_length"


# framed samples per FFT call: blocks this size keep the frames and their spectrum in cache;
# one FFT over a whole 16 x 10 s batch took 2.6x as long (numpy pocketfft, n_fft 400)
_BLOCK = 1 << 17


def _analysis_window(window: Tensor, n_fft: int, win_length: int, normalized: bool | str) -> Tensor:
    window, frame_norm = _window_norm(window, normalized)
    if window.shape[-1] != win_length:
        raise ValueError(f"window has {window.shape[-1]} samples, expected win_length={win_length}")
    if win_length > n_fft:
        raise ValueError(f"win_length ({win_length}) must not exceed n_fft ({n_fft})")
    left = (n_fft - win_length) // 2
    if left or n_fft != win_length:
        window = F.pad(window, (left, n_fft - win_length - left))
    return window * (n_fft**-0.5) if frame_norm else window


def _pad_signal(x: Tensor, half: int, mode: str, tail: int) -> Tensor:
    """Pad ``(batch, time)`` by ``half`` on both sides as ``torch.stft`` does for ``center``,
    plus ``tail`` zeros at the end; always a new tensor."""
    if half == 0:
        sides = x[:, :0], x[:, :0]
    elif mode == "reflect":
        if x.shape[-1] <= half:
            raise ValueError(f"reflect padding of {half} needs more than {half} samples")
        sides = x[:, 1 : half + 1].flip(-1), x[:, -half - 1 : -1].flip(-1)
    elif mode == "constant":
        sides = (ember.zeros(x.shape[0], half, dtype=x.dtype, device=x.device),) * 2
    elif mode == "replicate":
        sides = x[:, :1].expand(-1, half), x[:, -1:].expand(-1, half)
    elif mode == "circular":
        sides = x[:, x.shape[-1] - half :], x[:, :half]
    else:
        raise ValueError(
            f"pad_mode must be 'reflect', 'constant', 'replicate' or 'circular', got {mode!r}"
        )
    zeros = ember.zeros(x.shape[0], tail, dtype=x.dtype, device=x.device)
    return ember.cat([sides[0], x, sides[1], zeros], dim=-1)


def _windowed_frames(x: Tensor, win: list[Tensor], f0: int, count: int, hop: int) -> Tensor:
    """Frames ``f0 .. f0 + count`` of ``x`` times the window (given in hop-sized pieces),
    ``(rows, count, n_fft)``."""
    n_fft = sum(w.shape[-1] for w in win)
    pieces = [p * w for (p, _), w in zip(frame_pieces(x, n_fft, hop, f0, count), win)]
    return pieces[0] if len(pieces) == 1 else ember.cat(pieces, dim=-1)


def _spectral_map(
    waveform: Tensor,
    pad: int,
    window: Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    normalized: bool | str,
    center: bool,
    pad_mode: str,
    onesided: bool,
    post: Callable[[Tensor], Tensor] | None,
) -> Tensor:
    """STFT of ``(..., time)`` block by block, each block's ``(rows, frames, freq)`` spectrum
    mapped by ``post`` (power, mel projection ...) before the blocks are joined;
    returns ``(..., features, frames)``."""
    if pad > 0:
        waveform = F.pad(waveform, (pad, pad), "constant")
    x, lead = _flatten_batch(waveform, 1)
    half = n_fft // 2 if center else 0
    length = x.shape[-1] + 2 * half
    if length < n_fft:
        raise ValueError(f"input of {length} samples (after padding) is shorter than n_fft")
    win = _analysis_window(window.to(dtype=x.dtype), n_fft, win_length, normalized)
    frames, needed = samples_needed(length, n_fft, hop_length)
    x = _pad_signal(x, half, pad_mode, max(0, needed - length))
    per_block = max(1, _BLOCK // n_fft)
    rows_per_block = max(1, per_block // frames)
    transform = ember.fft.rfft if onesided else ember.fft.fft
    win_pieces = [win[c : c + hop_length] for c in range(0, n_fft, hop_length)]
    blocks = []
    for r0 in range(0, x.shape[0], rows_per_block):
        rows = x[r0 : r0 + rows_per_block]
        for f0 in range(0, frames, per_block):
            count = min(per_block, frames - f0)
            spec = transform(_windowed_frames(rows, win_pieces, f0, count, hop_length))
            blocks.append(spec if post is None else post(spec))
    # one copy joins the blocks: whole rows stack along dim 0; with several blocks per row
    # (then one row per block), row after row along the frame axis
    if len(blocks) == 1:
        out = blocks[0]
    elif frames <= per_block:
        out = ember.cat(blocks, dim=0)
    else:
        out = ember.cat(blocks, dim=1).reshape(x.shape[0], frames, -1)
    out = out.transpose(-1, -2)
    return out.reshape((*lead, *out.shape[-2:]))


def spectrogram(
    waveform: Tensor,
    pad: int,
    window: Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    power: float | None,
    normalized: bool | str,
    center: bool = True,
    pad_mode: str = "reflect",
    onesided: bool = True,
    return_complex: bool | None = None,
) -> Tensor:
    """Spectrogram (power, magnitude or complex) of a batch of waveforms, as torchaudio's.

    The frames are windowed views of the (padded) signal and go through ``ember.fft`` in
    cache-sized blocks; the result equals ``torch.stft``'s (and ``ember.stft``'s) and is
    differentiable with respect to the waveform and the window.

    Args:
        waveform: ``(..., time)``.
        pad: zeros added on both sides before the transform.
        window: ``(win_length,)`` window tensor.
        n_fft: FFT size; ``n_fft // 2 + 1`` frequency bins when ``onesided``.
        hop_length: samples between frames.
        win_length: window length.
        power: 2.0 for power, 1.0 for magnitude, None for the complex spectrum.
        normalized: True or ``"window"`` divides by the window's L2 norm; ``"frame_length"``
            by ``sqrt(n_fft)``.
        center: pad ``n_fft // 2`` on both sides so frame ``t`` is centred at ``t * hop_length``.
        pad_mode: padding used by ``center`` (``"reflect"``, ``"constant"``, ``"replicate"``,
            ``"circular"``).
        onesided: keep only the non-negative frequencies.
        return_complex: deprecated in torchaudio; ignored (``power=None`` returns complex).

    Returns:
        ``(..., freq, frames)``: float for a power, complex for ``power=None``.

    Example:
        >>> x = ember.randn(2, 16000)
        >>> spectrogram(x, 0, ember.hann_window(400), 400, 160, 400, 2.0, False).shape
        ember.Size([2, 201, 101])
    """
    post = None if power is None else (lambda spec: _power(spec, power))
    return _spectral_map(waveform, pad, window, n_fft, hop_length, win_length, normalized,
                         center, pad_mode, onesided, post)  # fmt: skip


def _power(spec: Tensor, power: float) -> Tensor:
    # |z| in one pass (hypot), as torchaudio; ember's complex abs has gradient 0 at z = 0
    mag = spec.abs()
    if power == 1.0:
        return mag
    return mag * mag if power == 2.0 else mag.pow(power)


def inverse_spectrogram(
    spectrogram: Tensor,
    length: int | None,
    pad: int,
    window: Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    normalized: bool | str,
    center: bool = True,
    pad_mode: str = "reflect",
    onesided: bool = True,
) -> Tensor:
    """Waveform from a complex spectrogram (inverse of :func:`spectrogram` with ``power=None``).

    Args:
        spectrogram: complex ``(..., freq, frames)``.
        length: output length in samples (before removing ``pad``), or None.
        pad, window, n_fft, hop_length, win_length, normalized, center, onesided: as used for
            the forward :func:`spectrogram`.
        pad_mode: unused (kept for torchaudio's signature).

    Returns:
        ``(..., time)`` real waveform.

    Example:
        >>> w = ember.hann_window(400)
        >>> x = ember.randn(16000)
        >>> s = spectrogram(x, 0, w, 400, 100, 400, None, False)
        >>> y = inverse_spectrogram(s, 16000, 0, w, 400, 100, 400, False)
        >>> bool((y - x).abs().max() < 1e-4)
        True
    """
    if not spectrogram.is_complex():
        raise ValueError(f"expected a complex spectrogram, got dtype {spectrogram.dtype}")
    # multiplying the spectrum by ||w|| equals dividing the synthesis window by it
    window, frame_norm = _window_norm(window, normalized)
    spec, lead = _flatten_batch(spectrogram, 2)
    wave = ember.istft(
        spec,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        normalized=frame_norm,
        onesided=onesided,
        length=None if length is None else length + 2 * pad,
        return_complex=False,
    )
    if pad > 0:
        wave = wave[..., pad:-pad]
    return wave.reshape((*lead, wave.shape[-1]))


def griffinlim(
    specgram: Tensor,
    window: Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    power: float,
    n_iter: int,
    momentum: float,
    length: int | None,
    rand_init: bool,
) -> Tensor:
    """Waveform from a magnitude/power spectrogram by the fast Griffin-Lim algorithm.

    Args:
        specgram: ``(..., freq, frames)`` non-negative spectrogram.
        window, n_fft, hop_length, win_length: the STFT that made ``specgram``.
        power: its exponent (2 for power, 1 for magnitude).
        n_iter: iterations.
        momentum: fast Griffin-Lim momentum in [0, 1) (0 is the original algorithm).
        length: output length, or None.
        rand_init: random initial phases if True, else zero phase.

    Returns:
        ``(..., time)`` waveform.

    Example:
        >>> s = spectrogram(ember.randn(4000), 0, ember.hann_window(256), 256, 64, 256, 2.0, False)
        >>> griffinlim(s, ember.hann_window(256), 256, 64, 256, 2.0, 8, 0.99, 4000, False).shape
        ember.Size([4000])
    """
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    spec, lead = _flatten_batch(specgram, 2)
    mag = spec.pow(1.0 / power)
    stft_args: dict[str, Any] = dict(
        n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window
    )
    if rand_init:
        phase = ember.rand(mag.shape, dtype=mag.dtype, device=mag.device) * (2 * math.pi)
    else:
        phase = ember.zeros(mag.shape, dtype=mag.dtype, device=mag.device)
    angles = ember.polar(ember.ones_like(mag), phase)
    tprev = None
    for _ in range(n_iter):
        inverse = ember.istft(mag * angles, length=length, **stft_args)
        rebuilt = ember.stft(inverse, center=True, pad_mode="reflect", return_complex=True,
                             **stft_args)  # fmt: skip
        angles = rebuilt
        if momentum and tprev is not None:
            angles = angles - tprev * ember.full((), momentum / (1 + momentum), dtype=mag.dtype)
        angles = angles / (angles.abs() + 1e-16)
        tprev = rebuilt
    wave = ember.istft(mag * angles, length=length, **stft_args)
    return wave.reshape((*lead, wave.shape[-1]))


# ------------------------------------------------------------------------ filter banks ---


def _hz_to_mel(freq: np.ndarray, mel_scale: str) -> np.ndarray:
    if mel_scale == "htk":
        return 2595.0 * np.log10(1.0 + freq / 700.0)
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, math.log(6.4) / 27.0
    mels = freq / f_sp
    log_part = 1000.0 / f_sp + np.log(np.maximum(freq, min_log_hz) / min_log_hz) / logstep
    return np.where(freq >= min_log_hz, log_part, mels)


def _mel_to_hz(mels: np.ndarray, mel_scale: str) -> np.ndarray:
    if mel_scale == "htk":
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, math.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp
    freqs = f_sp * mels
    log_part = min_log_hz * np.exp(logstep * (np.maximum(mels, min_log_mel) - min_log_mel))
    return np.where(mels >= min_log_mel, log_part, freqs)


def _triangular(all_freqs: np.ndarray, f_pts: np.ndarray) -> np.ndarray:
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts[None, :] - all_freqs[:, None]
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return np.maximum(0.0, np.minimum(down, up))


def melscale_fbanks(
    n_freqs: int,
    f_min: float,
    f_max: float,
    n_mels: int,
    sample_rate: int,
    norm: str | None = None,
    mel_scale: str = "htk",
) -> Tensor:
    """Triangular mel filter bank, shape ``(n_freqs, n_mels)``, as torchaudio's.

    Args:
        n_freqs: frequency bins of the spectrogram (``n_fft // 2 + 1``).
        f_min: lowest frequency (Hz).
        f_max: highest frequency (Hz).
        n_mels: filters.
        sample_rate: sample rate of the audio.
        norm: None, or ``"slaney"`` to divide each triangle by its width (equal area).
        mel_scale: ``"htk"`` or ``"slaney"``.

    Returns:
        float32 ``(n_freqs, n_mels)``; ``spec.mT @ fb`` applies it.

    Example:
        >>> melscale_fbanks(201, 0.0, 8000.0, 80, 16000).shape
        ember.Size([201, 80])
    """
    if norm not in (None, "slaney"):
        raise ValueError(f'norm must be None or "slaney", got {norm!r}')
    if mel_scale not in ("htk", "slaney"):
        raise ValueError(f'mel_scale must be "htk" or "slaney", got {mel_scale!r}')
    all_freqs = np.linspace(0, sample_rate // 2, n_freqs)
    m_pts = np.linspace(
        _hz_to_mel(np.float64(f_min), mel_scale), _hz_to_mel(np.float64(f_max), mel_scale),
        n_mels + 2,
    )  # fmt: skip
    f_pts = _mel_to_hz(m_pts, mel_scale)
    fb = _triangular(all_freqs, f_pts)
    if norm == "slaney":
        fb *= 2.0 / (f_pts[2 : n_mels + 2] - f_pts[:n_mels])
    if (fb.max(axis=0) == 0.0).any():
        import warnings

        warnings.warn(
            f"some of the {n_mels} mel filters are all zero; n_mels may be too high for "
            f"n_freqs={n_freqs}",
            stacklevel=2,
        )
    return ember.from_numpy(fb.astype(np.float32))


def linear_fbanks(
    n_freqs: int, f_min: float, f_max: float, n_filter: int, sample_rate: int
) -> Tensor:
    """Triangular filter bank with linearly spaced centres, ``(n_freqs, n_filter)``.

    Args:
        n_freqs: frequency bins.
        f_min: lowest frequency (Hz).
        f_max: highest frequency (Hz).
        n_filter: filters.
        sample_rate: sample rate.

    Returns:
        float32 ``(n_freqs, n_filter)``.

    Example:
        >>> linear_fbanks(201, 0.0, 8000.0, 128, 16000).shape
        ember.Size([201, 128])
    """
    all_freqs = np.linspace(0, sample_rate // 2, n_freqs)
    f_pts = np.linspace(f_min, f_max, n_filter + 2)
    return ember.from_numpy(_triangular(all_freqs, f_pts).astype(np.float32))


def create_dct(n_mfcc: int, n_mels: int, norm: str | None) -> Tensor:
    """DCT-II matrix, shape ``(n_mels, n_mfcc)``, as torchaudio's (``x @ dct``).

    Args:
        n_mfcc: coefficients kept.
        n_mels: input bins.
        norm: None or ``"ortho"`` (orthonormal, as ``scipy.fft.dct(norm="ortho")``).

    Returns:
        float32 ``(n_mels, n_mfcc)``.

    Example:
        >>> create_dct(13, 40, "ortho").shape
        ember.Size([40, 13])
    """
    if norm not in (None, "ortho"):
        raise ValueError(f'norm must be None or "ortho", got {norm!r}')
    n = np.arange(n_mels, dtype=np.float64)
    k = np.arange(n_mfcc, dtype=np.float64)[:, None]
    dct = np.cos(math.pi / n_mels * (n + 0.5) * k)
    if norm is None:
        dct *= 2.0
    else:
        dct[0] *= 1.0 / math.sqrt(2.0)
        dct *= math.sqrt(2.0 / n_mels)
    return ember.from_numpy(np.ascontiguousarray(dct.T).astype(np.float32))


def _apply_fb(spec: Tensor, fb: Tensor) -> Tensor:
    """``(..., freq, time)`` times ``(freq, k)`` -> ``(..., k, time)``."""
    return ember.matmul(spec.transpose(-1, -2), fb.to(spec.device)).transpose(-1, -2)


# ----------------------------------------------------------------------------- decibels ---


def amplitude_to_DB(
    x: Tensor, multiplier: float, amin: float, db_multiplier: float, top_db: float | None = None
) -> Tensor:
    """Power or amplitude to decibels, ``multiplier * log10(max(x, amin)) - db_multiplier``.

    Args:
        x: spectrogram(s), ``(..., freq, time)``.
        multiplier: 10 for power, 20 for amplitude.
        amin: floor before the log.
        db_multiplier: ``log10(max(amin, ref))``.
        top_db: if given, values more than ``top_db`` below each spectrogram's maximum are
            raised to it (the maximum is taken per item over ``(channel, freq, time)``).

    Returns:
        Same shape as ``x``.

    Example:
        >>> amplitude_to_DB(ember.tensor([[1.0, 0.1, 1e-12]]), 10.0, 1e-10, 0.0)
        tensor([[   0., -10., -100.]])
    """
    x_db = multiplier * ember.log10(ember.clamp(x, min=amin))
    x_db = x_db - multiplier * db_multiplier
    if top_db is None:
        return x_db
    shape = x_db.shape
    channels = shape[-3] if x_db.dim() > 2 else 1
    packed = x_db.reshape(-1, channels, shape[-2], shape[-1])
    floor = packed.amax(dim=(-3, -2, -1)) - top_db
    return ember.maximum(packed, floor.reshape(-1, 1, 1, 1)).reshape(shape)


def DB_to_amplitude(x: Tensor, ref: float, power: float) -> Tensor:
    """Decibels back to power (``power=1``) or amplitude (``power=0.5``): ``ref * 10**(x/10)**p``.

    Args:
        x: decibels.
        ref: reference value the output is scaled by.
        power: 1 for power, 0.5 for amplitude.

    Returns:
        Same shape as ``x``.

    Example:
        >>> DB_to_amplitude(ember.tensor([0.0, 20.0]), 1.0, 0.5)
        tensor([ 1., 10.])
    """
    return ref * ember.pow(ember.pow(10.0, 0.1 * x), power)


# --------------------------------------------------------------------- composite features ---


def mel_spectrogram(
    waveform: Tensor,
    sample_rate: int = 16000,
    n_fft: int = 400,
    win_length: int | None = None,
    hop_length: int | None = None,
    f_min: float = 0.0,
    f_max: float | None = None,
    pad: int = 0,
    n_mels: int = 128,
    window_fn: Any = ember.hann_window,
    power: float = 2.0,
    normalized: bool = False,
    wkwargs: dict[str, Any] | None = None,
    center: bool = True,
    pad_mode: str = "reflect",
    onesided: bool | None = None,
    norm: str | None = None,
    mel_scale: str = "htk",
) -> Tensor:
    """Mel spectrogram of ``waveform``; the arguments are those of ``transforms.MelSpectrogram``.

    Args:
        waveform: ``(..., time)``.
        sample_rate, n_fft, win_length, hop_length, f_min, f_max, pad, n_mels, window_fn,
            power, normalized, wkwargs, center, pad_mode, onesided, norm, mel_scale: as
            :class:`emberaudio.transforms.MelSpectrogram`.

    Returns:
        ``(..., n_mels, frames)``.

    Example:
        >>> mel_spectrogram(ember.randn(16000), n_mels=80, hop_length=160).shape
        ember.Size([80, 101])
    """
    win_length = win_length or n_fft
    hop_length = hop_length or win_length // 2
    window = window_fn(win_length, **(wkwargs or {})).to(waveform.device)
    fb = melscale_fbanks(
        n_fft // 2 + 1, f_min, f_max or float(sample_rate // 2), n_mels, sample_rate, norm,
        mel_scale,
    ).to(device=waveform.device, dtype=waveform.dtype)  # fmt: skip
    return _spectral_map(
        waveform, pad, window, n_fft, hop_length, win_length, normalized, center, pad_mode,
        True, lambda spec: ember.matmul(_power(spec, power), fb),
    )  # fmt: skip


def _cepstrum(spec: Tensor, n_coef: int, dct_type: int, norm: str, log: bool) -> Tensor:
    if dct_type != 2:
        raise ValueError(f"only DCT type 2 is supported, got dct_type={dct_type}")
    if log:
        spec = ember.log(spec + 1e-6)
    else:
        spec = amplitude_to_DB(spec, 10.0, 1e-10, 0.0, top_db=80.0)
    dct = create_dct(n_coef, spec.shape[-2], norm).to(device=spec.device, dtype=spec.dtype)
    return _apply_fb(spec, dct)


def mfcc(
    waveform: Tensor,
    sample_rate: int = 16000,
    n_mfcc: int = 40,
    dct_type: int = 2,
    norm: str = "ortho",
    log_mels: bool = False,
    melkwargs: dict[str, Any] | None = None,
) -> Tensor:
    """Mel-frequency cepstral coefficients; arguments as ``transforms.MFCC``.

    The mel spectrogram is turned to decibels (``top_db=80``), or to ``log(mel + 1e-6)`` when
    ``log_mels``, then a DCT-II keeps ``n_mfcc`` coefficients.

    Args:
        waveform: ``(..., time)``.
        sample_rate: sample rate.
        n_mfcc: coefficients.
        dct_type: 2 (the only type supported, as in torchaudio).
        norm: ``"ortho"`` or None.
        log_mels: natural log instead of decibels.
        melkwargs: keyword arguments of :func:`mel_spectrogram`.

    Returns:
        ``(..., n_mfcc, frames)``.

    Example:
        >>> mfcc(ember.randn(16000), n_mfcc=13).shape
        ember.Size([13, 81])
    """
    kwargs = dict(melkwargs or {})
    if kwargs.get("n_mels", 128) < n_mfcc:
        raise ValueError(f"n_mfcc ({n_mfcc}) cannot exceed n_mels ({kwargs.get('n_mels', 128)})")
    mel = mel_spectrogram(waveform, sample_rate=sample_rate, **kwargs)
    return _cepstrum(mel, n_mfcc, dct_type, norm, log_mels)


def lfcc(
    waveform: Tensor,
    sample_rate: int = 16000,
    n_filter: int = 128,
    f_min: float = 0.0,
    f_max: float | None = None,
    n_lfcc: int = 40,
    dct_type: int = 2,
    norm: str = "ortho",
    log_lf: bool = False,
    speckwargs: dict[str, Any] | None = None,
) -> Tensor:
    """Linear-frequency cepstral coefficients; arguments as ``transforms.LFCC``.

    Args:
        waveform: ``(..., time)``.
        sample_rate: sample rate.
        n_filter: linear filters.
        f_min: lowest frequency (Hz).
        f_max: highest frequency (Hz); None for ``sample_rate // 2``.
        n_lfcc: coefficients.
        dct_type: 2.
        norm: ``"ortho"`` or None.
        log_lf: natural log instead of decibels.
        speckwargs: keyword arguments of ``transforms.Spectrogram``.

    Returns:
        ``(..., n_lfcc, frames)``.

    Example:
        >>> lfcc(ember.randn(16000), n_lfcc=20).shape
        ember.Size([20, 81])
    """
    kw = dict(speckwargs or {})
    n_fft = kw.pop("n_fft", 400)
    win_length = kw.pop("win_length", None) or n_fft
    hop_length = kw.pop("hop_length", None) or win_length // 2
    window = kw.pop("window_fn", ember.hann_window)(win_length, **(kw.pop("wkwargs", None) or {}))
    spec = spectrogram(
        waveform, kw.pop("pad", 0), window.to(waveform.device), n_fft, hop_length, win_length,
        kw.pop("power", 2.0), kw.pop("normalized", False), **kw,
    )  # fmt: skip
    fb = linear_fbanks(n_fft // 2 + 1, f_min, f_max or float(sample_rate // 2), n_filter,
                       sample_rate)  # fmt: skip
    return _cepstrum(_apply_fb(spec, fb), n_lfcc, dct_type, norm, log_lf)


# --------------------------------------------------------------------- phase vocoder ---


def phase_vocoder(complex_specgrams: Tensor, rate: float, phase_advance: Tensor) -> Tensor:
    """Speed a complex spectrogram up by ``rate`` without changing its pitch.

    Args:
        complex_specgrams: complex ``(..., freq, frames)``.
        rate: speed-up factor (2 halves the number of frames).
        phase_advance: ``(freq, 1)`` expected phase advance per hop,
            ``linspace(0, pi * hop_length, freq)[:, None]``.

    Returns:
        complex ``(..., freq, ceil(frames / rate))``.

    Example:
        >>> s = spectrogram(ember.randn(8000), 0, ember.hann_window(400), 400, 100, 400, None,
        ...                 False)
        >>> adv = ember.linspace(0, math.pi * 100, 201)[:, None]
        >>> phase_vocoder(s, 2.0, adv).shape
        ember.Size([201, 41])
    """
    if rate == 1.0:
        return complex_specgrams
    frames = complex_specgrams.shape[-1]
    real = ember.view_as_real(complex_specgrams).dtype
    steps = np.arange(0, frames, rate, dtype=np.float64)
    alphas = ember.from_numpy((steps % 1.0).astype(str(real).split(".")[-1]))
    alphas = alphas.to(complex_specgrams.device)
    phase_0 = complex_specgrams[..., :1].angle()
    padded = F.pad(complex_specgrams, (0, 2))
    idx = ember.from_numpy(steps.astype(np.int64)).to(complex_specgrams.device)
    spec_0 = padded.index_select(-1, idx)
    spec_1 = padded.index_select(-1, idx + 1)
    phase = spec_1.angle() - spec_0.angle() - phase_advance
    phase = phase - 2 * math.pi * ember.round(phase / (2 * math.pi))
    phase = ember.cat([phase_0, (phase + phase_advance)[..., :-1]], dim=-1)
    mag = alphas * spec_1.abs() + (1 - alphas) * spec_0.abs()
    # the accumulated phase grows to ~pi * hop * frames: float32 would lose ~1e-3 rad of it
    phase_acc = ember.cumsum(phase.to(ember.float64), -1)
    out = ember.polar(mag.to(ember.float64), phase_acc)
    return out.to(complex_specgrams.dtype)


# ----------------------------------------------------------------------------- masking ---


def _mask_bounds(size: int, mask_param: int, shape: tuple[int, ...], device: Any) -> tuple:
    value = ember.rand(shape, device=device) * mask_param
    min_value = ember.rand(shape, device=device) * (size - value)
    start = min_value.floor()
    end = (min_value + value).floor()
    return start, end


def mask_along_axis_iid(
    specgrams: Tensor, mask_param: int, mask_value: float, axis: int, p: float = 1.0
) -> Tensor:
    """One random band per example and channel, set to ``mask_value`` (SpecAugment).

    Args:
        specgrams: ``(batch, channel, freq, time)``.
        mask_param: the band covers at most ``mask_param`` bins (its width is drawn uniformly).
        mask_value: fill value.
        axis: 2 (frequency) or 3 (time).
        p: the width is at most ``p`` times the axis length.

    Returns:
        The masked spectrograms (same shape).

    Example:
        >>> mask_along_axis_iid(ember.ones(2, 1, 40, 100), 10, 0.0, 3).shape
        ember.Size([2, 1, 40, 100])
    """
    if axis not in (2, 3, -1, -2):
        raise ValueError(f"axis must be 2 (frequency) or 3 (time), got {axis}")
    axis = axis % 4
    size = specgrams.shape[axis]
    mask_param = _limit_param(mask_param, size, p)
    if mask_param < 1:
        return specgrams
    start, end = _mask_bounds(size, mask_param, tuple(specgrams.shape[:2]), specgrams.device)
    pos = ember.arange(size, device=specgrams.device, dtype=start.dtype)
    start, end = start[..., None, None], end[..., None, None]
    pos = pos.reshape(-1, 1) if axis == 2 else pos.reshape(1, -1)
    mask = (pos >= start) & (pos < end)
    return specgrams.masked_fill(mask, mask_value)


def mask_along_axis(
    specgram: Tensor, mask_param: int, mask_value: float, axis: int, p: float = 1.0
) -> Tensor:
    """One random band, shared by every item and channel, set to ``mask_value``.

    Args:
        specgram: ``(..., freq, time)``.
        mask_param: the band covers at most ``mask_param`` bins (its width is drawn uniformly).
        mask_value: fill value.
        axis: the axis of ``specgram`` to mask (``-2``/frequency or ``-1``/time, or positive).
        p: the width is at most ``p`` times the axis length.

    Returns:
        The masked spectrogram.

    Example:
        >>> mask_along_axis(ember.ones(40, 100), 10, 0.0, 1).shape
        ember.Size([40, 100])
    """
    axis = axis % specgram.dim()
    size = specgram.shape[axis]
    mask_param = _limit_param(mask_param, size, p)
    if mask_param < 1:
        return specgram
    start, end = _mask_bounds(size, mask_param, (), specgram.device)
    pos = ember.arange(size, device=specgram.device, dtype=start.dtype)
    pos = pos.reshape((-1,) + (1,) * (specgram.dim() - 1 - axis))
    mask = (pos >= start) & (pos < end)
    return specgram.masked_fill(mask, mask_value)


def _limit_param(mask_param: int, size: int, p: float) -> int:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    return min(mask_param, int(size * p))
