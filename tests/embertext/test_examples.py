"""The text example pipelines run end to end on the shared data with reduced settings."""

from __future__ import annotations

import json
import math
import runpy
import sys
from pathlib import Path

import pytest

import ember
import ember.onnx
from embertext.tokenizers import ByteLevelBPETokenizer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "text"


def _run(script: str, args: list[str], monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", [script, "--quiet", "--threads", "1", *args])
    monkeypatch.syspath_prepend(str(EXAMPLES))
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")


def _metrics(out: Path, *pngs: str) -> dict:
    for name in pngs:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return json.loads((out / "metrics.json").read_text())


@pytest.fixture
def text_root(shared_data):
    return shared_data / "text"


def test_ag_news_quick(text_root, tmp_path, monkeypatch):
    out = tmp_path / "ag"
    _run(
        "ag_news.py",
        [
            "--root",
            str(text_root),
            "--out",
            str(out),
            "--limit",
            "1500",
            "--epochs",
            "2",
            "--buckets",
            "2000",
            "--embed-dim",
            "16",
        ],
        monkeypatch,
    )
    m = _metrics(out, "loss.png", "accuracy.png")
    assert m["train_rows"] == 1500 and m["test_rows"] == 1600
    assert m["test_acc"] > 50.0  # four balanced classes: chance is 25%
    assert ember.load(out / "ag_news.ember")["fc.weight"].shape == (4, 16)


def test_char_gpt_quick(text_root, tmp_path, monkeypatch):
    out = tmp_path / "gpt"
    _run(
        "char_gpt.py",
        [
            "--root",
            str(text_root / "tinyshakespeare"),
            "--out",
            str(out),
            "--max-iters",
            "4",
            "--eval-interval",
            "2",
            "--eval-iters",
            "1",
            "--n-layer",
            "1",
            "--n-head",
            "2",
            "--n-embd",
            "16",
            "--sample-chars",
            "12",
        ],
        monkeypatch,
    )
    m = _metrics(out, "loss.png")
    assert math.isfinite(m["val_loss_full"]) and m["val_loss_full"] < 4.5  # log(65) = 4.17
    assert len((out / "sample.txt").read_text()) == 13


def test_word_lm_quick(text_root, tmp_path, monkeypatch):
    out = tmp_path / "lm"
    _run(
        "word_lm.py",
        [
            "--root",
            str(text_root),
            "--out",
            str(out),
            "--epochs",
            "1",
            "--max-batches",
            "3",
            "--eval-batches",
            "3",
            "--emsize",
            "16",
            "--nlayers",
            "1",
            "--onnx-export",
            str(tmp_path / "lm.onnx"),
        ],
        monkeypatch,
    )
    m = _metrics(out, "loss.png")
    assert m["split"].startswith("test") and 1 < m["valid_ppl"] < 2 * m["vocab_size"]
    graph = ember.onnx.load(tmp_path / "lm.onnx")  # exported when asked, as PyTorch's example
    assert graph.input_names == ["input", "h0", "c0"] and graph.output_names[0] == "output"


def test_bpe_train_quick(text_root, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text((text_root / "tinyshakespeare" / "input.txt").read_text()[:60000])
    out = tmp_path / "bpe"
    _run(
        "bpe_train.py",
        ["--corpus", str(corpus), "--out", str(out), "--vocab-size", "400"],
        monkeypatch,
    )
    m = _metrics(out)
    assert m["vocab_size"] == 400 and 1.5 < m["bytes_per_token"] < 4
    tok = ByteLevelBPETokenizer.from_file(out / "tokenizer.json")
    assert tok.decode(tok.encode("Citizens, hear me!").ids) == "Citizens, hear me!"
