"""Optimizers and learning-rate schedulers, as ``torch.optim``."""

from __future__ import annotations

from ember.optim import lr_scheduler, swa_utils
from ember.optim.adagrad import Adadelta, Adagrad
from ember.optim.adam import Adam, AdamW
from ember.optim.adam_family import Adamax, NAdam, RAdam
from ember.optim.lbfgs import LBFGS
from ember.optim.optimizer import Optimizer, required
from ember.optim.rmsprop import RMSprop
from ember.optim.rprop import Rprop
from ember.optim.sgd import SGD

__all__ = [
    "Optimizer",
    "required",
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "Rprop",
    "LBFGS",
    "lr_scheduler",
    "swa_utils",
]
