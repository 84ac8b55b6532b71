"""PackedSequence and pad/pack helpers for recurrent layers, as ``torch.nn.utils.rnn``.

A packed sequence stores a batch of variable-length sequences time step after time step: step
``t`` holds the first ``batch_sizes[t]`` sequences (sorted by decreasing length), so a recurrent
layer processes only the rows that are still running. Every conversion here is one gather
(``index`` into a flattened tensor), so gradients flow through packing and padding for free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

import ember
from ember._tensor import Tensor

__all__ = [
    "PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
    "unpad_sequence", "pack_sequence", "unpack_sequence", "invert_permutation",
]


class _PackedBase(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedBase):
    """A batch of variable-length sequences packed time-major (see the module docs).

    Fields: ``data`` ``(sum(lengths), *)``, ``batch_sizes`` (int64, CPU, one per time step),
    ``sorted_indices`` (batch order used for packing, or None when the input was already sorted)
    and ``unsorted_indices`` (its inverse). Build one with ``pack_padded_sequence`` or
    ``pack_sequence`` rather than by hand.

    Example:
        >>> p = pack_sequence([ember.ones(3, 2), ember.ones(1, 2)])
        >>> p.batch_sizes.tolist()
        [2, 1, 1]
    """

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None,
                sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            raise TypeError("PackedSequence: batch_sizes is required; build packed sequences with "
                            "pack_padded_sequence or pack_sequence")
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """Move/cast ``data`` (indices follow its device; ``batch_sizes`` stays on the CPU)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        dev = data.device
        idx = [None if i is None else i.to(dev) for i in (self.sorted_indices,
                                                          self.unsorted_indices)]
        return type(self)(data, self.batch_sizes, idx[0], idx[1])

    def cuda(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """Copy to a CUDA device."""
        return self.to("cuda" if not args else args[0], **kwargs)

    def cpu(self) -> PackedSequence:
        """Copy to the CPU."""
        return self.to("cpu")

    def double(self) -> PackedSequence:
        """Cast ``data`` to float64."""
        return self.to(ember.float64)

    def float(self) -> PackedSequence:
        """Cast ``data`` to float32."""
        return self.to(ember.float32)

    def half(self) -> PackedSequence:
        """Cast ``data`` to float16."""
        return self.to(ember.float16)

    @property
    def is_cuda(self) -> bool:
        """Whether ``data`` lives on a CUDA device."""
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        """Always False (no pinned host memory on this backend)."""
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation of ``0..n-1`` (None stays None).

    Example:
        >>> invert_permutation(ember.tensor([2, 0, 1])).tolist()
        [1, 2, 0]
    """
    if permutation is None:
        return None
    p = np.asarray(permutation.cpu().numpy())
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=p.dtype)
    return ember.tensor(inv, dtype=ember.int64, device=permutation.device)


def _lengths_array(lengths: Any) -> np.ndarray:
    if isinstance(lengths, Tensor):
        if lengths.ndim != 1:
            raise RuntimeError(f"pack_padded_sequence: lengths must be 1-D, got shape "
                               f"{tuple(lengths.shape)}")
        return np.asarray(lengths.cpu().numpy()).astype(np.int64)
    return np.asarray(list(lengths), dtype=np.int64)


def _batch_sizes(lengths: np.ndarray) -> np.ndarray:
    """``batch_sizes[t]`` = number of sequences longer than ``t`` (lengths sorted descending)."""
    steps = np.arange(int(lengths[0]) if lengths.size else 0)
    return (lengths[None, :] > steps[:, None]).sum(1).astype(np.int64)


def _packed_rows(batch_sizes: np.ndarray, batch: int) -> np.ndarray:
    """Row of each packed element in a time-major ``(T * batch)`` flattening."""
    return np.concatenate([t * batch + np.arange(n) for t, n in enumerate(batch_sizes)]
                          ) if batch_sizes.size else np.zeros(0, np.int64)


def _index(like: Tensor, idx: np.ndarray) -> Tensor:
    return ember.tensor(idx.astype(np.int64), device=like.device)


def pack_padded_sequence(input: Tensor, lengths: Tensor | Sequence[int],
                         batch_first: bool = False, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch of variable-length sequences.

    Args:
        input: ``(T, B, *)`` padded sequences (``(B, T, *)`` with ``batch_first``).
        lengths: length of each sequence (a list or a 1-D CPU int64 tensor).
        batch_first: whether ``input`` is batch-major.
        enforce_sorted: if True, ``lengths`` must be sorted in decreasing order; if False the
            batch is sorted here and the order is restored by ``pad_packed_sequence``.

    Returns:
        A ``PackedSequence``.

    Example:
        >>> x = ember.zeros(3, 2, 4)
        >>> pack_padded_sequence(x, [3, 1]).data.shape
        ember.Size([4, 4])
    """
    lens = _lengths_array(lengths)
    if lens.size and lens.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element "
                           "in 'lengths' that is <= 0")
    if enforce_sorted:
        if np.any(np.diff(lens) > 0):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                               "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                               "pack_padded_sequence and/or pack_sequence to sidestep this "
                               "requirement if you do not need ONNX exportability.")
        sorted_idx = None
    else:
        order = np.argsort(-lens, kind="stable")
        lens = lens[order]
        sorted_idx = ember.tensor(order.astype(np.int64), device=input.device)
    if batch_first:
        input = input.transpose(0, 1)
    if sorted_idx is not None:
        input = input.index_select(1, sorted_idx)
    steps, batch = input.shape[0], input.shape[1]
    if lens.size and lens[0] > steps:
        raise RuntimeError(f"pack_padded_sequence: a length of {int(lens[0])} exceeds the "
                           f"padded sequence length {steps}")
    bs = _batch_sizes(lens)
    flat = input.reshape((steps * batch,) + tuple(input.shape[2:]))
    data = flat[_index(input, _packed_rows(bs, batch))]
    return PackedSequence(data, ember.tensor(bs, dtype=ember.int64), sorted_idx, None)


