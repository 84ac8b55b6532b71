"""Text classifiers: fastText-style bag of embeddings and LSTM/GRU over packed batches."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

import ember
from ember import Tensor, nn
from ember.hub import Weights, WeightsEnum, load_weights, register_model
from ember.nn.utils.rnn import pack_padded_sequence
from embertext.models._presets import TextClassificationPreset
from embertext.models._utils import fix_kwargs

__all__ = [
    "TextClassificationModel",
    "TextClassificationModel_Weights",
    "text_classifier",
    "RNNClassifier",
    "rnn_classifier",
    "add_ngrams",
    "bag_batch",
]

_PRIME = 1_000_003  # hashing multiplier for n-gram buckets (fastText uses 116049371)


def add_ngrams(ids: Sequence[int], ngrams: int, vocab_size: int, num_buckets: int) -> list[int]:
    """Append hashed n-gram ids (2..``ngrams``) to unigram ids, fastText-style.

    The n-gram of ids ``(a, b, ...)`` goes to bucket ``hash % num_buckets`` and gets id
    ``vocab_size + bucket``, so the embedding table has ``vocab_size + num_buckets`` rows.

    Args:
        ids: unigram ids.
        ngrams: largest n (1: no n-grams).
        vocab_size: the number of unigram ids.
        num_buckets: hash buckets for n-grams.

    Returns:
        The unigram ids followed by the n-gram ids.

    Example:
        >>> add_ngrams([1, 2, 3], 2, vocab_size=10, num_buckets=5)
        [1, 2, 3, 14, 13]
    """
    out = list(ids)
    if ngrams < 2 or num_buckets <= 0:
        return out
    for n in range(2, ngrams + 1):
        for i in range(len(ids) - n + 1):
            h = 0
            for t in ids[i : i + n]:
                h = (h * _PRIME + int(t) + 1) & 0xFFFFFFFF
            out.append(vocab_size + h % num_buckets)
    return out


def bag_batch(sequences: Sequence[Sequence[int]]) -> tuple[Tensor, Tensor]:
    """Flatten id sequences for ``EmbeddingBag``: the concatenated ids and the start offsets.

    Example:
        >>> text, offsets = bag_batch([[1, 2, 3], [4, 5]])
        >>> text.tolist(), offsets.tolist()
        ([1, 2, 3, 4, 5], [0, 3])
    """
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = np.fromiter((t for s in sequences for t in s), dtype=np.int64, count=int(lengths.sum()))
    return ember.from_numpy(flat), ember.from_numpy(offsets)


class TextClassificationModel(nn.Module):
    """Mean of token (and n-gram) embeddings, then a linear layer (fastText; torchtext's tutorial).

    Args:
        vocab_size: rows of the embedding table (unigrams plus n-gram buckets).
        embed_dim: embedding size.
        num_class: number of classes.
        init_range: weights start uniform in ``[-init_range, init_range]``, biases at zero.

    Example:
        >>> model = TextClassificationModel(100, 8, 4)
        >>> text, offsets = bag_batch([[1, 2, 3], [4, 5]])
        >>> model(text, offsets).shape
        ember.Size([2, 4])
    """

    def __init__(
        self, vocab_size: int, embed_dim: int, num_class: int, *, init_range: float = 0.5
    ) -> None:
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, mode="mean")
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_range = init_range
        self.init_weights()

    def init_weights(self) -> None:
        """Uniform embedding and linear weights, zero bias."""
        nn.init.uniform_(self.embedding.weight, -self.init_range, self.init_range)
        nn.init.uniform_(self.fc.weight, -self.init_range, self.init_range)
        nn.init.zeros_(self.fc.bias)

    def forward(self, text: Tensor, offsets: Tensor) -> Tensor:
        return self.fc(self.embedding(text, offsets))


class RNNClassifier(nn.Module):
    """Embedding, LSTM or GRU over a packed variable-length batch, linear layer on the last state.

    Args:
        vocab_size: size of the vocabulary.
        embed_dim: embedding size.
        hidden_size: RNN state size (per direction).
        num_class: number of classes.
        rnn_type: ``"lstm"`` or ``"gru"``.
        num_layers: stacked RNN layers.
        bidirectional: read the text both ways and join the two final states.
        dropout: dropout on the embeddings, between RNN layers and before the classifier.
        padding_idx: the padding id (its embedding stays zero).

    Example:
        >>> model = RNNClassifier(50, 8, 16, 3)
        >>> model(ember.tensor([[4, 5, 6], [7, 8, 0]]), ember.tensor([3, 2])).shape
        ember.Size([2, 3])
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int,
        hidden_size: int,
        num_class: int,
        *,
        rnn_type: str = "lstm",
        num_layers: int = 1,
        bidirectional: bool = True,
        dropout: float = 0.0,
        padding_idx: int | None = 0,
    ) -> None:
        super().__init__()
        rnn_cls = {"lstm": nn.LSTM, "gru": nn.GRU}.get(rnn_type.lower())
        if rnn_cls is None:
            raise ValueError(f"rnn_type must be 'lstm' or 'gru', got {rnn_type!r}")
        self.rnn_type = rnn_type.lower()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.rnn = rnn_cls(
            embed_dim,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_size * (2 if bidirectional else 1), num_class)

    def forward(self, ids: Tensor, lengths: Tensor | Sequence[int]) -> Tensor:
        """Logits for a padded ``(B, T)`` batch of ids with the true ``lengths``."""
        emb = self.dropout(self.embedding(ids))
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        _, hidden = self.rnn(packed)
        h_n = hidden[0] if self.rnn_type == "lstm" else hidden
        if self.rnn.bidirectional:
            last = ember.cat([h_n[-2], h_n[-1]], dim=1)
        else:
            last = h_n[-1]
        return self.fc(self.dropout(last))


