"""emberaudio on the GPU with no change to user code but the device: every transform (random
masks drawing the same positions under one seed) and the registered models, forward and
backward, give the CPU's results and keep them on the device. Runs on the simulated GPU of
tests/ember/_fake_cupy.py when there is no real one."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import emberaudio.transforms as A
from emberaudio import models
from emberaudio.models.conformer import ConformerCTC
from tests.ember.cuda._compare import model_same_on_device, same_on_device

RNG = np.random.default_rng(0)
WAVE = RNG.standard_normal((2, 3000)).astype(np.float32)
SPEC = np.abs(RNG.standard_normal((2, 201, 16))).astype(np.float32)
CODES = RNG.integers(0, 256, (2, 50))


def _on(arr):
    return lambda device: (ember.from_numpy(arr.copy()).to(device),)


def _complex_spec(device):
    return (A.Spectrogram(power=None).to(device)(ember.from_numpy(WAVE.copy()).to(device)),)


TRANSFORMS = {
    "Spectrogram": (lambda: A.Spectrogram(), _on(WAVE)),
    "SpectrogramComplex": (lambda: A.Spectrogram(power=None), _on(WAVE)),
    "MelSpectrogram": (lambda: A.MelSpectrogram(16000, n_fft=400, n_mels=20), _on(WAVE)),
    "MFCC": (lambda: A.MFCC(16000, n_mfcc=13, melkwargs={"n_mels": 20}), _on(WAVE)),
    "LFCC": (lambda: A.LFCC(16000, n_filter=32, n_lfcc=13), _on(WAVE)),
    "Resample": (lambda: A.Resample(16000, 8000), _on(WAVE)),
    "ResampleUp": (lambda: A.Resample(8000, 11025), _on(WAVE)),
    "AmplitudeToDB": (lambda: A.AmplitudeToDB(top_db=80), _on(SPEC)),
    "MelScale": (lambda: A.MelScale(20, 16000, n_stft=201), _on(SPEC)),
    "GriffinLim": (lambda: A.GriffinLim(n_iter=4), _on(SPEC)),
    "InverseSpectrogram": (lambda: A.InverseSpectrogram(), _complex_spec),
    "TimeStretch": (lambda: A.TimeStretch(n_freq=201, fixed_rate=1.3), _complex_spec),
    "MuLawEncoding": (lambda: A.MuLawEncoding(), _on(np.tanh(WAVE))),
    "MuLawDecoding": (lambda: A.MuLawDecoding(), _on(CODES)),
    "ComputeDeltas": (lambda: A.ComputeDeltas(), _on(SPEC)),
    "Vol": (lambda: A.Vol(2.0, "db"), _on(WAVE)),
    "Fade": (lambda: A.Fade(100, 200, "half_sine"), _on(WAVE)),
    "FrequencyMasking": (lambda: A.FrequencyMasking(30, iid_masks=True), _on(SPEC[:, None])),
    "TimeMasking": (lambda: A.TimeMasking(5), _on(SPEC)),
    "SpecAugment": (lambda: A.SpecAugment(2, 10, 2, 5), _on(SPEC)),
}


# These draw on the input's device, as torchaudio's: a real GPU's numbers differ from the CPU's.
DEVICE_RANDOM = {"GriffinLim", "FrequencyMasking", "TimeMasking", "SpecAugment"}


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transforms_on_the_device(name) -> None:
    make, inputs = TRANSFORMS[name]
    same_on_device(make, inputs, rtol=1e-4, device_random=name in DEVICE_RANDOM)


# wav2letter (23M parameters whatever the input) is left out for time: its layers are the
# Conv1d/ReLU/Dropout of the others.
MODELS = {
    "m5": (lambda: models.m5(n_output=5), lambda d: (ember.randn(2, 1, 8000, device=d),)),
    "conv_classifier": (
        lambda: models.conv_classifier(num_classes=5, dropout=0.0),
        lambda d: (ember.randn(2, 1, 40, 50, device=d),),
    ),
    "conformer_ctc": (
        lambda: ConformerCTC(
            num_features=8,
            num_classes=5,
            d_model=16,
            num_heads=2,
            ffn_dim=32,
            num_layers=1,
            kernel_size=3,
            dropout=0.0,
        ),
        lambda d: (ember.randn(2, 8, 20, device=d), ember.tensor([20, 15], device=d)),
    ),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_models_forward_backward_on_the_device(name) -> None:
    model_same_on_device(*MODELS[name])
