"""Records for complex helpers, ember.fft and STFT/ISTFT.

The op table feeds real arrays, so complex inputs are built inside the op from (real, imag)
pairs with ``ember.complex``, and complex outputs are made real with ``view_as_real`` (or
``abs() ** 2``); the gradient checks then cover PyTorch's complex-gradient conventions.
"""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import OpInfo, Sample, _arr

FFT = ember.fft


def _r(z):
    return ember.view_as_real(z)


def _np_r(z):
    return np.stack([z.real, z.imag], -1)


def _c(re, im):
    return ember.complex(re, im)


def _pair_samples(shapes):
    def gen(rng, dtype):
        for s in shapes:
            yield Sample(_arr(rng, s, dtype), _arr(rng, s, dtype))

    return gen


def _real_samples(shapes, **kw):
    def gen(rng, dtype):
        for s in shapes:
            yield Sample(_arr(rng, s, dtype), **kw)

    return gen


# -- complex helpers ---------------------------------------------------------------------------
def _polar_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype, 0.5, 2.0), _arr(rng, (3, 4), dtype, -3.0, 3.0))


COMPLEX_RECORDS = [
    OpInfo("complex_real_imag", lambda a, b: _c(a, b).real * 2 + _c(a, b).imag ** 2,
           lambda a, b: a * 2 + b ** 2, _pair_samples([(3, 4), (5,)])),
    OpInfo("complex_abs", lambda a, b: ember.abs(_c(a, b)), lambda a, b: np.abs(a + 1j * b),
           _pair_samples([(3, 4), (5,)])),
    OpInfo("complex_angle", lambda a, b: ember.angle(_c(a, b)),
           lambda a, b: np.angle(a + 1j * b), _pair_samples([(3, 4)])),
    OpInfo("complex_sgn", lambda a, b: _r(ember.sgn(_c(a, b))),
           lambda a, b: _np_r((a + 1j * b) / np.abs(a + 1j * b)), _pair_samples([(3, 4)])),
    OpInfo("view_as_complex", lambda x: ember.abs(ember.view_as_complex(x)) ** 2,
           lambda x: x[..., 0] ** 2 + x[..., 1] ** 2, _real_samples([(3, 2), (2, 3, 2)])),
    OpInfo("polar", lambda r, t: _r(ember.polar(r, t)), lambda r, t: _np_r(r * np.exp(1j * t)),
           _polar_samples),
    OpInfo("complex_einsum", lambda a, b: _r(ember.einsum("ij,jk->ik", _c(a, b), _c(b.mT, a.mT))),
           lambda a, b: _np_r((a + 1j * b) @ (b.T + 1j * a.T)), _pair_samples([(3, 4)])),
]


# -- FFT -----------------------------------------------------------------------------------------
def _fft_samples(rng, dtype):
    yield Sample(_arr(rng, (8,), dtype))
    yield Sample(_arr(rng, (3, 5), dtype), dim=0, norm="ortho")
    yield Sample(_arr(rng, (2, 6), dtype), n=9, norm="forward")
    yield Sample(_arr(rng, (2, 6), dtype), n=4)


def _np_fft(fn):
    def ref(x, n=None, dim=-1, norm=None):
        return _np_r(fn(x, n=n, axis=dim, norm=norm))

    return ref


def _cfft_samples(rng, dtype):
    for kw in ({}, {"n": 5, "norm": "ortho"}, {"n": 9, "norm": "forward"}):
        yield Sample(_arr(rng, (2, 7), dtype), _arr(rng, (2, 7), dtype), **kw)


def _np_cfft(fn):
    def ref(a, b, **kw):
        return _np_r(fn(a + 1j * b, **kw))

    return ref


def _irfft_samples(rng, dtype):
    for kw in ({}, {"n": 7}, {"n": 12, "norm": "ortho"}, {"n": 5, "norm": "forward"}):
        yield Sample(_arr(rng, (2, 5), dtype), _arr(rng, (2, 5), dtype), **kw)


def _fftn_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 6), dtype))
    yield Sample(_arr(rng, (2, 4, 6), dtype), s=(3, 8), norm="ortho")
    yield Sample(_arr(rng, (2, 4, 6), dtype), dim=(0, 2), norm="forward")


def _np_fftn(fn, default_dim=None):
    def ref(x, s=None, dim=default_dim, norm=None):
        return _np_r(fn(x, s=s, axes=_axes(x, s, dim), norm=norm))

    return ref


def _axes(x, s, dim):
    if dim is None and s is not None:
        return tuple(range(x.ndim - len(s), x.ndim))
    return dim


