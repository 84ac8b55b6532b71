"""Every example pipeline can get its data: pointed at an empty folder, each one stops with a
message naming the files or folders it expected and how to get them (``--download`` where the
dataset downloads), not a traceback (issue 13, "torchvision users")."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

# script, the names the message must show, the flag that downloads the data (None: it cannot be)
CASES = [
    ("audio/spoken_digits.py", ["FSDD", "recordings", "free-spoken-digit-dataset"], None),
    ("audio/yesno_ctc.py", ["YESNO", "waves_yesno"], "--download"),
    ("core/mnist_cnn.py", ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], "--download-root"),
    ("core/mnist_mlp.py", ["train-images-idx3-ubyte"], "--download-root"),
    ("text/ag_news.py", ["AG_NEWS", "train.csv", "ag_news_csv"], "--download"),
    ("text/char_gpt.py", ["TinyShakespeare", "input.txt"], "--download"),
    ("text/word_lm.py", ["WikiText2", "wiki.test.tokens"], "--download"),
    ("vision/cifar10.py", ["cifar-10-batches-py"], "--download"),
    ("vision/transfer_learning.py", ["train", "val", "hymenoptera_data"], None),
]


@pytest.mark.parametrize("script,names,flag", CASES, ids=[c[0] for c in CASES])
def test_missing_data_names_the_layout(script, names, flag, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    path = EXAMPLES / script
    argv = [str(path), "--root", str(empty)]
    if not script.startswith("core/"):
        argv += ["--out", str(tmp_path / "out")]
    monkeypatch.setattr(sys, "argv", argv)
    monkeypatch.syspath_prepend(str(path.parent))
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_path(str(path), run_name="__main__")
    msg = str(exit_info.value.code)
    assert exit_info.value.code not in (0, None, 2), msg  # 2 would be an argparse usage error
    for name in names:
        assert name in msg, (name, msg)
    assert (flag in msg) if flag else ("--download" not in msg), msg
