"""``ember.nn.utils``: gradient clipping, parameter/vector conversion and RNN packing."""

from __future__ import annotations

from ember.nn.utils import rnn
from ember.nn.utils.clip_grad import *  # noqa: F403
from ember.nn.utils.convert_parameters import *  # noqa: F403
