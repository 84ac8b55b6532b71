"""AG_NEWS topic classification with a fastText-style model (mean of word and bigram embeddings).

On the shared data (AG_NEWS ``test.csv`` complete, ``train.csv`` a 400-row excerpt) it trains on
the first 6,000 rows of ``test.csv`` and evaluates on the last 1,600; when the full 120,000-row
``train.csv`` is present it trains on it and evaluates on all of ``test.csv``. Text goes through
torchtext's ``basic_english`` tokenizer, a vocabulary built from the training rows, and hashed
bigrams (20,000 hash buckets); the model is ``embertext.models.TextClassificationModel``
(width 32) trained for 5 epochs with AdamW (lr 0.01, weight decay 0.1, one-cycle schedule, batch
32). These defaults are the recipe of ``TextClassificationModel_Weights.AG_NEWS_V1``.

Writes into ``--out`` (default ``runs/ag_news``): ``loss.png``, ``accuracy.png``,
``ag_news.ember`` (state dict), ``vocab.json`` and ``metrics.json``.

Usage: python examples/text/ag_news.py [--epochs 5] [--limit N] [--root DIR] [--out DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import ember
import ember.nn.functional as F
from ember import optim

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _text_common as common  # noqa: E402

from embertext.datasets import AG_NEWS  # noqa: E402
from embertext.models import TextClassificationModel, add_ngrams, bag_batch  # noqa: E402
from embertext.tokenizers import get_tokenizer  # noqa: E402
from embertext.vocab import build_vocab_from_iterator  # noqa: E402

FULL_TRAIN_ROWS = 120_000


def get_args():
    p = common.parser("ag_news", __doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--embed-dim", type=int, default=24)
    p.add_argument("--ngrams", type=int, default=2)
    p.add_argument("--buckets", type=int, default=6_000, help="hash buckets for n-grams")
    p.add_argument("--min-freq", type=int, default=2, help="rarer words map to <unk>")
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--limit", type=int, default=None, help="use only the first N training rows")
    return p.parse_args()


def load_splits(root: Path, limit: int | None, download: bool = False):
    """(train, test) lists of (label 0-3, text) following the rule in the module docstring."""
    train = common.open_data(
        "ag_news",
        lambda: AG_NEWS(root, "train", target_transform=lambda y: y - 1, download=download),
    )
    test = AG_NEWS(root, split="test", target_transform=lambda y: y - 1)
    if len(train) >= FULL_TRAIN_ROWS:
        train_items, test_items, rule = list(train), list(test), "train.csv -> test.csv"
    else:
        rows = list(test)
        train_items, test_items = rows[:6000], rows[-1600:]
        rule = "test.csv rows 1-6000 -> last 1600 rows"
    return train_items[:limit], test_items, rule


def encode_all(items, tokenizer, vocab, args):
    ids = [
        add_ngrams(vocab(tokenizer(text)), args.ngrams, len(vocab), args.buckets)
        for _, text in items
    ]
    return ids, np.array([label for label, _ in items], dtype=np.int64)


def evaluate(model, ids, labels, batch_size=512) -> tuple[float, float]:
    model.eval()
    loss, correct = 0.0, 0
    with ember.no_grad():
        for i in range(0, len(ids), batch_size):
            logits = model(*bag_batch(ids[i : i + batch_size]))
            y = ember.from_numpy(labels[i : i + batch_size])
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(1) == y).sum().item())
    model.train()
    return loss / len(ids), 100.0 * correct / len(ids)


def main() -> None:
    args = get_args()
    common.setup(args)
    root = args.root or common.data_root() / "text"
    clock = common.Stopwatch()
    train_items, test_items, rule = load_splits(root, args.limit, args.download)
    tokenizer = get_tokenizer("basic_english")
    vocab = build_vocab_from_iterator(
        (tokenizer(t) for _, t in train_items), min_freq=args.min_freq, specials=["<unk>"]
    )
    vocab.set_default_index(vocab["<unk>"])
    train_ids, train_y = encode_all(train_items, tokenizer, vocab, args)
    test_ids, test_y = encode_all(test_items, tokenizer, vocab, args)
    model = TextClassificationModel(len(vocab) + args.buckets, args.embed_dim, 4)
    opt = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = -(-len(train_ids) // args.batch_size)
    sched = optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch
    )
    rng = np.random.default_rng(args.seed)
    history, steps = [], []
    bar = common.ProgressBar(args.epochs * steps_per_epoch, "ag_news", enabled=not args.quiet)
    for epoch in range(1, args.epochs + 1):
        perm, total = rng.permutation(len(train_ids)), 0.0
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i : i + args.batch_size]
            logits = model(*bag_batch([train_ids[j] for j in idx]))
            loss = F.cross_entropy(logits, ember.from_numpy(train_y[idx]))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            steps.append((epoch - 1 + i / len(perm), loss.item()))
            bar.update(loss=steps[-1][1])
        test_loss, test_acc = evaluate(model, test_ids, test_y)
        history.append(
            {
                "epoch": epoch,
                "train_loss": total / len(perm),
                "test_loss": test_loss,
                "test_acc": test_acc,
            }
        )
        bar.update(0, loss=total / len(perm), acc=test_acc)
    bar.close()
    ember.save(model.state_dict(), args.out / "ag_news.ember")
    vocab.save(args.out / "vocab.json")
    epochs = [h["epoch"] for h in history]
    common.plot_curves(
        args.out / "loss.png",
        {"train (per step)": steps, "test": list(zip(epochs, [h["test_loss"] for h in history]))},
        title="AG_NEWS loss",
        xlabel="epoch",
        ylabel="cross-entropy",
    )
    common.plot_curves(
        args.out / "accuracy.png",
        {"test": list(zip(epochs, [h["test_acc"] for h in history]))},
        title="AG_NEWS test accuracy",
        xlabel="epoch",
        ylabel="accuracy (%)",
    )
    common.write_metrics(
        args.out,
        {
            "split": rule,
            "train_rows": len(train_ids),
            "test_rows": len(test_ids),
            "test_acc": history[-1]["test_acc"],
            "vocab_size": len(vocab),
            "seconds": round(clock.wall, 1),
            "cpu_seconds": round(clock.cpu, 1),
            "history": history,
        },
    )


if __name__ == "__main__":
    main()
