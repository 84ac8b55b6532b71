"""Neural-network layers and utilities, as ``torch.nn``."""

from __future__ import annotations

from ember.nn import (
    functional,
    init,
    parallel,
    utils,
)
from ember.nn.modules import *  # noqa: F403
from ember.nn.parallel import DataParallel
from ember.nn.parameter import *  # noqa: F403