def _np_irfftn(a, b, s=None, dim=None, norm=None):
    return np.fft.irfftn(a + 1j * b, s=s, axes=_axes(a, s, dim), norm=norm)


def _irfftn_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3, 4), dtype), s=(4, 5), norm="ortho")


def _shift_samples(rng, dtype):
    yield Sample(_arr(rng, (5,), dtype))
    yield Sample(_arr(rng, (4, 5), dtype), dim=1)
    yield Sample(_arr(rng, (4, 5), dtype), dim=(0, 1))


def _np_shift(fn):
    def ref(x, dim=None):
        return fn(x, axes=dim)

    return ref


FFT_RECORDS = [
    OpInfo("fft_fft", lambda x, **kw: _r(FFT.fft(x, **kw)), _np_fft(np.fft.fft),
           _fft_samples),
    OpInfo("fft_ifft", lambda x, **kw: _r(FFT.ifft(x, **kw)), _np_fft(np.fft.ifft),
           _fft_samples),
    OpInfo("fft_fft_complex", lambda a, b, **kw: _r(FFT.fft(_c(a, b), **kw)),
           _np_cfft(np.fft.fft), _cfft_samples),
    OpInfo("fft_ifft_complex", lambda a, b, **kw: _r(FFT.ifft(_c(a, b), **kw)),
           _np_cfft(np.fft.ifft), _cfft_samples),
    OpInfo("fft_fft_abs2", lambda a, b, **kw: ember.abs(FFT.fft(_c(a, b), **kw)) ** 2,
           lambda a, b, **kw: np.abs(np.fft.fft(a + 1j * b, **kw)) ** 2, _cfft_samples),
    OpInfo("fft_rfft", lambda x, **kw: _r(FFT.rfft(x, **kw)), _np_fft(np.fft.rfft),
           _fft_samples),
    OpInfo("fft_irfft", lambda a, b, **kw: FFT.irfft(_c(a, b), **kw),
           lambda a, b, **kw: np.fft.irfft(a + 1j * b, **kw), _irfft_samples),
    OpInfo("fft_fft2", lambda x, **kw: _r(FFT.fft2(x, **kw)),
           lambda x, **kw: _np_r(np.fft.fft2(x, **kw)),
           _real_samples([(4, 6), (2, 3, 4)])),
    OpInfo("fft_ifft2", lambda a, b: _r(FFT.ifft2(_c(a, b))),
           lambda a, b: _np_r(np.fft.ifft2(a + 1j * b)), _pair_samples([(4, 6)])),
    OpInfo("fft_fftn", lambda x, **kw: _r(FFT.fftn(x, **kw)), _np_fftn(np.fft.fftn),
           _fftn_samples),
    OpInfo("fft_ifftn", lambda x, **kw: _r(FFT.ifftn(x, **kw)), _np_fftn(np.fft.ifftn),
           _fftn_samples),
    OpInfo("fft_rfftn", lambda x, **kw: _r(FFT.rfftn(x, **kw)), _np_fftn(np.fft.rfftn),
           _fftn_samples),
    OpInfo("fft_rfft2", lambda x: _r(FFT.rfft2(x)), lambda x: _np_r(np.fft.rfft2(x)),
           _real_samples([(4, 6), (2, 3, 5)])),
    OpInfo("fft_irfftn", lambda a, b, **kw: FFT.irfftn(_c(a, b), **kw), _np_irfftn,
           _irfftn_samples),
    OpInfo("fft_irfft2", lambda a, b: FFT.irfft2(_c(a, b)),
           lambda a, b: np.fft.irfft2(a + 1j * b), _pair_samples([(3, 4)])),
    OpInfo("fft_fftshift", FFT.fftshift, _np_shift(np.fft.fftshift), _shift_samples),
    OpInfo("fft_ifftshift", FFT.ifftshift, _np_shift(np.fft.ifftshift), _shift_samples),
]


