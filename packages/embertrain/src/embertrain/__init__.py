"""embertrain: a light Trainer for ember, the training loop people write again and again.

``TrainModule`` says how to train and evaluate (``training_step``, ``configure_optimizers``,
...); ``Trainer`` runs the loop: batches, gradient accumulation and clipping, optimizer and
scheduler steps, validation, checkpoints that resume exactly, callbacks and loggers.
``embertrain.metrics`` holds streaming metrics.

Example:
    >>> import embertrain
    >>> embertrain.Trainer(max_epochs=1, logger=False).max_epochs
    1
"""

from __future__ import annotations

from embertrain import callbacks, loggers, metrics
from embertrain._utils import seed_everything
from embertrain._version import __version__
from embertrain.callbacks import (
    Callback,
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
    PlotCurves,
    TQDMProgressBar,
)
from embertrain.loggers import CSVLogger, Logger, TensorBoardLogger
from embertrain.module import TrainModule
from embertrain.trainer import Trainer

__all__ = [
    "Trainer",
    "TrainModule",
    "Callback",
    "ModelCheckpoint",
    "EarlyStopping",
    "LearningRateMonitor",
    "PlotCurves",
    "TQDMProgressBar",
    "Logger",
    "CSVLogger",
    "TensorBoardLogger",
    "seed_everything",
    "callbacks",
    "loggers",
    "metrics",
    "__version__",
]
