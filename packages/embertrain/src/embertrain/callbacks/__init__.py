"""Trainer callbacks: progress bar, checkpoints, early stopping, learning rates, plots."""

from __future__ import annotations

from embertrain.callbacks.base import Callback
from embertrain.callbacks.checkpoint import ModelCheckpoint
from embertrain.callbacks.early_stopping import EarlyStopping
from embertrain.callbacks.lr_monitor import LearningRateMonitor
from embertrain.callbacks.plot import PlotCurves
from embertrain.callbacks.progress import TQDMProgressBar

__all__ = [
    "Callback",
    "ModelCheckpoint",
    "EarlyStopping",
    "LearningRateMonitor",
    "PlotCurves",
    "TQDMProgressBar",
]