# -- STFT ----------------------------------------------------------------------------------------
def np_stft(x, n_fft, hop_length=None, win_length=None, window=None, center=True,
            pad_mode="reflect", normalized=False, onesided=True):
    """A plain NumPy STFT used as the reference (written from the definition)."""
    hop = hop_length or n_fft // 4
    win = win_length or n_fft
    w = np.ones(win) if window is None else window
    left = (n_fft - win) // 2
    w = np.pad(w, (left, n_fft - win - left))
    if center:
        mode = {"replicate": "edge", "circular": "wrap"}.get(pad_mode, pad_mode)
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(n_fft // 2, n_fft // 2)], mode=mode)
    n_frames = 1 + (x.shape[-1] - n_fft) // hop
    frames = np.stack([x[..., t * hop:t * hop + n_fft] for t in range(n_frames)], -2) * w
    fn = np.fft.rfft if onesided else np.fft.fft
    spec = fn(frames, axis=-1, norm="ortho" if normalized else None)
    return np.swapaxes(spec, -1, -2)


def _stft_samples(rng, dtype):
    yield Sample(_arr(rng, (40,), dtype), 16, window=np.hanning(17)[:-1].astype(dtype))
    yield Sample(_arr(rng, (2, 37), dtype), 12, hop_length=5, win_length=9,
                 window=np.hamming(9).astype(dtype), normalized=True)
    yield Sample(_arr(rng, (30,), dtype), 8, hop_length=3, center=False, onesided=False)
    yield Sample(_arr(rng, (30,), dtype), 8, pad_mode="constant")
    yield Sample(_arr(rng, (30,), dtype), 8, pad_mode="replicate")
    yield Sample(_arr(rng, (30,), dtype), 8, pad_mode="circular")


def _stft(x, n_fft, **kw):
    return _r(ember.stft(x, n_fft, return_complex=True, **kw))


def _np_stft_r(x, n_fft, **kw):
    return _np_r(np_stft(x, n_fft, **kw))


def np_istft(spec, n_fft, hop_length=None, win_length=None, window=None, center=True,
             length=None):
    """A plain NumPy ISTFT (overlap-add with window-envelope normalisation)."""
    hop = hop_length or n_fft // 4
    win = win_length or n_fft
    w = np.ones(win) if window is None else window
    left = (n_fft - win) // 2
    w = np.pad(w, (left, n_fft - win - left))
    frames = np.fft.irfft(np.swapaxes(spec, -1, -2), n=n_fft, axis=-1) * w
    n_frames = frames.shape[-2]
    total = n_fft + hop * (n_frames - 1)
    y = np.zeros(frames.shape[:-2] + (total,))
    env = np.zeros(total)
    for t in range(n_frames):
        y[..., t * hop:t * hop + n_fft] += frames[..., t, :]
        env[t * hop:t * hop + n_fft] += w * w
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else (total - n_fft // 2 if center else total)
    out = y[..., start:end] / env[start:end]
    if length is not None and out.shape[-1] < length:
        out = np.pad(out, [(0, 0)] * (out.ndim - 1) + [(0, length - out.shape[-1])])
    return out


def _istft_samples(rng, dtype):
    w16 = np.hanning(17)[:-1].astype(dtype)
    yield Sample(_arr(rng, (9, 11), dtype), _arr(rng, (9, 11), dtype), 16, window=w16)
    yield Sample(_arr(rng, (2, 9, 6), dtype), _arr(rng, (2, 9, 6), dtype), 16, window=w16,
                 hop_length=6, length=30)
    yield Sample(_arr(rng, (5, 8), dtype), _arr(rng, (5, 8), dtype), 8, center=False,
                 window=np.hanning(10)[1:-1].astype(dtype), length=36)


def _istft(a, b, n_fft, **kw):
    return ember.istft(_c(a, b), n_fft, **kw)


def _np_istft(a, b, n_fft, **kw):
    return np_istft(a + 1j * b, n_fft, **kw)


def _window_ref(np_fn):
    def ref(n, periodic=True):
        if n == 1:
            return np.ones(1, np.float32)
        return (np_fn(n + 1)[:-1] if periodic else np_fn(n)).astype(np.float32)

    return ref


def _window_samples(rng, dtype):
    yield Sample(8)
    yield Sample(7, periodic=False)
    yield Sample(1)


STFT_RECORDS = [
    OpInfo("stft", _stft, _np_stft_r, _stft_samples, atol=1e-4),
    OpInfo("istft", _istft, _np_istft, _istft_samples, atol=1e-4),
    OpInfo("hann_window", ember.hann_window, _window_ref(np.hanning), _window_samples,
           differentiable=False, dtypes=(ember.float32,)),
    OpInfo("hamming_window", ember.hamming_window, _window_ref(np.hamming), _window_samples,
           differentiable=False, dtypes=(ember.float32,)),
    OpInfo("blackman_window", ember.blackman_window, _window_ref(np.blackman),
           _window_samples, differentiable=False, dtypes=(ember.float32,)),
    OpInfo("bartlett_window", ember.bartlett_window, _window_ref(np.bartlett),
           _window_samples, differentiable=False, dtypes=(ember.float32,)),
    OpInfo("kaiser_window", lambda n, **kw: ember.kaiser_window(n, beta=5.0, **kw),
           _window_ref(lambda n: np.kaiser(n, 5.0)), _window_samples, differentiable=False,
           dtypes=(ember.float32,)),
]

RECORDS = COMPLEX_RECORDS + FFT_RECORDS + STFT_RECORDS
