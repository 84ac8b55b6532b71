"""The Trainer's loop: accumulation, clipping, logging, optimizers and schedulers, limits."""

from __future__ import annotations

import io

import numpy as np
import pytest

import ember
import ember.nn.functional as F
import embertrain as et
from ember import nn
from ember.utils.data import DataLoader, TensorDataset
from tests.embertrain._common import Classifier, make_data, quiet_trainer, weights


class Regression(et.TrainModule):
    """A linear regression with plain SGD: its gradients are easy to reproduce by hand."""

    def __init__(self, lr: float = 0.1) -> None:
        super().__init__()
        self.linear = nn.Linear(3, 2)
        self.lr = lr

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.linear(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return ember.optim.SGD(self.parameters(), lr=self.lr)


def _regression_data(n=32, batch_size=4):
    g = ember.Generator().manual_seed(7)
    ds = TensorDataset(ember.randn(n, 3, generator=g), ember.randn(n, 2, generator=g))
    return DataLoader(ds, batch_size=batch_size)


def _fresh_regression(lr=0.1):
    ember.manual_seed(3)
    return Regression(lr)


def test_gradient_accumulation_equals_the_larger_batch(tmp_path):
    small = _fresh_regression()
    trainer = quiet_trainer(tmp_path, max_epochs=2, accumulate_grad_batches=4)
    trainer.fit(small, _regression_data(batch_size=4))
    large = _fresh_regression()
    quiet_trainer(tmp_path, max_epochs=2).fit(large, _regression_data(batch_size=16))
    assert trainer.global_step == 4  # 8 batches per epoch, one step per 4
    for name, value in weights(large).items():
        np.testing.assert_allclose(weights(small)[name], value, rtol=1e-5, atol=1e-6)
    # 1 accumulation step is not the same: the check can fail
    other = _fresh_regression()
    quiet_trainer(tmp_path, max_epochs=2).fit(other, _regression_data(batch_size=4))
    assert not np.allclose(weights(other)["linear.weight"], weights(large)["linear.weight"])


def test_accumulation_steps_on_the_last_short_group(tmp_path):
    # 7 batches with accumulate 3: steps after batches 3, 6 and 7 (the epoch's end)
    trainer = quiet_trainer(tmp_path, max_epochs=1, accumulate_grad_batches=3)
    trainer.fit(_fresh_regression(), _regression_data(n=28, batch_size=4))
    assert trainer.global_step == 3


class _GradRecorder(et.Callback):
    def __init__(self):
        self.grads = []

    def on_before_optimizer_step(self, trainer, module, optimizer):
        self.grads.append([p.grad.numpy().copy() for p in module.parameters()])


def _raw_grads(module, batch):
    module.zero_grad()
    x, y = batch
    F.mse_loss(module.linear(x), y).backward()
    return [p.grad.numpy().copy() for p in module.parameters()]


@pytest.mark.parametrize("algorithm", ["norm", "value"])
def test_gradient_clipping(tmp_path, algorithm):
    loader = _regression_data(n=4, batch_size=4)
    raw = _raw_grads(_fresh_regression(), next(iter(loader)))
    clip = 0.05
    recorder = _GradRecorder()
    trainer = quiet_trainer(
        tmp_path,
        max_epochs=1,
        gradient_clip_val=clip,
        gradient_clip_algorithm=algorithm,
        callbacks=[recorder],
    )
    trainer.fit(_fresh_regression(), loader)
    (clipped,) = recorder.grads
    if algorithm == "norm":
        norm = np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in raw))
        assert norm > clip  # clipping really happens
        expected = [g * (clip / (norm + 1e-6)) for g in raw]
        total = np.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in clipped))
        assert total == pytest.approx(clip, rel=1e-4)
    else:
        expected = [np.clip(g, -clip, clip) for g in raw]
        assert any((np.abs(g) > clip).any() for g in raw)
    for got, want in zip(clipped, expected):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="gradient_clip_algorithm"):
        et.Trainer(gradient_clip_algorithm="max")


