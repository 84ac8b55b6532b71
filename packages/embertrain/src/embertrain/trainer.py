"""``Trainer``: the fit / validate / test / predict loops around a ``TrainModule``."""

from __future__ import annotations

import contextlib
import itertools
import signal
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ember
from ember import nn
from embertrain._optim import SchedulerConfig, parse_optimizers, step_schedulers
from embertrain._results import Results
from embertrain._utils import (
    batch_size,
    limit_batches,
    loader_length,
    move_to,
    rng_states,
    set_rng_states,
)
from embertrain._version import __version__
from embertrain.callbacks import Callback, EarlyStopping, ModelCheckpoint, TQDMProgressBar
from embertrain.loggers import CSVLogger, Logger
from embertrain.metrics import Metric
from embertrain.module import TrainModule, as_train_module

__all__ = ["Trainer"]

_PRECISIONS = {
    "32": "32",
    "32-true": "32",
    32: "32",
    "16-mixed": "16-mixed",
    "bf16-mixed": "bf16-mixed",
}
# Hooks a TrainModule may define too (called after the callbacks', with the same arguments
# less the trainer and module). The *_epoch_end hooks are called before the epoch's values are
# reduced, so that what they log counts.
_MODULE_HOOKS = {
    "on_fit_start",
    "on_fit_end",
    "on_train_epoch_start",
    "on_train_batch_start",
    "on_train_batch_end",
    "on_before_optimizer_step",
    "on_validation_start",
    "on_validation_end",
    "on_test_start",
    "on_test_end",
}
_EVAL_STEPS = {"validate": "validation_step", "test": "test_step", "predict": "predict_step"}


