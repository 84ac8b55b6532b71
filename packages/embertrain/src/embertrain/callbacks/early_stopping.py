"""``EarlyStopping``: stop when a monitored metric has stopped improving."""

from __future__ import annotations

import math
from typing import Any

from embertrain.callbacks.base import Callback

__all__ = ["EarlyStopping"]


class EarlyStopping(Callback):
    """Stop training after ``patience`` checks without an improvement of ``monitor``.

    Checked at the end of every training epoch (after its validation), so ``patience`` counts
    epochs. An improvement must beat the best value so far by more than ``min_delta``.

    Args:
        monitor: the logged metric to watch (e.g. ``"val_loss"``).
        min_delta: the smallest change that counts as an improvement.
        patience: how many checks without improvement to allow.
        mode: ``"min"`` or ``"max"``: whether smaller or larger values are better.
        strict: raise when ``monitor`` was never logged (else do nothing).
        check_finite: stop as soon as the metric is NaN or infinite.
        stopping_threshold: stop as soon as the metric is better than this.
        divergence_threshold: stop as soon as the metric is worse than this.
        verbose: print why training stopped.

    Example:
        >>> stop = EarlyStopping(monitor="val_loss", patience=2)
        >>> [stop.update(v) for v in (1.0, 0.9, 0.95, 0.97)]
        [False, False, False, True]
    """

    def __init__(
        self,
        monitor: str,
        min_delta: float = 0.0,
        patience: int = 3,
        *,
        mode: str = "min",
        strict: bool = True,
        check_finite: bool = True,
        stopping_threshold: float | None = None,
        divergence_threshold: float | None = None,
        verbose: bool = False,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode, self.patience = monitor, mode, patience
        self.min_delta = abs(min_delta)
        self.strict, self.check_finite, self.verbose = strict, check_finite, verbose
        self.stopping_threshold = stopping_threshold
        self.divergence_threshold = divergence_threshold
        self.wait_count = 0
        self.best_score = math.inf if mode == "min" else -math.inf
        self.stopped_epoch = 0
        self.stopping_reason = ""

    @property
    def state_key(self) -> str:
        return f"EarlyStopping{{monitor={self.monitor!r}, mode={self.mode!r}}}"

    def state_dict(self) -> dict[str, Any]:
        return {
            "wait_count": self.wait_count,
            "best_score": self.best_score,
            "stopped_epoch": self.stopped_epoch,
            "patience": self.patience,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.wait_count = int(state_dict["wait_count"])
        self.best_score = float(state_dict["best_score"])
        self.stopped_epoch = int(state_dict["stopped_epoch"])

    def _improves(self, value: float, reference: float) -> bool:
        if self.mode == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def update(self, value: float) -> bool:
        """Take one value of the metric; returns True when training should stop."""
        if self.check_finite and not math.isfinite(value):
            self.stopping_reason = f"{self.monitor} = {value} is not finite"
            return True
        if self.stopping_threshold is not None and self._improves(value, self.stopping_threshold):
            self.stopping_reason = f"{self.monitor} = {value:.6g} passed the stopping threshold"
            return True
        if self.divergence_threshold is not None and self._improves(
            self.divergence_threshold, value
        ):
            self.stopping_reason = f"{self.monitor} = {value:.6g} passed the divergence threshold"
            return True
        if self._improves(value, self.best_score):
            self.best_score, self.wait_count = value, 0
            return False
        self.wait_count += 1
        if self.wait_count >= self.patience:
            self.stopping_reason = (
                f"{self.monitor} did not improve in the last "
                f"{self.wait_count} checks; best {self.best_score:.6g}"
            )
            return True
        return False

    def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
        metrics = trainer.callback_metrics
        if self.monitor not in metrics:
            if self.strict:
                raise KeyError(
                    f"EarlyStopping(monitor={self.monitor!r}) found no such metric; "
                    f"logged metrics: {sorted(metrics)}"
                )
            return
        if self.update(float(metrics[self.monitor])):
            trainer.should_stop = True
            self.stopped_epoch = trainer.current_epoch
            if self.verbose:
                print(f"early stopping at epoch {trainer.current_epoch}: {self.stopping_reason}")
