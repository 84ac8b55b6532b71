"""Loggers: where the Trainer writes logged metrics (a CSV file; TensorBoard event files).

Example:
    >>> logger = CSVLogger("runs", name="demo")  # doctest: +SKIP
    >>> Trainer(logger=logger)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["Logger", "CSVLogger", "TensorBoardLogger"]


def _next_version(root: Path) -> int:
    versions = [int(p.name[8:]) for p in root.glob("version_*") if p.name[8:].isdigit()]
    return max(versions, default=-1) + 1


class Logger:
    """Base class: a logger gets ``log_metrics(metrics, step)`` and ``finalize(status)``.

    Args:
        save_dir: the root folder.
        name: a sub-folder for this experiment ("" for none).
        version: the run's sub-folder ``version_<n>`` (default: the next free number), or a
            string used as the folder name.
    """

    def __init__(
        self, save_dir: str | Path, name: str = "logs", version: int | str | None = None
    ) -> None:
        self.save_dir = Path(save_dir)
        self.name = name
        self._version = version

    @property
    def root_dir(self) -> Path:
        """``save_dir/name``."""
        return self.save_dir / self.name if self.name else self.save_dir

    @property
    def version(self) -> int | str:
        """The run's version (the next free number, fixed on first use)."""
        if self._version is None:
            self._version = _next_version(self.root_dir)
        return self._version

    @property
    def log_dir(self) -> Path:
        """The run's folder: ``save_dir/name/version_<n>``."""
        v = self.version
        return self.root_dir / (v if isinstance(v, str) else f"version_{v}")

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        """Record ``metrics`` at optimizer step ``step``."""
        raise NotImplementedError

    def log_hyperparams(self, params: Mapping[str, Any]) -> None:
        """Record the run's hyper-parameters (``hparams.json`` in ``log_dir``)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / "hparams.json", "w", encoding="utf-8") as f:
            json.dump(dict(params), f, indent=1, default=str)

    def finalize(self, status: str) -> None:
        """Flush and close at the end of a run (``status``: success, failed, interrupted)."""


class CSVLogger(Logger):
    """Write every logged value to ``log_dir/metrics.csv``, one row per call, a column per name.

    A row holds ``step`` and the values logged together (empty cells for the others); a new
    name rewrites the file with the wider header, so the file is complete at any moment.

    Example:
        >>> logger = CSVLogger("runs")  # doctest: +SKIP
        >>> logger.log_metrics({"train_loss": 0.5}, step=10)  # doctest: +SKIP
    """

    def __init__(
        self, save_dir: str | Path, name: str = "logs", version: int | str | None = None
    ) -> None:
        super().__init__(save_dir, name, version)
        self.rows: list[dict[str, Any]] = []
        self._columns: list[str] = ["step"]

    @property
    def metrics_file(self) -> Path:
        """``log_dir/metrics.csv``."""
        return self.log_dir / "metrics.csv"

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        row = {"step": int(step), **{k: float(v) for k, v in metrics.items()}}
        self.rows.append(row)
        new = [k for k in row if k not in self._columns]
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if new or not self.metrics_file.exists():
            self._columns += new
            with open(self.metrics_file, "w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, self._columns)
                writer.writeheader()
                writer.writerows(self.rows)
        else:
            with open(self.metrics_file, "a", newline="", encoding="utf-8") as f:
                csv.DictWriter(f, self._columns).writerow(row)


class TensorBoardLogger(Logger):
    """Write TensorBoard event files (scalars) into ``log_dir`` through ``tensorboardX``.

    Needs the ``embertrain[tensorboard]`` extra (``tensorboardX``, a small pure-Python writer);
    view the runs with ``tensorboard --logdir <save_dir>``.

    Example:
        >>> logger = TensorBoardLogger("runs")  # doctest: +SKIP
    """

    def __init__(
        self, save_dir: str | Path, name: str = "tb_logs", version: int | str | None = None
    ) -> None:
        try:
            from tensorboardX import SummaryWriter
        except ImportError:
            raise ImportError(
                "TensorBoardLogger writes through tensorboardX: pip install "
                "'embertrain[tensorboard]' (or tensorboardX)"
            ) from None
        super().__init__(save_dir, name, version)
        self._writer_cls = SummaryWriter
        self._writer: Any = None

    @property
    def experiment(self) -> Any:
        """The ``tensorboardX.SummaryWriter`` (created on first use)."""
        if self._writer is None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self._writer = self._writer_cls(logdir=str(self.log_dir))
        return self._writer

    def log_metrics(self, metrics: Mapping[str, float], step: int) -> None:
        for name, value in metrics.items():
            if name != "epoch":
                self.experiment.add_scalar(name, float(value), global_step=int(step))

    def log_hyperparams(self, params: Mapping[str, Any]) -> None:
        super().log_hyperparams(params)
        self.experiment.add_text("hparams", json.dumps(dict(params), default=str))

    def finalize(self, status: str) -> None:
        if self._writer is not None:
            self._writer.flush()
            self._writer.close()
            self._writer = None
