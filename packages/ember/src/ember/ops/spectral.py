"""Discrete Fourier transforms, window functions and STFT/ISTFT.

Complex gradients follow PyTorch's convention (see ``ember.ops.complex``). The public FFT
functions live here and are exported under ``ember.fft``.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import Device, get_xp, to_device
from ember.ops._dims import wrap_dim
from ember.ops.complex import _check_tensor, _is_complex, _to_complex, cmul, real, view_as_real
from ember.ops.shape import Roll
from ember.ops.sorting import put_along, take_along

__all__ = [
    "hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window",
    "stft", "istft",
]


# -- Fourier transforms --------------------------------------------------------------------------
_NORMS = ("backward", "ortho", "forward")
_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _norm(norm: str | None) -> str:
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise ValueError(f'Invalid normalization mode: "{norm}"')
    return norm


def _as_float(x: Tensor, op: str) -> Tensor:
    _check_tensor(op, x)
    kind = np_kind(x._data.dtype)
    if kind in "buif" and x._data.dtype not in (np.float32, np.float64):
        return x.to(_dtype.get_default_dtype())
    return x


def _keep(out: Any, like: Any) -> Any:
    """Undo a backend's widening to double precision (float32 in gives complex64 out)."""
    single = like.dtype in (np.float32, np.complex64)
    if single and out.dtype == np.complex128:
        return out.astype(np.complex64)
    if single and out.dtype == np.float64:
        return out.astype(np.float32)
    return out


class Resize(Primitive):
    """Crop or zero-pad the end of each of ``axes`` to ``sizes`` (its own adjoint)."""

    @staticmethod
    def forward(ctx, x, axes, sizes):
        ctx.meta = (axes, tuple(x.shape[a] for a in axes))
        xp = get_xp(x)
        crop = [slice(None)] * x.ndim
        pad = [(0, 0)] * x.ndim
        for a, n in zip(axes, sizes):
            crop[a] = slice(0, n)
            pad[a] = (0, builtins.max(n - x.shape[a], 0))
        return xp.pad(x[tuple(crop)], pad)

    @staticmethod
    def backward(ctx, grad):
        axes, sizes = ctx.meta
        return _resize(grad, axes, sizes), None, None


def _resize(x: Tensor, axes: tuple[int, ...], sizes: tuple[int, ...]) -> Tensor:
    if all(x._data.shape[a] == n for a, n in zip(axes, sizes)):
        return x
    return Resize.apply(x, axes, tuple(sizes))


class FFTn(Primitive):
    """Complex-to-complex transform over ``axes`` (inverse when ``inverse``)."""

    @staticmethod
    def forward(ctx, x, s, axes, norm, inverse):
        ctx.meta = (tuple(x.shape[a] for a in axes), x.dtype.kind != "c", axes, norm, inverse)
        xp = get_xp(x)
        fn = xp.fft.ifftn if inverse else xp.fft.fftn
        return _keep(fn(x, s=s, axes=axes, norm=norm), x)

    @staticmethod
    def backward(ctx, grad):
        sizes, real_in, axes, norm, inverse = ctx.meta
        g = _resize(_fftn(grad, None, axes, _DUAL[norm], not inverse), axes, sizes)
        return (real(g) if real_in else g), None, None, None, None


class RFFT(Primitive):
    """Real-to-complex transform along ``axis`` keeping the ``n // 2 + 1`` non-negative bins."""

    @staticmethod
    def forward(ctx, x, n, axis, norm):
        ctx.meta = (x.shape[axis], n, axis, norm)
        return _keep(get_xp(x).fft.rfft(x, n=n, axis=axis, norm=norm), x)

    @staticmethod
    def backward(ctx, grad):
        size, n, axis, norm = ctx.meta
        full = _resize(grad, (axis,), (n,))
        g = real(_fftn(full, None, (axis,), _DUAL[norm], True))
        return _resize(g, (axis,), (size,)), None, None, None