AG_NEWS_CATEGORIES = ["World", "Sports", "Business", "Sci/Tech"]


class TextClassificationModel_Weights(WeightsEnum):
    """Weights for :func:`text_classifier`.

    ``AG_NEWS_V1`` was trained with ember by ``examples/text/ag_news.py`` (the recipe, in the
    ember repository) on the first 6,000 rows of AG_NEWS ``test.csv``; ``meta["_metrics"]``
    holds its accuracy on the last 1,600 rows (not seen in training). ``weights.transforms()``
    turns a string into the ids the model reads (basic_english, the shipped vocabulary, hashed
    bigrams); labels are 0-3 in ``meta["categories"]`` order.
    """

    AG_NEWS_V1 = Weights(
        url=None,
        file="embertext/_weights/ag_news_fasttext-dd34d206.ember",
        sha256="dd34d2064274d33fa34c9ca058a12ca524dc94d593182e7686314d6616f480b1",
        transforms=partial(
            TextClassificationPreset,
            {
                "file": "embertext/_weights/ag_news_vocab-874305be.json",
                "sha256": "874305be64e3b3807cade454ec1a18b043c63d2e46cdcddc8626a3fe16403ad9",
            },
            tokenizer="basic_english",
            ngrams=2,
            num_buckets=6000,
        ),
        meta={
            "categories": AG_NEWS_CATEGORIES,
            "num_params": 430564,
            "config": {"vocab_size": 17936, "embed_dim": 24, "num_class": 4},
            "recipe": (
                "examples/text/ag_news.py (defaults), then "
                "embertext/_weights/make_weights.py (in the ember repository)"
            ),
            "_metrics": {"AG_NEWS test.csv rows 6001-7600": {"acc@1": 85.81}},
            "_docs": (
                "Trained with ember on the CPU from random init on the first 6,000 rows of "
                "AG_NEWS test.csv (the shared data has no full train.csv): basic_english tokens "
                "(vocabulary of the 11,936 words seen at least twice, plus <unk>) and bigrams "
                "hashed into 6,000 buckets, width 24, 5 epochs of AdamW (lr 0.01, weight decay "
                "0.1, one-cycle schedule, batch 32), seed 0; 3.9 s on an idle 2-core machine. "
                "Stored in float16; the accuracy is that of the stored weights "
                "on the last 1,600 rows."
            ),
        },
    )
    DEFAULT = AG_NEWS_V1


@register_model(weights=TextClassificationModel_Weights, domain="text")
def text_classifier(
    *,
    weights: TextClassificationModel_Weights | str | None = None,
    progress: bool = True,
    **kwargs: Any,
) -> TextClassificationModel:
    """fastText-style classifier; ``weights="DEFAULT"`` gives ember's AG_NEWS model offline.

    Args:
        weights: None, a :class:`TextClassificationModel_Weights` member or its name, or a path.
        progress: show download progress (the default weights ship with the package).
        **kwargs: :class:`TextClassificationModel` arguments (``vocab_size``, ``embed_dim``,
            ``num_class``); the weights fix them.

    Example:
        >>> weights = TextClassificationModel_Weights.DEFAULT
        >>> model, preprocess = text_classifier(weights=weights).eval(), weights.transforms()
        >>> text, offsets = bag_batch([preprocess("Stocks fell as oil prices rose")])
        >>> weights.meta["categories"][int(model(text, offsets).argmax())]
        'Business'
    """
    weights = TextClassificationModel_Weights.verify(weights)
    fix_kwargs(weights, kwargs)
    return load_weights(TextClassificationModel(**kwargs), weights, progress)


@register_model(domain="text")
def rnn_classifier(*, weights: None = None, progress: bool = True, **kwargs: Any) -> RNNClassifier:
    """:class:`RNNClassifier` (no pretrained weights).

    Example:
        >>> rnn_classifier(vocab_size=50, embed_dim=8, hidden_size=8, num_class=2).fc.out_features
        2
    """
    if weights is not None:
        raise ValueError("rnn_classifier has no pretrained weights")
    return RNNClassifier(**kwargs)
