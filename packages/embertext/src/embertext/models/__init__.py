"""NLP models: fastText-style and RNN classifiers, RNN and GPT language models, a small BERT.

Builders are registered in :mod:`ember.hub` under the text domain (``ember.hub.list_models()``)
and take keyword-only ``weights=``.
"""

from __future__ import annotations

from embertext.models.bert import BertEncoder
from embertext.models.classification import (
    RNNClassifier,
    TextClassificationModel,
    add_ngrams,
    bag_batch,
)
from embertext.models.language import GPT, GPTConfig, RNNLanguageModel

__all__ = [
    "TextClassificationModel",
    "RNNClassifier",
    "RNNLanguageModel",
    "GPT",
    "GPTConfig",
    "BertEncoder",
    "add_ngrams",
    "bag_batch",
]
