"""``ember.nn.utils``: gradient clipping, parameter/vector conversion, RNN packing,
parametrizations (weight and spectral norm), conv/linear-BatchNorm fusion, functional_call and
skip_init."""

from __future__ import annotations

from ember.nn.utils import fusion, parametrizations, parametrize, rnn, stateless
from ember.nn.utils.clip_grad import *  # noqa: F403
from ember.nn.utils.convert_parameters import *  # noqa: F403
from ember.nn.utils.fusion import (
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)
from ember.nn.utils.init import skip_init
from ember.nn.utils.spectral_norm import remove_spectral_norm, spectral_norm
from ember.nn.utils.weight_norm import remove_weight_norm, weight_norm