def _padded_gather(bs: np.ndarray, steps: int, n_rows: int) -> np.ndarray:
    """For each cell of a time-major ``(steps, B)`` grid, its packed row, or ``n_rows`` (pad)."""
    batch = int(bs[0]) if bs.size else 0
    grid = np.full((steps, batch), n_rows, dtype=np.int64)
    offset = 0
    for t, n in enumerate(bs):
        grid[t, :n] = np.arange(offset, offset + n)
        offset += int(n)
    return grid.reshape(-1)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False,
                        padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Inverse of ``pack_padded_sequence``: pad a packed batch back to a dense tensor.

    Args:
        sequence: the ``PackedSequence``.
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``.
        padding_value: value of the padded elements.
        total_length: pad to this length (at least the longest sequence).

    Returns:
        ``(padded, lengths)``, lengths as a CPU int64 tensor in the original batch order.

    Example:
        >>> p = pack_sequence([ember.ones(2), ember.ones(1)])
        >>> pad_packed_sequence(p)[0].shape
        ember.Size([2, 2])
    """
    data = sequence.data
    bs = np.asarray(sequence.batch_sizes.cpu().numpy()).astype(np.int64)
    steps = bs.size
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {steps}")
        steps = total_length
    batch = int(bs[0])
    pad = ember.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype,
                     device=data.device)
    src = ember.cat([data, pad], 0)
    grid = _padded_gather(bs, steps, data.shape[0])
    out = src[_index(data, grid)].reshape((steps, batch) + tuple(data.shape[1:]))
    lengths = (bs[None, :] > np.arange(batch)[:, None]).sum(1)
    if sequence.unsorted_indices is not None:
        out = out.index_select(1, sequence.unsorted_indices)
        lengths = lengths[np.asarray(sequence.unsorted_indices.cpu().numpy())]
    if batch_first:
        out = out.transpose(0, 1)
    return out, ember.tensor(lengths.astype(np.int64))


def pad_sequence(sequences: Tensor | Iterable[Tensor], batch_first: bool = False,
                 padding_value: float = 0.0, padding_side: str = "right") -> Tensor:
    """Stack variable-length tensors ``(L_i, *)`` into one padded tensor.

    Args:
        sequences: tensors with the same trailing shape.
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``.
        padding_value: value of the padded elements.
        padding_side: ``"right"`` (pad after each sequence) or ``"left"``.

    Returns:
        The padded tensor, ``T = max(L_i)``.

    Example:
        >>> pad_sequence([ember.ones(3), ember.ones(1)], batch_first=True).tolist()
        [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]
    """
    seqs = list(sequences)
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    if not seqs:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    lens = np.array([s.shape[0] for s in seqs], dtype=np.int64)
    steps, batch, rest = int(lens.max()), len(seqs), tuple(seqs[0].shape[1:])
    total = int(lens.sum())
    grid = np.full((batch, steps), total, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    for b, (s0, n) in enumerate(zip(starts, lens)):
        cols = np.arange(n) if padding_side == "right" else np.arange(steps - n, steps)
        grid[b, cols] = np.arange(s0, s0 + n)
    like = seqs[0]
    pad = ember.full((1,) + rest, padding_value, dtype=like.dtype, device=like.device)
    src = ember.cat(seqs + [pad], 0)
    if not batch_first:
        grid = grid.T
    return src[_index(like, grid.reshape(-1))].reshape(grid.shape + rest)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor | Sequence[int],
                   batch_first: bool = False) -> list[Tensor]:
    """Split a padded batch into a list of its unpadded sequences.

    Args:
        padded_sequences: ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``).
        lengths: length of each sequence.
        batch_first: whether the input is batch-major.

    Returns:
        A list of ``B`` tensors ``(L_i, *)``.

    Example:
        >>> [t.shape[0] for t in unpad_sequence(ember.zeros(3, 2), [3, 1])]
        [3, 1]
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lens = _lengths_array(lengths)
    return [padded_sequences[b, :int(n)] for b, n in enumerate(lens)]


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of variable-length tensors ``(L_i, *)``.

    Args:
        sequences: the tensors, sorted by decreasing length unless ``enforce_sorted=False``.
        enforce_sorted: see ``pack_padded_sequence``.

    Returns:
        A ``PackedSequence``.

    Example:
        >>> pack_sequence([ember.ones(1), ember.ones(2)], enforce_sorted=False).data.shape
        ember.Size([3])
    """
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Inverse of ``pack_sequence``: the list of unpadded sequences in their original order.

    Example:
        >>> [t.shape[0] for t in unpack_sequence(pack_sequence([ember.ones(2), ember.ones(1)]))]
        [2, 1]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
