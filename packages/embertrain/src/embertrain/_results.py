"""What ``self.log`` records: step values, running epoch reductions and where they go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from embertrain._utils import to_float
from embertrain.metrics import Metric

_REDUCE = {"mean", "sum", "max", "min"}


@dataclass
class _Entry:
    """One logged name within a stage: its options and its running epoch reduction."""

    prog_bar: bool
    logger: bool
    on_step: bool
    on_epoch: bool
    reduce_fx: str
    total: float = 0.0
    weight: float = 0.0
    metric: Metric | None = None

    def add(self, value: float, weight: float) -> None:
        if self.reduce_fx == "mean":
            self.total += value * weight
            self.weight += weight
        elif self.weight == 0:
            self.total, self.weight = value, 1.0
        elif self.reduce_fx == "sum":
            self.total += value
        else:
            self.total = (
                max(self.total, value) if self.reduce_fx == "max" else min(self.total, value)
            )

    def value(self) -> float:
        if self.metric is not None:
            return to_float(self.metric.compute(), "metric")
        if self.reduce_fx == "mean":
            return self.total / self.weight if self.weight else float("nan")
        return self.total


class Results:
    """The logged values of the running stage (``"train"``, ``"validate"``, ``"test"``).

    ``callback_metrics`` holds the latest value of every name (what callbacks monitor),
    ``progress_bar_metrics`` the ones logged with ``prog_bar=True`` and ``pending_log`` what the
    logger has not received yet.
    """

    def __init__(self) -> None:
        self.stage = "train"
        self.entries: dict[str, dict[str, _Entry]] = {}
        self.callback_metrics: dict[str, float] = {}
        self.progress_bar_metrics: dict[str, float] = {}
        self.pending_log: dict[str, float] = {}

    def start(self, stage: str) -> None:
        """Begin an epoch (or an evaluation run) of ``stage``: reset its reductions."""
        self.stage = stage
        for entry in self.entries.pop(stage, {}).values():
            if entry.metric is not None:
                entry.metric.reset()

    def log(self, name: str, value: Any, options: dict[str, Any], default_size: int = 1) -> None:
        """Record ``value`` under ``name``; ``options`` are ``TrainModule.log``'s keywords."""
        training = self.stage == "train"
        on_step, on_epoch = options["on_step"], options["on_epoch"]
        on_step = training if on_step is None else on_step
        on_epoch = (not training) if on_epoch is None else on_epoch
        reduce_fx = options["reduce_fx"]
        if reduce_fx not in _REDUCE:
            raise ValueError(f"reduce_fx must be one of {sorted(_REDUCE)}, got {reduce_fx!r}")
        if not training and on_step:
            on_step = False  # evaluation values are reduced over the run, as in Lightning
            on_epoch = True
        stage = self.entries.setdefault(self.stage, {})
        entry = stage.get(name)
        if entry is None:
            entry = stage[name] = _Entry(
                options["prog_bar"], options["logger"], on_step, on_epoch, reduce_fx
            )
        if isinstance(value, Metric):
            entry.metric = value
            if on_step:
                self._publish(name, entry, to_float(value.compute(), name), "_step")
            return
        number = to_float(value, name)
        if on_step:
            self._publish(name, entry, number, "_step")
        if on_epoch:
            entry.add(number, float(options["batch_size"] or default_size))

    def _publish(self, name: str, entry: _Entry, value: float, suffix: str) -> None:
        forked = entry.on_step and entry.on_epoch
        key = name + suffix if forked else name
        self.callback_metrics[name] = value
        if forked:
            self.callback_metrics[key] = value
        if entry.prog_bar:
            self.progress_bar_metrics[name] = value
        if entry.logger:
            self.pending_log[key] = value

    def end(self) -> dict[str, float]:
        """Finish the running epoch or evaluation run; returns its epoch values by name."""
        values = {}
        for name, entry in self.entries.get(self.stage, {}).items():
            if entry.on_epoch:
                values[name] = entry.value()
                self._publish(name, entry, values[name], "_epoch")
        return values

    def step_names(self, stage: str) -> list[str]:
        """The ``callback_metrics`` keys of ``stage``'s per-step values."""
        return [
            name + "_step" if e.on_epoch else name
            for name, e in self.entries.get(stage, {}).items()
            if e.on_step
        ]

    def epoch_names(self, stage: str) -> list[str]:
        """The ``callback_metrics`` keys of ``stage``'s epoch values."""
        return [
            name + "_epoch" if e.on_step else name
            for name, e in self.entries.get(stage, {}).items()
            if e.on_epoch
        ]

    def take_pending(self) -> dict[str, float]:
        """What the logger should write now (and forget it)."""
        pending, self.pending_log = self.pending_log, {}
        return pending

    def state_dict(self, metrics: dict[str, Metric]) -> dict[str, Any]:
        """The training stage's running reductions (for a mid-epoch checkpoint).

        A logged ``Metric`` is saved as its running state and its name in ``metrics`` (the
        module's metric attributes by dotted name).
        """
        names = {id(m): name for name, m in metrics.items()}
        state = {}
        for name, e in self.entries.get("train", {}).items():
            options = [e.prog_bar, e.logger, e.on_step, e.on_epoch, e.reduce_fx]
            saved: dict[str, Any] = {"total": e.total, "weight": e.weight, "options": options}
            if e.metric is not None:
                if id(e.metric) not in names:
                    continue  # a metric the module does not hold: it cannot be re-linked
                saved["metric"] = names[id(e.metric)]
                saved["metric_state"] = e.metric.state_dict()
            state[name] = saved
        return state

    def load_state_dict(self, state: dict[str, Any], metrics: dict[str, Metric]) -> None:
        """Restore the training stage's running reductions (and its metrics' states)."""
        train = self.entries.setdefault("train", {})
        for name, saved in state.items():
            entry = train[name] = _Entry(*saved["options"])
            entry.total, entry.weight = saved["total"], saved["weight"]
            if "metric" in saved:
                entry.metric = metrics[saved["metric"]]
                entry.metric.load_state_dict(saved["metric_state"])
