"""emberaudio.datasets on fake files in the original layouts, and on the shared real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
import emberaudio
from emberaudio import datasets


def write(path: Path, frames: int = 400, sample_rate: int = 8000, fmt: str = "wav") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ember.tensor(np.random.default_rng(len(str(path))).uniform(-0.5, 0.5, (1, frames)))
    emberaudio.save(path, data.to(ember.float32), sample_rate, format=fmt, bits_per_sample=16)


def test_yesno_layout_order_and_transforms(tmp_path):
    folder = tmp_path / "waves_yesno"
    for name in ("1_0_1_0_1_0_1_0", "0_0_0_0_1_1_1_1", "0_1_1_0_0_1_1_0"):
        write(folder / f"{name}.wav")
    (folder / "README").write_text("not audio")
    for root in (tmp_path, folder):
        ds = datasets.YESNO(root)
        assert len(ds) == 3
        waveform, sr, labels = ds[0]
        assert waveform.shape == (1, 400) and sr == 8000
        assert labels == [0, 0, 0, 0, 1, 1, 1, 1]
    ds = datasets.YESNO(tmp_path, transform=lambda w: w * 0, target_transform=sum)
    waveform, _, label = ds[2]
    assert float(waveform.abs().max()) == 0 and label == 4
    with pytest.raises(RuntimeError, match="YESNO: dataset not found"):
        datasets.YESNO(tmp_path / "nowhere")


def test_fsdd_official_split(tmp_path):
    rec = tmp_path / "free-spoken-digit-dataset" / "recordings"
    for digit in (0, 7):
        for speaker in ("ann", "bob"):
            for index in (0, 4, 5, 49):
                write(rec / f"{digit}_{speaker}_{index}.wav", frames=100 + index)
    train = datasets.FSDD(tmp_path, split="train")
    test = datasets.FSDD(rec, split="test")
    assert len(train) == len(test) == 8
    assert all(item[4] < 5 for item in test) and all(item[4] >= 5 for item in train)
    waveform, sr, digit, speaker, index = test[0]
    assert (digit, speaker, index, waveform.shape) == (0, "ann", 0, (1, 100))
    with pytest.raises(ValueError, match="split"):
        datasets.FSDD(tmp_path, split="valid")


def test_speechcommands_subsets(tmp_path):
    top = tmp_path / "SpeechCommands" / "speech_commands_v0.02"
    files = ["yes/aa_nohash_0.wav", "yes/bb_nohash_1.wav", "no/aa_nohash_0.wav",
             "no/cc_nohash_2.wav", "_background_noise_/noise.wav"]  # fmt: skip
    for f in files:
        write(top / f)
    (top / "validation_list.txt").write_text("yes/bb_nohash_1.wav\n")
    (top / "testing_list.txt").write_text("no/cc_nohash_2.wav\n")
    assert len(datasets.SPEECHCOMMANDS(tmp_path)) == 4
    assert len(datasets.SPEECHCOMMANDS(tmp_path, subset="training")) == 2
    (val,) = datasets.SPEECHCOMMANDS(tmp_path, subset="validation")
    assert val[2:] == ("yes", "bb", 1)
    (test,) = datasets.SPEECHCOMMANDS(top, subset="testing")
    assert test[2:] == ("no", "cc", 2) and test[1] == 8000


def test_librispeech_flac_and_transcripts(tmp_path):
    chapter = tmp_path / "LibriSpeech" / "dev-clean" / "84" / "121123"
    write(chapter / "84-121123-0000.flac", fmt="flac")
    write(chapter / "84-121123-0001.flac", fmt="flac")
    (chapter / "84-121123.trans.txt").write_text("84-121123-0000 GO DO\n84-121123-0001 SHOULD\n")
    ds = datasets.LIBRISPEECH(tmp_path, url="dev-clean")
    assert len(ds) == 2
    waveform, sr, text, speaker, chap, utt = ds[1]
    assert (text, speaker, chap, utt, waveform.shape) == ("SHOULD", 84, 121123, 1, (1, 400))
    assert ds[0][2] == "GO DO"


def test_audiofolder_and_corrupt_file_names_itself(tmp_path):
    write(tmp_path / "dog" / "a.wav")
    write(tmp_path / "cat" / "b.flac", fmt="flac")
    (tmp_path / "cat" / "notes.txt").write_text("skip me")
    (tmp_path / "dog" / "broken.wav").write_bytes(b"RIFF\x00\x00")
    ds = datasets.AudioFolder(tmp_path)
    assert ds.classes == ["cat", "dog"] and len(ds) == 3
    assert ds[0][2] == 0 and ds[1][2] == 1
    with pytest.raises(RuntimeError, match="broken.wav"):
        ds[2]
    with pytest.raises(RuntimeError, match="no audio files"):
        datasets.AudioFolder(tmp_path / "dog")


def test_real_fsdd_and_yesno(shared_data):
    root = shared_data / "audio"
    test = datasets.FSDD(root, split="test")
    train = datasets.FSDD(root / "fsdd", split="train")
    assert 0 < len(test) < len(train)
    assert all(test[i][4] < 5 for i in range(0, len(test), 7))
    waveform, sr, digit, speaker, index = test[len(test) // 2]
    assert sr == 8000 and waveform.dtype == ember.float32 and index < 5 and 0 <= digit <= 9
    assert 0 < float(waveform.abs().max()) <= 1.0
    yesno = datasets.YESNO(root)
    assert len(yesno) > 0
    waveform, sr, labels = yesno[0]
    assert sr == 8000 and len(labels) == 8 and set(labels) <= {0, 1}
    assert waveform.shape[0] == 1 and waveform.shape[1] > 4 * sr
