"""``LearningRateMonitor``: log the optimizer's learning rates as they change."""

from __future__ import annotations

from typing import Any

from embertrain.callbacks.base import Callback

__all__ = ["LearningRateMonitor"]


class LearningRateMonitor(Callback):
    """Log the learning rate of every parameter group to the loggers.

    The names are ``lr-<Optimizer>`` (``lr-<Optimizer>/pg<i>`` with several groups), or
    ``lr-<name>`` for a scheduler configured with a ``"name"``. The values also land in
    ``trainer.callback_metrics`` and in ``history`` (a list of ``(step, {name: lr})``).

    Args:
        logging_interval: ``"step"``, ``"epoch"`` or None (each scheduler's own interval;
            every epoch without a scheduler).
        log_momentum: also log ``momentum`` (or Adam's ``beta1``) as ``momentum-...``.

    Example:
        >>> LearningRateMonitor(logging_interval="step").logging_interval
        'step'
    """

    def __init__(self, logging_interval: str | None = None, log_momentum: bool = False) -> None:
        if logging_interval not in (None, "step", "epoch"):
            raise ValueError(
                f"logging_interval must be None, 'step' or 'epoch', got {logging_interval!r}"
            )
        self.logging_interval = logging_interval
        self.log_momentum = log_momentum
        self.history: list[tuple[int, dict[str, float]]] = []

    def _interval(self, trainer: Any) -> str:
        if self.logging_interval is not None:
            return self.logging_interval
        configs = trainer.lr_scheduler_configs
        return "step" if any(c.interval == "step" for c in configs) else "epoch"

    def current(self, trainer: Any) -> dict[str, float]:
        """``{name: value}`` for every parameter group of the trainer's optimizer."""
        optimizer = trainer.optimizer
        names = [c.name for c in trainer.lr_scheduler_configs if c.name]
        base = f"lr-{names[0] if names else type(optimizer).__name__}"
        groups = optimizer.param_groups
        values = {}
        for i, group in enumerate(groups):
            suffix = f"/pg{i + 1}" if len(groups) > 1 else ""
            values[base + suffix] = float(group["lr"])
            if self.log_momentum:
                momentum = group.get("momentum", group.get("betas", (None,))[0])
                if momentum is not None:
                    values["momentum" + base[2:] + suffix] = float(momentum)
        return values

    def _record(self, trainer: Any) -> None:
        values = self.current(trainer)
        self.history.append((trainer.global_step, values))
        trainer.callback_metrics.update(values)
        trainer.log_metrics(values)

    def on_train_batch_start(self, trainer: Any, module: Any, batch: Any, batch_idx: int) -> None:
        if (
            self._interval(trainer) == "step"
            and trainer.batches_done % trainer.accumulate_grad_batches == 0
        ):
            self._record(trainer)

    def on_train_epoch_start(self, trainer: Any, module: Any) -> None:
        if self._interval(trainer) == "epoch":
            self._record(trainer)
