"""The spoken-digits pipeline of ``spoken_digits.py``, with the loop run by ``embertrain.Trainer``.

    python examples/audio/spoken_digits_trainer.py [--epochs 12] [--out runs/spoken_digits]

Same options, split, features, augmentation, model, optimizer, schedule and seed as
``spoken_digits.py`` (whose helpers it imports): each epoch's waveforms are augmented with the
same NumPy generator, turned into masked log-mel features and cut into the same shuffled batches,
so the run ends with the same weights and test accuracy. The Trainer adds a tqdm progress bar, a
checkpoint of the latest epoch (in ``checkpoints/``), a CSV log and clean Ctrl-C handling. Writes
what ``spoken_digits.py`` writes, plus ``checkpoints/`` and ``logs/version_<n>/metrics.csv``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _audio_common as common  # noqa: E402
import spoken_digits as sd  # noqa: E402

import ember  # noqa: E402
from ember import nn, optim  # noqa: E402
from emberaudio import functional as AF  # noqa: E402
from emberaudio.models import ConvClassifier, ConvClassifier_Weights  # noqa: E402
from embertrain import Callback, Trainer, TrainModule  # noqa: E402
from embertrain.metrics import Accuracy, ConfusionMatrix  # noqa: E402


class AugmentedEpochs:
    """One pass = one epoch of ``spoken_digits.py``: every training waveform shifted and scaled
    (``sd.augment``), turned into log-mel features, time and frequency masked, then shuffled and
    cut into ``(features, labels)`` batches. One NumPy generator serves all the passes."""

    def __init__(self, frontend: nn.Module, waves: np.ndarray, labels: np.ndarray,
                 batch_size: int, seed: int) -> None:  # fmt: skip
        self.frontend, self.waves, self.labels = frontend, waves, labels
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return -(-len(self.labels) // self.batch_size)

    def __iter__(self):
        x = sd.features(self.frontend, sd.augment(self.waves, self.rng))
        x = AF.mask_along_axis_iid(x[:, None], 8, float(x.mean()), 2)
        x = AF.mask_along_axis_iid(x, 15, float(x.mean()), 3)[:, 0]
        order = self.rng.permutation(len(self.labels))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            yield x[ember.from_numpy(idx)], ember.from_numpy(self.labels[idx])


class DigitsModule(TrainModule):
    """``ConvClassifier`` on log-mel features: cross-entropy, AdamW and one-cycle."""

    def __init__(self, lr: float, total_steps: int) -> None:
        super().__init__()
        self.model = ConvClassifier(num_classes=10)
        self.lr, self.total_steps = lr, total_steps
        self.test_acc, self.confusion = Accuracy(), ConfusionMatrix(10)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self.model(x)
        self.test_acc.update(logits, y)
        self.confusion.update(logits, y)
        self.log("test_acc", self.test_acc, prog_bar=True)

    def configure_optimizers(self):
        opt = optim.AdamW(self.parameters(), lr=self.lr, weight_decay=1e-4)
        sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=self.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


class History(Callback):
    """Per-epoch training loss, test accuracy and the confusion matrix."""

    def __init__(self) -> None:
        self.epochs: list[dict] = []
        self.confusion: np.ndarray | None = None

    def on_train_epoch_end(self, trainer, module):
        acc = module.test_acc
        self.epochs.append(
            {
                "epoch": trainer.current_epoch + 1,
                "train_loss": trainer.callback_metrics["train_loss_epoch"],
                "test_acc": 100.0 * (acc.correct / max(acc.total, 1)),
            }
        )
        self.confusion = module.confusion.compute()


def main(argv: list[str] | None = None) -> dict:
    args = sd.parse_args(argv)
    common.setup(args)
    t0 = time.perf_counter()
    xtr, ytr = sd.load_split(args.root, "train", args.limit, args.download)
    xte, yte = sd.load_split(args.root, "test", args.test_limit)
    frontend = ConvClassifier_Weights.DEFAULT.transforms()
    test_x = sd.features(frontend, xte)
    train = AugmentedEpochs(frontend, xtr, ytr, args.batch_size, args.seed)
    module = DigitsModule(args.lr, args.epochs * len(train))
    test = [
        (test_x[i : i + 200], ember.from_numpy(yte[i : i + 200])) for i in range(0, len(yte), 200)
    ]
    history = History()
    # The defaults: a CSV log in out/logs and the latest epoch's checkpoint in out/checkpoints
    trainer = Trainer(
        max_epochs=args.epochs,
        callbacks=[history],
        default_root_dir=args.out,
        enable_progress_bar=not args.quiet,
        accelerator="cpu",
    )
    trainer.fit(module, train, test)
    if trainer.interrupted:
        sys.exit(130)
    acc, seconds = history.epochs[-1]["test_acc"], time.perf_counter() - t0
    print(f"test accuracy: {acc:.2f}% ({len(yte)} recordings) in {seconds:.0f} s")
    sd.save_outputs(args.out, module.model, history.epochs, history.confusion,
                    test_x[0].numpy(), yte[0])  # fmt: skip
    metrics = {"test_acc": acc, "train_size": len(ytr), "test_size": len(yte),
               "seconds": seconds, "history": history.epochs}  # fmt: skip
    common.save_metrics(args.out, metrics)
    return metrics


if __name__ == "__main__":
    main()
