"""emberaudio.functional against librosa/scipy reference values, plus gradient checks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import ember
from ember.autograd import gradcheck
from emberaudio import functional as AF

REF = np.load(Path(__file__).parent / "fixtures" / "reference.npz")
SR = 16000


def close(actual: ember.Tensor, expected: np.ndarray, tol: float = 1e-4) -> None:
    """Max abs error within ``tol`` of the reference's scale (its max abs value)."""
    a = actual.detach().cpu().numpy()
    assert a.shape == expected.shape, (a.shape, expected.shape)
    scale = max(float(np.abs(expected).max()), 1e-12)
    err = float(np.abs(a - expected).max())
    assert err <= tol * scale, f"max abs error {err:.3g} > {tol:g} * scale {scale:.3g}"


def x_on(device: str) -> ember.Tensor:
    return ember.tensor(REF["x"]).to(device)


def hann(n: int, device: str) -> ember.Tensor:
    return ember.hann_window(n).to(device)


def test_spectrogram_power_reflect(device):
    s = AF.spectrogram(x_on(device), 0, hann(400, device), 400, 160, 400, 2.0, False)
    assert s.dtype == ember.float32
    close(s, REF["stft_power"])


def test_spectrogram_magnitude_short_window_constant_pad(device):
    s = AF.spectrogram(x_on(device), 0, hann(400, device), 512, 128, 400, 1.0, False,
                       pad_mode="constant")  # fmt: skip
    close(s, REF["stft_mag_const"])


def test_spectrogram_window_normalized(device):
    s = AF.spectrogram(x_on(device), 0, hann(400, device), 400, 100, 400, 1.0, True)
    close(s, REF["stft_mag_norm"])


