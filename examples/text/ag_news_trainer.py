"""The AG_NEWS pipeline of ``ag_news.py``, with the loop run by ``embertrain.Trainer``.

Same options, data split, tokenizer, vocabulary, model, optimizer, schedule and seed as
``ag_news.py`` (whose helpers it imports): the batches come in the same order (one NumPy
permutation per epoch from the same generator) and take the same steps, so it ends with the same
weights and test accuracy. The Trainer adds a tqdm progress bar, a checkpoint of the latest
epoch (in ``checkpoints/``), a CSV log and clean Ctrl-C handling.

Writes into ``--out`` (default ``runs/ag_news``) what ``ag_news.py`` writes, plus
``checkpoints/`` and ``logs/version_<n>/metrics.csv``.

Usage: python examples/text/ag_news_trainer.py [--epochs 5] [--limit N] [--root DIR] [--out DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import ember
import ember.nn.functional as F
from ember import optim
from embertrain import Callback, Trainer, TrainModule
from embertrain.metrics import Accuracy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _text_common as common  # noqa: E402
import ag_news  # noqa: E402

from embertext.models import TextClassificationModel, bag_batch  # noqa: E402
from embertext.tokenizers import get_tokenizer  # noqa: E402
from embertext.vocab import build_vocab_from_iterator  # noqa: E402


class PermutedBatches:
    """``(text, offsets, labels)`` batches for ``EmbeddingBag``, in a new random order each pass.

    The order comes from one NumPy generator, a permutation per pass, as ``ag_news.py`` draws it.
    """

    def __init__(self, ids: list, labels: np.ndarray, batch_size: int, seed: int) -> None:
        self.ids, self.labels, self.batch_size = ids, labels, batch_size
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return -(-len(self.ids) // self.batch_size)

    def __iter__(self):
        perm = self.rng.permutation(len(self.ids))
        for i in range(0, len(perm), self.batch_size):
            idx = perm[i : i + self.batch_size]
            text, offsets = bag_batch([self.ids[j] for j in idx])
            yield text, offsets, ember.from_numpy(self.labels[idx])


def fixed_batches(ids: list, labels: np.ndarray, batch_size: int = 512) -> list:
    """The test rows in order, in batches (what ``ag_news.evaluate`` scores)."""
    return [
        (*bag_batch(ids[i : i + batch_size]), ember.from_numpy(labels[i : i + batch_size]))
        for i in range(0, len(ids), batch_size)
    ]


class AGNewsModule(TrainModule):
    """``TextClassificationModel`` with cross-entropy, AdamW and a one-cycle schedule."""

    def __init__(self, num_embeddings: int, args, total_steps: int) -> None:
        super().__init__()
        self.model = TextClassificationModel(num_embeddings, args.embed_dim, 4)
        self.lr, self.weight_decay, self.total_steps = args.lr, args.weight_decay, total_steps
        self.test_acc = Accuracy()

    def training_step(self, batch, batch_idx):
        text, offsets, y = batch
        loss = F.cross_entropy(self.model(text, offsets), y)
        # batch_size: the batch's first tensor holds the ids of all its rows, not one per row
        self.log("train_loss", loss, prog_bar=True, on_epoch=True, batch_size=len(y))
        return loss

    def validation_step(self, batch, batch_idx):
        text, offsets, y = batch
        logits = self.model(text, offsets)
        self.log("test_loss_sum", F.cross_entropy(logits, y, reduction="sum"), reduce_fx="sum")
        self.test_acc.update(logits, y)
        self.log("test_acc", self.test_acc, prog_bar=True)

    def configure_optimizers(self):
        opt = optim.AdamW(self.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=self.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


class History(Callback):
    """Per-step losses and per-epoch metrics, for the figures and ``metrics.json``."""

    def __init__(self) -> None:
        self.steps: list[tuple[float, float]] = []
        self.epochs: list[dict] = []

    def on_train_batch_end(self, trainer, module, outputs, batch, batch_idx):
        x = trainer.current_epoch + batch_idx / trainer.num_training_batches
        self.steps.append((x, trainer.callback_metrics["train_loss_step"]))

    def on_train_epoch_end(self, trainer, module):
        m, acc = trainer.callback_metrics, module.test_acc
        self.epochs.append(
            {
                "epoch": trainer.current_epoch + 1,
                "train_loss": m["train_loss_epoch"],
                "test_loss": m["test_loss_sum"] / acc.total,
                "test_acc": 100.0 * acc.correct / max(acc.total, 1),
            }
        )


def main() -> dict:
    args = ag_news.get_args()
    common.setup(args)
    root = args.root or common.data_root() / "text"
    clock = common.Stopwatch()
    train_items, test_items, rule = ag_news.load_splits(root, args.limit, args.download)
    tokenizer = get_tokenizer("basic_english")
    vocab = build_vocab_from_iterator(
        (tokenizer(t) for _, t in train_items), min_freq=args.min_freq, specials=["<unk>"]
    )
    vocab.set_default_index(vocab["<unk>"])
    train_ids, train_y = ag_news.encode_all(train_items, tokenizer, vocab, args)
    test_ids, test_y = ag_news.encode_all(test_items, tokenizer, vocab, args)
    train = PermutedBatches(train_ids, train_y, args.batch_size, args.seed)
    module = AGNewsModule(len(vocab) + args.buckets, args, args.epochs * len(train))
    history = History()
    # The defaults: a CSV log in out/logs and the latest epoch's checkpoint in out/checkpoints
    trainer = Trainer(
        max_epochs=args.epochs,
        callbacks=[history],
        default_root_dir=args.out,
        enable_progress_bar=not args.quiet,
        accelerator="cpu",
    )
    trainer.fit(module, train, fixed_batches(test_ids, test_y))
    if trainer.interrupted:
        sys.exit(130)
    return write_outputs(args, module, vocab, history, rule, clock, len(train_ids), len(test_ids))


def write_outputs(args, module, vocab, history, rule, clock, n_train, n_test) -> dict:
    """The files ``ag_news.py`` writes: weights, vocabulary, two figures and metrics.json."""
    ember.save(module.model.state_dict(), args.out / "ag_news.ember")
    vocab.save(args.out / "vocab.json")
    epochs = [h["epoch"] for h in history.epochs]
    test_loss = list(zip(epochs, [h["test_loss"] for h in history.epochs]))
    common.plot_curves(
        args.out / "loss.png",
        {"train (per step)": history.steps, "test": test_loss},
        title="AG_NEWS loss",
        xlabel="epoch",
        ylabel="cross-entropy",
    )
    common.plot_curves(
        args.out / "accuracy.png",
        {"test": list(zip(epochs, [h["test_acc"] for h in history.epochs]))},
        title="AG_NEWS test accuracy",
        xlabel="epoch",
        ylabel="accuracy (%)",
    )
    metrics = {
        "split": rule,
        "train_rows": n_train,
        "test_rows": n_test,
        "test_acc": history.epochs[-1]["test_acc"],
        "vocab_size": len(vocab),
        "seconds": round(clock.wall, 1),
        "cpu_seconds": round(clock.cpu, 1),
        "history": history.epochs,
    }
    common.write_metrics(args.out, metrics)
    return metrics


if __name__ == "__main__":
    main()
