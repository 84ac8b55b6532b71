"""Checkpoints: resuming gives bitwise the weights of an uninterrupted run; interrupts; top-k."""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
import pytest

import ember
import embertrain as et
from tests.embertrain._common import Classifier, make_data, quiet_trainer, weights


def _run(root, *, seed=0, ckpt_path=None, callbacks=(), module_cls=Classifier, epochs=3):
    train, val = make_data()
    ember.manual_seed(seed)
    module = module_cls()
    trainer = quiet_trainer(root, max_epochs=epochs, callbacks=list(callbacks))
    trainer.fit(module, train, val, ckpt_path=ckpt_path)
    return trainer, module


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_resume_mid_epoch_equals_uninterrupted_bitwise(tmp_path):
    # 6 batches per epoch; a checkpoint every 4 optimizer steps lands mid-epoch (steps 4, 8)
    # and at an epoch's end (step 12).
    saver = et.ModelCheckpoint(tmp_path / "a", every_n_train_steps=4, save_top_k=-1)
    full, module = _run(tmp_path, callbacks=[saver])
    expected = weights(module)
    files = sorted((tmp_path / "a").glob("*.ckpt"))
    assert [f.name for f in files] == [
        "epoch=0-step=4.ckpt",
        "epoch=1-step=12.ckpt",
        "epoch=1-step=8.ckpt",
        "epoch=2-step=16.ckpt",
    ]
    for ckpt in files[:3]:
        resumed, module = _run(tmp_path / "b", seed=99, ckpt_path=ckpt)
        assert _same(weights(module), expected), ckpt.name
        assert resumed.global_step == full.global_step == 18
        # the running epoch mean of train_loss and the train_acc metric's counts were carried
        # through the checkpoint too
        for name in ("train_loss_epoch", "train_acc", "val_acc"):
            assert resumed.callback_metrics[name] == full.callback_metrics[name], name
    # Without restoring anything, another seed gives other weights: the check can fail.
    _, other = _run(tmp_path / "c", seed=99)
    assert not _same(weights(other), expected)


def test_checkpoint_contents_load_with_ember(tmp_path):
    trainer, module = _run(tmp_path, epochs=1)
    path = tmp_path / "x.ckpt"
    trainer.save_checkpoint(path)
    ckpt = ember.load(path)
    assert set(ckpt) >= {
        "state_dict",
        "optimizer_states",
        "lr_schedulers",
        "epoch",
        "global_step",
        "loops",
        "rng_states",
        "callbacks",
    }
    assert _same({k: v.numpy() for k, v in ckpt["state_dict"].items()}, weights(module))
    assert ckpt["optimizer_states"][0]["state"]
    assert ckpt["lr_schedulers"][0]["last_epoch"] == trainer.global_step == 6


class _RaiseAt(Classifier):
    """Raises KeyboardInterrupt inside training_step at one global step (mid-epoch)."""

    at_step = 8

    def training_step(self, batch, batch_idx):
        if self.global_step == self.at_step and not getattr(self, "_raised", False):
            self._raised = True
            raise KeyboardInterrupt
        return super().training_step(batch, batch_idx)


class _SigintAt(Classifier):
    """Sends itself SIGINT (Ctrl-C) in the middle of a step."""

    def training_step(self, batch, batch_idx):
        if self.global_step == 9 and not getattr(self, "_sent", False):
            self._sent = True
            os.kill(os.getpid(), signal.SIGINT)
        return super().training_step(batch, batch_idx)


@pytest.mark.parametrize("module_cls", [_RaiseAt, _SigintAt])
def test_keyboard_interrupt_saves_and_resumes_exactly(tmp_path, module_cls):
    if module_cls is _SigintAt and threading.current_thread() is not threading.main_thread():
        pytest.skip("a SIGINT reaches the main thread only")
    _, module = _run(tmp_path / "full")
    expected = weights(module)
    with pytest.warns(UserWarning, match="interrupted"):
        trainer, _ = _run(tmp_path / "stop", module_cls=module_cls)
    # SIGINT is turned into a stop at the end of the running step (9 -> 10); a raised
    # KeyboardInterrupt stops where it is raised, before step 8 is taken.
    assert trainer.interrupted and trainer.global_step == (8 if module_cls is _RaiseAt else 10)
    ckpt = tmp_path / "stop" / "checkpoints" / "interrupted.ckpt"
    assert ckpt.is_file()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    resumed, module = _run(tmp_path / "resume", seed=5, ckpt_path=ckpt)
    assert not resumed.interrupted and resumed.global_step == 18
    assert _same(weights(module), expected)


class _Scripted(Classifier):
    """Logs a scripted ``score`` per validation run, to drive checkpoints and early stopping."""

    scores = (5.0, 3.0, 4.0, 1.0, 2.0, 6.0)

    def validation_step(self, batch, batch_idx):
        self.log("score", self.scores[self.current_epoch])


def test_top_k_checkpoints_keep_the_best_and_last(tmp_path):
    cb = et.ModelCheckpoint(
        tmp_path / "ck",
        filename="{epoch}-{score:.1f}",
        monitor="score",
        mode="min",
        save_top_k=2,
        save_last=True,
    )
    trainer, module = _run(tmp_path, callbacks=[cb], module_cls=_Scripted, epochs=6)
    names = sorted(p.name for p in (tmp_path / "ck").glob("*.ckpt"))
    assert names == ["epoch=3-score=1.0.ckpt", "epoch=4-score=2.0.ckpt", "last.ckpt"]
    assert cb.best_model_path.endswith("epoch=3-score=1.0.ckpt") and cb.best_model_score == 1.0
    assert sorted(cb.best_k_models.values()) == [1.0, 2.0]
    last = ember.load(tmp_path / "ck" / "last.ckpt")
    assert last["epoch"] == 5 and _same(
        {k: v.numpy() for k, v in last["state_dict"].items()}, weights(module)
    )
    best = ember.load(cb.best_model_path)
    assert best["epoch"] == 3 and best["global_step"] == 24
    # mode="max" keeps the other end; trainer.validate can load the best file
    cb2 = et.ModelCheckpoint(tmp_path / "mx", monitor="score", mode="max", save_top_k=1)
    trainer, _ = _run(tmp_path, callbacks=[cb2], module_cls=_Scripted, epochs=6)
    assert [p.name for p in (tmp_path / "mx").glob("*.ckpt")] == ["epoch=5-step=36.ckpt"]
    with pytest.raises(KeyError, match="found no such metric"):
        _run(tmp_path, callbacks=[et.ModelCheckpoint(tmp_path / "z", monitor="nope")])


def test_early_stopping_stops_after_patience(tmp_path):
    class Rising(_Scripted):
        scores = (1.0, 0.5, 0.6, 0.7, 0.8, 0.1)

    stop = et.EarlyStopping(monitor="score", patience=2)
    trainer, _ = _run(tmp_path, callbacks=[stop], module_cls=Rising, epochs=6)
    assert trainer.should_stop and stop.stopped_epoch == 3
    assert trainer.current_epoch == 4 and trainer.global_step == 24
    assert stop.best_score == 0.5 and stop.wait_count == 2
    # min_delta: 0.5 -> 0.45 is not enough of an improvement
    stop = et.EarlyStopping(monitor="score", patience=1, min_delta=0.1, mode="min")
    assert [stop.update(v) for v in (1.0, 0.95)] == [False, True]
    assert et.EarlyStopping("s", check_finite=True).update(float("nan"))
