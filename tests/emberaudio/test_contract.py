"""ember.testing.domain's contract checks on emberaudio's datasets, transforms, models, weights."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.testing import domain
from emberaudio import datasets, models
from emberaudio import transforms as T


class _Pairs:
    """``(waveform, label)`` view of a torchaudio-style item ``(waveform, rate, label, ...)``.

    The contract checks read ``(input, target)`` pairs; audio items carry the sample rate
    between the two and metadata after them, so the check sees the two halves the transforms
    act on, and everything else (``len``, IndexError, ``repr``) is the dataset's own.
    """

    def __init__(self, ds) -> None:
        self.ds = ds
        self.root = ds.root

    def __len__(self) -> int:
        return len(self.ds)

    def __getitem__(self, i):
        item = self.ds[i]
        return item[0], item[2]

    def __repr__(self) -> str:
        return repr(self.ds).replace(type(self.ds).__name__, type(self).__name__, 1)


def wave(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-0.5, 0.5, 300)


@pytest.fixture
def yesno_root(tmp_path):
    for k, name in enumerate(("0_0_1_1_0_0_1_1", "1_1_1_1_0_0_0_0")):
        domain.write_wav(tmp_path / "waves_yesno" / f"{name}.wav", wave(k), 8000)
    return tmp_path


def test_datasets_follow_the_contract(yesno_root, tmp_path):
    domain.check_dataset(lambda **kw: _Pairs(datasets.YESNO(yesno_root, **kw)), length=2)
    rec = tmp_path / "fsdd" / "recordings"
    for k, name in enumerate(("3_amy_7", "5_amy_2", "9_bo_12")):
        domain.write_wav(rec / f"{name}.wav", wave(k), 8000)
    domain.check_dataset(lambda **kw: _Pairs(datasets.FSDD(tmp_path, **kw)), length=2)
    for k, name in enumerate(("up/a_nohash_0", "down/b_nohash_1")):
        domain.write_wav(tmp_path / "sc" / f"{name}.wav", wave(k), 16000)
    (tmp_path / "sc" / "validation_list.txt").write_text("")
    (tmp_path / "sc" / "testing_list.txt").write_text("up/a_nohash_0.wav\n")
    make = lambda **kw: _Pairs(datasets.SPEECHCOMMANDS(tmp_path / "sc", subset="training", **kw))  # noqa: E731
    domain.check_dataset(make, length=1)
    for k, cls in enumerate(("bark", "meow")):
        domain.write_wav(tmp_path / "folder" / cls / f"{k}.wav", wave(k), 8000)
    domain.check_dataset(lambda **kw: _Pairs(datasets.AudioFolder(tmp_path / "folder", **kw)))
    assert repr(datasets.YESNO(yesno_root)).startswith("Dataset YESNO\n    Number of datapoints: 2")


def test_transforms_follow_the_contract():
    inputs = [ember.randn(1, 2000) * 0.1 for _ in range(2)]
    for t in (
        T.Spectrogram(n_fft=128, hop_length=64),
        T.MelSpectrogram(8000, n_fft=128, hop_length=64, n_mels=16),
        T.MFCC(8000, n_mfcc=8, melkwargs={"n_fft": 128, "hop_length": 64, "n_mels": 16}),
        T.Resample(8000, 6000),
        T.Vol(0.5),
        T.Fade(100, 100),
        T.MuLawEncoding(),
    ):
        domain.check_transform(t, inputs)
    specs = [ember.rand(1, 20, 30) for _ in range(2)]
    domain.check_transform(T.AmplitudeToDB(), specs)
    domain.check_transform(T.ComputeDeltas(), specs)
    domain.check_transform(T.FrequencyMasking(5), specs)


def test_models_follow_the_contract():
    domain.check_model(
        lambda: models.ConvClassifier(
            num_classes=3,
            n_mels=8,
            channels=(8, 8),
            dropout=0.0,
            kernel_sizes=(3, 3),
            strides=(1, 1),
        ),  # fmt: skip
        ember.randn(4, 8, 12),
        ember.tensor([0, 1, 2, 0]),
    )
    domain.check_model(lambda: models.M5(n_output=2, n_channel=4), ember.randn(2, 1, 8000),
                       ember.tensor([0, 1]))  # fmt: skip


def test_weights_and_hub_registration():
    domain.check_weights(models.ConvClassifier_Weights)
    domain.check_hub_registration("audio", models_module=models, build=["m5", "conv_classifier"])
