"""Discrete Fourier transforms, as ``torch.fft``.

Every transform is differentiable (PyTorch's convention for complex gradients) and keeps single
precision: float32 or complex64 input gives complex64 (``irfft``: float32) output.

Example:
    >>> x = ember.tensor([1.0, 2.0, 3.0, 4.0])
    >>> ember.fft.irfft(ember.fft.rfft(x), n=4)
    tensor([1., 2., 3., 4.])
"""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.ops.spectral import (
    fft,
    fft2,
    fftfreq,
    fftn,
    fftshift,
    ifft,
    ifft2,
    ifftn,
    ifftshift,
    irfft,
    irfft2,
    irfftn,
    rfft,
    rfft2,
    rfftfreq,
    rfftn,
)

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
    "rfftn", "irfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift", "hfft", "ihfft",
    "hfft2", "ihfft2", "hfftn", "ihfftn",
]

# The Hermitian transforms are the real ones run the other way round: hfft is irfft of the
# conjugate with the normalisation of the opposite direction, ihfft the conjugate of rfft.
_SWAP = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


def _swap(norm: str | None) -> str:
    if norm not in _SWAP:
        raise RuntimeError(f"Invalid normalization mode: \"{norm}\"")
    return _SWAP[norm]


def _conj(x: Tensor) -> Tensor:
    return x.conj() if x.is_complex() else x


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """FFT of a Hermitian-symmetric signal given by its first half: a real result of length ``n``.

    Args:
        input: the one-sided signal (complex or real).
        n: output length (default ``2 * (m - 1)``).
        dim: the dimension to transform.
        norm: ``"backward"`` (default, no scaling), ``"forward"`` (1/n) or ``"ortho"``.

    Returns:
        A real tensor.

    Example:
        >>> ember.fft.hfft(ember.tensor([1.0, 0.0, 0.0]))
        tensor([1., 1., 1., 1.])
    """
    return irfft(_conj(input), n, dim, _swap(norm))


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """Inverse of ``hfft``: the one-sided spectrum of a real signal, conjugated and scaled 1/n.

    Args:
        input: a real signal.
        n: signal length used (padded or trimmed).
        dim: the dimension to transform.
        norm: ``"backward"`` (default, 1/n), ``"forward"`` (none) or ``"ortho"``.

    Returns:
        The ``n // 2 + 1`` non-negative frequency bins.

    Example:
        >>> ember.fft.ihfft(ember.tensor([1.0, 1.0, 1.0, 1.0]))
        tensor([1.+0.j, 0.+0.j, 0.+0.j])
    """
    return _conj(rfft(input, n, dim, _swap(norm)))


def hfftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """N-dimensional ``hfft``: Hermitian (one-sided) along the last of ``dim``.

    Example:
        >>> ember.fft.hfftn(ember.ones(2, 2)).shape
        ember.Size([2, 2])
    """
    return irfftn(_conj(input), s, dim, _swap(norm))


def ihfftn(input: Tensor, s: Any = None, dim: Any = None, norm: str | None = None) -> Tensor:
    """Inverse of ``hfftn``.

    Example:
        >>> ember.fft.ihfftn(ember.ones(2, 4)).shape
        ember.Size([2, 3])
    """
    return _conj(rfftn(input, s, dim, _swap(norm)))


def hfft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Two-dimensional ``hfft`` over the last two dimensions."""
    return hfftn(input, s, dim, norm)


def ihfft2(input: Tensor, s: Any = None, dim: Any = (-2, -1), norm: str | None = None) -> Tensor:
    """Inverse of ``hfft2``."""
    return ihfftn(input, s, dim, norm)
