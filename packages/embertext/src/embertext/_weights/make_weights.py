"""Ship the outputs of the text example pipelines as package weights (recipe of both enums).

    python examples/text/ag_news.py  --out runs/ag_news     # TextClassificationModel_Weights
    python examples/text/char_gpt.py --out runs/char_gpt    # GPT_Weights
    python packages/embertext/src/embertext/_weights/make_weights.py runs/ag_news runs/char_gpt

Each state dict is stored in float16 (half the size; the model loads it into float32), the
metric is measured again with the stored float16 weights (AG_NEWS: accuracy on the last 1,600
rows of ``test.csv``; char GPT: loss over every 64-character block of the validation split),
files are named ``<stem>-<sha256[:8]>`` beside this script, and the ``Weights`` fields to paste
into the enums are printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np

import ember
from embertext.datasets import AG_NEWS, TinyShakespeare
from embertext.models import GPT, TextClassificationModel, bag_batch
from embertext.models._presets import TextClassificationPreset
from embertext.tokenizers import CharTokenizer
from embertext.vocab import Vocab

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("EMBER_DATA", "../shared/data")) / "text"


def ship(src: Path, stem: str, suffix: str) -> tuple[str, str]:
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    name = f"{stem}-{digest[:8]}{suffix}"
    shutil.copyfile(src, HERE / name)
    return name, digest


def half(state: dict, path: Path) -> dict:
    small = {k: v.to(ember.float16) for k, v in state.items()}
    ember.save(small, path)
    return ember.load(path)


def ag_news(run: Path) -> None:
    metrics = json.loads((run / "metrics.json").read_text())
    state = half(ember.load(run / "ag_news.ember"), run / "ag_news.f16.ember")
    vocab = Vocab.load(run / "vocab.json")
    buckets = state["embedding.weight"].shape[0] - len(vocab)
    model = TextClassificationModel(
        state["embedding.weight"].shape[0], state["fc.weight"].shape[1], 4
    )
    model.load_state_dict(state)
    model.eval()
    preset = TextClassificationPreset(vocab, ngrams=2, num_buckets=buckets)
    rows = list(AG_NEWS(DATA, split="test"))[-1600:]
    with ember.no_grad():
        pred = model(*bag_batch([preset(t) for _, t in rows])).argmax(1).numpy()
    acc = 100.0 * float(np.mean(pred == np.array([y - 1 for y, _ in rows])))
    weights_name, weights_sha = ship(run / "ag_news.f16.ember", "ag_news_fasttext", ".ember")
    vocab_name, vocab_sha = ship(run / "vocab.json", "ag_news_vocab", ".json")
    print(
        json.dumps(
            {
                "file": weights_name,
                "sha256": weights_sha,
                "vocab": vocab_name,
                "vocab_sha256": vocab_sha,
                "acc@1": round(acc, 2),
                "buckets": buckets,
                "vocab_size": len(vocab),
                "train_seconds": metrics["seconds"],
                "num_params": sum(v.numel() for v in state.values()),
            },
            indent=1,
        )
    )


def char_gpt(run: Path) -> None:
    metrics = json.loads((run / "metrics.json").read_text())
    state = half(ember.load(run / "char_gpt.ember"), run / "char_gpt.f16.ember")
    alphabet = json.loads((run / "alphabet.json").read_text())
    tok = CharTokenizer(alphabet)
    config = {
        "vocab_size": len(alphabet),
        "block_size": state["transformer.wpe.weight"].shape[0],
        "n_layer": sum(k.endswith("ln_1.weight") for k in state),
        "n_head": 4,
        "n_embd": state["transformer.wte.weight"].shape[1],
        "dropout": 0.0,
        "bias": False,
    }
    model = GPT(**config)
    model.load_state_dict(state)
    model.eval()
    val = np.array(tok.encode(TinyShakespeare(DATA, split="val").text), dtype=np.int64)
    n, block = (len(val) - 1) // config["block_size"], config["block_size"]
    x, y = val[: n * block].reshape(n, block), val[1 : n * block + 1].reshape(n, block)
    total = 0.0
    with ember.no_grad():
        for i in range(0, n, 64):
            total += model(ember.from_numpy(x[i : i + 64]), ember.from_numpy(y[i : i + 64]))[
                1
            ].item() * len(x[i : i + 64])
    name, sha = ship(run / "char_gpt.f16.ember", "char_gpt_shakespeare", ".ember")
    print(
        json.dumps(
            {
                "file": name,
                "sha256": sha,
                "config": config,
                "alphabet": alphabet,
                "val_loss_full": round(total / n, 4),
                "val_loss_estimate": round(metrics["val_loss_estimate"], 4),
                "iters": metrics["iters"],
                "train_seconds": metrics["train_seconds"],
                "num_params": sum(v.numel() for k, v in state.items() if k != "lm_head.weight"),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        run = Path(arg)
        (ag_news if (run / "ag_news.ember").exists() else char_gpt)(run)
