"""Time-domain filters and effects: lfilter, biquads, pre-/de-emphasis, deltas, gain, fade, mu-law.

``lfilter`` needs a recursive (IIR) filter, which ember's core does not offer. It is a small
:class:`ember.autograd.Function` here: the recursion runs over time in NumPy (vectorised over
the batch), and its backward is the same recursion run backwards in time, so gradients reach the
waveform and both coefficient vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

import ember
from ember import Tensor
from ember.nn import functional as F

__all__ = [
    "bandpass_biquad",
    "biquad",
    "compute_deltas",
    "deemphasis",
    "fade",
    "gain",
    "highpass_biquad",
    "lfilter",
    "lowpass_biquad",
    "mu_law_decoding",
    "mu_law_encoding",
    "preemphasis",
]


def _iir(u: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``y[n] = u[n] - sum_k a[k] y[n-k]`` for ``u (B, F, T)``, ``a (F, order+1)``, ``a[:,0]=1``."""
    order = a.shape[1] - 1
    batch, filters, steps = u.shape
    y = np.zeros((batch, filters, steps + order), dtype=u.dtype)
    if order == 0:
        y[...] = u
        return y
    a_rev = np.ascontiguousarray(a[:, :0:-1])  # a[order], ..., a[1]
    if filters == 1:
        col = a_rev[0]
        for n in range(steps):
            y[:, 0, n + order] = u[:, 0, n] - y[:, 0, n : n + order] @ col
    else:
        for n in range(steps):
            y[:, :, n + order] = u[:, :, n] - (y[:, :, n : n + order] * a_rev).sum(-1)
    return y


class _IIR(ember.autograd.Function):
    """All-pole part of :func:`lfilter`. Primitive: a recursion over time has no composite form."""

    @staticmethod
    def forward(ctx: Any, u: Tensor, a: Tensor) -> Tensor:
        un = u.detach().cpu().numpy()
        an = a.detach().cpu().numpy().astype(un.dtype)
        y = _iir(un, an)
        ctx.arrays = (y, an)
        ctx.device = u.device
        return ember.from_numpy(np.ascontiguousarray(y[..., an.shape[1] - 1 :])).to(u.device)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, Tensor]:
        y, an = ctx.arrays
        order = an.shape[1] - 1
        g = grad.detach().cpu().numpy().astype(y.dtype)
        # the transpose of a causal filter is the same filter run backwards in time
        gt = _iir(np.ascontiguousarray(g[..., ::-1]), an)[..., order:][..., ::-1]
        steps = g.shape[-1]
        grad_a = np.zeros_like(an)
        for k in range(1, order + 1):
            # dy[n]/da[k] enters as -y[n-k]; y is stored with `order` leading zeros
            past = y[..., order - k : order - k + steps]
            grad_a[:, k] = -(gt * past).sum(axis=(0, 2))
        to = ctx.device
        return ember.from_numpy(np.ascontiguousarray(gt)).to(to), ember.from_numpy(grad_a).to(to)


def _coeffs(c: Tensor | Sequence[float], like: Tensor) -> Tensor:
    t = c if isinstance(c, Tensor) else ember.tensor(list(c), dtype=like.dtype)
    return t.to(device=like.device, dtype=like.dtype)


