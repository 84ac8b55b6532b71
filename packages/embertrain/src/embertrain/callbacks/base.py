"""``Callback``: the hooks the Trainer calls, all doing nothing until overridden."""

from __future__ import annotations

from typing import Any

__all__ = ["Callback"]


class Callback:
    """Base class of the Trainer's callbacks; override the hooks you need.

    Every hook receives the trainer and the ``TrainModule``. A callback with state to keep
    across a resume returns it from ``state_dict`` (plain values and tensors); the Trainer
    stores it in checkpoints under ``state_key`` and hands it back to ``load_state_dict``.

    Example:
        >>> class PrintEpoch(Callback):
        ...     def on_train_epoch_end(self, trainer, module):
        ...         print("epoch", trainer.current_epoch, "done")
        >>> PrintEpoch().state_key
        'PrintEpoch'
    """

    @property
    def state_key(self) -> str:
        """The key of this callback's state in a checkpoint (its class name by default)."""
        return type(self).__name__

    def state_dict(self) -> dict[str, Any]:
        """State to save in checkpoints (empty by default)."""
        return {}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned."""

    def setup(self, trainer: Any, module: Any, stage: str) -> None:
        """Before ``fit``/``validate``/``test``/``predict`` starts (``stage`` names it)."""

    def teardown(self, trainer: Any, module: Any, stage: str) -> None:
        """After ``fit``/``validate``/``test``/``predict`` ends, even on an error."""

    def on_fit_start(self, trainer: Any, module: Any) -> None:
        """When training starts (after a checkpoint was restored)."""

    def on_fit_end(self, trainer: Any, module: Any) -> None:
        """When training ends (also after an interrupt)."""

    def on_train_epoch_start(self, trainer: Any, module: Any) -> None:
        """At the start of every training epoch."""

    def on_train_epoch_end(self, trainer: Any, module: Any) -> None:
        """After an epoch's training, its validation and the epoch's scheduler steps."""

    def on_train_batch_start(self, trainer: Any, module: Any, batch: Any, batch_idx: int) -> None:
        """Before ``training_step``."""

    def on_train_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        """After a batch, its optimizer step (when it ends an accumulation) and any validation
        due then."""

    def on_before_optimizer_step(self, trainer: Any, module: Any, optimizer: Any) -> None:
        """After clipping, just before ``optimizer.step()``."""

    def on_validation_start(self, trainer: Any, module: Any) -> None:
        """Before a validation run."""

    def on_validation_end(self, trainer: Any, module: Any) -> None:
        """After a validation run; its metrics are in ``trainer.callback_metrics``."""

    def on_validation_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        """After each validation batch."""

    def on_test_start(self, trainer: Any, module: Any) -> None:
        """Before a test run."""

    def on_test_end(self, trainer: Any, module: Any) -> None:
        """After a test run."""

    def on_test_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        """After each test batch."""

    def on_predict_start(self, trainer: Any, module: Any) -> None:
        """Before a prediction run."""

    def on_predict_end(self, trainer: Any, module: Any) -> None:
        """After a prediction run."""

    def on_predict_batch_end(
        self, trainer: Any, module: Any, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        """After each prediction batch."""

    def on_exception(self, trainer: Any, module: Any, exception: BaseException) -> None:
        """When a run stops on an exception (KeyboardInterrupt included)."""
