"""emberaudio.transforms: defaults as torchaudio's, same results as the functional forms."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import ember
from emberaudio import functional as AF
from emberaudio import transforms as T

REF = np.load(Path(__file__).parent / "fixtures" / "reference.npz")


def test_spectrogram_defaults_and_buffers(device):
    t = T.Spectrogram().to(device)
    assert (t.n_fft, t.win_length, t.hop_length, t.power) == (400, 400, 200, 2.0)
    assert list(t.state_dict()) == ["window"] and not list(t.parameters())
    x = ember.randn(2, 4000).to(device)
    expect = AF.spectrogram(x, 0, ember.hann_window(400).to(device), 400, 200, 400, 2.0, False)
    assert ember.allclose(t(x), expect)


def test_mel_spectrogram_mfcc_lfcc_match_reference(device):
    x = ember.tensor(REF["x"]).to(device)
    mel = T.MelSpectrogram(16000, n_fft=400, hop_length=160, n_mels=80).to(device)
    assert list(mel.state_dict()) == ["spectrogram.window", "mel_scale.fb"]
    out = mel(x).cpu().numpy()
    assert np.abs(out - REF["mel_spec"]).max() <= 1e-4 * np.abs(REF["mel_spec"]).max()
    mfcc = T.MFCC(16000, n_mfcc=40, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 80})
    out = mfcc.to(device)(x).cpu().numpy()
    assert np.abs(out - REF["mfcc"]).max() <= 1e-4 * np.abs(REF["mfcc"]).max()
    lfcc = T.LFCC(16000, n_filter=128, n_lfcc=40, speckwargs={"hop_length": 200}).to(device)
    out = lfcc(x).cpu().numpy()
    assert np.abs(out - REF["lfcc"]).max() <= 1e-4 * np.abs(REF["lfcc"]).max()
    with pytest.raises(ValueError, match="n_mfcc"):
        T.MFCC(n_mfcc=50, melkwargs={"n_mels": 40})


def test_amplitude_to_db_and_melscale():
    db = T.AmplitudeToDB("magnitude")(ember.tensor([[10.0, 0.1]]))
    np.testing.assert_allclose(db.numpy(), [[20.0, -20.0]], atol=1e-5)
    spec = ember.rand(201, 30)
    fb = AF.melscale_fbanks(201, 0.0, 8000.0, 40, 16000)
    np.testing.assert_allclose(
        T.MelScale(40, n_stft=201)(spec).numpy(), (spec.numpy().T @ fb.numpy()).T, rtol=1e-5
    )
    with pytest.raises(ValueError, match="stype"):
        T.AmplitudeToDB("energy")


def test_resample_caches_kernel(device):
    r = T.Resample(44100, 16000).to(device)
    kernel = r.kernel
    x = ember.tensor(REF["resample_in"]).to(device)
    out = r(x)
    assert r.kernel is kernel and kernel.shape == (160, 1, 475)
    expect = REF["resample_44k_16k"]
    assert np.abs(out.cpu().numpy() - expect).max() <= 1e-4 * np.abs(expect).max()
    assert T.Resample(8000, 8000)(x) is x


def test_inverse_spectrogram_and_griffinlim_shapes(device):
    x = ember.randn(3000).to(device)
    spec = T.Spectrogram(power=None, hop_length=100).to(device)(x)
    back = T.InverseSpectrogram(hop_length=100).to(device)(spec, length=3000)
    assert float((back - x).abs().max()) < 1e-5
    power = T.Spectrogram(hop_length=100).to(device)(x)
    gl = T.GriffinLim(hop_length=100, n_iter=2, length=3000).to(device)(power)
    assert gl.shape == (3000,)


def test_time_stretch_matches_phase_vocoder():
    spec = T.Spectrogram(power=None, hop_length=100)(ember.randn(4000))
    stretch = T.TimeStretch(hop_length=100, n_freq=201, fixed_rate=1.5)
    adv = ember.linspace(0, math.pi * 100, 201)[:, None]
    assert ember.allclose(ember.view_as_real(stretch(spec)),
                          ember.view_as_real(AF.phase_vocoder(spec, 1.5, adv)))  # fmt: skip
    assert stretch(spec, 0.5).shape == (201, 82)
    with pytest.raises(ValueError, match="rate"):
        T.TimeStretch()(spec)


def test_vol_fade_mulaw_deltas():
    x = ember.tensor([0.1, -0.5, 0.9])
    np.testing.assert_allclose(T.Vol(2.0)(x).numpy(), [0.2, -1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(T.Vol(20.0, "db")(x).numpy(), [1.0, -1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(T.Vol(4.0, "power")(x).numpy(), [0.2, -1.0, 1.0], rtol=1e-5)
    assert ember.allclose(T.Fade(2, 2)(ember.ones(4)), ember.tensor([0.0, 1.0, 1.0, 0.0]))
    codes = T.MuLawEncoding()(ember.linspace(-1, 1, 50))
    assert float((T.MuLawDecoding()(codes) - ember.linspace(-1, 1, 50)).abs().max()) < 0.05
    spec = ember.randn(2, 13, 30)
    assert ember.allclose(T.ComputeDeltas()(spec), AF.compute_deltas(spec))


def test_masking_and_specaugment():
    ember.manual_seed(1)
    spec = ember.ones(4, 1, 40, 100)
    out = T.FrequencyMasking(10, iid_masks=True)(spec).numpy()
    masked_rows = (out[:, 0, :, 0] == 0).sum(1)
    assert (masked_rows <= 10).all() and (out == out[..., :1]).all()
    out = T.TimeMasking(30, p=0.1)(ember.ones(40, 100)).numpy()
    assert (out == 0).all(0).sum() <= 10 and (out == out[:1]).all()
    aug = T.SpecAugment(2, 10, 2, 5, zero_masking=True)(ember.ones(2, 1, 40, 100))
    assert aug.shape == (2, 1, 40, 100) and 0.5 < float(aug.mean()) < 1.0
