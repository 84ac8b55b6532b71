"""Stateless neural-network maths, as torch.nn.functional: ``import ember.nn.functional as F``.

One module per kind under ``ember.nn._functional``, mirroring ``ember.nn.modules``: activation,
linear, dropout, sparse (embeddings), distance, normalization, loss, ctc, conv, pooling, padding,
vision (resampling, unfold/fold, shuffles) and attention. The primitives they call live in
``ember.ops.nn``.
"""

from __future__ import annotations

from ember.nn._functional.activation import *  # noqa: F403
from ember.nn._functional.attention import *  # noqa: F403
from ember.nn._functional.conv import *  # noqa: F403
from ember.nn._functional.ctc import *  # noqa: F403
from ember.nn._functional.distance import *  # noqa: F403
from ember.nn._functional.dropout import *  # noqa: F403
from ember.nn._functional.fractional import *  # noqa: F403
from ember.nn._functional.gumbel import *  # noqa: F403
from ember.nn._functional.linear import *  # noqa: F403
from ember.nn._functional.linear_loss import *  # noqa: F403
from ember.nn._functional.loss import *  # noqa: F403
from ember.nn._functional.normalization import *  # noqa: F403
from ember.nn._functional.padding import *  # noqa: F403
from ember.nn._functional.pooling import *  # noqa: F403
from ember.nn._functional.sparse import *  # noqa: F403
from ember.nn._functional.vision import *  # noqa: F403
from ember.nn._stochastic_depth import stochastic_depth  # noqa: F401

