"""The audio example pipelines run end to end on the shared real data (reduced settings).

The full runs (FSDD >= 95% in under 5 minutes, YESNO WER <= 5%) are made by hand; their
figures are in docs/audio-pipelines.md. Here each pipeline runs a few steps and must write
every output and learn something.
"""

from __future__ import annotations

import contextlib
import json
import runpy
import sys
from pathlib import Path

import numpy as np
from PIL import Image

import ember
import emberaudio

AUDIO = Path(__file__).resolve().parents[2] / "examples" / "audio"


def _main(name: str):
    sys.path.insert(0, str(AUDIO))
    try:
        return runpy.run_path(str(AUDIO / name), run_name=f"example_{name}")["main"]
    finally:
        sys.path.remove(str(AUDIO))


def _png(path: Path) -> None:
    with Image.open(path) as im:
        assert im.format == "PNG" and im.width > 50 and im.height > 30
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 3, f"{path.name} looks blank"


def test_spoken_digits_quick(shared_data, tmp_path):
    args = ["--root", str(shared_data / "audio"), "--epochs", "2", "--limit", "160",
            "--test-limit", "40", "--out", str(tmp_path), "--quiet", "--threads", "1"]  # fmt: skip
    metrics = _main("spoken_digits.py")(args)
    for name in ("loss.png", "accuracy.png", "mel_spectrogram.png", "confusion.png"):
        _png(tmp_path / name)
    assert metrics["train_size"] == 160 and metrics["test_size"] == 40
    h = metrics["history"]
    assert len(h) == 2 and h[1]["train_loss"] < h[0]["train_loss"]
    assert json.loads((tmp_path / "metrics.json").read_text())["test_acc"] == metrics["test_acc"]
    assert ember.load(tmp_path / "conv_classifier_fsdd.ember")


def test_yesno_ctc_quick(shared_data, tmp_path):
    args = ["--root", str(shared_data / "audio"), "--steps", "4", "--eval-every", "2",
            "--batch-size", "4", "--out", str(tmp_path), "--quiet", "--threads", "1"]  # fmt: skip
    metrics = _main("yesno_ctc.py")(args)
    for name in ("loss.png", "wer.png", "mel_spectrogram.png"):
        _png(tmp_path / name)
    assert metrics["train_files"] == 36 and metrics["test_files"] > 0
    assert metrics["word_pool"] > 100 and len(metrics["wer_curve"]) == 2
    assert 0 <= metrics["test_wer"] <= 200


def test_features_on_a_stereo_flac(tmp_path):
    t = np.arange(16000) / 16000
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 880 * t)]) * 0.3
    path = tmp_path / "tone.flac"
    emberaudio.save(path, ember.tensor(stereo.astype(np.float32)), 16000)
    summary = _main("features.py")([str(path), "--out", str(tmp_path / "out")])
    for name in ("spectrogram.png", "mel_spectrogram.png", "mfcc.png"):
        _png(tmp_path / "out" / name)
    assert summary["channels"] == 2 and summary["encoding"] == "FLAC"
    assert summary["mel_spectrogram"] == [64, 101] and summary["mfcc"] == [20, 101]


def test_spoken_digits_trains_with_device_cuda(shared_data, tmp_path):
    """``spoken_digits.py --device cuda`` moves model and batches to the GPU (simulated in CI)."""
    from tests.ember import _fake_cupy

    args = ["--root", str(shared_data / "audio"), "--epochs", "2", "--limit", "120", "--device",
            "cuda", "--test-limit", "20", "--out", str(tmp_path), "--quiet", "--threads", "1"]  # fmt: skip
    with _fake_cupy.installed() if not ember.cuda.is_available() else contextlib.nullcontext():
        metrics = _main("spoken_digits.py")(args)
        state = ember.load(tmp_path / "conv_classifier_fsdd.ember")
        assert state and {t.device.type for t in state.values()} == {"cuda"}  # saved on the GPU
    h = metrics["history"]
    assert len(h) == 2 and h[1]["train_loss"] < h[0]["train_loss"]
