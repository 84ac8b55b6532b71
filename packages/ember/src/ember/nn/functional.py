"""Stateless neural-network maths, as torch.nn.functional: ``import ember.nn.functional as F``."""

from __future__ import annotations

from ember.nn._functional.attention import *  # noqa: F403
from ember.nn._functional.basic import *  # noqa: F403
from ember.nn._functional.conv import *  # noqa: F403
from ember.nn._functional.ctc import *  # noqa: F403
from ember.nn._stochastic_depth import stochastic_depth  # noqa: F401
