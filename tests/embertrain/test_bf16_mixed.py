"""Trainer(precision="bf16-mixed") on the CPU, as Lightning: the steps run under CPU autocast in
bfloat16 (linear layers in bfloat16, the loss in float32), the parameters stay float32, there is
no loss scaler, and a tiny model trains."""

from __future__ import annotations

import pytest

import ember
import embertrain as et
from tests.embertrain._common import Classifier, make_data, quiet_trainer


def test_bf16_mixed_trains_on_the_cpu(tmp_path) -> None:
    seen = []

    class Probe(Classifier):
        def training_step(self, batch, batch_idx):
            seen.append(self(batch[0]).dtype)  # inside the autocast region
            loss = super().training_step(batch, batch_idx)
            seen.append(loss.dtype)
            return loss

    ember.manual_seed(0)
    train, val = make_data()
    trainer = quiet_trainer(tmp_path, max_epochs=8, accelerator="cpu", precision="bf16-mixed")
    assert trainer.precision == "bf16-mixed" and trainer.scaler is None
    module = Probe(lr=0.05)
    trainer.fit(module, train, val)
    assert set(seen[0::2]) == {ember.bfloat16} and set(seen[1::2]) == {ember.float32}
    assert all(p.dtype == ember.float32 for p in module.parameters())
    # From ln 3 = 1.10 at the start; float32 training of the same model reaches 0.45 and 85%.
    assert float(trainer.callback_metrics["train_loss_epoch"]) < 0.6
    assert trainer.callback_metrics["val_acc"] > 0.75


def test_precision_names() -> None:
    assert et.Trainer(precision="bf16-mixed", logger=False).precision == "bf16-mixed"
    with pytest.raises(ValueError, match="'32', '16-mixed' or 'bf16-mixed'"):
        et.Trainer(precision="8-mixed")
    with pytest.raises(ValueError, match="bf16-mixed"):  # the refusal points to bf16-mixed
        et.Trainer(precision="16-mixed", accelerator="cpu")
