"""Pure functions behind the text transforms: truncate, add a token, pad, to tensor, collate.

Each takes one sequence (a list of tokens or ids) or a batch (a list of such lists).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import ember
from ember import Tensor

__all__ = [
    "truncate",
    "add_token",
    "pad",
    "to_tensor",
    "pad_sequences",
    "collate_padded",
]


def _is_batch(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and len(x) > 0 and isinstance(x[0], (list, tuple))


def truncate(x: Sequence[Any], max_seq_len: int) -> list[Any]:
    """Keep the first ``max_seq_len`` items of a sequence (or of each sequence of a batch).

    Example:
        >>> truncate([[1, 2, 3], [4]], 2)
        [[1, 2], [4]]
    """
    if _is_batch(x):
        return [list(s[:max_seq_len]) for s in x]
    return list(x[:max_seq_len])


def add_token(x: Sequence[Any], token: Any, begin: bool = True) -> list[Any]:
    """Put ``token`` at the beginning (or end) of a sequence or of each sequence of a batch.

    Example:
        >>> add_token([1, 2], 0), add_token([[1], [2]], 9, begin=False)
        ([0, 1, 2], [[1, 9], [2, 9]])
    """
    if _is_batch(x):
        return [add_token(s, token, begin) for s in x]
    return [token, *x] if begin else [*x, token]


def pad(x: Sequence[Any], max_length: int, pad_value: Any) -> list[Any]:
    """Pad a sequence (or each sequence of a batch) on the right up to ``max_length``.

    Example:
        >>> pad([1, 2], 4, 0)
        [1, 2, 0, 0]
    """
    if _is_batch(x):
        return [pad(s, max_length, pad_value) for s in x]
    return list(x) + [pad_value] * max(0, max_length - len(x))


def pad_sequences(
    batch: Sequence[Sequence[int]], padding_value: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Pad id sequences to the longest one: an int64 array ``(B, T)`` and the lengths ``(B,)``.

    Example:
        >>> ids, lengths = pad_sequences([[1, 2, 3], [4]], padding_value=0)
        >>> ids.tolist(), lengths.tolist()
        ([[1, 2, 3], [4, 0, 0]], [3, 1])
    """
    lengths = np.fromiter((len(s) for s in batch), dtype=np.int64, count=len(batch))
    out = np.full((len(batch), int(lengths.max(initial=0))), padding_value, dtype=np.int64)
    for i, seq in enumerate(batch):
        out[i, : len(seq)] = seq
    return out, lengths


def to_tensor(x: Sequence[Any], padding_value: int | None = None, dtype: Any = None) -> Tensor:
    """Ids (one sequence or a batch) as an int64 tensor; a batch is padded with ``padding_value``.

    Example:
        >>> to_tensor([[1, 2], [3]], padding_value=0).tolist()
        [[1, 2], [3, 0]]
    """
    dtype = ember.long if dtype is None else dtype
    if _is_batch(x):
        lengths = {len(s) for s in x}
        if len(lengths) > 1 and padding_value is None:
            raise ValueError("sequences have different lengths; pass padding_value to pad them")
        arr, _ = pad_sequences(x, 0 if padding_value is None else padding_value)
        return ember.from_numpy(arr).to(dtype)
    return ember.tensor(list(x), dtype=dtype)


def collate_padded(
    batch: Sequence[tuple[Any, Sequence[int]]],
    padding_value: int = 0,
    *,
    batch_first: bool = True,
) -> tuple[Tensor, Tensor, Tensor]:
    """Collate ``(label, ids)`` pairs: labels, ids padded to the batch's longest, and lengths.

    The lengths go to :func:`ember.nn.utils.rnn.pack_padded_sequence`.

    Args:
        batch: ``(label, ids)`` pairs.
        padding_value: the id used for padding.
        batch_first: ids as ``(B, T)`` (else ``(T, B)``).

    Returns:
        ``(labels, ids, lengths)``, int64 tensors.

    Example:
        >>> labels, ids, lengths = collate_padded([(1, [5, 6, 7]), (0, [8])])
        >>> ids.shape, lengths.tolist()
        (ember.Size([2, 3]), [3, 1])
    """
    labels = ember.tensor([int(label) for label, _ in batch], dtype=ember.long)
    ids, lengths = pad_sequences([seq for _, seq in batch], padding_value)
    out = ember.from_numpy(ids if batch_first else np.ascontiguousarray(ids.T))
    return labels, out, ember.from_numpy(lengths)
