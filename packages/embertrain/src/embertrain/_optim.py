"""Reading what ``configure_optimizers`` returned, and stepping the schedulers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ember.optim import Optimizer
from ember.optim.lr_scheduler import ReduceLROnPlateau

_SCHED_KEYS = {"scheduler", "interval", "frequency", "monitor", "strict", "name"}


@dataclass
class SchedulerConfig:
    """A scheduler and when it steps (Lightning's ``lr_scheduler`` dict)."""

    scheduler: Any
    interval: str = "epoch"
    frequency: int = 1
    monitor: str | None = None
    strict: bool = True
    name: str | None = None


def _scheduler_config(value: Any, monitor: str | None) -> SchedulerConfig:
    if isinstance(value, Mapping):
        unknown = set(value) - _SCHED_KEYS
        if "scheduler" not in value or unknown:
            raise ValueError(
                "an lr_scheduler dict needs 'scheduler' and may hold only "
                f"{sorted(_SCHED_KEYS)}; got keys {sorted(value)}"
            )
        config = SchedulerConfig(**value)
    else:
        config = SchedulerConfig(value)
    if config.monitor is None:
        config.monitor = monitor
    if config.interval not in ("epoch", "step"):
        raise ValueError(
            f"lr_scheduler interval must be 'epoch' or 'step', got {config.interval!r}"
        )
    if int(config.frequency) < 1:
        raise ValueError(f"lr_scheduler frequency must be at least 1, got {config.frequency}")
    if isinstance(config.scheduler, ReduceLROnPlateau) and config.monitor is None:
        raise ValueError(
            "ReduceLROnPlateau needs a metric: return {'optimizer': opt, "
            "'lr_scheduler': {'scheduler': sched, 'monitor': 'val_loss'}}"
        )
    return config


def _single(items: Any, what: str) -> Any:
    items = list(items)
    if len(items) != 1:
        raise ValueError(
            f"configure_optimizers returned {len(items)} {what}s; embertrain "
            f"drives one optimizer (combine parameter groups into one)"
        )
    return items[0]


def parse_optimizers(returned: Any) -> tuple[Optimizer, list[SchedulerConfig]]:
    """The optimizer and scheduler configs from ``configure_optimizers``' return value.

    Accepts an optimizer, ``{"optimizer": opt, "lr_scheduler": sched_or_dict, "monitor": m}``,
    ``(opt, sched)`` and ``([opt], [sched, ...])``.
    """
    scheds: list[Any] = []
    monitor = None
    if isinstance(returned, Mapping):
        if "optimizer" not in returned:
            raise ValueError(
                f"the dict from configure_optimizers needs an 'optimizer' key, "
                f"got {sorted(returned)}"
            )
        opt = returned["optimizer"]
        monitor = returned.get("monitor")
        if returned.get("lr_scheduler") is not None:
            scheds = [returned["lr_scheduler"]]
    elif (
        isinstance(returned, (list, tuple))
        and len(returned) == 2
        and isinstance(returned[0], (list, tuple))
    ):
        opt, scheds = _single(returned[0], "optimizer"), list(returned[1])
    elif isinstance(returned, (list, tuple)) and returned and isinstance(returned[0], Optimizer):
        opt, scheds = returned[0], list(returned[1:])
    else:
        opt = returned
    if not isinstance(opt, Optimizer):
        raise TypeError(
            f"configure_optimizers must return an ember.optim.Optimizer (or a "
            f"dict/tuple holding one), got {type(opt).__name__}"
        )
    return opt, [_scheduler_config(s, monitor) for s in scheds]


def step_schedulers(
    configs: list[SchedulerConfig], interval: str, count: int, metrics: Mapping[str, float]
) -> None:
    """Step every scheduler of ``interval`` whose ``frequency`` divides ``count`` (the steps
    or epochs done); ``ReduceLROnPlateau`` gets its monitored metric."""
    for config in configs:
        if config.interval != interval or count % int(config.frequency):
            continue
        if isinstance(config.scheduler, ReduceLROnPlateau):
            if config.monitor not in metrics:
                if not config.strict:
                    continue
                raise KeyError(
                    f"ReduceLROnPlateau monitors {config.monitor!r}, which was not "
                    f"logged; logged metrics: {sorted(metrics)}"
                )
            config.scheduler.step(metrics[config.monitor])
        else:
            config.scheduler.step()
