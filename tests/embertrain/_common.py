"""A tiny classifier and data for the Trainer tests (dropout and shuffling use the RNG)."""

from __future__ import annotations

import numpy as np

import ember
import ember.nn.functional as F
from ember import nn
from ember.utils.data import DataLoader, TensorDataset
from embertrain import Trainer, TrainModule
from embertrain.metrics import Accuracy


class Classifier(TrainModule):
    """4 features -> 3 classes, with dropout; logs train_loss (step and epoch), train_acc,
    val_loss and val_acc (the accuracies are streaming metrics)."""

    def __init__(self, lr: float = 0.05, scheduler: str | None = "step") -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
        self.val_acc, self.train_acc = Accuracy(), Accuracy()
        self.lr, self.scheduler = lr, scheduler

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, prog_bar=True, on_step=True, on_epoch=True)
        self.train_acc.update(logits, y)
        self.log("train_acc", self.train_acc, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.val_acc.update(logits, y)
        self.log("val_acc", self.val_acc, prog_bar=True)

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.log("test_loss", F.cross_entropy(self(x), y))

    def configure_optimizers(self):
        opt = ember.optim.Adam(self.parameters(), lr=self.lr)
        if self.scheduler is None:
            return opt
        sched = ember.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.7)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def make_data(n: int = 48, batch_size: int = 8, shuffle: bool = True):
    """Train and validation loaders over one random 3-class problem (seeded)."""
    g = ember.Generator().manual_seed(1234)
    x = ember.randn(n, 4, generator=g)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    ds = TensorDataset(x, y)
    return (DataLoader(ds, batch_size=batch_size, shuffle=shuffle), DataLoader(ds, batch_size=16))


def weights(module: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


def quiet_trainer(root, **kwargs) -> Trainer:
    kwargs.setdefault("enable_progress_bar", False)
    kwargs.setdefault("logger", False)
    return Trainer(default_root_dir=root, **kwargs)
