"""The preprocessing that pretrained text weights expect (``weights.transforms()``)."""

from __future__ import annotations

from ember import nn
from embertext.models._utils import read_package_json
from embertext.tokenizers.basic import CharTokenizer, get_tokenizer
from embertext.vocab import Vocab

__all__ = ["TextClassificationPreset", "CharPreset"]


class TextClassificationPreset(nn.Module):
    """Text to the ids a bag-of-embeddings classifier reads: tokenize, look up, add n-grams.

    Args:
        vocab: the vocabulary (unknown words map to its default index).
        tokenizer: a :func:`~embertext.tokenizers.get_tokenizer` name or callable.
        ngrams: largest n-gram (1: words only).
        num_buckets: hash buckets for n-grams.

    Example:
        >>> preset = TextClassificationPreset(Vocab(["<unk>", "hello"]), ngrams=1)
        >>> preset("Hello there")
        [1, 0]
    """

    def __init__(
        self,
        vocab: Vocab | dict,
        *,
        tokenizer: str = "basic_english",
        ngrams: int = 2,
        num_buckets: int = 0,
    ) -> None:
        super().__init__()
        if isinstance(vocab, dict):  # a package file {"file": ..., "sha256": ...}
            data = read_package_json(vocab["file"], vocab["sha256"])
            vocab = Vocab(data["itos"])
            vocab.set_default_index(data["default_index"])
        if vocab.get_default_index() is None:
            vocab.set_default_index(0)
        self.vocab = vocab
        self.tokenizer = get_tokenizer(tokenizer)
        self.ngrams, self.num_buckets = ngrams, num_buckets

    def forward(self, text: str) -> list[int]:
        from embertext.models.classification import add_ngrams

        ids = self.vocab.lookup_indices(self.tokenizer(text))
        return add_ngrams(ids, self.ngrams, len(self.vocab), self.num_buckets)


class CharPreset(CharTokenizer):
    """The character table of char-level weights (a :class:`CharTokenizer` over ``alphabet``)."""
