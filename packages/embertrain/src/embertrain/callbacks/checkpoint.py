"""``ModelCheckpoint``: keep the best ``k`` checkpoints by a monitored metric, and the last."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from embertrain.callbacks.base import Callback

__all__ = ["ModelCheckpoint"]

_FIELD = re.compile(r"\{([^{}:]+)(:[^{}]*)?\}")


class ModelCheckpoint(Callback):
    """Save checkpoints (``trainer.save_checkpoint``: an ``ember.save`` file, written to a
    temporary file and renamed, so a crash never leaves a half-written one).

    Saves at the end of every ``every_n_epochs``-th epoch, or every ``every_n_train_steps``
    optimizer steps when that is given. With a ``monitor``ed metric only the ``save_top_k``
    best files are kept; without one, the ``save_top_k`` most recent.

    Args:
        dirpath: the folder (default ``<default_root_dir>/checkpoints``).
        filename: a name template such as ``"{epoch}-{val_loss:.3f}"``: each field is a logged
            metric, ``epoch`` or ``step``, written ``name=value`` (``auto_insert_metric_name``).
            Default ``"epoch={epoch}-step={step}"``. ``.ckpt`` is appended.
        monitor: the metric deciding which files are best (None: the latest are best).
        mode: ``"min"`` or ``"max"``: whether smaller or larger ``monitor`` values are better.
        save_top_k: how many files to keep (-1: all, 0: none but ``last.ckpt``).
        save_last: also write ``last.ckpt`` (overwritten at every save).
        every_n_epochs: save at the end of every n-th epoch (default 1 unless
            ``every_n_train_steps`` is set).
        every_n_train_steps: save every n optimizer steps instead, within epochs too.
        auto_insert_metric_name: write ``name=value`` for each template field (True) or the
            value alone.
        verbose: print each save.

    Example:
        >>> ckpt = ModelCheckpoint(monitor="val_loss", save_top_k=2, save_last=True)
        >>> ckpt.format_name({"epoch": 3, "step": 40, "val_loss": 0.25})
        'epoch=3-step=40'
    """

    CHECKPOINT_NAME_LAST = "last"
    FILE_EXTENSION = ".ckpt"

    def __init__(
        self,
        dirpath: str | Path | None = None,
        filename: str | None = None,
        monitor: str | None = None,
        mode: str = "min",
        save_top_k: int = 1,
        save_last: bool | None = None,
        *,
        every_n_epochs: int | None = None,
        every_n_train_steps: int | None = None,
        auto_insert_metric_name: bool = True,
        verbose: bool = False,
    ) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if save_top_k < -1:
            raise ValueError(f"save_top_k must be -1 or more, got {save_top_k}")
        self.dirpath = Path(dirpath) if dirpath is not None else None
        self.filename = filename
        self.monitor, self.mode, self.save_top_k = monitor, mode, save_top_k
        self.save_last = bool(save_last)
        self.every_n_train_steps = every_n_train_steps
        self.every_n_epochs = (
            (0 if every_n_train_steps else 1) if every_n_epochs is None else every_n_epochs
        )
        self.auto_insert_metric_name = auto_insert_metric_name
        self.verbose = verbose
        self.best_k_models: dict[str, float] = {}
        self.best_model_path = ""
        self.best_model_score: float | None = None
        self.kth_best_model_path = ""
        self.last_model_path = ""
        self._last_step_saved = -1
        self._recent: list[str] = []

    @property
    def state_key(self) -> str:
        return (
            f"ModelCheckpoint{{monitor={self.monitor!r}, mode={self.mode!r}, "
            f"every_n_train_steps={self.every_n_train_steps}, "
            f"every_n_epochs={self.every_n_epochs}}}"
        )

    def state_dict(self) -> dict[str, Any]:
        return {
            "best_k_models": dict(self.best_k_models),
            "best_model_path": self.best_model_path,
            "best_model_score": self.best_model_score,
            "last_model_path": self.last_model_path,
            "recent": list(self._recent),
            "dirpath": str(self.dirpath) if self.dirpath else "",
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        # The files it names are only ours to rank (and delete) when we write to that folder.
        if state_dict.get("dirpath") != str(self.dirpath):
            return
        self.best_k_models = {str(k): float(v) for k, v in state_dict["best_k_models"].items()}
        self.best_model_path = state_dict["best_model_path"]
        self.best_model_score = state_dict["best_model_score"]
        self.last_model_path = state_dict["last_model_path"]
        self._recent = list(state_dict.get("recent", []))
        self._update_kth()

    def setup(self, trainer: Any, module: Any, stage: str) -> None:
        if self.dirpath is None:
            self.dirpath = Path(trainer.default_root_dir) / "checkpoints"

    # -- when to save -------------------------------------------------------------------------

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        n = self.every_n_train_steps
        step = trainer.global_step
        if n and step and step % n == 0 and step != self._last_step_saved:
            self.save(trainer, strict=False)

    def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
        n = self.every_n_epochs
        if (
            n
            and (trainer.current_epoch + 1) % n == 0
            and trainer.global_step != self._last_step_saved
        ):
            self.save(trainer, strict=True)

    # -- saving -------------------------------------------------------------------------------

    def save(self, trainer: Any, *, strict: bool = True) -> None:
        """Save a checkpoint now, keep it if it ranks in the top k, and refresh ``last.ckpt``.

        Args:
            trainer: the running trainer.
            strict: raise when the monitored metric was never logged (else skip the top-k
                file, as step-wise saves do before the first validation).
        """
        if trainer.fast_dev_run:
            return
        self._last_step_saved = trainer.global_step
        metrics = {
            **trainer.callback_metrics,
            "epoch": trainer.current_epoch,
            "step": trainer.global_step,
        }
        if self.save_top_k != 0:
            score = self._score(metrics, strict)
            if score is not None or self.monitor is None:
                self._save_ranked(trainer, metrics, score)
        if self.save_last:
            self.last_model_path = str(self._path(self.CHECKPOINT_NAME_LAST))
            trainer.save_checkpoint(self.last_model_path)

    def _score(self, metrics: dict[str, Any], strict: bool) -> float | None:
        if self.monitor is None:
            return None
        if self.monitor not in metrics:
            if not strict:
                return None
            raise KeyError(
                f"ModelCheckpoint(monitor={self.monitor!r}) found no such metric; "
                f"logged metrics: {sorted(metrics)}. Log it with self.log or "
                "change monitor"
            )
        return float(metrics[self.monitor])

    def _better(self, a: float, b: float) -> bool:
        if math.isnan(a):
            return False
        return math.isnan(b) or (a < b if self.mode == "min" else a > b)

    def _save_ranked(self, trainer: Any, metrics: dict[str, Any], score: float | None) -> None:
        path = str(self._unique(self._path(self.format_name(metrics))))
        if score is None:  # no monitor: keep the most recent save_top_k files
            trainer.save_checkpoint(path)
            self._recent.append(path)
            self.best_model_path = path
            while self.save_top_k != -1 and len(self._recent) > self.save_top_k:
                self._remove(self._recent.pop(0))
            return
        full = self.save_top_k != -1 and len(self.best_k_models) >= self.save_top_k
        if full and not self._better(score, self.best_k_models[self.kth_best_model_path]):
            return
        trainer.save_checkpoint(path)
        if full:
            self._remove(self.kth_best_model_path)
            del self.best_k_models[self.kth_best_model_path]
        self.best_k_models[path] = score
        self._update_kth()
        if self.verbose:
            print(
                f"epoch {trainer.current_epoch}, step {trainer.global_step}: "
                f"{self.monitor}={score:.5g}, saved {path}"
            )

    def _update_kth(self) -> None:
        if not self.best_k_models:
            return
        sign = 1.0 if self.mode == "min" else -1.0
        order = sorted(self.best_k_models, key=lambda p: _sort_key(sign * self.best_k_models[p]))
        self.best_model_path, self.kth_best_model_path = order[0], order[-1]
        self.best_model_score = self.best_k_models[order[0]]

    def format_name(self, metrics: dict[str, Any]) -> str:
        """The file name (without folder and extension) for these metric values."""
        template = self.filename or "{epoch}-{step}"

        def field(match: re.Match) -> str:
            name, spec = match.group(1), match.group(2) or ""
            value = metrics.get(name, float("nan"))
            text = format(value, spec[1:]) if spec else str(value)
            return f"{name}={text}" if self.auto_insert_metric_name else text

        return _FIELD.sub(field, template)

    def _path(self, name: str) -> Path:
        return Path(self.dirpath) / f"{name}{self.FILE_EXTENSION}"

    def _unique(self, path: Path) -> Path:
        """``path``, or ``name-v1.ckpt``, ... when a kept checkpoint already has that name."""
        kept = set(self.best_k_models) | set(self._recent)
        version, candidate = 0, path
        while str(candidate) in kept:
            version += 1
            candidate = path.with_name(f"{path.stem}-v{version}{path.suffix}")
        return candidate

    def _remove(self, path: str) -> None:
        if path and path != self.last_model_path:
            Path(path).unlink(missing_ok=True)


def _sort_key(score: float) -> float:
    """Ascending order of goodness, NaN last (worst)."""
    return math.inf if math.isnan(score) else score
