"""NLP models: fastText-style and RNN classifiers, RNN and GPT language models, a small BERT.

Builders are registered in :mod:`ember.hub` under the text domain (``ember.hub.list_models()``)
and take keyword-only ``weights=``.
"""

from __future__ import annotations

from ember.hub import (
    domain_list_models,
    get_model,
    get_model_builder,
    get_model_weights,
    get_weight,
)
from embertext.models._presets import CharPreset, TextClassificationPreset
from embertext.models.bert import BertEncoder, bert_encoder
from embertext.models.classification import (
    RNNClassifier,
    TextClassificationModel,
    TextClassificationModel_Weights,
    add_ngrams,
    bag_batch,
    rnn_classifier,
    text_classifier,
)
from embertext.models.language import GPT, GPT_Weights, GPTConfig, RNNLanguageModel, gpt, rnn_lm

list_models = domain_list_models("text")

__all__ = [
    "list_models",
    "get_model",
    "get_model_builder",
    "get_model_weights",
    "get_weight",
    "TextClassificationPreset",
    "CharPreset",
    "TextClassificationModel_Weights",
    "text_classifier",
    "rnn_classifier",
    "GPT_Weights",
    "gpt",
    "rnn_lm",
    "bert_encoder",
    "TextClassificationModel",
    "RNNClassifier",
    "RNNLanguageModel",
    "GPT",
    "GPTConfig",
    "BertEncoder",
    "add_ngrams",
    "bag_batch",
]
