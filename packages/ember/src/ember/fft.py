"""Discrete Fourier transforms, as ``torch.fft``.

Every transform is differentiable (PyTorch's convention for complex gradients) and keeps single
precision: float32 or complex64 input gives complex64 (``irfft``: float32) output.

Example:
    >>> x = ember.tensor([1.0, 2.0, 3.0, 4.0])
    >>> ember.fft.irfft(ember.fft.rfft(x), n=4)
    tensor([1., 2., 3., 4.])
"""

from __future__ import annotations

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
    "rfftn", "irfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]
