"""``PlotCurves``: PNG curves of the logged metrics, drawn with matplotlib at the end of fit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from embertrain.callbacks.base import Callback

__all__ = ["PlotCurves"]

_STAGE = re.compile(r"^(train|val|valid|validation|test)[_/]")
_FORK = re.compile(r"_(step|epoch)$")


def curve_group(name: str) -> str:
    """The figure a metric goes to: its name without a stage prefix or ``_step``/``_epoch``.

    Example:
        >>> curve_group("val_loss"), curve_group("train_acc_epoch")
        ('loss', 'acc')
    """
    return _FORK.sub("", _STAGE.sub("", name)) or name


class PlotCurves(Callback):
    """Record every logged number during ``fit`` and write one PNG per metric at the end.

    ``train_loss``, ``val_loss`` and ``train_loss_step`` share ``loss.png``; step values are
    drawn against the epoch fraction, epoch values at each epoch's end. Needs matplotlib (the
    ``embertrain[plot]`` extra), checked when the callback is created.

    Args:
        dirpath: the folder for the PNGs (default: the trainer's ``log_dir``).
        dpi: the resolution of the figures.

    Example:
        >>> cb = PlotCurves("runs/plots")  # doctest: +SKIP
    """

    def __init__(self, dirpath: str | Path | None = None, *, dpi: int = 100) -> None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise ImportError(
                "PlotCurves draws with matplotlib: pip install 'embertrain[plot]' (or matplotlib)"
            ) from None
        self.dirpath = Path(dirpath) if dirpath is not None else None
        self.dpi = dpi
        self.history: dict[str, list[tuple[float, float]]] = {}
        self.paths: list[Path] = []

    def state_dict(self) -> dict[str, Any]:
        return {"history": {k: [list(p) for p in v] for k, v in self.history.items()}}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.history = {
            k: [(float(x), float(y)) for x, y in v] for k, v in state_dict["history"].items()
        }

    def _x(self, trainer: Any, epoch_end: bool) -> float:
        total = trainer.num_training_batches
        if epoch_end or not total:
            return float(trainer.current_epoch + 1)
        return trainer.current_epoch + trainer.batches_done / total

    def _add(self, trainer: Any, names: Any, epoch_end: bool) -> None:
        x = self._x(trainer, epoch_end)
        for name in names:
            value = trainer.callback_metrics.get(name)
            if value is not None:
                self.history.setdefault(name, []).append((x, float(value)))

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        names = trainer._results.step_names("train")
        self._add(trainer, names, epoch_end=False)

    def on_validation_end(self, trainer: Any, module: Any) -> None:
        if trainer.state == "fit":
            end = trainer.batches_done in (0, trainer.num_training_batches)
            self._add(trainer, trainer._results.epoch_names("validate"), epoch_end=end)

    def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
        self._add(trainer, trainer._results.epoch_names("train"), epoch_end=True)

    def on_fit_end(self, trainer: Any, module: Any) -> None:
        self.paths = self.plot(self.dirpath or Path(trainer.log_dir))

    def plot(self, folder: Path) -> list[Path]:
        """Write the figures into ``folder``; returns their paths."""
        from matplotlib.figure import Figure  # no pyplot: leaves the user's backend alone

        groups: dict[str, list[str]] = {}
        for name in self.history:
            groups.setdefault(curve_group(name), []).append(name)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for group, names in sorted(groups.items()):
            fig = Figure(figsize=(6.4, 4.0))
            ax = fig.add_subplot()
            for name in names:
                xs, ys = zip(*self.history[name])
                style = "-" if len(xs) > 20 else "o-"
                ax.plot(xs, ys, style, label=name, linewidth=1.2, markersize=3)
            ax.set_xlabel("epoch")
            ax.set_ylabel(group)
            ax.grid(alpha=0.3)
            ax.legend()
            fig.tight_layout()
            path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', group)}.png"
            fig.savefig(path, dpi=self.dpi)
            paths.append(path)
        return paths
