"""``TrainModule``: an ``nn.Module`` that also says how to train, validate and test itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ember
from ember import nn

if TYPE_CHECKING:
    from embertrain.trainer import Trainer

__all__ = ["TrainModule"]


class TrainModule(nn.Module):
    """Base class for a model that the ``Trainer`` drives, written as in PyTorch Lightning.

    Override ``training_step`` (return the loss, or a dict with ``"loss"``) and
    ``configure_optimizers``; ``validation_step``, ``test_step`` and ``predict_step`` are
    optional. Inside a step, ``self.log(name, value)`` records a number for the progress bar,
    the logger and the callbacks (``trainer.callback_metrics``). These hooks run when defined:
    ``on_fit_start()``, ``on_fit_end()``, ``on_train_epoch_start()``, ``on_train_epoch_end()``,
    ``on_validation_epoch_end()``, ``on_test_epoch_end()`` (the ``*_epoch_end`` ones before the
    epoch's values are reduced, so they may ``log``), ``on_train_batch_start(batch,
    batch_idx)``, ``on_train_batch_end(outputs, batch, batch_idx)``,
    ``on_before_optimizer_step(optimizer)``, ``on_validation_start()``/``_end()`` and
    ``on_test_start()``/``_end()``.

    Example:
        >>> class Regressor(TrainModule):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.net = nn.Linear(3, 1)
        ...     def training_step(self, batch, batch_idx):
        ...         x, y = batch
        ...         loss = nn.functional.mse_loss(self.net(x), y)
        ...         self.log("train_loss", loss)
        ...         return loss
        ...     def configure_optimizers(self):
        ...         return ember.optim.SGD(self.parameters(), lr=0.1)
        >>> isinstance(Regressor(), nn.Module)
        True
    """

    def __init__(self) -> None:
        super().__init__()
        self._trainer: Trainer | None = None

    @property
    def trainer(self) -> Trainer:
        """The ``Trainer`` running this module (an error outside ``fit``/``validate``/...)."""
        trainer = self.__dict__.get("_trainer")
        if trainer is None:
            raise RuntimeError(
                f"{type(self).__name__} is not attached to a Trainer: call it "
                "through trainer.fit/validate/test/predict"
            )
        return trainer

    @property
    def current_epoch(self) -> int:
        """The epoch being run (0-based); 0 outside a Trainer."""
        trainer = self.__dict__.get("_trainer")
        return 0 if trainer is None else trainer.current_epoch

    @property
    def global_step(self) -> int:
        """Optimizer steps taken so far; 0 outside a Trainer."""
        trainer = self.__dict__.get("_trainer")
        return 0 if trainer is None else trainer.global_step

    def training_step(self, batch: Any, batch_idx: int) -> Any:
        """Compute and return the loss of one training batch (a tensor, or a dict with
        ``"loss"``; None skips the batch)."""
        raise NotImplementedError(
            f"{type(self).__name__} must define training_step to be trained by Trainer.fit"
        )

    def validation_step(self, batch: Any, batch_idx: int) -> Any:
        """Score one validation batch, usually through ``self.log``."""
        raise NotImplementedError(f"{type(self).__name__} defines no validation_step")

    def test_step(self, batch: Any, batch_idx: int) -> Any:
        """Score one test batch, usually through ``self.log``."""
        raise NotImplementedError(f"{type(self).__name__} defines no test_step")

    def predict_step(self, batch: Any, batch_idx: int) -> Any:
        """The prediction for one batch; by default ``self(batch)`` (or ``self(batch[0])`` for
        an ``(inputs, targets)`` pair)."""
        if isinstance(batch, (list, tuple)) and len(batch) == 2:
            return self(batch[0])
        return self(batch)

    def configure_optimizers(self) -> Any:
        """An optimizer, or ``{"optimizer": opt, "lr_scheduler": sched_or_config}`` with a
        config ``{"scheduler": s, "interval": "epoch"|"step", "frequency": n,
        "monitor": name}``; ``(optimizer, scheduler)`` and ``([opt], [sched])`` work too."""
        raise NotImplementedError(f"{type(self).__name__} must define configure_optimizers")

    def log(
        self,
        name: str,
        value: Any,
        *,
        prog_bar: bool = False,
        logger: bool = True,
        on_step: bool | None = None,
        on_epoch: bool | None = None,
        reduce_fx: str = "mean",
        batch_size: int | None = None,
    ) -> None:
        """Record a number (or an ``embertrain.metrics.Metric``) under ``name``.

        Args:
            name: the key in ``trainer.callback_metrics`` and the logger.
            value: a number, a one-element tensor or a ``Metric`` (computed and reset per
                epoch).
            prog_bar: show it on the progress bar.
            logger: send it to the logger.
            on_step: record the value of every step (default: True in ``training_step``,
                False elsewhere).
            on_epoch: reduce the values over the epoch or the evaluation run (default: False
                in ``training_step``, True elsewhere). With both, the logger gets
                ``name_step`` and ``name_epoch``.
            reduce_fx: the epoch reduction: ``"mean"`` (weighted by batch size), ``"sum"``,
                ``"max"`` or ``"min"``.
            batch_size: the weight of this value in the epoch mean (default: the batch's
                first dimension).
        """
        trainer = self.__dict__.get("_trainer")
        if trainer is None:
            return  # outside a Trainer, as Lightning: logging is a no-op
        trainer._log(
            name,
            value,
            prog_bar=prog_bar,
            logger=logger,
            on_step=on_step,
            on_epoch=on_epoch,
            reduce_fx=reduce_fx,
            batch_size=batch_size,
        )

    def log_dict(self, dictionary: Mapping[str, Any], **kwargs: Any) -> None:
        """``self.log`` for every item of ``dictionary`` (same keyword options)."""
        for name, value in dictionary.items():
            self.log(name, value, **kwargs)


class TripleModule(TrainModule):
    """The ``TrainModule`` the Trainer builds from a plain ``(model, loss_fn, optimizer)``.

    Batches are ``(inputs, targets)`` pairs: ``loss_fn(model(inputs), targets)`` is the loss,
    logged as ``train_loss`` (on the progress bar), ``val_loss`` and ``test_loss``. Its
    ``state_dict`` is the model's own, so checkpoints load straight into ``model``.
    """

    def __init__(
        self, model: nn.Module, loss_fn: Callable[..., Any], optimizer: ember.optim.Optimizer
    ) -> None:
        super().__init__()
        if not isinstance(model, nn.Module):
            raise TypeError(
                f"the triple's first item must be an nn.Module, got {type(model).__name__}"
            )
        self.model = model
        self.loss_fn = loss_fn
        self.__dict__["_optimizer"] = optimizer

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.model(*args, **kwargs)

    def _loss(self, batch: Any, name: str, **kwargs: Any) -> Any:
        inputs, targets = batch
        loss = self.loss_fn(self.model(inputs), targets)
        self.log(name, loss, **kwargs)
        return loss

    def training_step(self, batch: Any, batch_idx: int) -> Any:
        return self._loss(batch, "train_loss", prog_bar=True)

    def validation_step(self, batch: Any, batch_idx: int) -> Any:
        return self._loss(batch, "val_loss", prog_bar=True)

    def test_step(self, batch: Any, batch_idx: int) -> Any:
        return self._loss(batch, "test_loss")

    def configure_optimizers(self) -> Any:
        return self.__dict__["_optimizer"]

    def state_dict(self, *args: Any, **kwargs: Any) -> Any:
        return self.model.state_dict(*args, **kwargs)

    def load_state_dict(self, state_dict: Any, strict: bool = True, **kwargs: Any) -> Any:
        return self.model.load_state_dict(state_dict, strict=strict, **kwargs)


def as_train_module(module: Any) -> TrainModule:
    """``module`` itself, or a ``TripleModule`` for a ``(model, loss_fn, optimizer)`` triple."""
    if isinstance(module, TrainModule):
        return module
    if isinstance(module, (tuple, list)) and len(module) == 3:
        return TripleModule(*module)
    raise TypeError(
        f"expected a TrainModule or a (model, loss_fn, optimizer) triple, got "
        f"{type(module).__name__}"
    )