class IRFFT(Primitive):
    """Complex-to-real inverse of ``RFFT``; output length ``n`` along ``axis``."""

    @staticmethod
    def forward(ctx, z, n, axis, norm):
        ctx.meta = (z.shape[axis], n, axis, norm)
        return _keep(get_xp(z).fft.irfft(z, n=n, axis=axis, norm=norm), z)

    @staticmethod
    def backward(ctx, grad):
        size, n, axis, norm = ctx.meta
        g = _rfft(grad, n, axis, _DUAL[norm])
        # Bins other than DC and Nyquist stand for two conjugate bins of the full spectrum.
        weight = np.ones(n // 2 + 1)
        weight[1:(n + 1) // 2] = 2.0
        shape = [1] * grad._data.ndim
        shape[axis] = n // 2 + 1
        xp = get_xp(grad._data)
        w = _wrap(xp.asarray(weight.reshape(shape), dtype=g._data.dtype))
        return _resize(g * w, (axis,), (size,)), None, None, None


def _fftn(x: Tensor, s: Any, axes: tuple[int, ...], norm: str, inverse: bool) -> Tensor:
    return FFTn.apply(x, s, axes, norm, inverse)


def _rfft(x: Tensor, n: int, axis: int, norm: str) -> Tensor:
    return RFFT.apply(x, n, axis, norm)


def _irfft(z: Tensor, n: int, axis: int, norm: str) -> Tensor:
    return IRFFT.apply(z, n, axis, norm)


def _fft_dims(x: Tensor, s: Any, dim: Any, op: str) -> tuple[Any, tuple[int, ...]]:
    """Normalise ``s`` and ``dim`` of an n-dimensional transform as ``torch.fft.fftn`` does."""
    nd = x._data.ndim
    if dim is None:
        dims = tuple(range(nd - len(s), nd)) if s is not None else tuple(range(nd))
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(wrap_dim(d, nd, op) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"{op}: dims must be unique")
    if s is not None:
        s = tuple(int(v) for v in s)
        if len(s) != len(dims):
            raise RuntimeError(f"{op}: When given, dim and shape arguments must have the same "
                               f"length")
        s = tuple(x._data.shape[d] if v == -1 else v for v, d in zip(s, dims))
    return s, dims


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """One-dimensional discrete Fourier transform (complex output).

    Args:
        input: real or complex tensor; float32 gives complex64.
        n: signal length: the input is zero-padded or trimmed to ``n`` along ``dim``.
        dim: the dimension to transform.
        norm: ``"backward"`` (no scaling, the default), ``"ortho"`` (1/sqrt(n)) or ``"forward"``
            (1/n).

    Returns:
        The transform.

    Example:
        >>> ember.fft.fft(ember.tensor([1.0, 0.0, 0.0, 0.0]))
        tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    x = _as_float(input, "fft")
    s = None if n is None else (n,)
    return _fftn(x, s, (wrap_dim(dim, x._data.ndim, "fft"),), _norm(norm), False)


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """One-dimensional inverse discrete Fourier transform (``"backward"`` scales by 1/n).

    Example:
        >>> ember.fft.ifft(ember.fft.fft(ember.tensor([1.0, 2.0]))).real
        tensor([1., 2.])
    """
    x = _as_float(input, "ifft")
    s = None if n is None else (n,)
    return _fftn(x, s, (wrap_dim(dim, x._data.ndim, "ifft"),), _norm(norm), True)


def fftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """N-dimensional discrete Fourier transform over ``dim`` (all dims, or the last ``len(s)``).

    Example:
        >>> ember.fft.fftn(ember.ones(2, 2)).real
        tensor([[4., 0.],
                [0., 0.]])
    """
    x = _as_float(input, "fftn")
    s, dims = _fft_dims(x, s, dim, "fftn")
    return _fftn(x, s, dims, _norm(norm), False)


def ifftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """N-dimensional inverse discrete Fourier transform.

    Example:
        >>> ember.fft.ifftn(ember.fft.fftn(ember.ones(2, 2))).real
        tensor([[1., 1.],
                [1., 1.]])
    """
    x = _as_float(input, "ifftn")
    s, dims = _fft_dims(x, s, dim, "ifftn")
    return _fftn(x, s, dims, _norm(norm), True)


def fft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Two-dimensional discrete Fourier transform over ``dim`` (the last two by default).

    Example:
        >>> ember.fft.fft2(ember.ones(2, 2)).real
        tensor([[4., 0.],
                [0., 0.]])
    """
    return fftn(input, s, dim, norm)


def ifft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Two-dimensional inverse discrete Fourier transform."""
    return ifftn(input, s, dim, norm)


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """Fourier transform of a real signal: the ``n // 2 + 1`` non-negative frequency bins.

    Args:
        input: a real tensor (float32 gives complex64).
        n: signal length (zero-pad or trim).
        dim: dimension to transform.
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.

    Returns:
        The one-sided spectrum.

    Example:
        >>> ember.fft.rfft(ember.tensor([1.0, 1.0, 1.0, 1.0]))
        tensor([4.+0.j, 0.+0.j, 0.+0.j])
    """
    x = _as_float(input, "rfft")
    if _is_complex(x):
        raise RuntimeError(f"rfft expects a real input tensor, but got {x.dtype}")
    axis = wrap_dim(dim, x._data.ndim, "rfft")
    return _rfft(x, x._data.shape[axis] if n is None else int(n), axis, _norm(norm))


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2 * (m - 1)``).

    Example:
        >>> ember.fft.irfft(ember.fft.rfft(ember.tensor([1.0, 2.0, 3.0, 4.0])))
        tensor([1., 2., 3., 4.])
    """
    z = _to_complex(_as_float(input, "irfft"))
    axis = wrap_dim(dim, z._data.ndim, "irfft")
    size = 2 * (z._data.shape[axis] - 1) if n is None else int(n)
    if size < 1:
        raise RuntimeError(f"Invalid number of data points ({size}) specified")
    return _irfft(z, size, axis, _norm(norm))


def rfftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """N-dimensional ``rfft``: one-sided along the last of ``dim``, full along the others.

    Example:
        >>> ember.fft.rfftn(ember.ones(2, 4)).shape
        ember.Size([2, 3])
    """
    x = _as_float(input, "rfftn")
    s, dims = _fft_dims(x, s, dim, "rfftn")
    norm = _norm(norm)
    last = dims[-1]
    out = _rfft(x, x._data.shape[last] if s is None else s[-1], last, norm)
    if len(dims) == 1:
        return out
    return _fftn(out, None if s is None else s[:-1], dims[:-1], norm, False)


def irfftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """Inverse of ``rfftn``.

    Example:
        >>> ember.fft.irfftn(ember.fft.rfftn(ember.ones(2, 4))).shape
        ember.Size([2, 4])
    """
    z = _to_complex(_as_float(input, "irfftn"))
    s, dims = _fft_dims(z, s, dim, "irfftn")
    norm = _norm(norm)
    if len(dims) > 1:
        z = _fftn(z, None if s is None else s[:-1], dims[:-1], norm, True)
    last = dims[-1]
    n = 2 * (z._data.shape[last] - 1) if s is None else s[-1]
    return _irfft(z, n, last, norm)


def rfft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Two-dimensional ``rfft`` over the last two dimensions."""
    return rfftn(input, s, dim, norm)


def irfft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Inverse of ``rfft2``."""
    return irfftn(input, s, dim, norm)


def _make(arr: np.ndarray, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    dt = _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)
    t = _wrap(to_device(arr.astype(dt.np), Device(device or "cpu")))
    if requires_grad:
        t.requires_grad_(True)
    return t


def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:
    """Sample frequencies of an ``n``-point FFT with sample spacing ``d``.

    Example:
        >>> ember.fft.fftfreq(4)
        tensor([ 0.0000,  0.2500, -0.5000, -0.2500])
    """
    return _make(np.fft.fftfreq(n, d), dtype, device, requires_grad)


def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """Sample frequencies of an ``n``-point ``rfft``.

    Example:
        >>> ember.fft.rfftfreq(4)
        tensor([0.0000, 0.2500, 0.5000])
    """
    return _make(np.fft.rfftfreq(n, d), dtype, device, requires_grad)


def _shift(input: Tensor, dim: Any, sign: int) -> Tensor:
    nd = input._data.ndim
    if dim is None:
        dims = tuple(range(nd))
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(wrap_dim(d, nd, "fftshift") for d in dims)
    if not dims:
        return input
    shifts = tuple(sign * (input._data.shape[d] // 2) for d in dims)
    return Roll.apply(input, shifts, dims)


def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    """Move the zero-frequency bin to the centre of ``dim`` (all dims by default).

    Example:
        >>> ember.fft.fftshift(ember.fft.fftfreq(4))
        tensor([-0.5000, -0.2500,  0.0000,  0.2500])
    """
    return _shift(input, dim, 1)


def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    """Inverse of ``fftshift``.

    Example:
        >>> ember.fft.ifftshift(ember.fft.fftshift(ember.arange(5)))
        tensor([0, 1, 2, 3, 4])
    """
    return _shift(input, dim, -1)




# -- windows -------------------------------------------------------------------------------------
def _window(name: str, length: int, periodic: bool, values: Any, dtype: Any, device: Any,
            requires_grad: bool) -> Tensor:
    if length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length="
                           f"{length}")
    if dtype is not None and not _dtype.as_dtype(dtype).is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if length <= 1:
        return _make(np.ones(length), dtype, device, requires_grad)
    denom = length if periodic else length - 1
    n = np.arange(length, dtype=np.float64)
    return _make(values(n, denom), dtype, device, requires_grad)


def _cosine_sum(coeffs: tuple[float, ...]) -> Any:
    def values(n: np.ndarray, denom: int) -> np.ndarray:
        out = np.zeros_like(n)
        for k, a in enumerate(coeffs):
            out += (-1) ** k * a * np.cos(2 * math.pi * k * n / denom)
        return out

    return values


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None,
                device: Any = None, requires_grad: bool = False) -> Tensor:
    """The Hann window ``0.5 - 0.5 cos(2 pi n / N)``.

    Args:
        window_length: number of points.
        periodic: True for a window meant for spectral analysis (``N = window_length``), False
            for the symmetric filter-design window (``N = window_length - 1``).
        dtype: floating dtype (default: the default dtype).
        device: where to create it.
        requires_grad: record operations on it.

    Returns:
        A 1-D tensor.

    Example:
        >>> ember.hann_window(4)
        tensor([0.0000, 0.5000, 1.0000, 0.5000])
    """
    return _window("hann_window", window_length, periodic, _cosine_sum((0.5, 0.5)), dtype,
                   device, requires_grad)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54,
                   beta: float = 0.46, *, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
    """The Hamming window ``alpha - beta cos(2 pi n / N)``; see ``hann_window`` for arguments.

    Example:
        >>> ember.hamming_window(3, periodic=False)
        tensor([0.0800, 1.0000, 0.0800])
    """
    return _window("hamming_window", window_length, periodic, _cosine_sum((alpha, beta)), dtype,
                   device, requires_grad)


def blackman_window(window_length: int, periodic: bool = True, *, dtype: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:
    """The Blackman window ``0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N)``.

    Example:
        >>> ember.blackman_window(3, periodic=False)
        tensor([-1.4901e-08,  1.0000e+00, -1.4901e-08])
    """
    return _window("blackman_window", window_length, periodic, _cosine_sum((0.42, 0.5, 0.08)),
                   dtype, device, requires_grad)


def _bartlett(n: np.ndarray, denom: int) -> np.ndarray:
    return 1 - np.abs(2 * n / denom - 1)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype: Any = None,
                    device: Any = None, requires_grad: bool = False) -> Tensor:
    """The triangular Bartlett window ``1 - |2 n / N - 1|``.

    Example:
        >>> ember.bartlett_window(5, periodic=False)
        tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])
    """
    return _window("bartlett_window", window_length, periodic, _bartlett, dtype, device,
                   requires_grad)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *,
                  dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """The Kaiser window ``I0(beta sqrt(1 - (2 n / N - 1)^2)) / I0(beta)``.

    Example:
        >>> ember.kaiser_window(3, periodic=False, beta=0.0)
        tensor([1., 1., 1.])
    """
    def values(n: np.ndarray, denom: int) -> np.ndarray:
        ratio = np.clip(2 * n / denom - 1, -1.0, 1.0)
        return np.i0(beta * np.sqrt(1 - ratio * ratio)) / np.i0(beta)

    return _window("kaiser_window", window_length, periodic, values, dtype, device,
                   requires_grad)


# -- short-time Fourier transform ----------------------------------------------------------------
def _pad_index(length: int, pad: int, mode: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Source positions of a signal padded by ``pad`` on each side, and a mask for zeros."""
    j = np.arange(-pad, length + pad)
    if mode == "reflect":
        if pad >= length:
            raise RuntimeError(
                f"stft: reflect padding of {pad} needs a signal longer than {pad} samples, got "
                f"{length}; use a shorter n_fft or pad_mode='constant'"
            )
        j = np.abs(j)
        return np.where(j >= length, 2 * (length - 1) - j, j), None
    if mode == "replicate":
        return np.clip(j, 0, length - 1), None
    if mode == "circular":
        return j % length, None
    if mode == "constant":
        valid = (j >= 0) & (j < length)
        return np.clip(j, 0, length - 1), valid
    raise RuntimeError(f"stft: unsupported pad_mode {mode!r}; use 'reflect', 'constant', "
                       "'replicate' or 'circular'")


def _padded_window(window: Tensor | None, n_fft: int, win_length: int, like: Tensor) -> Tensor:
    xp = get_xp(like._data)
    real_np = like._data.real.dtype if _is_complex(like) else like._data.dtype
    if window is None:
        window = _wrap(xp.ones(win_length, dtype=real_np))
    elif window._data.ndim != 1 or window._data.shape[0] != win_length:
        raise RuntimeError(
            f"stft: expected a 1D window tensor of size equal to win_length={win_length}, but got "
            f"window with size {list(window._data.shape)}"
        )
    left = (n_fft - win_length) // 2
    if left == 0 and win_length == n_fft:
        return window
    index = np.clip(np.arange(n_fft) - left, 0, win_length - 1)
    mask = ((np.arange(n_fft) >= left) & (np.arange(n_fft) < left + win_length))
    picked = take_along(window, xp.asarray(index), 0)
    return picked * _wrap(xp.asarray(mask.astype(real_np)))


def _stft_args(n_fft: int, hop_length: int | None, win_length: int | None) -> tuple[int, int]:
    hop = n_fft // 4 if hop_length is None else int(hop_length)
    win = n_fft if win_length is None else int(win_length)
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    return hop, win


def _frames(x: Tensor, n_fft: int, hop: int, center: bool, pad_mode: str) -> Tensor:
    """Overlapping frames (batch, n_frames, n_fft) of a (batch, length) signal."""
    length = x._data.shape[-1]
    pad = n_fft // 2 if center else 0
    src, valid = _pad_index(length, pad, pad_mode)
    total = length + 2 * pad
    if not 0 < n_fft <= total:
        raise RuntimeError(f"stft: expected 0 < n_fft < {total}, but got n_fft={n_fft}")
    n_frames = 1 + (total - n_fft) // hop
    pos = (np.arange(n_frames)[:, None] * hop + np.arange(n_fft)[None, :]).reshape(-1)
    xp = get_xp(x._data)
    frames = take_along(x, xp.asarray(src[pos]).reshape(1, -1), 1)
    if valid is not None:
        frames = frames * _wrap(xp.asarray(valid[pos].astype(x._data.real.dtype)))
    return frames.reshape(x._data.shape[0], n_frames, n_fft)


def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
         normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None) -> Tensor:
    """Short-time Fourier transform, with PyTorch's signature and results.

    Args:
        input: signal of shape (L,) or (B, L), real or complex.
        n_fft: FFT size.
        hop_length: distance between frames (default ``n_fft // 4``).
        win_length: window size (default ``n_fft``); the window is zero-padded to ``n_fft``
            on both sides.
        window: 1-D window of length ``win_length`` (default: all ones).
        center: pad the signal by ``n_fft // 2`` on both sides so frame ``t`` is centred at
            ``t * hop_length``.
        pad_mode: ``"reflect"``, ``"constant"``, ``"replicate"`` or ``"circular"``.
        normalized: multiply by ``n_fft ** -0.5``.
        onesided: keep only the ``n_fft // 2 + 1`` non-negative frequencies (default True for
            real input and window).
        return_complex: must be given for real inputs; True returns a complex tensor, False a
            real one with a trailing dimension of size 2.

    Returns:
        A tensor of shape (B?, freq, n_frames).

    Example:
        >>> x = ember.randn(400)
        >>> ember.stft(x, 64, window=ember.hann_window(64), return_complex=True).shape
        ember.Size([33, 26])
    """
    cplx = _is_complex(input) or (window is not None and _is_complex(window))
    if return_complex is None:
        if not cplx:
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will "
                "further require that return_complex=True in a future PyTorch release."
            )
        return_complex = True
    if input._data.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {input._data.ndim}D")
    hop, win = _stft_args(n_fft, hop_length, win_length)
    x = _as_float(input, "stft")
    batched = x._data.ndim == 2
    x = x if batched else x.reshape(1, -1)
    frames = _frames(x, n_fft, hop, center, pad_mode) * _padded_window(window, n_fft, win, x)
    norm = "ortho" if normalized else "backward"
    onesided = (not cplx) if onesided is None else onesided
    if onesided and cplx:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    spec = _rfft(frames, n_fft, 2, norm) if onesided else _fftn(frames, None, (2,), norm, False)
    spec = spec.transpose(1, 2)
    spec = spec if batched else spec.reshape(spec._data.shape[1:])
    return spec if return_complex else view_as_real(spec)


def istft(input: Tensor, n_fft: int, hop_length: int | None = None,
          win_length: int | None = None, window: Tensor | None = None, center: bool = True,
          normalized: bool = False, onesided: bool | None = None, length: int | None = None,
          return_complex: bool = False) -> Tensor:
    """Inverse short-time Fourier transform: ``istft(stft(x)) == x`` for a valid window.

    Args:
        input: complex spectrogram (B?, freq, n_frames) as returned by ``stft``.
        n_fft, hop_length, win_length, window, center, normalized, onesided: as for ``stft``
            (``onesided`` defaults to ``freq != n_fft``).
        length: trim or zero-pad the output to this many samples.
        return_complex: return a complex signal (needs a two-sided spectrogram).

    Returns:
        The signal, of shape (B?, L).

    Example:
        >>> x = ember.randn(400)
        >>> w = ember.hann_window(64)
        >>> y = ember.istft(ember.stft(x, 64, window=w, return_complex=True), 64, window=w)
        >>> bool((y - x[:y.shape[0]]).abs().max() < 1e-5)
        True
    """
    if not _is_complex(input):
        raise RuntimeError("istft requires a complex-valued input tensor.")
    hop, win = _stft_args(n_fft, hop_length, win_length)
    batched = input._data.ndim == 3
    z = input if batched else input.reshape((1,) + input._data.shape)
    n_bins = z._data.shape[1]
    onesided = (n_bins != n_fft) if onesided is None else onesided
    expected_bins = n_fft // 2 + 1 if onesided else n_fft
    if n_bins != expected_bins:
        raise RuntimeError(
            f"istft: expected the frequency dimension (-2) of input to equal {expected_bins} "
            f"(onesided={onesided}, n_fft={n_fft}), but got {n_bins}"
        )
    if normalized:
        xp = get_xp(z._data)
        z = cmul(z, _wrap(xp.asarray(math.sqrt(n_fft), dtype=z._data.real.dtype)))
    z = z.transpose(1, 2)
    if return_complex:
        frames = _fftn(z, None, (2,), "backward", True)
    else:
        if not onesided:
            z = _resize(z, (2,), (n_fft // 2 + 1,))
        frames = _irfft(z, n_fft, 2, "backward")
    wpad = _padded_window(window, n_fft, win, real(frames) if return_complex else frames)
    y, envelope = _overlap_add(frames * wpad, wpad, hop)
    start = n_fft // 2 if center else 0
    total = y._data.shape[-1]
    end = start + length if length is not None else (total - n_fft // 2 if center else total)
    end = builtins.min(end, total)
    return _finish_istft(y, envelope, start, end, length, batched)


def _overlap_add(frames: Tensor, wpad: Tensor, hop: int) -> tuple[Tensor, Any]:
    """Sum frames (B, T, n_fft) at offsets ``t * hop``; also the summed squared window."""
    batch, n_frames, n_fft = frames._data.shape
    total = n_fft + hop * (n_frames - 1)
    pos = (np.arange(n_frames)[:, None] * hop + np.arange(n_fft)[None, :]).reshape(1, -1)
    xp = get_xp(frames._data)
    y = put_along(frames.reshape(batch, -1), xp.asarray(pos), 1, (batch, total))
    w2 = wpad._data * wpad._data  # complex for a complex window: torch divides by sum(w**2)
    envelope = xp.zeros(total, dtype=w2.dtype)
    xp.add.at(envelope, xp.asarray(pos.reshape(-1)), xp.tile(w2, n_frames))
    return y, envelope


def _finish_istft(y: Tensor, envelope: Any, start: int, end: int, length: int | None,
                  batched: bool) -> Tensor:
    xp = get_xp(envelope)
    env = envelope[start:end]
    if env.size and float(xp.abs(env).min()) < 1e-11:
        raise RuntimeError(
            "istft: window overlap add min: the sum of squared windows is (near) zero at some "
            "sample, so the signal cannot be recovered (NOLA condition); use a window and "
            "hop_length whose squared overlap-add is non-zero everywhere"
        )
    out = take_along(y, xp.arange(start, end).reshape(1, -1), 1) / _wrap(env)
    if length is not None and out._data.shape[-1] < length:
        out = _resize(out, (1,), (length,))
    return out if batched else out.reshape(-1)


TENSOR_METHODS = {"stft": stft, "istft": istft}
