"""The Trainer variants of the example pipelines train exactly like their hand-written loops.

The text and audio pipelines come from their own branches: their tests skip while
``examples/text/ag_news.py`` / ``examples/audio/spoken_digits.py`` (and embertext / emberaudio)
are not in the tree, and run once the branches are merged.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest

import ember
from ember.testing import above_chance

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VISION = EXAMPLES / "vision"


def _main(script: str, argv: list[str], folder: Path = VISION) -> dict:
    sys.path.insert(0, str(folder))
    try:
        main = runpy.run_path(str(folder / script), run_name=f"example_{script}")["main"]
        return main() if argv is None else main(argv)
    finally:
        sys.path.remove(str(folder))
        for name in ("_common", "_audio_common", "_text_common", "mnist", "ag_news", "spoken_digits"):
            sys.modules.pop(name, None)  # the folders' helper modules share names


def _needs(folder: str, script: str, package: str) -> Path:
    pytest.importorskip(package)
    if not (EXAMPLES / folder / script).is_file():
        pytest.skip(f"examples/{folder}/{script} is not in this tree yet")
    return EXAMPLES / folder


def _same_weights(a: Path, b: Path) -> bool:
    wa, wb = ember.load(a), ember.load(b)
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k].numpy(), wb[k].numpy()) for k in wa)


def test_mnist_trainer_matches_mnist_py(shared_data, tmp_path):
    # The same seed, batches, augmentation and steps: the Trainer's loop gives bitwise the
    # weights of mnist.py's hand-written loop, hence the same accuracy.
    common = [
        "--root",
        str(shared_data / "vision" / "mnist"),
        "--no-download",
        "--quiet",
        "--epochs",
        "1",
        "--limit",
        "320",
        "--test-limit",
        "200",
        "--threads",
        "1",
    ]
    plain = _main("mnist.py", [*common, "--out", str(tmp_path / "plain")])
    trained = _main("mnist_trainer.py", [*common, "--out", str(tmp_path / "trainer")])
    assert trained["test_acc"] == plain["test_acc"] > 100 * above_chance(200, 0.1)
    assert trained["history"] == plain["history"]
    a = ember.load(tmp_path / "plain" / "mnist_cnn.pt")
    b = ember.load(tmp_path / "trainer" / "mnist_cnn.pt")
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    (ckpt,) = (tmp_path / "trainer" / "checkpoints").glob("*.ckpt")  # the latest epoch's
    # resuming the finished run from its last checkpoint trains no further and tests the same
    again = _main(
        "mnist_trainer.py",
        [
            *common,
            "--out",
            str(tmp_path / "again"),
            "--resume",
            str(ckpt),
        ],
    )
    assert again["test_acc"] == trained["test_acc"]


def test_ag_news_trainer_matches_ag_news_py(shared_data, tmp_path, monkeypatch):
    text = _needs("text", "ag_news.py", "embertext")
    common = ["--root", str(shared_data / "text"), "--epochs", "2", "--limit", "800", "--quiet"]
    out = {}
    for script in ("ag_news.py", "ag_news_trainer.py"):
        out[script] = tmp_path / script
        monkeypatch.setattr(sys, "argv", [script, *common, "--out", str(out[script])])
        _main(script, None, text)  # their main() reads sys.argv
    plain, trained = (json.loads((out[s] / "metrics.json").read_text()) for s in out)
    assert trained["history"] == plain["history"]
    assert trained["test_acc"] > 100 * above_chance(trained["test_rows"], 0.25)
    assert _same_weights(*(out[s] / "ag_news.ember" for s in out))


def test_spoken_digits_trainer_matches_spoken_digits_py(shared_data, tmp_path):
    audio = _needs("audio", "spoken_digits.py", "emberaudio")
    common = ["--root", str(shared_data / "audio"), "--epochs", "1", "--limit", "200",
              "--test-limit", "100", "--quiet"]  # fmt: skip
    plain = _main("spoken_digits.py", [*common, "--out", str(tmp_path / "a")], audio)
    trained = _main("spoken_digits_trainer.py", [*common, "--out", str(tmp_path / "b")], audio)
    assert trained["history"] == plain["history"] and trained["test_acc"] == plain["test_acc"]
    name = "conv_classifier_fsdd.ember"
    assert _same_weights(tmp_path / "a" / name, tmp_path / "b" / name)
    assert (tmp_path / "b" / "confusion.png").is_file()
