"""``TQDMProgressBar``: one bar per training epoch with the live loss and metrics."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from embertrain.callbacks.base import Callback

__all__ = ["TQDMProgressBar"]


def _loss_of(outputs: Any) -> float | None:
    loss = outputs.get("loss") if isinstance(outputs, Mapping) else outputs
    if loss is None:
        return None
    try:
        return float(loss.detach().item())
    except (AttributeError, TypeError, ValueError):
        return None


class TQDMProgressBar(Callback):
    """A ``tqdm`` bar per training epoch (and a transient one per validation run) on stderr.

    The bar's postfix shows the running mean of the last 20 training losses as ``loss`` and
    every value logged with ``prog_bar=True`` (validation values once a run ends).

    Args:
        refresh_rate: update the bar every this many batches.
        leave: keep each epoch's finished bar on screen.
        file: where to draw (``sys.stderr`` by default).

    Example:
        >>> bar = TQDMProgressBar(refresh_rate=10)
        >>> bar.refresh_rate
        10
    """

    def __init__(self, refresh_rate: int = 1, *, leave: bool = True, file: Any = None) -> None:
        self.refresh_rate = max(1, int(refresh_rate))
        self.leave = leave
        self.file = file
        self._bar: Any = None
        self._val_bar: Any = None
        self._losses: list[float] = []

    def _tqdm(self, **kwargs: Any) -> Any:
        from tqdm import tqdm  # imported on first use: keeps `import embertrain` light

        return tqdm(file=self.file or sys.stderr, dynamic_ncols=True, **kwargs)

    def postfix(self, trainer: Any) -> dict[str, str]:
        """The text after the bar: ``loss`` and the ``prog_bar`` metrics."""
        items = {}
        if self._losses:
            items["loss"] = f"{sum(self._losses) / len(self._losses):.4g}"
        for name, value in trainer.progress_bar_metrics.items():
            items[name] = f"{value:.4g}"
        return items

    def on_train_epoch_start(self, trainer: Any, module: Any) -> None:
        self._close()
        total = trainer.num_training_batches
        if total is None:
            try:
                total = len(trainer.train_dataloader)
            except TypeError:
                total = None
        epochs = "" if trainer.max_epochs == -1 else f"/{trainer.max_epochs}"
        self._bar = self._tqdm(
            total=total,
            desc=f"epoch {trainer.current_epoch + 1}{epochs}",
            leave=self.leave,
            unit="batch",
        )
        done = trainer.batches_done
        if done:
            self._bar.update(done)  # resumed mid-epoch

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        loss = _loss_of(outputs)
        if loss is not None:
            self._losses = (self._losses + [loss])[-20:]
        if self._bar is not None and (batch_idx + 1) % self.refresh_rate == 0:
            self._bar.update(batch_idx + 1 - self._bar.n)
            self._bar.set_postfix(self.postfix(trainer), refresh=False)

    def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
        if self._bar is not None:
            self._bar.update(trainer.batches_done - self._bar.n)
            self._bar.set_postfix(self.postfix(trainer), refresh=False)
        self._close()

    def on_validation_start(self, trainer: Any, module: Any) -> None:
        if trainer.state == "fit":
            self._val_bar = self._tqdm(desc="validating", leave=False, unit="batch")

    def on_validation_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        if self._val_bar is not None and (batch_idx + 1) % self.refresh_rate == 0:
            self._val_bar.update(batch_idx + 1 - self._val_bar.n)

    def on_validation_end(self, trainer: Any, module: Any) -> None:
        if self._val_bar is not None:
            self._val_bar.close()
            self._val_bar = None
        if self._bar is not None:
            self._bar.set_postfix(self.postfix(trainer))

    def on_fit_end(self, trainer: Any, module: Any) -> None:
        self._close()

    def on_exception(self, trainer: Any, module: Any, exception: BaseException) -> None:
        self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
