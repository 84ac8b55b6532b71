"""Band-limited resampling with a windowed-sinc kernel, with torchaudio's numerics.

The kernel is the one torchaudio documents for ``torchaudio.functional.resample``: for rates
reduced by their gcd to ``orig`` and ``new``, output phase ``j`` uses taps at
``t = (i / orig - j / new) * base`` (``base = min(orig, new) * rolloff``), clipped to
``+-lowpass_filter_width`` zero crossings, ``sinc(pi t)`` times a Hann (``cos^2``) or Kaiser
window, scaled by ``base / orig``. Applying it is a strided convolution, computed as frames of
the padded signal (slices, no gather) times the kernel matrix, so the result is differentiable
with respect to the waveform.
"""

from __future__ import annotations

import functools
import math

import numpy as np

import ember
from ember import Tensor
from ember.nn import functional as F
from emberaudio.functional._framing import frame_pieces, samples_needed

__all__ = ["resample", "resample_with_kernel", "sinc_resample_kernel"]

_KAISER_BETA = 14.769656459379492


@functools.lru_cache(maxsize=32)
def _kernel_np(
    orig: int, new: int, width: int, rolloff: float, method: str, beta: float | None
) -> tuple[np.ndarray, int]:
    if method not in ("sinc_interp_hann", "sinc_interp_kaiser"):
        raise ValueError(
            f"resampling_method must be 'sinc_interp_hann' or 'sinc_interp_kaiser', got {method!r}"
        )
    if width <= 0:
        raise ValueError(f"lowpass_filter_width must be positive, got {width}")
    base = min(orig, new) * rolloff
    pad = math.ceil(width * orig / base)
    idx = np.arange(-pad, pad + orig, dtype=np.float64)[None, :] / orig
    t = (np.arange(0, -new, -1, dtype=np.float64)[:, None] / new + idx) * base
    t = np.clip(t, -width, width)
    if method == "sinc_interp_hann":
        window = np.cos(t * math.pi / width / 2) ** 2
    else:
        b = _KAISER_BETA if beta is None else float(beta)
        window = np.i0(b * np.sqrt(1 - (t / width) ** 2)) / np.i0(b)
    t = t * math.pi
    with np.errstate(invalid="ignore", divide="ignore"):
        sinc = np.where(t == 0, 1.0, np.sin(t) / t)
    kernel = sinc * window * (base / orig)
    kernel.setflags(write=False)
    return kernel, pad


def sinc_resample_kernel(
    orig_freq: int,
    new_freq: int,
    lowpass_filter_width: int = 6,
    rolloff: float = 0.99,
    resampling_method: str = "sinc_interp_hann",
    beta: float | None = None,
    dtype: ember.dtype = ember.float32,
) -> tuple[Tensor, int]:
    """The resampling kernel ``(new, 1, 2 * width + orig)`` and its half-width ``width``.

    Args:
        orig_freq: input rate.
        new_freq: output rate.
        lowpass_filter_width: zero crossings of the sinc kept on each side (sharper, slower).
        rolloff: cutoff as a fraction of the lower Nyquist frequency.
        resampling_method: ``"sinc_interp_hann"`` or ``"sinc_interp_kaiser"``.
        beta: Kaiser window shape (default 14.769656459379492).
        dtype: kernel dtype.

    Returns:
        ``(kernel, width)``; rates are reduced by their gcd first.

    Example:
        >>> kernel, width = sinc_resample_kernel(44100, 16000)
        >>> kernel.shape, width
        (ember.Size([160, 1, 475]), 17)
    """
    g = math.gcd(int(orig_freq), int(new_freq))
    kernel, width = _kernel_np(
        int(orig_freq) // g, int(new_freq) // g, int(lowpass_filter_width), float(rolloff),
        resampling_method, beta,
    )  # fmt: skip
    return ember.from_numpy(kernel[:, None, :].astype(str(dtype).split(".")[-1])), width


def resample(
    waveform: Tensor,
    orig_freq: int,
    new_freq: int,
    lowpass_filter_width: int = 6,
    rolloff: float = 0.99,
    resampling_method: str = "sinc_interp_hann",
    beta: float | None = None,
) -> Tensor:
    """Resample ``waveform`` from ``orig_freq`` to ``new_freq`` (torchaudio's algorithm).

    Args:
        waveform: ``(..., time)`` float tensor.
        orig_freq: input rate (Hz).
        new_freq: output rate (Hz).
        lowpass_filter_width: zero crossings kept on each side of the sinc.
        rolloff: anti-aliasing cutoff as a fraction of the lower Nyquist frequency.
        resampling_method: ``"sinc_interp_hann"`` or ``"sinc_interp_kaiser"``.
        beta: Kaiser window shape.

    Returns:
        ``(..., ceil(time * new_freq / orig_freq))``.

    Example:
        >>> resample(ember.randn(2, 44100), 44100, 16000).shape
        ember.Size([2, 16000])
    """
    if orig_freq <= 0 or new_freq <= 0:
        raise ValueError(f"sample rates must be positive, got {orig_freq} and {new_freq}")
    if orig_freq == new_freq:
        return waveform
    kernel, width = sinc_resample_kernel(
        orig_freq, new_freq, lowpass_filter_width, rolloff, resampling_method, beta,
        dtype=waveform.dtype,
    )  # fmt: skip
    return resample_with_kernel(waveform, kernel.to(waveform.device), width, orig_freq, new_freq)


def resample_with_kernel(
    waveform: Tensor, kernel: Tensor, width: int, orig_freq: int, new_freq: int
) -> Tensor:
    """Apply a kernel from :func:`sinc_resample_kernel` (``transforms.Resample`` caches it).

    Args:
        waveform: ``(..., time)``.
        kernel: ``(new, 1, 2 * width + orig)`` for the gcd-reduced rates.
        width: the kernel's half-width.
        orig_freq: input rate.
        new_freq: output rate.

    Returns:
        ``(..., ceil(time * new_freq / orig_freq))``.

    Example:
        >>> kernel, width = sinc_resample_kernel(3, 2)
        >>> resample_with_kernel(ember.randn(30), kernel, width, 3, 2).shape
        ember.Size([20])
    """
    g = math.gcd(int(orig_freq), int(new_freq))
    orig, new = int(orig_freq) // g, int(new_freq) // g
    shape = waveform.shape
    length = shape[-1]
    size = kernel.shape[-1]
    # torchaudio pads `width` zeros before and `width + orig` after, then convolves with stride
    # `orig`; here the strided windows are frames (no im2col gather) times the kernel matrix
    frames, needed = samples_needed(length + 2 * width + orig, size, orig)
    x = F.pad(waveform.reshape(-1, length), (width, needed - length - width))
    taps = kernel.reshape(new, size).t()
    out = None
    for piece, col in frame_pieces(x, size, orig, 0, frames):
        term = ember.matmul(piece, taps[col : col + piece.shape[-1]])  # (batch, frames, new)
        out = term if out is None else out + term
    target = math.ceil(new * length / orig)
    return out.reshape(out.shape[0], -1)[..., :target].reshape((*shape[:-1], target))