def lfilter(
    waveform: Tensor,
    a_coeffs: Tensor | Sequence[float],
    b_coeffs: Tensor | Sequence[float],
    clamp: bool = True,
    batching: bool = True,
) -> Tensor:
    """IIR/FIR filter ``a[0] y[n] = sum_k b[k] x[n-k] - sum_{k>=1} a[k] y[n-k]``, as torchaudio's.

    Differentiable with respect to the waveform and both coefficient tensors. The recursion
    runs in NumPy on the CPU (a CuPy tensor is copied to the host and back).

    Args:
        waveform: ``(..., time)``.
        a_coeffs: denominator, ``(order + 1,)``, or ``(filters, order + 1)`` for a bank.
        b_coeffs: numerator, same shape as ``a_coeffs``.
        clamp: clip the output to [-1, 1].
        batching: with 2-D coefficients, filter ``i`` is applied to ``waveform[..., i, :]`` if
            True; if False every filter is applied to every waveform (output gains a dimension).

    Returns:
        ``(..., time)`` (or ``(..., filters, time)`` for a bank with ``batching=False``).

    Example:
        >>> x = ember.randn(2, 8000) * 0.1
        >>> lfilter(x, [1.0, -0.5], [0.5, 0.0]).shape
        ember.Size([2, 8000])
    """
    a = _coeffs(a_coeffs, waveform)
    b = _coeffs(b_coeffs, waveform)
    if a.shape != b.shape or a.dim() not in (1, 2):
        raise ValueError(
            f"a_coeffs and b_coeffs must have the same 1-D or 2-D shape, got {tuple(a.shape)} "
            f"and {tuple(b.shape)}"
        )
    a2, b2 = a.reshape(-1, a.shape[-1]), b.reshape(-1, b.shape[-1])
    n_filters, taps = a2.shape
    if a.dim() == 2 and batching:
        if waveform.dim() < 2 or waveform.shape[-2] != n_filters:
            raise ValueError(
                f"with {n_filters} filters and batching=True the waveform needs "
                f"{n_filters} rows in dim -2, got shape {tuple(waveform.shape)}"
            )
        x = waveform.reshape(-1, n_filters, waveform.shape[-1])
        out_shape = tuple(waveform.shape)
    else:
        x = waveform.reshape(-1, 1, waveform.shape[-1]).expand(-1, n_filters, -1)
        out_shape = (*waveform.shape[:-1], n_filters, waveform.shape[-1])
        if a.dim() == 1:
            out_shape = tuple(waveform.shape)
    a0 = a2[:, :1]
    weight = ember.flip(b2 / a0, [-1]).unsqueeze(1)
    fir = F.conv1d(F.pad(x, (taps - 1, 0)), weight, groups=n_filters)
    y = _IIR.apply(fir, a2 / a0).reshape(out_shape)
    return ember.clamp(y, -1.0, 1.0) if clamp else y


def biquad(
    waveform: Tensor, b0: float, b1: float, b2: float, a0: float, a1: float, a2: float
) -> Tensor:
    """Second-order IIR filter with the given coefficients (output clamped to [-1, 1]).

    Args:
        waveform: ``(..., time)``.
        b0, b1, b2: numerator coefficients.
        a0, a1, a2: denominator coefficients.

    Returns:
        ``(..., time)``.

    Example:
        >>> biquad(ember.zeros(100), 1.0, 0.0, 0.0, 1.0, 0.0, 0.0).shape
        ember.Size([100])
    """
    return lfilter(waveform, [a0, a1, a2], [b0, b1, b2])


def _biquad_terms(sample_rate: int, freq: float, q: float) -> tuple[float, float]:
    w0 = 2 * math.pi * freq / sample_rate
    return w0, math.sin(w0) / 2 / q


