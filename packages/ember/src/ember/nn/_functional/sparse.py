"""Functional embeddings and one-hot encoding, as ``torch.nn.functional``."""

from __future__ import annotations

import warnings
from typing import Any

import ember
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.ops._util import check_same_device
from ember.ops.nn.linear import Embedding

__all__ = ["embedding", "embedding_bag", "one_hot"]


def _check_indices(name: str, input: Tensor, num: int) -> None:
    if input._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"{name}: Expected tensor for argument #1 'indices' to have one of the following "
            f"scalar types: Long, Int; but got {input.dtype} instead (usage: "
            f"{name}(input.long(), ...))"
        )
    arr = input._data
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= num):
        raise IndexError(
            f"{name}: index out of range in self (indices must lie in [0, {num}), got values in "
            f"[{int(arr.min())}, {int(arr.max())}])"
        )


def _padding(padding_idx: int | None, num: int) -> int | None:
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num


def _renorm_rows(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows of ``weight`` in place so their norm is at most ``max_norm``."""
    w = weight._data
    xp = get_xp(w)
    rows = xp.unique(input._data.reshape(-1))
    sel = w[rows]
    norms = xp.linalg.norm(sel, ord=norm_type, axis=1)
    scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(w.dtype)
    w[rows] = sel * scale[:, None]
    weight._vc[0] += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Look up rows of ``weight`` by integer ``input``.

    Args:
        input: integer indices of any shape.
        weight: ``(num_embeddings, embedding_dim)``.
        padding_idx: the row at this index gets no gradient.
        max_norm: rows looked up are first renormalised in place to at most this norm.
        norm_type: the p of that norm.
        scale_grad_by_freq: divide gradients by how often each index occurs in the batch.
        sparse: accepted for compatibility; gradients are always dense.

    Returns:
        ``input.shape + (embedding_dim,)``.

    Example:
        >>> F.embedding(ember.tensor([[0, 2]]), ember.eye(3)).tolist()
        [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]
    """
    if weight.ndim != 2:
        raise RuntimeError(f"embedding: 'weight' must be 2-D, got shape {list(weight.shape)}")
    num = weight.shape[0]
    check_same_device("embedding", weight._data, input._data)
    _check_indices("embedding", input, num)
    padding_idx = _padding(padding_idx, num)
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(weight, input._data, padding_idx, scale_grad_by_freq)


def _bag_ids(input: Tensor, offsets: Tensor | None, include_last: bool) -> tuple[Any, int]:
    """The bag number of every index (as a raw int64 array) and the number of bags."""
    xp = get_xp(input._data)
    if input.ndim == 2:
        b, n = input.shape
        return xp.repeat(xp.arange(b, dtype=xp.int64), n), b
    if input.ndim != 1:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    off = offsets._data.astype(xp.int64)
    if include_last:
        off = off[:-1]
    n_bags = int(off.shape[0])
    if n_bags and int(off[0]) != 0:
        raise ValueError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has "
                         "to start from position 0. However, got " + str(int(off[0])))
    positions = xp.arange(input.shape[0], dtype=xp.int64)
    return xp.searchsorted(off, positions, side="right") - 1, n_bags


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,
                  max_norm: float | None = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sum, mean or max of embedding rows per bag, without building the ``(B, N, D)`` tensor.

    Args:
        input: ``(B, N)`` bags of equal size, or 1-D indices split into bags by ``offsets``.
        weight: ``(num_embeddings, embedding_dim)``.
        offsets: start position of each bag in a 1-D ``input``.
        mode: ``"sum"``, ``"mean"`` or ``"max"``. Empty bags give zeros.
        per_sample_weights: weights of each index (``mode="sum"`` only).
        include_last_offset: ``offsets`` has one extra entry (the end of the last bag).
        padding_idx: indices equal to this are left out of every bag.
        max_norm, norm_type, scale_grad_by_freq, sparse: as in ``embedding``.

    Returns:
        ``(B, embedding_dim)``.

    Example:
        >>> w = ember.arange(6.0).reshape(3, 2)
        >>> F.embedding_bag(ember.tensor([0, 1, 2]), w, ember.tensor([0, 2]), mode="sum").tolist()
        [[2.0, 4.0], [4.0, 5.0]]
    """
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
    if not weight.is_floating_point() and input.is_floating_point():
        warnings.warn(  # torch still accepts the old (weight, input) order, and says so
            "Argument order of nn.functional.embedding_bag was changed. Usage "
            "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
            "`embedding_bag(input, weight, ...)`.",
            stacklevel=2,
        )
        input, weight = weight, input
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request")
    bag, n_bags = _bag_ids(input, offsets, include_last_offset)
    flat = input.reshape(-1)
    num, dim = weight.shape
    padding_idx = _padding(padding_idx, num)
    rows = embedding(flat, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq)
    keep = None if padding_idx is None else (flat != padding_idx)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1, 1)
    if keep is not None:
        rows = rows * keep.to(rows.dtype).unsqueeze(1)
    bag_t = _wrap(bag)
    zeros = ember.zeros(n_bags, dim, dtype=weight.dtype, device=weight.device)
    if mode == "max":
        return _bag_max(rows, bag_t, keep, zeros)
    total = ember.index_add(zeros, 0, bag_t, rows)
    if mode == "sum":
        return total
    ones = ember.ones(flat.shape[0], dtype=weight.dtype, device=weight.device)
    if keep is not None:
        ones = ones * keep.to(weight.dtype)
    counts = ember.zeros(n_bags, dtype=weight.dtype, device=weight.device).index_add(0, bag_t, ones)
    return total / ember.clamp_min(counts, 1.0).unsqueeze(1)


def _bag_max(rows: Tensor, bag: Tensor, keep: Tensor | None, zeros: Tensor) -> Tensor:
    if keep is not None:
        rows, bag = rows[keep], bag[keep]
    index = bag.unsqueeze(1).expand(-1, rows.shape[1])
    return ember.scatter_reduce(zeros, 0, index, rows, "amax", include_self=False)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Int64 one-hot encoding: a new last dim of size ``num_classes`` with a 1 at each index.

    Example:
        >>> F.one_hot(ember.tensor([0, 2]), 3)
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    arr = tensor._data
    if arr.dtype != get_xp(arr).int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp = get_xp(arr)
    if num_classes == -1:
        if arr.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(arr.max()) + 1
    if arr.size and int(arr.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if arr.size and int(arr.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return _wrap((arr[..., None] == xp.arange(num_classes)).astype(xp.int64))