class Trainer:
    """Runs the training loop of a ``TrainModule`` (or a ``(model, loss_fn, optimizer)`` triple).

    The loop is the one people write by hand: for every batch ``training_step``, ``backward``,
    (every ``accumulate_grad_batches`` batches) gradient clipping, ``optimizer.step()``,
    ``zero_grad`` and the ``"step"`` schedulers; validation every ``val_check_interval``
    batches and at the end of every ``check_val_every_n_epoch``-th epoch; then the ``"epoch"``
    schedulers and the callbacks (checkpoints, early stopping, ...).

    Args:
        max_epochs: stop after this many epochs (default 1000 when ``max_steps`` is -1 too,
            else unlimited).
        max_steps: stop after this many optimizer steps (-1: no limit).
        val_check_interval: also validate within an epoch: every ``n`` training batches (an
            int) or every fraction of the epoch (a float, e.g. 0.25). None: at epoch end only.
        check_val_every_n_epoch: validate at the end of every n-th epoch.
        gradient_clip_val: clip gradients to this value (None: no clipping).
        gradient_clip_algorithm: ``"norm"`` (the total 2-norm, ``clip_grad_norm_``) or
            ``"value"`` (each element, ``clip_grad_value_``).
        accumulate_grad_batches: sum the gradients of this many batches (each loss divided by
            it) before an optimizer step.
        precision: ``"32"`` (``"32-true"``, 32), ``"16-mixed"`` on a GPU (``ember.autocast``
            in float16 around the steps, loss scaling with ``ember.amp.GradScaler``), or
            ``"bf16-mixed"`` on the CPU or a GPU (``ember.autocast`` in bfloat16, no loss
            scaling, as Lightning).
        callbacks: a ``Callback`` or a list of them.
        logger: a ``Logger``, a list of them, True (a ``CSVLogger`` in ``default_root_dir``)
            or False.
        deterministic: ask ember for deterministic algorithms
            (``ember.use_deterministic_algorithms``).
        limit_train_batches: batches per training epoch: an int count or a float fraction.
        limit_val_batches: the same for each validation run.
        limit_test_batches: the same for ``test``.
        limit_predict_batches: the same for ``predict``.
        fast_dev_run: True (1) or n: run n batches of training, validation and testing only,
            one epoch, without checkpoints or loggers, to find bugs fast.
        default_root_dir: where logs and checkpoints go by default (the current directory).
        enable_progress_bar: show a tqdm progress bar with the loss and ``prog_bar`` metrics.
        enable_checkpointing: add a ``ModelCheckpoint`` (last epoch, in
            ``default_root_dir/checkpoints``) when ``callbacks`` has none.
        log_every_n_steps: how often step values go to the logger.
        accelerator: ``"auto"`` (CUDA when available, else CPU), ``"cpu"`` or ``"cuda"``.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> data = ember.utils.data.TensorDataset(ember.randn(32, 4), ember.randn(32, 1))
        >>> loader = ember.utils.data.DataLoader(data, batch_size=8)
        >>> trainer = Trainer(max_epochs=2, logger=False, enable_checkpointing=False,
        ...                   enable_progress_bar=False)
        >>> trainer.fit((model, nn.MSELoss(), ember.optim.SGD(model.parameters(), lr=0.1)),
        ...             loader)
        >>> trainer.global_step
        8
    """

    def __init__(
        self,
        *,
        max_epochs: int | None = None,
        max_steps: int = -1,
        val_check_interval: int | float | None = None,
        check_val_every_n_epoch: int = 1,
        gradient_clip_val: float | None = None,
        gradient_clip_algorithm: str = "norm",
        accumulate_grad_batches: int = 1,
        precision: str | int = "32",
        callbacks: Callback | list[Callback] | None = None,
        logger: Logger | Iterable[Logger] | bool = True,
        deterministic: bool = False,
        limit_train_batches: int | float = 1.0,
        limit_val_batches: int | float = 1.0,
        limit_test_batches: int | float = 1.0,
        limit_predict_batches: int | float = 1.0,
        fast_dev_run: bool | int = False,
        default_root_dir: str | Path | None = None,
        enable_progress_bar: bool = True,
        enable_checkpointing: bool = True,
        log_every_n_steps: int = 50,
        accelerator: str = "auto",
    ) -> None:
        self.device = _pick_device(accelerator)
        self.precision = _check_precision(precision, self.device)
        # "16-mixed": ops on PyTorch's autocast lists run in float16 and the loss is scaled
        # (skipped steps on inf/NaN gradients), as Lightning's MixedPrecision plugin does.
        self.scaler = ember.amp.GradScaler("cuda") if self.precision == "16-mixed" else None
        if gradient_clip_algorithm not in ("norm", "value"):
            raise ValueError(
                f"gradient_clip_algorithm must be 'norm' or 'value', got "
                f"{gradient_clip_algorithm!r}"
            )
        if int(accumulate_grad_batches) < 1:
            raise ValueError(
                f"accumulate_grad_batches must be at least 1, got {accumulate_grad_batches}"
            )
        self.default_root_dir = Path(default_root_dir) if default_root_dir else Path.cwd()
        self.fast_dev_run = int(fast_dev_run)
        if self.fast_dev_run:
            n = self.fast_dev_run
            max_epochs, max_steps, val_check_interval = 1, n, None
            limit_train_batches = limit_val_batches = limit_test_batches = n
            limit_predict_batches, logger, enable_checkpointing = n, False, False
        if max_epochs is None:
            max_epochs = 1000 if max_steps == -1 else -1
        self.max_epochs, self.max_steps = max_epochs, max_steps
        self.val_check_interval = val_check_interval
        self.check_val_every_n_epoch = check_val_every_n_epoch
        self.gradient_clip_val = gradient_clip_val
        self.gradient_clip_algorithm = gradient_clip_algorithm
        self.accumulate_grad_batches = int(accumulate_grad_batches)
        self.deterministic = deterministic
        self.limits = {
            "train": limit_train_batches,
            "val": limit_val_batches,
            "test": limit_test_batches,
            "predict": limit_predict_batches,
        }
        self.log_every_n_steps = log_every_n_steps
        self.loggers = _make_loggers(logger, self.default_root_dir)
        self.callbacks = _make_callbacks(callbacks, enable_progress_bar, enable_checkpointing)
        self.current_epoch = 0
        self.global_step = 0
        self.should_stop = False
        self.interrupted = False
        self.sanity_checking = False
        self.state = "idle"
        self.module: TrainModule | None = None
        self.optimizer: ember.optim.Optimizer | None = None
        self.lr_scheduler_configs: list[SchedulerConfig] = []
        self.train_dataloader: Any = None
        self.val_dataloaders: list[Any] = []
        self.num_training_batches: int | None = None
        self._results = Results()
        self._batches_done = 0
        self._epoch_finished = False
        self._snapshot: dict[str, Any] | None = None
        self._resume: dict[str, Any] | None = None
        self._pending_grads = 0
        self._batch_size = 1
        self._sigint = False

    # -- what users read ----------------------------------------------------------------------

    @property
    def callback_metrics(self) -> dict[str, float]:
        """The latest value of every logged name (epoch values once an epoch or run ends)."""
        return self._results.callback_metrics

    @property
    def progress_bar_metrics(self) -> dict[str, float]:
        """The values logged with ``prog_bar=True``."""
        return self._results.progress_bar_metrics

    @property
    def batches_done(self) -> int:
        """Training batches finished in the running epoch."""
        return self._batches_done

    @property
    def logger(self) -> Logger | None:
        """The first logger (None without one)."""
        return self.loggers[0] if self.loggers else None

    @property
    def log_dir(self) -> Path:
        """The first logger's folder, else ``default_root_dir``."""
        return self.loggers[0].log_dir if self.loggers else self.default_root_dir

    @property
    def checkpoint_callback(self) -> ModelCheckpoint | None:
        """The first ``ModelCheckpoint`` callback, if any."""
        return next((c for c in self.callbacks if isinstance(c, ModelCheckpoint)), None)

    @property
    def early_stopping_callback(self) -> EarlyStopping | None:
        """The first ``EarlyStopping`` callback, if any."""
        return next((c for c in self.callbacks if isinstance(c, EarlyStopping)), None)

    @property
    def lightning_module(self) -> TrainModule | None:
        """The module being run (Lightning's name for it)."""
        return self.module

    # -- fit ----------------------------------------------------------------------------------

    def fit(
        self,
        module: TrainModule | tuple[nn.Module, Any, Any],
        train_dataloaders: Any,
        val_dataloaders: Any = None,
        ckpt_path: str | Path | None = None,
    ) -> None:
        """Train ``module`` on ``train_dataloaders``, validating on ``val_dataloaders``.

        Ctrl-C (SIGINT) stops at the end of the running optimizer step, saves
        ``interrupted.ckpt`` and returns with ``trainer.interrupted`` set; any other
        ``KeyboardInterrupt`` saves the position of the last finished batch the same way.

        Args:
            module: a ``TrainModule``, or a ``(model, loss_fn, optimizer)`` triple whose
                batches are ``(inputs, targets)``.
            train_dataloaders: an iterable of batches (usually an ``ember.utils.data``
                ``DataLoader``; one with ``state_dict`` resumes mid-epoch exactly).
            val_dataloaders: one loader or a list of them (None: no validation).
            ckpt_path: resume from this checkpoint: weights, optimizer, schedulers, callbacks,
                random states and the position in the epoch, so that the run ends with the
                same weights as one that was never stopped.
        """
        if train_dataloaders is None:
            raise ValueError("fit needs train_dataloaders (an iterable of batches)")
        module = self._attach(module, "fit")
        self.train_dataloader = train_dataloaders
        self.val_dataloaders = _as_list(val_dataloaders)
        self.optimizer, self.lr_scheduler_configs = parse_optimizers(module.configure_optimizers())
        self.should_stop = self.interrupted = False
        self._run("fit", self._fit, ckpt_path)

    def _fit(self, ckpt_path: str | Path | None) -> None:
        module = self.module
        if ckpt_path is not None:
            self._restore(ckpt_path)
        self._call("on_fit_start")
        module.zero_grad(set_to_none=True)
        with self._sigint_guard():
            while not self._finished():
                self._train_epoch()
        self._call("on_fit_end")

    def _finished(self) -> bool:
        if self.should_stop:
            return True
        if self.max_steps != -1 and self.global_step >= self.max_steps:
            return True
        return self.max_epochs != -1 and self.current_epoch >= self.max_epochs

    def _train_epoch(self) -> None:
        module, resume, self._resume = self.module, self._resume, None
        self._results.stage = "train"
        if resume is None or not resume["batches"]:
            self._results.start("train")
        module.train()
        self._epoch_finished = False
        loader = self.train_dataloader
        self.num_training_batches = limit_batches(
            self.limits["train"], loader_length(loader), "train"
        )
        self._batches_done = start = resume["batches"] if resume else 0
        self._pending_grads = 0
        self._call("on_train_epoch_start")
        skip = start
        if start and (self.num_training_batches is None or start < self.num_training_batches):
            if resume.get("loader") and hasattr(loader, "load_state_dict"):
                loader.load_state_dict(resume["loader"])  # the loader skips what was done
                skip = 0
        for batch in self._limited(loader, self.num_training_batches, start, skip):
            self._train_batch(batch, self._batches_done)
            if self.should_stop or self._step_limit_reached():
                break
        if self._pending_grads:
            self._optimizer_step()
        self._end_train_epoch()

    def _limited(self, loader: Any, limit: int | None, start: int, skip: int = 0) -> Iterator[Any]:
        """The batches ``start``.. of ``loader`` up to ``limit`` (dropping ``skip`` first)."""
        if limit is not None and start >= limit:
            return
        for i, batch in enumerate(itertools.islice(loader, skip, None), start):
            yield batch
            if limit is not None and i + 1 >= limit:
                return

    def _step_limit_reached(self) -> bool:
        return self.max_steps != -1 and self.global_step >= self.max_steps

    def _train_batch(self, batch: Any, batch_idx: int) -> None:
        module = self.module
        batch = move_to(batch, self.device)
        self._call("on_train_batch_start", batch, batch_idx)
        self._batch_size = batch_size(batch)
        with self._autocast():
            outputs = module.training_step(batch, batch_idx)
        loss = outputs.get("loss") if isinstance(outputs, Mapping) else outputs
        if loss is not None:
            if self.accumulate_grad_batches > 1:
                loss = loss / self.accumulate_grad_batches
            (self.scaler.scale(loss) if self.scaler is not None else loss).backward()
            self._pending_grads += 1
        self._batches_done = batch_idx + 1
        ends_epoch = self._batches_done == self.num_training_batches
        if self._pending_grads and (
            self._batches_done % self.accumulate_grad_batches == 0 or ends_epoch
        ):
            self._optimizer_step()
        if self._val_due_mid_epoch() and not ends_epoch:
            self._validate_in_fit()
        boundary = self._pending_grads == 0
        if boundary:
            self._take_snapshot()
        self._call("on_train_batch_end", outputs, batch, batch_idx)
        if boundary and self._sigint:
            raise KeyboardInterrupt

    def _autocast(self) -> Any:
        enabled = self.precision != "32"
        dtype = ember.bfloat16 if self.precision == "bf16-mixed" else ember.float16
        return ember.autocast(self.device.type, dtype=dtype, enabled=enabled)

    def _optimizer_step(self) -> None:
        optimizer = self.optimizer
        if self.scaler is not None:
            self.scaler.unscale_(optimizer)  # clip and hook on true gradients
        if self.gradient_clip_val is not None:
            params = [p for g in optimizer.param_groups for p in g["params"]]
            if self.gradient_clip_algorithm == "norm":
                nn.utils.clip_grad_norm_(params, self.gradient_clip_val)
            else:
                nn.utils.clip_grad_value_(params, self.gradient_clip_val)
        self._call("on_before_optimizer_step", optimizer)
        if self.scaler is not None:
            self.scaler.step(optimizer)
            self.scaler.update()
        else:
            optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        self._pending_grads = 0
        self.global_step += 1
        step_schedulers(self.lr_scheduler_configs, "step", self.global_step, self.callback_metrics)
        if self.global_step % self.log_every_n_steps == 0:
            self._flush_logs()
        else:
            self._results.take_pending()

    def _val_due_mid_epoch(self) -> bool:
        interval = self.val_check_interval
        if interval is None or not self._val_epoch_due():
            return False
        if isinstance(interval, float):
            if self.num_training_batches is None:
                raise ValueError(
                    "val_check_interval as a fraction needs a training loader "
                    "with a length; pass an int number of batches"
                )
            interval = max(1, int(interval * self.num_training_batches))
        return self._batches_done % int(interval) == 0

    def _val_epoch_due(self) -> bool:
        every = self.check_val_every_n_epoch
        return bool(self.val_dataloaders) and (self.current_epoch + 1) % int(every or 1) == 0

    def _validate_in_fit(self) -> None:
        if not _overrides(self.module, "validation_step") or self.limits["val"] == 0:
            return  # limit_val_batches=0 turns validation off, as in Lightning
        self._run_eval("validate", self.val_dataloaders)
        self._results.stage = "train"
        self.module.train()

    def _end_train_epoch(self) -> None:
        stopped_early = self._step_limit_reached() and self.num_training_batches not in (
            None,
            self._batches_done,
        )
        if self._val_epoch_due() and not stopped_early:
            self._validate_in_fit()
        _hook(self.module, "on_train_epoch_end")
        self._results.end()
        self._flush_logs()
        step_schedulers(
            self.lr_scheduler_configs, "epoch", self.current_epoch + 1, self.callback_metrics
        )
        self._epoch_finished = True
        self._take_snapshot()
        self._call("on_train_epoch_end")
        self.current_epoch += 1
        self._epoch_finished = False

    # -- validate / test / predict ------------------------------------------------------------

    def validate(
        self,
        module: TrainModule | None = None,
        dataloaders: Any = None,
        ckpt_path: str | Path | None = None,
        verbose: bool = True,
    ) -> list[dict]:
        """Run ``validation_step`` over ``dataloaders`` once; returns the epoch metrics.

        Args:
            module: the module (default: the one last fitted).
            dataloaders: a loader or a list (default: the ones given to ``fit``).
            ckpt_path: load these weights first; ``"best"`` / ``"last"`` name the
                ``ModelCheckpoint``'s best or last file.
            verbose: print the metrics.

        Returns:
            One dict of metrics (the run's reduced values).
        """
        return self._evaluate("validate", module, dataloaders, ckpt_path, verbose)

    def test(
        self,
        module: TrainModule | None = None,
        dataloaders: Any = None,
        ckpt_path: str | Path | None = None,
        verbose: bool = True,
    ) -> list[dict]:
        """Run ``test_step`` over ``dataloaders`` once; returns the epoch metrics.

        Args:
            module: the module (default: the one last fitted).
            dataloaders: a loader or a list of them.
            ckpt_path: load these weights first (a path, ``"best"`` or ``"last"``).
            verbose: print the metrics.

        Returns:
            One dict of metrics (the run's reduced values).
        """
        return self._evaluate("test", module, dataloaders, ckpt_path, verbose)

    def predict(
        self,
        module: TrainModule | None = None,
        dataloaders: Any = None,
        ckpt_path: str | Path | None = None,
    ) -> list[Any]:
        """Run ``predict_step`` over every batch of ``dataloaders`` (in eval mode, no grad).

        Args:
            module: the module (default: the one last fitted).
            dataloaders: a loader (or a list: the predictions are concatenated in order).
            ckpt_path: load these weights first (a path, ``"best"`` or ``"last"``).

        Returns:
            The list of ``predict_step`` outputs, one per batch.
        """
        module = self._attach(module, "predict", ckpt_path)
        loaders = _as_list(dataloaders)
        if not loaders:
            raise ValueError("predict needs dataloaders")
        self._run("predict", self._run_eval, "predict", loaders)
        return self._predictions

    def _evaluate(
        self, stage: str, module: Any, dataloaders: Any, ckpt_path: Any, verbose: bool
    ) -> list[dict]:
        self._attach(module, stage, ckpt_path)
        loaders = _as_list(dataloaders) or (self.val_dataloaders if stage == "validate" else [])
        if not loaders:
            raise ValueError(f"{stage} needs dataloaders")
        step = _EVAL_STEPS[stage]
        if not _overrides(self.module, step):
            raise NotImplementedError(f"{type(self.module).__name__} defines no {step}")
        metrics = self._run(stage, self._run_eval, stage, loaders)
        if verbose:
            _print_metrics(stage, metrics)
        return [metrics]

    def _run_eval(self, stage: str, loaders: list[Any]) -> dict[str, float]:
        module, step = self.module, getattr(self.module, _EVAL_STEPS[stage])
        hook = {"validate": "validation", "test": "test", "predict": "predict"}[stage]
        limit_key = {"validate": "val", "test": "test", "predict": "predict"}[stage]
        self._results.start(stage)
        was_training = module.training
        module.eval()
        self._call(f"on_{hook}_start")
        self._predictions = []
        with ember.no_grad():
            for loader in loaders:
                limit = limit_batches(self.limits[limit_key], loader_length(loader), limit_key)
                for batch_idx, batch in enumerate(self._limited(loader, limit, 0)):
                    batch = move_to(batch, self.device)
                    self._batch_size = batch_size(batch)
                    with self._autocast():
                        out = step(batch, batch_idx)
                    if stage == "predict":
                        self._predictions.append(out)
                    self._call(f"on_{hook}_batch_end", out, batch, batch_idx)
        _hook(module, f"on_{hook}_epoch_end")
        values = self._results.end()
        self._flush_logs()
        self._call(f"on_{hook}_end")
        module.train(was_training)
        return values

    # -- checkpoints --------------------------------------------------------------------------

    def save_checkpoint(self, filepath: str | Path) -> None:
        """Write a checkpoint (``ember.save``, atomically) that ``fit(ckpt_path=...)`` resumes.

        It holds ``"state_dict"`` (the model's), ``"optimizer_states"``, ``"lr_schedulers"``,
        ``"epoch"``, ``"global_step"``, ``"loops"`` (the position in the epoch, the data
        loader's state and the running epoch metrics), ``"rng_states"``, ``"callbacks"`` and
        ``"embertrain_version"``. Saved within an epoch, it records the last batch whose
        optimizer step finished.

        Args:
            filepath: where to write it (its folder is created).
        """
        path = Path(filepath)
        path.parent.mkdir(parents=True, exist_ok=True)
        ember.save(self._checkpoint(), path)

    def _checkpoint(self) -> dict[str, Any]:
        snap = self._snapshot if self._snapshot is not None else self._position()
        return {
            "state_dict": self.module.state_dict(),
            "optimizer_states": [self.optimizer.state_dict()] if self.optimizer else [],
            "lr_schedulers": [c.scheduler.state_dict() for c in self.lr_scheduler_configs],
            "epoch": self.current_epoch,
            "global_step": self.global_step,
            "loops": {**snap["loops"], "should_stop": self.should_stop},
            "rng_states": snap["rng_states"],
            "callbacks": {c.state_key: c.state_dict() for c in self.callbacks},
            "MixedPrecision": self.scaler.state_dict() if self.scaler is not None else {},
            "embertrain_version": __version__,
        }

    def _position(self) -> dict[str, Any]:
        """Where the loop stands now: the next batch of the running epoch, or the next epoch."""
        if self._epoch_finished or self.state != "fit":
            loops = {
                "epoch": self.current_epoch + int(self._epoch_finished),
                "batches": 0,
                "loader": {},
                "results": {},
                "should_stop": self.should_stop,
            }
        else:
            loader = self.train_dataloader
            state = loader.state_dict() if hasattr(loader, "state_dict") else {}
            loops = {
                "epoch": self.current_epoch,
                "batches": self._batches_done,
                "loader": state,
                "results": self._results.state_dict(_module_metrics(self.module)),
                "should_stop": self.should_stop,
            }
        return {"loops": loops, "rng_states": rng_states(), "global_step": self.global_step}

    def _take_snapshot(self) -> None:
        # Taken after every finished optimizer step (before the callbacks, which may save it),
        # so that a KeyboardInterrupt raised in the middle of the next batch still saves a
        # position that resumes exactly.
        self._snapshot = self._position()

    def _restore(self, ckpt_path: str | Path) -> None:
        ckpt = ember.load(self._resolve_ckpt(ckpt_path), map_location="cpu")
        self.module.load_state_dict(ckpt["state_dict"])
        if ckpt.get("optimizer_states"):
            self.optimizer.load_state_dict(ckpt["optimizer_states"][0])
        for config, state in zip(self.lr_scheduler_configs, ckpt.get("lr_schedulers", [])):
            config.scheduler.load_state_dict(state)
        saved = ckpt.get("callbacks", {})
        for callback in self.callbacks:
            if callback.state_key in saved:
                callback.load_state_dict(saved[callback.state_key])
        loops = ckpt["loops"]
        self.current_epoch, self.global_step = int(loops["epoch"]), int(ckpt["global_step"])
        self._resume = {"batches": int(loops["batches"]), "loader": loops.get("loader")}
        self.should_stop = bool(loops.get("should_stop", False))
        self._results.load_state_dict(loops.get("results") or {}, _module_metrics(self.module))
        set_rng_states(ckpt["rng_states"])
        if self.scaler is not None and ckpt.get("MixedPrecision"):
            self.scaler.load_state_dict(ckpt["MixedPrecision"])

    def _resolve_ckpt(self, ckpt_path: str | Path) -> Path:
        if ckpt_path in ("best", "last"):
            cb = self.checkpoint_callback
            path = (
                None
                if cb is None
                else (cb.best_model_path if ckpt_path == "best" else cb.last_model_path)
            )
            if not path:
                raise ValueError(
                    f"ckpt_path={ckpt_path!r} needs a ModelCheckpoint that has saved a checkpoint"
                )
            return Path(path)
        path = Path(ckpt_path)
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint {path} does not exist")
        return path

    def _interrupt_path(self) -> Path:
        cb = self.checkpoint_callback
        folder = cb.dirpath if cb is not None and cb.dirpath else None
        return Path(folder or self.default_root_dir / "checkpoints") / "interrupted.ckpt"

    # -- plumbing -----------------------------------------------------------------------------

    def _attach(self, module: Any, stage: str, ckpt_path: Any = None) -> TrainModule:
        if module is None:
            if self.module is None:
                raise ValueError(f"{stage} needs a module (none was fitted before)")
            module = self.module
        module = as_train_module(module)
        module.__dict__["_trainer"] = self
        module.to(self.device)
        self.module = module
        if self.deterministic:
            ember.use_deterministic_algorithms(True)
        if ckpt_path is not None and stage != "fit":
            ckpt = ember.load(self._resolve_ckpt(ckpt_path), map_location="cpu")
            module.load_state_dict(ckpt["state_dict"])
        return module

    def _run(self, stage: str, fn: Any, *args: Any) -> Any:
        self.state = stage
        self._snapshot = None
        for callback in self.callbacks:
            callback.setup(self, self.module, stage)
        status = "success"
        try:
            return fn(*args)
        except KeyboardInterrupt as err:
            status = "interrupted"
            self._call("on_exception", err)
            if stage != "fit":
                raise
            self._on_interrupt()
        except BaseException as err:
            status = "failed"
            self._call("on_exception", err)
            raise
        finally:
            for logger in self.loggers:
                logger.finalize(status)
            for callback in self.callbacks:
                callback.teardown(self, self.module, stage)
            self.state = "idle"

    def _on_interrupt(self) -> None:
        self.interrupted = True
        path = self._interrupt_path()
        self.save_checkpoint(path)
        warnings.warn(
            f"training interrupted at epoch {self.current_epoch}, step "
            f"{self.global_step}; resume with fit(..., ckpt_path={str(path)!r})",
            stacklevel=3,
        )
        self._call("on_fit_end")

    @contextlib.contextmanager
    def _sigint_guard(self) -> Iterator[None]:
        """Turn the first Ctrl-C into a request to stop at the next step boundary."""
        self._sigint = False
        main = threading.current_thread() is threading.main_thread()
        if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            yield
            return

        def handler(signum: int, frame: Any) -> None:
            self._sigint = True
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second one kills

        signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    def _log(self, name: str, value: Any, **options: Any) -> None:
        if self.state == "idle":
            return
        self._results.log(name, value, options, self._batch_size)

    def _flush_logs(self) -> None:
        pending = self._results.take_pending()
        if pending and self.loggers:
            pending = {**pending, "epoch": float(self.current_epoch)}
            for logger in self.loggers:
                logger.log_metrics(pending, self.global_step)

    def log_metrics(self, metrics: Mapping[str, float]) -> None:
        """Send ``metrics`` to every logger at the current step (used by callbacks such as
        ``LearningRateMonitor``)."""
        for logger in self.loggers:
            logger.log_metrics(dict(metrics), self.global_step)

    def _call(self, hook: str, *args: Any) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(self, self.module, *args)
        if hook in _MODULE_HOOKS:
            method = getattr(type(self.module), hook, None)
            if callable(method):
                method(self.module, *args)


