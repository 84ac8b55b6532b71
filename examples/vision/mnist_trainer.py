"""The MNIST pipeline of ``mnist.py``, with the loop run by ``embertrain.Trainer``.

Same data, model, augmentation, optimizer, schedule and seed as ``mnist.py`` (whose helpers it
imports); what changes is that the loop is a ``TrainModule`` plus a ``Trainer``, which adds a
tqdm progress bar, a checkpoint of the latest epoch (in ``checkpoints/``, resumable with
``--resume``), a CSV log and clean Ctrl-C handling (the run stops at the end of the current step
and saves ``interrupted.ckpt``). The batches are drawn, augmented and stepped in the same order
as in ``mnist.py``, so both scripts reach the same test accuracy.

Writes into ``--out`` (default ``runs/mnist_trainer``) what ``mnist.py`` writes, plus
``checkpoints/`` and ``logs/version_<n>/metrics.csv``.

Usage: python examples/vision/mnist_trainer.py [--epochs 10] [--limit N] [--resume CKPT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import ember
import ember.nn.functional as F
from ember.optim.lr_scheduler import OneCycleLR
from ember.utils.data import DataLoader
from embertrain import Callback, Trainer, TrainModule
from embertrain.metrics import Accuracy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common  # noqa: E402
import mnist  # noqa: E402


class MNISTModule(TrainModule):
    """``mnist.Net`` trained with label-smoothed cross-entropy, AdamW and one-cycle."""

    def __init__(self, width: int, lr: float, epochs: int, steps_per_epoch: int) -> None:
        super().__init__()
        self.model = mnist.Net(width)
        self.lr, self.epochs, self.steps_per_epoch = lr, epochs, steps_per_epoch
        self.val_acc, self.test_acc = Accuracy(), Accuracy()

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.model(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        with ember.no_grad():
            x = mnist.normalize(mnist.jitter(x))
        logits = self(x)
        loss = F.cross_entropy(logits, y, label_smoothing=0.05)
        acc = 100.0 * (logits.argmax(1) == y).float().mean()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", acc, prog_bar=True, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch  # already normalised (mnist.test_batches)
        self.val_acc.update(self(x), y)
        self.log("val_acc", self.val_acc, prog_bar=True)

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.test_acc.update(self(x), y)
        self.log("test_acc", self.test_acc)

    def configure_optimizers(self):
        optimizer = ember.optim.AdamW(self.parameters(), lr=self.lr, weight_decay=5e-4)
        schedule = OneCycleLR(
            optimizer, max_lr=self.lr, epochs=self.epochs, steps_per_epoch=self.steps_per_epoch
        )
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}


def _percent(acc: Accuracy) -> float:
    """The accuracy in percent, rounded as ``mnist.py`` computes it (100 * hits / items)."""
    return 100.0 * acc.correct / max(acc.total, 1)


class History(Callback):
    """Collects what ``mnist.finish`` draws: per-epoch metrics and per-step losses."""

    def __init__(self) -> None:
        self.epochs: list[dict] = []
        self.steps: list[tuple[float, float]] = []

    def on_train_batch_end(self, trainer, module, outputs, batch, batch_idx):
        x = trainer.current_epoch + trainer.batches_done / trainer.num_training_batches
        self.steps.append((x, trainer.callback_metrics["train_loss_step"]))

    def on_train_epoch_end(self, trainer, module):
        m = trainer.callback_metrics
        self.epochs.append(
            {
                "epoch": trainer.current_epoch + 1,
                "train_loss": m["train_loss_epoch"],
                "train_acc": m["train_acc"],
                "test_acc": _percent(module.val_acc),
            }
        )


def main(argv: list[str] | None = None) -> dict:
    parser = mnist.build_parser("mnist_trainer")
    parser.add_argument("--resume", type=Path, default=None, help="a checkpoint to resume")
    args = parser.parse_args(argv)
    clock = common.Stopwatch()
    device = common.setup(args)
    train_x, train_y, test_x, test_y, source = mnist.load_data(args)
    train_ds = mnist.to_tensors(train_x, train_y, args.limit)
    test_ds = mnist.to_tensors(test_x, test_y, args.test_limit)
    args.train_size = len(train_ds)
    print(f"data: {source}: {len(train_ds)} train, {len(test_ds)} test images")
    loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=True, drop_last=True)
    module = MNISTModule(args.width, args.lr, args.epochs, len(loader))
    history = History()
    # The defaults: a CSV log in out/logs and the latest epoch's checkpoint in out/checkpoints
    trainer = Trainer(
        max_epochs=args.epochs,
        callbacks=[history],
        default_root_dir=args.out,
        enable_progress_bar=not args.quiet,
        accelerator=device.type,  # what --device (or --no-accel) chose
    )
    val = mnist.test_batches(test_ds, args.eval_limit)  # a list of (images, labels) batches
    trainer.fit(module, loader, val, ckpt_path=args.resume)
    if trainer.interrupted:
        sys.exit(130)
    trainer.test(module, mnist.test_batches(test_ds, None), verbose=False)
    if not history.epochs:  # resumed from the end of a finished run
        history.epochs.append(
            {"epoch": args.epochs, "train_loss": float("nan"), "train_acc": float("nan")}
        )
    history.epochs[-1]["test_acc"] = _percent(module.test_acc)
    return mnist.finish(
        args, module.model, test_ds, history.epochs, history.steps, source, clock, device
    )


if __name__ == "__main__":
    main()
