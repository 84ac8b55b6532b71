"""ember.fft, complex tensors and STFT/ISTFT against stored PyTorch values (fixtures/spectral.npz,
made by fixtures/make_spectral_fixtures.py) and against identities."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember

REF = np.load(Path(__file__).parent / "fixtures" / "spectral.npz")
CASES = {
    "a": dict(n_fft=32, hop_length=8, window=("hann", 32)),
    "b": dict(n_fft=20, hop_length=5, win_length=16, window=("hamming", 16), normalized=True,
              pad_mode="constant"),
    "c": dict(n_fft=16, hop_length=4, center=False, onesided=False),
    "d": dict(n_fft=24, hop_length=6, window=("blackman", 24), pad_mode="replicate"),
}


def _case(key, device):
    kw = dict(CASES[key])
    if "window" in kw:
        name, n = kw["window"]
        kw["window"] = getattr(ember, f"{name}_window")(n, dtype=ember.float64, device=device)
    return kw


def _t(a, device, requires_grad=False):
    if np.iscomplexobj(a):
        t = ember.complex(ember.tensor(a.real, device=device), ember.tensor(a.imag, device=device))
    else:
        t = ember.tensor(a, device=device)
    return t.requires_grad_() if requires_grad else t


def _np(t):
    return t.detach().cpu().numpy()


@pytest.mark.parametrize("key", list(CASES))
def test_stft_matches_pytorch(key, device):
    x = ember.tensor(REF["x"], device=device)
    spec = ember.stft(x, return_complex=True, **_case(key, device))
    np.testing.assert_allclose(_np(spec), REF[f"stft_{key}"], atol=1e-10)


@pytest.mark.parametrize("key", list(CASES))
def test_istft_matches_pytorch(key, device):
    kw = _case(key, device)
    kw.pop("pad_mode", None)
    y = ember.istft(_t(REF[f"stft_{key}"], device), length=100, **kw)
    np.testing.assert_allclose(_np(y), REF[f"istft_{key}"], atol=1e-10)


def test_istft_inverts_stft_float32(device):
    x = ember.randn(3, 500, device=device)
    w = ember.hann_window(64, device=device)
    spec = ember.stft(x, 64, hop_length=16, window=w, return_complex=True)
    assert spec.dtype is ember.complex64 and spec.shape == (3, 33, 32)
    y = ember.istft(spec, 64, hop_length=16, window=w, length=500)
    assert y.dtype is ember.float32
    np.testing.assert_allclose(_np(y), _np(x), atol=1e-5)


@pytest.mark.parametrize("name", ["hann", "hamming", "blackman", "bartlett", "kaiser"])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows_match_pytorch(name, periodic):
    w = getattr(ember, f"{name}_window")(10, periodic, dtype=ember.float64)
    np.testing.assert_allclose(w.numpy(), REF[f"win_{name}_{periodic}"], atol=1e-12)
    assert getattr(ember, f"{name}_window")(10).dtype is ember.float32


def test_stft_needs_return_complex_for_real_input():
    with pytest.raises(RuntimeError, match="return_complex"):
        ember.stft(ember.randn(100), 16)
    real = ember.stft(ember.randn(100), 16, return_complex=False)
    assert real.shape == (9, 26, 2)


def test_fft_gradients_follow_pytorch_conventions(device):
    x = _t(REF["xr"], device, True)
    (ember.view_as_real(ember.fft.rfft(x)) * _t(REF["c"], device)).sum().backward()
    np.testing.assert_allclose(_np(x.grad), REF["grad_rfft"], atol=1e-10)
    z = _t(REF["z"], device, True)
    (ember.view_as_real(ember.fft.fft(z, norm="ortho")) * _t(REF["wz"], device)).sum().backward()
    np.testing.assert_allclose(_np(z.grad), REF["grad_fft"], atol=1e-10)
    spec = _t(REF["z"][:, :5], device, True)
    (ember.fft.irfft(spec, n=8) * _t(REF["xr"], device)).sum().backward()
    np.testing.assert_allclose(_np(spec.grad), REF["grad_irfft"], atol=1e-10)


def test_complex_abs_and_matmul_gradients_match_pytorch(device):
    z = _t(REF["z"], device, True)
    (ember.abs(z) ** 3).sum().backward()
    np.testing.assert_allclose(_np(z.grad), REF["grad_abs"], atol=1e-10)
    a, b = _t(REF["mm_a"], device, True), _t(REF["mm_b"], device, True)
    ember.angle(a @ b).sum().backward()
    np.testing.assert_allclose(_np(a.grad), REF["grad_mm_a"], atol=1e-10)
    np.testing.assert_allclose(_np(b.grad), REF["grad_mm_b"], atol=1e-10)


def test_single_precision_is_kept(device):
    x = ember.randn(4, 6, device=device)
    assert ember.fft.rfft(x).dtype is ember.complex64
    assert ember.fft.fft2(x).dtype is ember.complex64
    assert ember.fft.irfft(ember.fft.rfft(x)).dtype is ember.float32
    assert ember.fft.fft(x.double()).dtype is ember.complex128
    assert ember.fft.fft(ember.arange(4, device=device)).dtype is ember.complex64


def test_complex_helpers(device):
    re, im = ember.tensor([3.0, 0.0], device=device), ember.tensor([4.0, -2.0], device=device)
    z = ember.complex(re, im)
    assert z.dtype is ember.complex64 and z.is_complex() and not re.is_complex()
    np.testing.assert_allclose(_np(z.abs()), [5.0, 2.0])
    np.testing.assert_allclose(_np(z.angle()), np.angle(np.array([3 + 4j, -2j])), rtol=1e-6)
    np.testing.assert_allclose(_np(z.conj().imag), [-4.0, 2.0])
    np.testing.assert_allclose(_np(ember.view_as_real(z)), [[3.0, 4.0], [0.0, -2.0]])
    assert ember.view_as_complex(ember.view_as_real(z)).dtype is ember.complex64
    assert z.real is not None and ember.real(re) is re
    with pytest.raises(RuntimeError, match="non-complex"):
        ember.imag(re)
    with pytest.raises(RuntimeError, match="scalar type"):
        ember.complex(re, im.double())
    with pytest.raises(RuntimeError, match="real input"):
        ember.fft.rfft(z)


def test_fft_helpers(device):
    f = ember.fft.fftfreq(5, d=0.5, device=device)
    np.testing.assert_allclose(_np(f), np.fft.fftfreq(5, 0.5), rtol=1e-6)
    np.testing.assert_allclose(_np(ember.fft.rfftfreq(6)), np.fft.rfftfreq(6), rtol=1e-6)
    x = ember.arange(10, device=device).reshape(2, 5)
    np.testing.assert_array_equal(_np(ember.fft.fftshift(x)), np.fft.fftshift(_np(x)))
    np.testing.assert_array_equal(_np(ember.fft.ifftshift(ember.fft.fftshift(x))), _np(x))
    with pytest.raises(ValueError, match="normalization"):
        ember.fft.fft(ember.ones(4), norm="bogus")


def test_complex_mul_gradient_conjugates():
    a = ember.complex(ember.tensor([1.0, 2.0], dtype=ember.float64),
                      ember.tensor([0.5, -1.0], dtype=ember.float64))
    a.requires_grad_()
    b = ember.complex(ember.tensor([0.3, 1.0], dtype=ember.float64),
                      ember.tensor([2.0, 0.1], dtype=ember.float64))
    (a * b).real.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.conj(b.numpy()))
