"""Streaming metrics: ``update`` per batch, ``compute`` at the end, ``reset`` for the next pass.

Each metric keeps a few running counts (on the host, in float64 or int64), so its result over an
epoch equals the result over the concatenated batches, whatever the batch sizes. Predictions may
be scores ``(N, C, ...)`` (logits or probabilities; the class is their argmax) or labels
``(N, ...)``; targets are integer labels ``(N, ...)``.

Example:
    >>> acc = Accuracy()
    >>> acc.update(ember.tensor([[0.1, 0.9], [0.8, 0.2]]), ember.tensor([1, 1]))
    >>> acc.compute()
    0.5
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ember
import ember.nn.functional as F

__all__ = [
    "Metric",
    "Accuracy",
    "ConfusionMatrix",
    "Precision",
    "Recall",
    "F1Score",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "Perplexity",
]

_AVERAGES = ("macro", "micro", "weighted", "none", None)


def _host(x: Any) -> np.ndarray:
    """A NumPy copy of a tensor (from any device), array or sequence."""
    if isinstance(x, ember.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _class_last(scores: np.ndarray) -> np.ndarray:
    """``(N, C, d1, ...)`` scores as ``(N * d1 * ..., C)`` rows."""
    if scores.ndim > 2:
        scores = np.moveaxis(scores, 1, -1)
    return scores.reshape(-1, scores.shape[-1])


def _labels(preds: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """Flat predicted and true labels; scores with one more dimension than the target are
    reduced by argmax over dimension 1."""
    p, t = _host(preds), _host(target)
    if p.ndim == t.ndim + 1:
        p = _class_last(p).argmax(-1)
    elif p.shape != t.shape:
        raise ValueError(
            f"preds of shape {p.shape} do not match target of shape {t.shape}: expected labels "
            "of the target's shape or scores (N, C, ...) with one more dimension"
        )
    return p.reshape(-1).astype(np.int64), t.reshape(-1).astype(np.int64)


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


class Metric:
    """Base class: subclasses define ``reset`` (create the running state), ``update`` and
    ``compute``.

    ``state_dict()`` / ``load_state_dict()`` round-trip the running state (plain arrays and
    numbers), so a metric can live inside a checkpoint.
    """

    _state_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything seen so far."""
        raise NotImplementedError

    def update(self, preds: Any, target: Any) -> None:
        """Add one batch."""
        raise NotImplementedError

    def compute(self) -> Any:
        """The metric over every batch since the last ``reset``."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The running state (for checkpoints)."""
        return {name: _copy(getattr(self, name)) for name in self._state_names}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state from ``state_dict()``."""
        for name in self._state_names:
            setattr(self, name, _copy(state_dict[name]))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Accuracy(Metric):
    """The fraction of items whose true class is among the ``top_k`` highest scores.

    Args:
        top_k: count a hit when the target is among the ``top_k`` best scores (needs scores
            ``(N, C, ...)`` when above 1).
        ignore_index: target value to leave out (padding).

    Example:
        >>> acc = Accuracy(top_k=2)
        >>> acc.update(ember.tensor([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]), ember.tensor([1, 0]))
        >>> acc.compute()
        0.5
    """

    _state_names = ("correct", "total")

    def __init__(self, *, top_k: int = 1, ignore_index: int | None = None) -> None:
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        self.top_k, self.ignore_index = top_k, ignore_index
        super().__init__()

    def reset(self) -> None:
        self.correct, self.total = 0, 0

    def update(self, preds: Any, target: Any) -> None:
        p, t = _host(preds), _host(target).reshape(-1).astype(np.int64)
        if self.top_k == 1:
            labels, t = _labels(p, _host(target))
            hits = labels == t
        else:
            if p.ndim != _host(target).ndim + 1:
                raise ValueError(
                    f"top_k={self.top_k} needs scores (N, C, ...), got preds of "
                    f"shape {p.shape} for a target of shape {_host(target).shape}"
                )
            rows = _class_last(p)
            k = min(self.top_k, rows.shape[1])
            best = np.argpartition(-rows, k - 1, axis=1)[:, :k]
            hits = (best == t[:, None]).any(axis=1)
        keep = np.ones_like(hits) if self.ignore_index is None else t != self.ignore_index
        self.correct += int(hits[keep].sum())
        self.total += int(keep.sum())

    def compute(self) -> float:
        """Hits over items seen (0.0 before any update)."""
        return self.correct / self.total if self.total else 0.0

    def __repr__(self) -> str:
        return f"Accuracy(top_k={self.top_k})"


class ConfusionMatrix(Metric):
    """Counts of (true class, predicted class) pairs: row ``i``, column ``j`` counts items of
    class ``i`` predicted as ``j``.

    Args:
        num_classes: the number of classes.
        normalize: None (counts), ``"true"`` (rows sum to 1), ``"pred"`` (columns sum to 1) or
            ``"all"`` (the matrix sums to 1).
        ignore_index: target value to leave out.

    Example:
        >>> cm = ConfusionMatrix(num_classes=2)
        >>> cm.update(ember.tensor([0, 1, 1]), ember.tensor([0, 0, 1]))
        >>> cm.compute().tolist()
        [[1, 1], [0, 1]]
    """

    _state_names = ("matrix",)

    def __init__(
        self, num_classes: int, *, normalize: str | None = None, ignore_index: int | None = None
    ) -> None:
        if normalize not in (None, "true", "pred", "all"):
            raise ValueError(f"normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
        self.num_classes, self.normalize, self.ignore_index = num_classes, normalize, ignore_index
        super().__init__()

    def reset(self) -> None:
        self.matrix = np.zeros((self.num_classes, self.num_classes), np.int64)

    def update(self, preds: Any, target: Any) -> None:
        p, t = _labels(preds, target)
        if self.ignore_index is not None:
            keep = t != self.ignore_index
            p, t = p[keep], t[keep]
        c = self.num_classes
        for name, labels in (("preds", p), ("target", t)):
            if labels.size and (labels.min() < 0 or labels.max() >= c):
                raise ValueError(
                    f"{name} hold labels outside [0, {c}): {labels.min()}..{labels.max()}"
                )
        self.matrix += np.bincount(t * c + p, minlength=c * c).reshape(c, c)

    def compute(self) -> np.ndarray:
        """The ``(num_classes, num_classes)`` matrix (int64 counts, or float64 normalised)."""
        m = self.matrix
        if self.normalize is None:
            return m.copy()
        total = {"true": m.sum(1, keepdims=True), "pred": m.sum(0, keepdims=True), "all": m.sum()}[
            self.normalize
        ]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(m / total)


class _ClassScores(ConfusionMatrix):
    """Precision, recall and F1 read off a confusion matrix."""

    def __init__(
        self, num_classes: int, *, average: str | None = "macro", ignore_index: int | None = None
    ) -> None:
        if average not in _AVERAGES:
            raise ValueError(
                f"average must be 'macro', 'micro', 'weighted' or None, got {average!r}"
            )
        self.average = average
        super().__init__(num_classes, ignore_index=ignore_index)

    def _score(self, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def compute(self) -> Any:
        """The score: a float, or one per class (a NumPy array) with ``average=None``.

        ``"macro"`` averages the per-class scores of the classes that occur in the targets or
        the predictions (as scikit-learn does); ``"micro"`` scores the pooled counts;
        ``"weighted"`` weights each class by its number of true items. A score whose
        denominator is 0 counts as 0.
        """
        m = self.matrix
        tp = np.diag(m).astype(np.float64)
        fp, fn = m.sum(0) - tp, m.sum(1) - tp
        if self.average == "micro":
            return float(
                self._score(tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True))[0]
            )
        per_class = self._score(tp, fp, fn)
        if self.average in ("none", None):
            return per_class
        if self.average == "weighted":
            support = m.sum(1)
            return float((per_class * support).sum() / support.sum()) if support.sum() else 0.0
        present = (tp + fp + fn) > 0
        return float(per_class[present].mean()) if present.any() else 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(num_classes={self.num_classes}, average={self.average!r})"


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num, dtype=np.float64), where=den > 0)


class Precision(_ClassScores):
    """Of the items predicted as a class, the fraction that belong to it: tp / (tp + fp).

    Args:
        num_classes: the number of classes.
        average: ``"macro"``, ``"micro"``, ``"weighted"`` or None (one score per class).
        ignore_index: target value to leave out.

    Example:
        >>> p = Precision(num_classes=2, average="macro")
        >>> p.update(ember.tensor([0, 1, 1, 1]), ember.tensor([0, 0, 1, 1]))
        >>> round(p.compute(), 4)
        0.8333
    """

    def _score(self, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        return _ratio(tp, tp + fp)


class Recall(_ClassScores):
    """Of the items of a class, the fraction predicted as it: tp / (tp + fn).

    Args:
        num_classes: the number of classes.
        average: ``"macro"``, ``"micro"``, ``"weighted"`` or None (one score per class).
        ignore_index: target value to leave out.

    Example:
        >>> r = Recall(num_classes=2, average="macro")
        >>> r.update(ember.tensor([0, 1, 1, 1]), ember.tensor([0, 0, 1, 1]))
        >>> r.compute()
        0.75
    """

    def _score(self, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        return _ratio(tp, tp + fn)


class F1Score(_ClassScores):
    """The harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn).

    Args:
        num_classes: the number of classes.
        average: ``"macro"``, ``"micro"``, ``"weighted"`` or None (one score per class).
        ignore_index: target value to leave out.

    Example:
        >>> f1 = F1Score(num_classes=2, average="micro")
        >>> f1.update(ember.tensor([0, 1, 1, 1]), ember.tensor([0, 0, 1, 1]))
        >>> f1.compute()
        0.75
    """

    def _score(self, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        return _ratio(2 * tp, 2 * tp + fp + fn)


class _MeanError(Metric):
    _state_names = ("total", "count")

    def reset(self) -> None:
        self.total, self.count = 0.0, 0

    def _error(self, diff: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def update(self, preds: Any, target: Any) -> None:
        p, t = _host(preds), _host(target)
        if p.shape != t.shape:
            raise ValueError(f"preds of shape {p.shape} do not match target of shape {t.shape}")
        diff = p.astype(np.float64) - t.astype(np.float64)
        self.total += float(self._error(diff).sum())
        self.count += diff.size


class MeanAbsoluteError(_MeanError):
    """The mean of ``|preds - target|`` over every element seen.

    Example:
        >>> mae = MeanAbsoluteError()
        >>> mae.update(ember.tensor([1.0, 2.0]), ember.tensor([1.5, 1.0]))
        >>> mae.compute()
        0.75
    """

    def _error(self, diff: np.ndarray) -> np.ndarray:
        return np.abs(diff)

    def compute(self) -> float:
        """The mean absolute error (0.0 before any update)."""
        return self.total / self.count if self.count else 0.0


class MeanSquaredError(_MeanError):
    """The mean of ``(preds - target) ** 2`` over every element seen.

    Args:
        squared: False gives the root mean squared error.

    Example:
        >>> mse = MeanSquaredError()
        >>> mse.update(ember.tensor([1.0, 2.0]), ember.tensor([1.5, 1.0]))
        >>> mse.compute()
        0.625
    """

    def __init__(self, *, squared: bool = True) -> None:
        self.squared = squared
        super().__init__()

    def _error(self, diff: np.ndarray) -> np.ndarray:
        return diff * diff

    def compute(self) -> float:
        """The mean squared error, or its root with ``squared=False``."""
        mse = self.total / self.count if self.count else 0.0
        return mse if self.squared else math.sqrt(mse)


class Perplexity(Metric):
    """``exp`` of the mean negative log-likelihood per token, from logits.

    ``update(logits, target)`` takes logits ``(N, ..., V)`` (the vocabulary last, as a language
    model returns them) and token ids ``(N, ...)``. The cross-entropy is summed on the logits'
    device with ``ember.nn.functional.cross_entropy``; only the sum travels to the host.

    Args:
        ignore_index: token id to leave out (padding).

    Example:
        >>> ppl = Perplexity()
        >>> ppl.update(ember.zeros(2, 3, 4), ember.tensor([[0, 1, 2], [3, 0, 1]]))
        >>> round(ppl.compute(), 4)  # uniform over 4 tokens
        4.0
    """

    _state_names = ("total", "count")

    def __init__(self, *, ignore_index: int | None = None) -> None:
        self.ignore_index = ignore_index
        super().__init__()

    def reset(self) -> None:
        self.total, self.count = 0.0, 0

    def update(self, preds: Any, target: Any) -> None:
        if tuple(preds.shape[:-1]) != tuple(target.shape):
            raise ValueError(
                f"logits of shape {tuple(preds.shape)} do not match target of "
                f"shape {tuple(target.shape)}: expected (N, ..., V) and (N, ...)"
            )
        logits = preds.detach().reshape(-1, preds.shape[-1])
        flat = target.reshape(-1)
        kwargs = {} if self.ignore_index is None else {"ignore_index": self.ignore_index}
        with ember.no_grad():
            nll = F.cross_entropy(logits, flat, reduction="sum", **kwargs)
        self.total += float(nll.item())
        n = flat.numel() if self.ignore_index is None else (flat != self.ignore_index).sum()
        self.count += int(n)

    def compute(self) -> float:
        """``exp(total NLL / tokens)`` (1.0 before any update)."""
        return math.exp(self.total / self.count) if self.count else 1.0