def test_logged_values_reach_callback_metrics(tmp_path):
    train, val = make_data()
    module = Classifier(scheduler=None)
    trainer = quiet_trainer(tmp_path, max_epochs=2)
    trainer.fit(module, train, val)
    metrics = trainer.callback_metrics
    assert {"train_loss", "train_loss_step", "train_loss_epoch", "val_loss", "val_acc"} <= set(
        metrics
    )
    assert set(trainer.progress_bar_metrics) == {"train_loss", "val_loss", "val_acc"}
    # val_loss is the batch-size-weighted mean over the validation set; val_acc the accuracy
    module.eval()
    x, y = val.dataset.tensors
    with ember.no_grad():
        logits = module(x)
    assert metrics["val_loss"] == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-5)
    expected_acc = float((logits.argmax(1) == y).float().mean().item())
    assert metrics["val_acc"] == pytest.approx(expected_acc)
    assert trainer.validate(module, val, verbose=False)[0]["val_acc"] == pytest.approx(expected_acc)
    (tested,) = trainer.test(module, val, verbose=False)
    assert tested["test_loss"] == pytest.approx(metrics["val_loss"], rel=1e-5)
    preds = trainer.predict(module, val)
    assert len(preds) == 3 and tuple(preds[0].shape) == (16, 3)
    np.testing.assert_allclose(preds[0].numpy(), logits[:16].numpy(), rtol=1e-6)


def test_log_outside_a_trainer_is_a_no_op_and_bad_values_fail(tmp_path):
    module = Classifier()
    module.log("x", 1.0)  # nothing to log into
    train, _ = make_data()

    class Bad(Classifier):
        def training_step(self, batch, batch_idx):
            self.log("vector", ember.ones(3))
            return super().training_step(batch, batch_idx)

    with pytest.raises(ValueError, match="needs one number"):
        quiet_trainer(tmp_path, max_epochs=1).fit(Bad(), train)


def test_plain_triple_trains_and_checkpoints_the_model(tmp_path):
    train, val = make_data()
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    before = weights(model)
    triple = (model, nn.CrossEntropyLoss(), ember.optim.SGD(model.parameters(), lr=0.5))
    trainer = quiet_trainer(tmp_path, max_epochs=3)
    trainer.fit(triple, train, val)
    assert trainer.callback_metrics["val_loss"] < 1.1
    assert not np.array_equal(before["0.weight"], weights(model)["0.weight"])
    ckpt = ember.load(trainer.checkpoint_callback.best_model_path)
    assert set(ckpt["state_dict"]) == set(model.state_dict())
    with pytest.raises(TypeError, match="triple"):
        trainer.fit((model, nn.MSELoss()), train)


def _lrs(tmp_path, returned, epochs=2, **kwargs):
    class Module(Classifier):
        def configure_optimizers(self):
            return returned(self)

    train, val = make_data()
    monitor = et.LearningRateMonitor(logging_interval="step")
    trainer = quiet_trainer(tmp_path, max_epochs=epochs, callbacks=[monitor], **kwargs)
    trainer.fit(Module(), train, val)
    return trainer, [values["lr-SGD"] for _, values in monitor.history]


