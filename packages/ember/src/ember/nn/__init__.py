"""Neural-network layers and utilities, as ``torch.nn``."""

from __future__ import annotations

from ember.nn import (
    functional,
    init,
    parallel,  # noqa: E402
    utils,
)
from ember.nn.modules import *  # noqa: F403
from ember.nn.parallel import DataParallel  # noqa: E402
from ember.nn.parameter import *  # noqa: F403
