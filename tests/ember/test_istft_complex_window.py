"""istft with a complex window divides by the overlap-added ``window**2`` (complex), as PyTorch,
so stft followed by istft gives the signal back (PyTorch's values: tests/ember/torch_samples)."""

from __future__ import annotations

import numpy as np

import ember


def test_istft_inverts_stft_with_a_complex_window():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(64) + 1j * rng.standard_normal(64)
    w = np.exp(1j * np.linspace(0, 1, 16)) * (1.5 + np.hanning(16))
    xt, wt = ember.tensor(x.astype(np.complex128)), ember.tensor(w.astype(np.complex128))
    spec = ember.stft(xt, 16, hop_length=4, window=wt, return_complex=True, onesided=False)
    back = ember.istft(spec, 16, hop_length=4, window=wt, onesided=False, return_complex=True)
    np.testing.assert_allclose(back.numpy(), x[: back.shape[0]], atol=1e-10)