def lowpass_biquad(
    waveform: Tensor, sample_rate: int, cutoff_freq: float, Q: float = 0.707
) -> Tensor:
    """Two-pole low-pass filter (Audio EQ Cookbook), as torchaudio's.

    Args:
        waveform: ``(..., time)``.
        sample_rate: sample rate (Hz).
        cutoff_freq: cutoff (Hz).
        Q: quality factor.

    Returns:
        ``(..., time)``.

    Example:
        >>> lowpass_biquad(ember.randn(8000) * 0.1, 8000, 1000.0).shape
        ember.Size([8000])
    """
    w0, alpha = _biquad_terms(sample_rate, cutoff_freq, Q)
    c = math.cos(w0)
    return biquad(waveform, (1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha)


def highpass_biquad(
    waveform: Tensor, sample_rate: int, cutoff_freq: float, Q: float = 0.707
) -> Tensor:
    """Two-pole high-pass filter (Audio EQ Cookbook), as torchaudio's.

    Args:
        waveform: ``(..., time)``.
        sample_rate: sample rate (Hz).
        cutoff_freq: cutoff (Hz).
        Q: quality factor.

    Returns:
        ``(..., time)``.

    Example:
        >>> highpass_biquad(ember.randn(8000) * 0.1, 8000, 1000.0).shape
        ember.Size([8000])
    """
    w0, alpha = _biquad_terms(sample_rate, cutoff_freq, Q)
    c = math.cos(w0)
    return biquad(waveform, (1 + c) / 2, -1 - c, (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha)


def bandpass_biquad(
    waveform: Tensor,
    sample_rate: int,
    central_freq: float,
    Q: float = 0.707,
    const_skirt_gain: bool = False,
) -> Tensor:
    """Two-pole band-pass filter (Audio EQ Cookbook), as torchaudio's.

    Args:
        waveform: ``(..., time)``.
        sample_rate: sample rate (Hz).
        central_freq: centre frequency (Hz).
        Q: quality factor.
        const_skirt_gain: constant skirt gain (peak gain Q) if True, else 0 dB peak gain.

    Returns:
        ``(..., time)``.

    Example:
        >>> bandpass_biquad(ember.randn(8000) * 0.1, 8000, 1000.0).shape
        ember.Size([8000])
    """
    w0, alpha = _biquad_terms(sample_rate, central_freq, Q)
    temp = math.sin(w0) / 2 if const_skirt_gain else alpha
    return biquad(waveform, temp, 0.0, -temp, 1 + alpha, -2 * math.cos(w0), 1 - alpha)


def preemphasis(waveform: Tensor, coeff: float = 0.97) -> Tensor:
    """``y[n] = x[n] - coeff * x[n-1]`` (``y[0] = x[0]``).

    Args:
        waveform: ``(..., time)``.
        coeff: emphasis coefficient, usually 0.9 to 1.0.

    Returns:
        ``(..., time)``.

    Example:
        >>> preemphasis(ember.tensor([1.0, 1.0, 1.0]), 0.5)
        tensor([1.0000, 0.5000, 0.5000])
    """
    return ember.cat([waveform[..., :1], waveform[..., 1:] - coeff * waveform[..., :-1]], dim=-1)


def deemphasis(waveform: Tensor, coeff: float = 0.97) -> Tensor:
    """Inverse of :func:`preemphasis`: ``y[n] = x[n] + coeff * y[n-1]`` (clamped to [-1, 1]).

    Args:
        waveform: ``(..., time)``.
        coeff: the coefficient used for emphasis.

    Returns:
        ``(..., time)``.

    Example:
        >>> deemphasis(ember.tensor([1.0, 0.5, 0.5]), 0.5)
        tensor([1., 1., 1.])
    """
    return lfilter(waveform, [1.0, -coeff], [1.0, 0.0])


def compute_deltas(specgram: Tensor, win_length: int = 5, mode: str = "replicate") -> Tensor:
    """Delta (local regression slope) coefficients along time, as torchaudio's.

    ``d[t] = sum_{k=1..n} k (c[t+k] - c[t-k]) / (2 sum_k k^2)`` with ``n = (win_length-1)//2``;
    the edges are padded by ``mode``.

    Args:
        specgram: ``(..., freq, time)``.
        win_length: regression window (odd, >= 3).
        mode: padding mode (``"replicate"``, ``"constant"``, ``"reflect"``).

    Returns:
        Same shape as ``specgram``.

    Example:
        >>> compute_deltas(ember.arange(6.0).reshape(1, 6))
        tensor([[0.5000, 0.8000, 1.0000, 1.0000, 0.8000, 0.5000]])
    """
    if win_length < 3:
        raise ValueError(f"win_length must be >= 3, got {win_length}")
    n = (win_length - 1) // 2
    denom = n * (n + 1) * (2 * n + 1) / 3
    shape = specgram.shape
    x = F.pad(specgram.reshape(1, -1, shape[-1]), (n, n), mode=mode)
    steps = shape[-1]
    out = None
    for k in range(1, n + 1):
        term = k * (x[..., n + k : n + k + steps] - x[..., n - k : n - k + steps])
        out = term if out is None else out + term
    return (out / denom).reshape(shape)


def gain(waveform: Tensor, gain_db: float = 1.0) -> Tensor:
    """Scale by ``gain_db`` decibels (``x * 10**(gain_db / 20)``).

    Args:
        waveform: any shape.
        gain_db: gain in dB.

    Returns:
        Same shape.

    Example:
        >>> gain(ember.tensor([0.1]), 20.0)
        tensor([1.])
    """
    if gain_db == 0:
        return waveform
    return waveform * (10 ** (gain_db / 20))


def _fade_curve(n: int, shape: str, fade_in: bool, like: Tensor) -> Tensor:
    t = ember.linspace(0, 1, n, dtype=like.dtype, device=like.device)
    if shape == "linear":
        c = t if fade_in else 1 - t
    elif shape == "exponential":
        c = ember.pow(2.0, (t - 1) * 5) if fade_in else ember.pow(2.0, -t * 5)
    elif shape == "logarithmic":
        c = ember.log10(0.1 + t) + 1 if fade_in else ember.log10(1.1 - t) + 1
    elif shape == "quarter_sine":
        c = ember.sin(t * math.pi / 2 + (0 if fade_in else math.pi / 2))
    elif shape == "half_sine":
        c = ember.sin(t * math.pi + (-math.pi / 2 if fade_in else math.pi / 2)) / 2 + 0.5
    else:
        raise ValueError(
            f"fade_shape must be linear, exponential, logarithmic, quarter_sine or half_sine, "
            f"got {shape!r}"
        )
    return c.clamp(0, 1)


def fade(
    waveform: Tensor, fade_in_len: int = 0, fade_out_len: int = 0, fade_shape: str = "linear"
) -> Tensor:
    """Fade the start and end of a waveform in and out, as ``transforms.Fade``.

    Args:
        waveform: ``(..., time)``.
        fade_in_len: samples of fade-in.
        fade_out_len: samples of fade-out.
        fade_shape: ``"linear"``, ``"exponential"``, ``"logarithmic"``, ``"quarter_sine"`` or
            ``"half_sine"``.

    Returns:
        Same shape.

    Example:
        >>> fade(ember.ones(5), fade_in_len=3)
        tensor([0.0000, 0.5000, 1.0000, 1.0000, 1.0000])
    """
    length = waveform.shape[-1]
    if fade_in_len > length or fade_out_len > length:
        raise ValueError(
            f"fade lengths ({fade_in_len}, {fade_out_len}) exceed the waveform length {length}"
        )
    ones = ember.ones(length, dtype=waveform.dtype, device=waveform.device)
    fin = ember.cat([_fade_curve(fade_in_len, fade_shape, True, waveform), ones[fade_in_len:]])
    fout = ember.cat(
        [ones[: length - fade_out_len], _fade_curve(fade_out_len, fade_shape, False, waveform)]
    )
    return waveform * fin * fout


def mu_law_encoding(x: Tensor, quantization_channels: int) -> Tensor:
    """Mu-law companding of a signal in [-1, 1] to integers in ``[0, quantization_channels)``.

    Args:
        x: float signal in [-1, 1].
        quantization_channels: number of levels (256 for 8-bit mu-law).

    Returns:
        int64 tensor of the same shape.

    Example:
        >>> mu_law_encoding(ember.tensor([-1.0, 0.0, 1.0]), 256)
        tensor([  0, 128, 255])
    """
    if not x.is_floating_point():
        x = x.to(ember.float32)
    mu = float(quantization_channels - 1)
    x_mu = ember.sign(x) * ember.log1p(mu * x.abs()) / math.log1p(mu)
    return ((x_mu + 1) / 2 * mu + 0.5).to(ember.int64)


def mu_law_decoding(x_mu: Tensor, quantization_channels: int) -> Tensor:
    """Inverse of :func:`mu_law_encoding`: integers back to floats in [-1, 1].

    Args:
        x_mu: integer codes in ``[0, quantization_channels)``.
        quantization_channels: number of levels.

    Returns:
        float32 tensor (float64 if ``x_mu`` is float64).

    Example:
        >>> mu_law_decoding(ember.tensor([0, 255]), 256)
        tensor([-1.,  1.])
    """
    if not x_mu.is_floating_point():
        x_mu = x_mu.to(ember.float32)
    mu = float(quantization_channels - 1)
    x = (x_mu / mu) * 2 - 1.0
    return ember.sign(x) * (ember.exp(x.abs() * math.log1p(mu)) - 1.0) / mu