def _pick_device(accelerator: str) -> ember.device:
    if accelerator == "auto":
        return ember.device("cuda" if ember.cuda.is_available() else "cpu")
    if accelerator in ("gpu", "cuda"):
        if not ember.cuda.is_available():
            raise RuntimeError(
                "accelerator='cuda' but no CUDA GPU is available (install "
                "ember[cuda] on a machine with a GPU, or use 'cpu')"
            )
        return ember.device("cuda")
    if accelerator == "cpu":
        return ember.device("cpu")
    raise ValueError(f"accelerator must be 'auto', 'cpu' or 'cuda', got {accelerator!r}")


def _check_precision(precision: str | int, device: ember.device) -> str:
    if precision not in _PRECISIONS:
        raise ValueError(f"precision must be '32', '16-mixed' or 'bf16-mixed', got {precision!r}")
    value = _PRECISIONS[precision]
    if value == "16-mixed" and device.type != "cuda":
        raise ValueError(
            "Trainer(accelerator='cpu', precision='16-mixed') is not supported: float16 "
            "mixed precision needs a CUDA GPU. Use precision='bf16-mixed' (bfloat16 autocast "
            "on the CPU) or '32'."
        )
    return value


def _make_loggers(logger: Any, root: Path) -> list[Logger]:
    if logger is True:
        return [CSVLogger(root)]
    if logger is False or logger is None:
        return []
    if isinstance(logger, Logger):
        return [logger]
    return list(logger)


