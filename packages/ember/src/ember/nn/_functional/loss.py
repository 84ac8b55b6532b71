"""Functional losses, as ``torch.nn.functional``."""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.amp.autocast_mode import FP32, autocast_op
from ember.backends import get_xp
from ember.nn._functional._utils import ArgumentError
from ember.nn._functional.activation import _log1p_exp, logsigmoid
from ember.nn._functional.distance import _clamped_no_grad, pairwise_distance
from ember.ops.nn.loss import BinaryCrossEntropy, CrossEntropy

__all__ = [
    "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div", "cosine_embedding_loss",
    "margin_ranking_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
    "soft_margin_loss", "multilabel_soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "multi_margin_loss", "multilabel_margin_loss", "hinge_embedding_loss",
]


def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """PyTorch's mapping of the deprecated ``size_average``/``reduce`` flags to ``reduction``."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      "reduction='" + _legacy_reduction(size_average, reduce) + "' instead.",
                      UserWarning, stacklevel=3)
        return _legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _check_same_size(name: str, input: Tensor, target: Tensor) -> None:
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"{name}: Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", UserWarning, stacklevel=3)


def _pointwise_loss(name: str, input: Tensor, target: Tensor, reduction: str) -> tuple[Any, ...]:
    _check_same_size(name, input, target)
    if isinstance(target, Tensor) and target._data.dtype != input._data.dtype and (
        np_kind(target._data.dtype) == "f" and np_kind(input._data.dtype) == "f"
    ):
        target = target.to(input.dtype)
    return input, target, reduction


@autocast_op(FP32)
def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None,
             ) -> Tensor:
    """Mean squared error ``(input - target)**2``, reduced.

    Example:
        >>> F.mse_loss(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]))
        tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("mse_loss", input, target, reduction)
    d = input - target
    loss = d * d
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@autocast_op(FP32)
def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None,
            ) -> Tensor:
    """Mean absolute error ``|input - target|``, reduced.

    Example:
        >>> F.l1_loss(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("l1_loss", input, target, reduction)
    loss = ember.abs(input - target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@autocast_op(FP32)
def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0,
                   ) -> Tensor:
    """``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta`` (L1 when beta is 0).

    Example:
        >>> F.smooth_l1_loss(ember.tensor([0.0, 3.0]), ember.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("smooth_l1_loss", input, target, reduction)
    ad = ember.abs(input - target)
    if beta == 0:
        return _reduce(ad, reduction)
    loss = ember.where(ad < beta, ad * ad * (0.5 / beta), ad - 0.5 * beta)
    return _reduce(loss, reduction)


@autocast_op(FP32)
def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 d**2`` for ``|d| <= delta``, else ``delta * (|d| - 0.5 delta)``.

    Example:
        >>> F.huber_loss(ember.tensor([0.0, 3.0]), ember.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    input, target, _ = _pointwise_loss("huber_loss", input, target, reduction)
    ad = ember.abs(input - target)
    loss = ember.where(ad <= delta, ad * ad * 0.5, (ad - 0.5 * delta) * delta)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _class_dim_input(input: Tensor, target: Tensor, name: str) -> tuple[Tensor, Tensor, bool]:
    """Treat an unbatched ``(C,)`` input with a 0-d target as a batch of one."""
    if input.ndim == 1 and target.ndim == 0:
        return input.unsqueeze(0), target.unsqueeze(0), True
    if input.ndim < 1:
        raise ValueError(f"{name}: input must have at least 1 dimension")
    if input.ndim >= 2 and (target.ndim != input.ndim - 1 or input.shape[0] != target.shape[0]
                            or tuple(input.shape[2:]) != tuple(target.shape[1:])):
        raise ArgumentError(
            f"{name}: Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.ndim else 0}); input {list(input.shape)}, target "
            f"{list(target.shape)}")
    return input, target, False


@autocast_op(FP32)
def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood: ``-input[n, target[n]]`` (times the class weight), reduced.

    Args:
        input: log-probabilities ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: class indices ``(N)``, ``(N, d1, ...)`` or ``()``.
        weight: ``(C,)`` class weights; the mean divides by the sum of the weights used.
        ignore_index: targets equal to it contribute nothing (and no weight to the mean).
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.

    Example:
        >>> F.nll_loss(ember.tensor([[-1.0, -2.0]]), ember.tensor([1]))
        tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, unbatched = _class_dim_input(input, target, "nll_loss")
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(f"nll_loss: expected target of integer dtype (class indices), got "
                           f"{target.dtype}; use cross_entropy for class probabilities")
    picked, w = _pick_targets(input, target, weight, ignore_index)
    loss = -picked * w
    if reduction == "none":
        return loss.reshape(()) if unbatched else loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()


def _pick_targets(input: Tensor, target: Tensor, weight: Tensor | None,
                  ignore_index: int) -> tuple[Tensor, Tensor]:
    """``input`` at each target class, and each element's weight (0 where ignored)."""
    c = input.shape[1]
    t = target._data
    xp = get_xp(t)
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= c))
    if bool(bad.any()):
        raise IndexError(f"Target {int(t[bad].reshape(-1)[0])} is out of bounds (classes: {c}).")
    safe = _wrap(xp.where(valid, t, 0).astype(xp.int64))
    picked = input.gather(1, safe.unsqueeze(1)).squeeze(1)
    wv = _wrap(valid.astype(input._data.dtype))
    if weight is not None:
        wv = weight.to(input.dtype).index_select(0, safe.reshape(-1)).reshape(
            tuple(safe.shape)) * wv
    return picked, wv