def test_configure_optimizers_forms_and_scheduler_intervals(tmp_path):
    sgd = lambda m: ember.optim.SGD(m.parameters(), lr=1.0)
    step_lr = ember.optim.lr_scheduler.StepLR

    def step_every_2(m):
        opt = sgd(m)
        sched = {"scheduler": step_lr(opt, 1, gamma=0.5), "interval": "step", "frequency": 2}
        return {"optimizer": opt, "lr_scheduler": sched}

    _, lrs = _lrs(tmp_path, step_every_2)
    assert lrs == [0.5 ** (i // 2) for i in range(12)]

    def per_epoch_tuple(m):
        opt = sgd(m)
        return [opt], [step_lr(opt, 1, gamma=0.1)]

    _, lrs = _lrs(tmp_path, per_epoch_tuple)
    assert lrs == pytest.approx([1.0] * 6 + [0.1] * 6)

    for bad, match in [
        (lambda m: "sgd", "must return an ember.optim.Optimizer"),
        (lambda m: {"lr_scheduler": None}, "'optimizer' key"),
        (lambda m: [[sgd(m), sgd(m)], []], "drives one optimizer"),
        (
            lambda m: {
                "optimizer": (o := sgd(m)),
                "lr_scheduler": {"scheduler": step_lr(o, 1), "interval": "batch"},
            },
            "interval",
        ),
        (
            lambda m: {
                "optimizer": (o := sgd(m)),
                "lr_scheduler": ember.optim.lr_scheduler.ReduceLROnPlateau(o),
            },
            "needs a metric",
        ),
    ]:
        with pytest.raises((TypeError, ValueError), match=match):
            _lrs(tmp_path, bad)


def test_reduce_on_plateau_gets_the_monitored_metric(tmp_path):
    class Module(Classifier):
        def validation_step(self, batch, batch_idx):
            self.log("score", 1.0)  # never improves

        def configure_optimizers(self):
            opt = ember.optim.SGD(self.parameters(), lr=1.0)
            sched = ember.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, factor=0.5)
            return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "score"}}

    train, val = make_data()
    trainer = quiet_trainer(tmp_path, max_epochs=3)
    trainer.fit(Module(), train, val)
    # epoch 0 sets the best; epochs 1 and 2 do not improve and halve the rate each time
    assert trainer.optimizer.param_groups[0]["lr"] == 0.25


def test_precision_16_mixed_is_refused_on_cpu():
    with pytest.raises(ValueError, match="16-mixed.*needs a CUDA GPU"):
        et.Trainer(precision="16-mixed", accelerator="cpu")
    with pytest.raises(ValueError, match="precision"):
        et.Trainer(precision="bf16-true")
    assert et.Trainer(precision=32, logger=False).precision == "32"


class _Counter(et.Callback):
    def __init__(self):
        self.train_batches, self.val_runs, self.val_batches = 0, 0, 0

    def on_train_batch_end(self, trainer, module, outputs, batch, batch_idx):
        self.train_batches += 1

    def on_validation_start(self, trainer, module):
        self.val_runs += 1

    def on_validation_batch_end(self, trainer, module, outputs, batch, batch_idx):
        self.val_batches += 1


@pytest.mark.parametrize(
    "options, train_batches, val_runs, val_batches, steps",
    [
        ({"max_epochs": 2}, 12, 2, 6, 12),
        ({"max_epochs": 2, "limit_train_batches": 0.5, "limit_val_batches": 1}, 6, 2, 2, 6),
        ({"max_epochs": 2, "val_check_interval": 2}, 12, 6, 18, 12),
        ({"max_epochs": 2, "val_check_interval": 0.5}, 12, 4, 12, 12),
        ({"max_epochs": 4, "check_val_every_n_epoch": 2}, 24, 2, 6, 24),
        ({"max_epochs": 5, "max_steps": 8}, 8, 1, 3, 8),
        ({"max_steps": 3}, 3, 0, 0, 3),
        ({"max_epochs": 1, "limit_val_batches": 0}, 6, 0, 0, 6),
        ({"fast_dev_run": True}, 1, 1, 1, 1),
        ({"fast_dev_run": 2, "max_epochs": 9}, 2, 1, 2, 2),
    ],
)
def test_loop_limits(tmp_path, options, train_batches, val_runs, val_batches, steps):
    counter = _Counter()
    train, val = make_data()
    trainer = quiet_trainer(tmp_path, callbacks=[counter], **options)
    trainer.fit(Classifier(), train, val)
    assert (counter.train_batches, counter.val_runs, counter.val_batches) == (
        train_batches,
        val_runs,
        val_batches,
    )
    assert trainer.global_step == steps