def _make_callbacks(callbacks: Any, progress: bool, checkpointing: bool) -> list[Callback]:
    items = (
        []
        if callbacks is None
        else ([callbacks] if isinstance(callbacks, Callback) else list(callbacks))
    )
    for cb in items:
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks must be embertrain.Callback objects, got {type(cb).__name__}"
            )
    if progress and not any(isinstance(c, TQDMProgressBar) for c in items):
        items.append(TQDMProgressBar())
    if checkpointing and not any(isinstance(c, ModelCheckpoint) for c in items):
        items.append(ModelCheckpoint())
    # Checkpoints are written last, so that they see the state other callbacks leave.
    return sorted(items, key=lambda c: isinstance(c, ModelCheckpoint))


def _as_list(loaders: Any) -> list[Any]:
    """Loaders as a list: a list or tuple of loaders, or one loader. A list whose items are
    batches (tuples, dicts or tensors) is one loader, not a list of them."""
    if loaders is None:
        return []
    if isinstance(loaders, (list, tuple)) and not (loaders and _is_batch(loaders[0])):
        return list(loaders)
    return [loaders]


def _is_batch(item: Any) -> bool:
    if isinstance(item, (ember.Tensor, Mapping, tuple)):
        return True
    return isinstance(item, list) and bool(item) and isinstance(item[0], ember.Tensor)


def _module_metrics(module: nn.Module) -> dict[str, Metric]:
    """The ``Metric`` attributes of ``module`` and its sub-modules, by dotted name (their
    running state goes into mid-epoch checkpoints)."""
    found = {}
    for prefix, sub in module.named_modules():
        for name, value in vars(sub).items():
            if isinstance(value, Metric):
                found[f"{prefix}.{name}" if prefix else name] = value
    return found


def _overrides(module: TrainModule, name: str) -> bool:
    return getattr(type(module), name) is not getattr(TrainModule, name)


def _hook(module: TrainModule, name: str) -> None:
    fn = getattr(module, name, None)
    if callable(fn):
        fn()


def _print_metrics(stage: str, metrics: Mapping[str, float]) -> None:
    if not metrics:
        return
    width = max(len(k) for k in metrics)
    print(f"{stage} metrics:")
    for name, value in sorted(metrics.items()):
        print(f"  {name:<{width}}  {value:.6g}")
