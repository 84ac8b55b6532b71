"""Optimizers and learning-rate schedulers, as ``torch.optim``."""

from __future__ import annotations

from ember.optim import lr_scheduler
from ember.optim.optimizer import *  # noqa: F403