@autocast_op(FP32)
def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between logits and class indices or class probabilities.

    Args:
        input: logits ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: class indices (integer, shape of input without dim 1) or class probabilities
            (float, same shape as input).
        weight: ``(C,)`` class weights.
        ignore_index: index targets equal to it are skipped.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.
        label_smoothing: mix the target with the uniform distribution by this amount.

    Example:
        >>> round(F.cross_entropy(ember.tensor([[0.0, 0.0]]), ember.tensor([0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ArgumentError(
            f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    if (label_smoothing == 0.0 and target._data.dtype.kind in "iu" and reduction != "batchmean"
            and (weight is None or not weight._requires_grad)):
        return _fused_cross_entropy(input, target, weight, ignore_index, reduction)
    logp = ember.log_softmax(input, class_dim)
    if np_kind(target._data.dtype) == "f":
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(logp, target, weight, reduction, label_smoothing)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return loss
    smooth = _smooth_term(logp, target, weight, ignore_index, reduction, class_dim)
    c = input.shape[class_dim]
    return loss * (1.0 - label_smoothing) + smooth * (label_smoothing / c)


def _fused_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None,
                         ignore_index: int, reduction: str) -> Tensor:
    input, target, unbatched = _class_dim_input(input, target, "cross_entropy")
    c = input.shape[1]
    t = target._data
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bool(bad.any()):
        raise IndexError(f"Target {int(t[bad].reshape(-1)[0])} is out of bounds (classes: {c}).")
    w = None if weight is None else weight._data
    loss = CrossEntropy.apply(input, target, w, ignore_index, reduction)
    return loss.reshape(()) if unbatched and reduction == "none" else loss


def _smooth_term(logp: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int,
                 reduction: str, class_dim: int) -> Tensor:
    """PyTorch's label-smoothing term: the (weighted) sum of -log p over all classes."""
    shape = [1] * logp.ndim
    shape[class_dim] = -1
    lw = logp if weight is None else logp * weight.to(logp.dtype).reshape(shape)
    smooth = -lw.sum(class_dim)
    valid = _wrap(target._data != ignore_index)
    smooth = smooth * valid.to(logp.dtype)
    if reduction == "none":
        return smooth
    if reduction == "sum":
        return smooth.sum()
    if weight is None:
        return smooth.sum() / valid.sum().to(logp.dtype)
    t = target._data
    safe = _wrap(get_xp(t).where(t != ignore_index, t, 0).reshape(-1))
    wsum = (weight.to(logp.dtype).index_select(0, safe) * valid.reshape(-1).to(logp.dtype)).sum()
    return smooth.sum() / wsum


def _cross_entropy_probs(logp: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                         label_smoothing: float) -> Tensor:
    if tuple(target.shape) != tuple(logp.shape):
        # PyTorch checks the batch size first (ValueError), then the shape (RuntimeError).
        bad_batch = logp.ndim > 1 and target.ndim > 0 and target.shape[0] != logp.shape[0]
        raise (ArgumentError if bad_batch else RuntimeError)(
            f"cross_entropy: class-probability targets must have the input's shape "
            f"{list(logp.shape)}, got {list(target.shape)}")
    class_dim = 0 if logp.ndim == 1 else 1
    c = logp.shape[class_dim]
    target = target.to(logp.dtype)
    if label_smoothing > 0:
        target = target * (1.0 - label_smoothing) + label_smoothing / c
    prod = logp * target
    if weight is not None:
        shape = [1] * logp.ndim
        shape[class_dim] = -1
        prod = prod * weight.to(logp.dtype).reshape(shape)
    loss = -prod.sum(class_dim)
    if reduction == "mean":
        return loss.sum() / (logp.numel() // c) if logp.ndim > 1 else loss.sum()
    return _reduce(loss, reduction)


_TORCH_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool", "float32": "Float", "float64": "Double",
                "float16": "Half"}


@autocast_op(FP32)
def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``-(t log p + (1 - t) log(1 - p))`` with each log clamped at -100, as PyTorch does.

    Example:
        >>> round(F.binary_cross_entropy(ember.tensor([0.5]), ember.tensor([1.0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size.")
    arr = input._data
    if arr.size and (bool((arr < 0).any()) or bool((arr > 1).any())):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if target.dtype != input.dtype:  # PyTorch casts nothing here, not even float32 to float64
        raise RuntimeError(
            f"Found dtype {_TORCH_NAMES.get(target.dtype.name, target.dtype.name)} but expected "
            f"{_TORCH_NAMES.get(input.dtype.name, input.dtype.name)}; binary_cross_entropy needs "
            f"a target of the input's dtype (use target.to({input.dtype}))"
        )
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@autocast_op(FP32)
def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid plus binary cross entropy in one stable expression (no overflow for big logits).

    Args:
        input: logits.
        target: probabilities of the positive class, same shape.
        weight: rescales each element's loss.
        pos_weight: weight of the positive term, broadcast along the last (class) dim.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.

    Example:
        >>> F.binary_cross_entropy_with_logits(ember.tensor([1000.0]), ember.tensor([1.0]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    target = target.to(input.dtype)
    log_sig_neg = _log1p_exp(-input)  # log(1 + exp(-x)), finite for any x
    if pos_weight is not None:
        coef = (pos_weight.to(input.dtype) - 1.0) * target + 1.0
        loss = (1.0 - target) * input + coef * log_sig_neg
    else:
        loss = (1.0 - target) * input + log_sig_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


@autocast_op(FP32)
def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence ``target * (log target - input)``; ``input`` is log-probs.

    Args:
        input: log-probabilities.
        target: probabilities (or log-probabilities with ``log_target=True``).
        reduction: ``"batchmean"`` (sum / batch size, the true KL), ``"sum"``, ``"mean"`` (over
            all elements) or ``"none"``.
        log_target: ``target`` is given in log space.

    Example:
        >>> p = ember.tensor([[0.5, 0.5]])
        >>> F.kl_div(p.log(), p, reduction="batchmean")
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.", UserWarning, stacklevel=2)
    if log_target:
        loss = ember.exp(target) * (target - input)
    else:
        loss = ember.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)


@autocast_op(FP32)
def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where target is 1, ``max(0, cos - margin)`` where it is -1.

    Example:
        >>> x = ember.tensor([[1.0, 0.0]])
        >>> F.cosine_embedding_loss(x, x, ember.tensor([1]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    dim = input1.ndim - 1
    eps = 1e-12  # PyTorch's EPSILON inside this loss
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / ember.sqrt(mag1 * mag2)
    t = target.to(cos.dtype) if np_kind(target._data.dtype) != "f" else target
    pos = ember.where(t == 1, 1.0 - cos, 0.0)
    neg = ember.where(t == -1, ember.clamp_min(cos - margin, 0.0), 0.0)
    return _reduce(pos + neg, reduction)


@autocast_op(FP32)
def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, -target * (x1 - x2) + margin)``.

    Example:
        >>> F.margin_ranking_loss(ember.tensor([1.0]), ember.tensor([2.0]), ember.tensor([1.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    loss = ember.clamp_min(-target * (input1 - input2) + margin, 0.0)
    return _reduce(loss, reduction)


@autocast_op(FP32)
def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with p-norm pairwise distances.

    Example:
        >>> a = ember.zeros(1, 2)
        >>> F.triplet_margin_loss(a, a, a + 5.0)
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_an = ember.minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return _reduce(ember.clamp_min(d_ap - d_an + margin, 0.0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Any = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """Triplet loss with any distance function (default: ``pairwise_distance``)."""
    dist = distance_function if distance_function is not None else pairwise_distance
    d_ap = dist(anchor, positive)
    d_an = dist(anchor, negative)
    if swap:
        d_an = ember.minimum(d_an, dist(positive, negative))
    return _reduce(ember.clamp_min(d_ap - d_an + margin, 0.0), reduction)


@autocast_op(FP32)
def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``log(1 + exp(-target * input))``, computed stably.

    Example:
        >>> round(F.soft_margin_loss(ember.tensor([0.0]), ember.tensor([1.0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(-logsigmoid(target * input), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Per-class logistic loss averaged over classes: input ``(N, C)``, target 0/1 ``(N, C)``.

    Example:
        >>> round(F.multilabel_soft_margin_loss(ember.zeros(1, 2), ember.ones(1, 2)).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    target = target.to(input.dtype)
    loss = -(target * logsigmoid(input) + (1.0 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.ndim - 1) / input.shape[-1]
    return _reduce(loss, reduction)


@autocast_op(FP32)
def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Poisson negative log likelihood: ``exp(input) - target * input`` (log_input) or
    ``input - target * log(input + eps)``; ``full`` adds the Stirling term.

    Example:
        >>> F.poisson_nll_loss(ember.tensor([0.0]), ember.tensor([1.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = ember.exp(input) - target * input
    else:
        loss = input - target * ember.log(input + eps)
    if full:
        t = target.to(input.dtype)
        safe = ember.where(t > 1, t, 1.0)
        stirling = safe * ember.log(safe) - safe + ember.log(safe * (2 * math.pi)) * 0.5
        loss = loss + ember.where(t > 1, stirling, 0.0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Gaussian negative log likelihood ``0.5 * (log var + (input - target)**2 / var)``.

    ``var`` is clamped to at least ``eps`` without cutting its gradient, as in PyTorch.

    Example:
        >>> F.gaussian_nll_loss(ember.tensor([0.0]), ember.tensor([0.0]), ember.tensor([1.0]))
        tensor(0.)
    """
    if not isinstance(var, Tensor):
        var = ember.full(tuple(input.shape), float(var), dtype=input.dtype, device=input.device)
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = _clamped_no_grad(var, eps)
    d = input - target
    loss = (ember.log(var) + d * d / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


@autocast_op(FP32)
def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: ``sum_{i != y} max(0, margin - x[y] + x[i])**p / C``.

    Example:
        >>> F.multi_margin_loss(ember.tensor([[0.0, 5.0]]), ember.tensor([1]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target.reshape(-1)
    c = x.shape[1]
    picked = x.gather(1, t.unsqueeze(1))
    z = ember.clamp_min(x - picked + margin, 0.0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight.index_select(0, t).unsqueeze(1)
    not_target = _wrap(get_xp(t._data).arange(c)[None, :] != t._data[:, None])
    loss = (z * not_target.to(z.dtype)).sum(1) / c
    if input.ndim != 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


@autocast_op(FP32)
def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss; ``target`` lists class indices per row, ended by -1.

    Example:
        >>> F.multilabel_margin_loss(ember.tensor([[0.1, 0.2, 0.4, 0.8]]),
        ...                          ember.tensor([[3, 0, -1, 1]]))
        tensor(0.8500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target._data.reshape(x.shape)
    xp = get_xp(t)
    c = x.shape[1]
    count = xp.zeros(x.shape, dtype=x._data.dtype)
    for row in range(t.shape[0]):  # the -1 terminator makes this ragged; rows are short
        stop = xp.nonzero(t[row] < 0)[0]
        end = int(stop[0]) if stop.size else c
        # a class listed twice counts twice, as in PyTorch's loop over the target entries
        xp.add.at(count[row], t[row, :end], 1)
    tcount = _wrap(count)
    # For every (target entry j, non-target i) pair: max(0, 1 - (x[j] - x[i])).
    diff = 1.0 - x.unsqueeze(2) + x.unsqueeze(1)
    pair = tcount.unsqueeze(2) * _wrap((count == 0).astype(count.dtype)).unsqueeze(1)
    loss = (ember.clamp_min(diff, 0.0) * pair).sum((1, 2)) / c
    if input.ndim != 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


@autocast_op(FP32)
def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """x where target is 1, ``max(0, margin - x)`` where it is -1.

    Example:
        >>> F.hinge_embedding_loss(ember.tensor([0.3, 2.0]), ember.tensor([1.0, -1.0]))
        tensor(0.1500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    pos = ember.where(target != -1, input, 0.0)
    neg = ember.where(target != 1, ember.clamp_min(margin - input, 0.0), 0.0)
    return _reduce(pos + neg, reduction)
