"""Audio models with torchaudio's names, registered in :mod:`ember.hub` (domain ``"audio"``).

``M5`` (raw waveform CNN), ``Wav2Letter`` with :class:`GreedyCTCDecoder`, a log-mel
:class:`ConvClassifier` with ember-trained spoken-digit weights, and a :class:`Conformer`
with the small :class:`ConformerCTC` recogniser built on it.

Example:
    >>> from emberaudio import models
    >>> model = models.conv_classifier(weights="DEFAULT").eval()
    >>> ember.hub.list_models(module=models)
    ['conformer_ctc', 'conv_classifier', 'm5', 'wav2letter']
"""

from __future__ import annotations

import ember.hub
from emberaudio.models._presets import LogMelFeatures, fit_length
from emberaudio.models.conformer import *  # noqa: F403
from emberaudio.models.conv_classifier import *  # noqa: F403
from emberaudio.models.m5 import *  # noqa: F403
from emberaudio.models.wav2letter import *  # noqa: F403

#: this domain's models only (``ember.hub.list_models(domain="audio")``)
list_models = ember.hub.domain_list_models("audio")
