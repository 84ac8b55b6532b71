"""Text transforms as modules (torchtext's ``transforms``), thin classes over ``functional``."""

from __future__ import annotations

from typing import Any

from ember import nn
from embertext.transforms import functional as F
from embertext.vocab import Vocab

__all__ = ["VocabTransform", "Truncate", "AddToken", "PadTransform", "ToTensor", "Sequential"]


class VocabTransform(nn.Module):
    """Tokens to ids through a :class:`~embertext.vocab.Vocab` (one sequence or a batch).

    Args:
        vocab: the vocabulary (set its default index to map unknown tokens).

    Example:
        >>> from embertext.vocab import Vocab
        >>> VocabTransform(Vocab(["a", "b"]))([["b", "a"], ["a"]])
        [[1, 0], [0]]
    """

    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be an embertext Vocab, got {type(vocab).__name__}")
        self.vocab = vocab

    def forward(self, x: Any) -> Any:
        if F._is_batch(x):
            return [self.vocab.lookup_indices(s) for s in x]
        return self.vocab.lookup_indices(x)


class Truncate(nn.Module):
    """Keep at most ``max_seq_len`` items.

    Example:
        >>> Truncate(2)([1, 2, 3])
        [1, 2]
    """

    def __init__(self, max_seq_len: int) -> None:
        super().__init__()
        self.max_seq_len = max_seq_len

    def forward(self, x: Any) -> Any:
        return F.truncate(x, self.max_seq_len)


class AddToken(nn.Module):
    """Add ``token`` (an id or a string) at the beginning or the end.

    Args:
        token: what to add.
        begin: at the beginning (else at the end).

    Example:
        >>> AddToken(0, begin=True)([5, 6])
        [0, 5, 6]
    """

    def __init__(self, token: Any, begin: bool = True) -> None:
        super().__init__()
        self.token = token
        self.begin = begin

    def forward(self, x: Any) -> Any:
        return F.add_token(x, self.token, self.begin)


class PadTransform(nn.Module):
    """Pad on the right with ``pad_value`` up to ``max_length``.

    Example:
        >>> PadTransform(4, 0)([1, 2])
        [1, 2, 0, 0]
    """

    def __init__(self, max_length: int, pad_value: Any) -> None:
        super().__init__()
        self.max_length = max_length
        self.pad_value = pad_value

    def forward(self, x: Any) -> Any:
        return F.pad(x, self.max_length, self.pad_value)


class ToTensor(nn.Module):
    """Ids to an int64 tensor; a batch is padded with ``padding_value`` to its longest.

    Example:
        >>> ToTensor(padding_value=0)([[1, 2], [3]]).tolist()
        [[1, 2], [3, 0]]
    """

    def __init__(self, padding_value: int | None = None, dtype: Any = None) -> None:
        super().__init__()
        self.padding_value = padding_value
        self.dtype = dtype

    def forward(self, x: Any) -> Any:
        return F.to_tensor(x, self.padding_value, self.dtype)


class Sequential(nn.Sequential):
    """Run text transforms in order (``ember.nn.Sequential`` over any inputs).

    Example:
        >>> Sequential(Truncate(2), AddToken(0))([5, 6, 7])
        [0, 5, 6]
    """