def test_fast_dev_run_writes_nothing(tmp_path):
    train, val = make_data()
    trainer = et.Trainer(fast_dev_run=True, default_root_dir=tmp_path, enable_progress_bar=False)
    trainer.fit(Classifier(), train, val)
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_shows_live_metrics(tmp_path):
    out = io.StringIO()
    train, val = make_data()
    bar = et.TQDMProgressBar(file=out)
    trainer = et.Trainer(max_epochs=2, callbacks=[bar], logger=False, default_root_dir=tmp_path)
    trainer.fit(Classifier(), train, val)
    text = out.getvalue()
    assert "epoch 1/2" in text and "epoch 2/2" in text and "6/6" in text
    assert "loss=" in text and "val_acc=" in text and "train_loss=" in text


def test_lr_monitor_logs_each_step(tmp_path):
    trainer, lrs = _lrs(
        tmp_path, lambda m: ember.optim.SGD(m.parameters(), lr=0.3), logger=et.CSVLogger(tmp_path)
    )
    assert lrs == [0.3] * 12
    assert trainer.callback_metrics["lr-SGD"] == 0.3


def test_module_hooks_run_in_order(tmp_path):
    class Hooked(Classifier):
        def __init__(self):
            super().__init__()
            self.calls = []

        def on_fit_start(self):
            self.calls.append("fit_start")

        def on_train_epoch_start(self):
            self.calls.append("epoch_start")

        def on_before_optimizer_step(self, optimizer):
            self.calls.append("step")

        def on_train_epoch_end(self):
            self.log("marker", float(self.current_epoch), on_step=False, on_epoch=True)
            self.calls.append("epoch_end")

        def on_fit_end(self):
            self.calls.append("fit_end")

    train, val = make_data()
    module = Hooked()
    trainer = quiet_trainer(tmp_path, max_epochs=2, limit_train_batches=2)
    trainer.fit(module, train, val)
    epoch = ["epoch_start", "step", "step", "epoch_end"]
    assert module.calls == ["fit_start", *epoch, *epoch, "fit_end"]
    assert trainer.callback_metrics["marker"] == 1.0


def test_lists_of_batches_and_lists_of_loaders(tmp_path):
    train, val = make_data()
    batches = list(val)  # a plain list of (x, y) batches is one loader
    trainer = quiet_trainer(tmp_path, max_epochs=1)
    module = Classifier()
    trainer.fit(module, list(train), batches)
    one = trainer.validate(module, batches, verbose=False)[0]["val_loss"]
    both = trainer.validate(module, [batches, val], verbose=False)[0]["val_loss"]
    assert both == pytest.approx(one)  # two loaders over the same data: the same mean
    with pytest.raises(ValueError, match="needs train_dataloaders"):
        trainer.fit(module, None)


def test_precision_16_mixed_on_the_gpu(tmp_path):
    """Autocast around the steps and a loss scaler, on the simulated GPU without a real one."""
    import contextlib

    from tests.ember import _fake_cupy

    gpu = contextlib.nullcontext() if ember.cuda.is_available() else _fake_cupy.installed()
    with gpu:
        ember.manual_seed(0)
        seen = []

        class Probe(Classifier):
            def training_step(self, batch, batch_idx):
                seen.append(self(batch[0]).dtype)  # inside the autocast region
                return super().training_step(batch, batch_idx)

        train, val = make_data()
        trainer = quiet_trainer(tmp_path, max_epochs=3, accelerator="cuda",
                                precision="16-mixed", enable_checkpointing=True)
        module = Probe(lr=0.2)
        trainer.fit(module, train, val)
        assert seen and all(dt == ember.float16 for dt in seen)
        assert all(p.dtype == ember.float32 and p.device.type == "cuda"
                   for p in module.parameters())
        assert trainer.scaler.get_scale() > 0
        assert trainer.callback_metrics["val_acc"] > 0.5
        trainer.save_checkpoint(tmp_path / "m.ckpt")
        ckpt = ember.load(tmp_path / "m.ckpt", map_location="cpu")
        assert ckpt["MixedPrecision"]["scale"] == trainer.scaler.get_scale()