def test_spectrogram_pad_and_batch_shape(device):
    x = ember.randn(2, 3, 1000).to(device)
    s = AF.spectrogram(x, 10, hann(64, device), 64, 16, 64, None, False)
    assert s.shape == (2, 3, 33, (1000 + 20) // 16 + 1) and s.is_complex()


def test_inverse_spectrogram_matches_librosa_and_round_trips(device):
    w = hann(400, device)
    for normalized in (False, True):
        c = AF.spectrogram(x_on(device), 0, w, 400, 100, 400, None, normalized)
        y = AF.inverse_spectrogram(c, 8000, 0, w, 400, 100, 400, normalized)
        close(y, REF["istft"])
    x = ember.randn(2, 3000).to(device)
    c = AF.spectrogram(x, 7, w, 400, 100, 400, None, False)
    y = AF.inverse_spectrogram(c, 3000, 7, w, 400, 100, 400, False)
    assert float((y - x).abs().max()) < 1e-5


def test_griffinlim_matches_librosa(device):
    mag = AF.spectrogram(x_on(device), 0, hann(400, device), 400, 100, 400, 1.0, False)
    y = AF.griffinlim(mag, hann(400, device), 400, 100, 400, 1.0, 4, 0.99, 8000, False)
    close(y, REF["gl"])


def test_melscale_fbanks_htk_and_slaney():
    close(AF.melscale_fbanks(201, 0.0, 8000.0, 80, SR), REF["mel_fb_htk"])
    fb = AF.melscale_fbanks(257, 20.0, 7600.0, 40, SR, norm="slaney", mel_scale="slaney")
    assert fb.shape == (257, 40)
    close(fb, REF["mel_fb_slaney"])
    with pytest.raises(ValueError, match="mel_scale"):
        AF.melscale_fbanks(201, 0.0, 8000.0, 80, SR, mel_scale="bark")


def test_mel_spectrogram_and_db(device):
    mel = AF.mel_spectrogram(x_on(device), sample_rate=SR, n_fft=400, hop_length=160, n_mels=80)
    close(mel, REF["mel_spec"])
    db = AF.amplitude_to_DB(mel[None], 10.0, 1e-10, 0.0, top_db=80.0)[0]
    close(db, REF["db_power"])
    close(AF.DB_to_amplitude(ember.tensor(REF["db_power"]), 1.0, 1.0), REF["db_to_power"])


def test_amplitude_to_db_top_db_is_per_item():
    x = ember.tensor([[[[1.0, 1e-3]]], [[[1e-2, 1e-9]]]])  # two items, maxima 0 and -20 dB
    db = AF.amplitude_to_DB(x, 10.0, 1e-10, 0.0, top_db=25.0)
    np.testing.assert_allclose(db.numpy().ravel(), [0.0, -25.0, -20.0, -45.0], atol=1e-4)


def test_create_dct():
    close(AF.create_dct(13, 40, "ortho"), REF["dct_ortho"].T)
    close(AF.create_dct(13, 40, None), REF["dct_none"].T)


def test_mfcc(device):
    melkw = {"n_fft": 400, "hop_length": 160, "n_mels": 80}
    close(AF.mfcc(x_on(device), SR, n_mfcc=40, melkwargs=melkw), REF["mfcc"])


def test_lfcc(device):
    out = AF.lfcc(x_on(device), SR, n_filter=128, n_lfcc=40, speckwargs={"hop_length": 200})
    close(out, REF["lfcc"])


def test_compute_deltas(device):
    close(AF.compute_deltas(ember.tensor(REF["mfcc"]).to(device)), REF["delta"])


@pytest.mark.parametrize(
    "key, args",
    [
        ("resample_44k_16k", (44100, 16000, {})),
        ("resample_kaiser", (48000, 32000, {"resampling_method": "sinc_interp_kaiser"})),
    ],
)
def test_resample_downsample(device, key, args):
    orig, new, kw = args
    out = AF.resample(ember.tensor(REF["resample_in"]).to(device), orig, new, **kw)
    close(out, REF[key])


def test_resample_upsample_and_sine(device):
    out = AF.resample(ember.tensor(REF["resample_in"][:800]).to(device), 16000, 44100)
    close(out, REF["resample_16k_44k"])
    t = ember.arange(44100, dtype=ember.float64) / 44100
    sine = ember.sin(2 * math.pi * 440 * t).to(ember.float32)
    y = AF.resample(sine[None].to(device), 44100, 16000)
    expect = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    assert y.shape == (1, 16000)
    assert np.abs(y.cpu().numpy()[0, 200:-200] - expect[200:-200]).max() < 2e-3


@pytest.mark.parametrize("name, freq", [("lowpass", 1000.0), ("highpass", 2000.0),
                                        ("bandpass", 3000.0)])  # fmt: skip
def test_biquads(device, name, freq):
    fn = getattr(AF, f"{name}_biquad")
    close(fn(0.8 * x_on(device), SR, freq), REF[f"biquad_{name}"])


def test_lfilter_higher_order_and_bank(device):
    x = 0.8 * x_on(device)
    a, b = REF["lfilter_a"].tolist(), REF["lfilter_b"].tolist()
    close(AF.lfilter(x, a, b), REF["lfilter_out"])
    bank = AF.lfilter(ember.stack([x, x]), ember.tensor([a, a]), ember.tensor([b, b]))
    close(bank[1], REF["lfilter_out"])
    fanned = AF.lfilter(x[None], ember.tensor([a, a]), ember.tensor([b, b]), batching=False)
    assert fanned.shape == (1, 2, 8000)
    with pytest.raises(ValueError, match="same"):
        AF.lfilter(x, [1.0, 0.5], [1.0])


def test_pre_and_deemphasis(device):
    x = 0.8 * x_on(device)
    close(AF.preemphasis(x), REF["preemph"])
    close(AF.deemphasis(0.1 * x), REF["deemph"])
    back = AF.deemphasis(AF.preemphasis(0.1 * x))
    assert float((back - 0.1 * x).abs().max()) < 1e-5


def test_mu_law(device):
    x = ember.tensor(REF["mulaw_in"]).to(device)
    codes = AF.mu_law_encoding(x, 256)
    assert codes.dtype == ember.int64
    expect = np.floor((REF["mulaw_compress"].astype(np.float64) + 1) / 2 * 255 + 0.5)
    assert np.abs(codes.cpu().numpy() - expect).max() <= 1
    assert (codes.cpu().numpy() != expect).mean() < 0.01
    decoded = AF.mu_law_decoding(ember.tensor(REF["mulaw_compress"] + 1).to(device) * 127.5, 256)
    close(decoded, REF["mulaw_expand"])


def test_phase_vocoder(device):
    c = ember.view_as_complex(ember.tensor(np.stack([REF["pv_in"].real, REF["pv_in"].imag], -1)))
    adv = ember.linspace(0, math.pi * 100, 201).to(device)[:, None]
    out = AF.phase_vocoder(c.to(device), 1.3, adv)
    assert out.shape == REF["pv"].shape
    close(ember.view_as_real(out), np.stack([REF["pv"].real, REF["pv"].imag], -1))


def test_gain_and_fade():
    x = ember.ones(10)
    np.testing.assert_allclose(AF.gain(x, 6.0).numpy(), 10 ** (6 / 20), rtol=1e-6)
    t = np.linspace(0, 1, 4)
    shapes = {
        "linear": (t, 1 - t),
        "exponential": (2.0 ** ((t - 1) * 5), 2.0 ** (-t * 5)),
        "logarithmic": (np.log10(0.1 + t) + 1, np.log10(1.1 - t) + 1),
        "quarter_sine": (np.sin(t * np.pi / 2), np.sin(t * np.pi / 2 + np.pi / 2)),
        "half_sine": (
            np.sin(t * np.pi - np.pi / 2) / 2 + 0.5,
            np.sin(t * np.pi + np.pi / 2) / 2 + 0.5,
        ),
    }
    for shape, (fin, fout) in shapes.items():
        out = AF.fade(x, 4, 4, shape).numpy()
        expect = np.ones(10)
        expect[:4] *= np.clip(fin, 0, 1)
        expect[-4:] *= np.clip(fout, 0, 1)
        np.testing.assert_allclose(out, expect, atol=1e-6, err_msg=shape)
    with pytest.raises(ValueError, match="fade_shape"):
        AF.fade(x, 2, 2, "cubic")


def test_masks_are_contiguous_bands():
    spec = ember.ones(3, 2, 20, 50)
    out = AF.mask_along_axis_iid(spec, 10, 0.0, 3).numpy()
    for item in out.reshape(6, 20, 50):
        cols = np.where(item[0] == 0)[0]
        assert (item == item[0]).all() and len(cols) <= 10
        assert len(cols) == 0 or (np.diff(cols) == 1).all()
    one = AF.mask_along_axis(ember.ones(20, 50), 8, -1.0, 0).numpy()
    rows = np.where(one[:, 0] == -1)[0]
    assert len(rows) <= 8 and (one[rows] == -1).all()


# ------------------------------------------------------------------------- gradients ---


def f64(*shape: int) -> ember.Tensor:
    return ember.randn(*shape, dtype=ember.float64, requires_grad=True)


def test_gradcheck_spectral():
    w = ember.hann_window(32, dtype=ember.float64)
    x = f64(2, 120)
    assert gradcheck(lambda x: AF.spectrogram(x, 2, w, 32, 8, 32, 2.0, True), (x,))
    assert gradcheck(lambda x: AF.spectrogram(x, 0, w, 32, 8, 32, 1.0, False) + 0, (x,))
    fb = AF.melscale_fbanks(17, 0.0, 4000.0, 6, 8000).to(ember.float64)
    assert gradcheck(
        lambda x: AF.amplitude_to_DB(AF.spectrogram(x, 0, w, 32, 8, 32, 2.0, False).mT @ fb,
                                     10.0, 1e-10, 0.0, top_db=80.0),
        (x,),
    )  # fmt: skip
    c = AF.spectrogram(x.detach(), 0, w, 32, 8, 32, None, False)
    r = ember.view_as_real(c).detach().clone().requires_grad_()
    inv = AF.inverse_spectrogram
    assert gradcheck(lambda r: inv(ember.view_as_complex(r), 120, 0, w, 32, 8, 32, False), (r,))


def test_gradcheck_mel_and_mfcc():
    x = f64(1, 400)
    kw = {"n_fft": 64, "hop_length": 32, "n_mels": 8}
    assert gradcheck(lambda x: AF.mel_spectrogram(x, 8000, **kw), (x,))
    assert gradcheck(lambda x: AF.mfcc(x, 8000, n_mfcc=5, log_mels=True, melkwargs=kw), (x,))


def test_gradcheck_time_domain():
    x = f64(2, 60)
    assert gradcheck(lambda x: AF.resample(x, 3, 2), (x,))
    assert gradcheck(lambda x: AF.resample(x, 2, 5, lowpass_filter_width=3), (x,))
    assert gradcheck(lambda x: AF.preemphasis(x, 0.9), (x,))
    assert gradcheck(lambda x: AF.compute_deltas(x, 5), (x,))
    assert gradcheck(lambda x: AF.fade(x, 10, 20, "half_sine"), (x,))


def test_gradcheck_lfilter_all_inputs():
    x = ember.randn(2, 40, dtype=ember.float64) * 0.1
    x.requires_grad_()
    a = ember.tensor([1.3, -0.4, 0.2], dtype=ember.float64, requires_grad=True)
    b = ember.tensor([0.5, 0.2, -0.1], dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x, a, b: AF.lfilter(x, a, b, clamp=False), (x, a, b))
    bank_a = ember.tensor([[1.0, -0.5], [1.0, 0.3]], dtype=ember.float64, requires_grad=True)
    bank_b = ember.tensor([[0.5, 0.1], [0.2, 0.2]], dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda x, a, b: AF.lfilter(x, a, b, clamp=False), (x, bank_a, bank_b))


def test_gradients_finite_on_silence():
    """Zero padding gives exactly-zero spectra; |z| must not give NaN gradients there."""
    x = ember.zeros(1, 300, dtype=ember.float64, requires_grad=True)
    w = ember.hann_window(64, dtype=ember.float64)
    for power in (1.0, 2.0):
        out = AF.spectrogram(x, 0, w, 64, 16, 64, power, False, pad_mode="constant")
        (grad,) = ember.autograd.grad(out.sum(), x)
        assert bool(ember.isfinite(grad).all())


def test_frames_match_ember_stft_for_every_pad_mode():
    x = ember.randn(2, 777)
    w = ember.hann_window(100)
    for mode in ("reflect", "constant", "replicate", "circular"):
        ours = AF.spectrogram(x, 0, w, 128, 37, 100, None, False, pad_mode=mode)
        core = ember.stft(x, 128, 37, 100, w, pad_mode=mode, return_complex=True)
        assert float((ember.view_as_real(ours) - ember.view_as_real(core)).abs().max()) < 1e-4
    long = ember.randn(2, 100_000)  # several FFT blocks per row, rows joined along frames
    ours = AF.spectrogram(long, 0, ember.hann_window(400), 400, 160, 400, 2.0, False)
    core = ember.stft(long, 400, 160, window=ember.hann_window(400), return_complex=True)
    assert float((ours - core.abs() ** 2).abs().max()) < 1e-3 * float(ours.max())
