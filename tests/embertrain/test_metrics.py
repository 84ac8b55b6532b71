"""Streaming metrics against hand-written NumPy computations, fed in uneven batches."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
from embertrain import metrics as M

RNG = np.random.default_rng(0)
N, C = 37, 4
SCORES = RNG.standard_normal((N, C)).astype(np.float32)
TARGET = RNG.integers(0, C, N)
PRED = SCORES.argmax(1)


def _feed(metric, preds, target, cuts=(5, 17, 30)):
    """update() over uneven batches; the result must equal one pass over everything."""
    for part_p, part_t in zip(np.split(preds, cuts), np.split(target, cuts)):
        metric.update(ember.from_numpy(np.ascontiguousarray(part_p)), ember.tensor(part_t))
    return metric.compute()


def _confusion(pred, target, c=C):
    m = np.zeros((c, c), np.int64)
    for p, t in zip(pred, target):
        m[t, p] += 1
    return m


def test_accuracy_top1_and_topk():
    assert _feed(M.Accuracy(), SCORES, TARGET) == pytest.approx((PRED == TARGET).mean())
    assert _feed(M.Accuracy(), PRED, TARGET) == pytest.approx((PRED == TARGET).mean())
    top2 = np.argsort(-SCORES, axis=1)[:, :2]
    hits = np.array([t in row for t, row in zip(TARGET, top2)])
    assert _feed(M.Accuracy(top_k=2), SCORES, TARGET) == pytest.approx(hits.mean())
    assert 0 < (PRED == TARGET).mean() < hits.mean() < 1
    assert _feed(M.Accuracy(top_k=C), SCORES, TARGET) == 1.0
    with pytest.raises(ValueError, match="needs scores"):
        M.Accuracy(top_k=2).update(ember.tensor(PRED), ember.tensor(TARGET))


def test_accuracy_ignore_index_and_spatial_scores():
    target = TARGET.copy()
    target[::3] = -100
    keep = target != -100
    acc = _feed(M.Accuracy(ignore_index=-100), SCORES, target)
    assert acc == pytest.approx((PRED[keep] == target[keep]).mean())
    # (N, C, L) scores against (N, L) targets, as a segmentation or sequence model gives
    scores = RNG.standard_normal((6, C, 5)).astype(np.float32)
    labels = RNG.integers(0, C, (6, 5))
    expected = (scores.argmax(1) == labels).mean()
    assert _feed(M.Accuracy(), scores, labels, cuts=(2, 3)) == pytest.approx(expected)


def test_confusion_matrix_and_normalisation():
    cm = _confusion(PRED, TARGET)
    np.testing.assert_array_equal(_feed(M.ConfusionMatrix(C), SCORES, TARGET), cm)
    rows = _feed(M.ConfusionMatrix(C, normalize="true"), PRED, TARGET)
    np.testing.assert_allclose(rows, cm / cm.sum(1, keepdims=True))
    cols = _feed(M.ConfusionMatrix(C, normalize="pred"), PRED, TARGET)
    np.testing.assert_allclose(cols, cm / cm.sum(0, keepdims=True))
    np.testing.assert_allclose(_feed(M.ConfusionMatrix(C, normalize="all"), PRED, TARGET), cm / N)
    with pytest.raises(ValueError, match="outside"):
        M.ConfusionMatrix(2).update(ember.tensor([0, 3]), ember.tensor([0, 1]))


def _per_class(pred, target, c=C):
    tp = np.array([((pred == k) & (target == k)).sum() for k in range(c)], float)
    fp = np.array([((pred == k) & (target != k)).sum() for k in range(c)], float)
    fn = np.array([((pred != k) & (target == k)).sum() for k in range(c)], float)
    return tp, fp, fn


def _div(a, b):
    return np.array([x / y if y else 0.0 for x, y in zip(a, b)])


@pytest.mark.parametrize("average", ["macro", "micro", "weighted", None])
def test_precision_recall_f1(average):
    tp, fp, fn = _per_class(PRED, TARGET)
    per = {
        M.Precision: _div(tp, tp + fp),
        M.Recall: _div(tp, tp + fn),
        M.F1Score: _div(2 * tp, 2 * tp + fp + fn),
    }
    pooled = {
        M.Precision: tp.sum() / (tp.sum() + fp.sum()),
        M.Recall: tp.sum() / (tp.sum() + fn.sum()),
        M.F1Score: 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()),
    }
    support = tp + fn
    for cls, scores in per.items():
        got = _feed(cls(C, average=average), SCORES, TARGET)
        if average is None:
            np.testing.assert_allclose(got, scores)
        elif average == "macro":
            assert got == pytest.approx(scores.mean())
        elif average == "weighted":
            assert got == pytest.approx((scores * support).sum() / support.sum())
        else:
            assert got == pytest.approx(pooled[cls])
            assert got == pytest.approx((PRED == TARGET).mean())  # single-label: = accuracy


def test_macro_average_skips_absent_classes():
    pred, target = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    f1 = _feed(M.F1Score(5, average="macro"), pred, target, cuts=(1,))
    tp, fp, fn = _per_class(pred, target, 2)
    assert f1 == pytest.approx(_div(2 * tp, 2 * tp + fp + fn).mean())  # classes 2-4 never seen


def test_regression_errors():
    preds = RNG.standard_normal((N, 3)).astype(np.float32)
    target = RNG.standard_normal((N, 3)).astype(np.float32)
    diff = preds.astype(np.float64) - target
    assert _feed(M.MeanAbsoluteError(), preds, target) == pytest.approx(np.abs(diff).mean())
    assert _feed(M.MeanSquaredError(), preds, target) == pytest.approx((diff**2).mean())
    rmse = _feed(M.MeanSquaredError(squared=False), preds, target)
    assert rmse == pytest.approx(math.sqrt((diff**2).mean()))
    with pytest.raises(ValueError, match="do not match"):
        M.MeanSquaredError().update(ember.zeros(3), ember.zeros(4))


def _log_softmax(x):
    x = x.astype(np.float64)
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def test_perplexity_matches_the_definition():
    logits = RNG.standard_normal((6, 7, 11)).astype(np.float32)
    tokens = RNG.integers(0, 11, (6, 7))
    logp = _log_softmax(logits)
    nll = -np.take_along_axis(logp, tokens[..., None], -1)[..., 0]
    assert _feed(M.Perplexity(), logits, tokens, cuts=(2, 5)) == pytest.approx(
        np.exp(nll.mean()), rel=1e-5
    )
    padded = tokens.copy()
    padded[:, -2:] = 0
    keep = padded != 0
    nll = -np.take_along_axis(logp, padded[..., None], -1)[..., 0]
    got = _feed(M.Perplexity(ignore_index=0), logits, padded, cuts=(2, 5))
    assert got == pytest.approx(np.exp(nll[keep].mean()), rel=1e-5)


def test_reset_and_state_round_trip():
    acc = M.Accuracy()
    _feed(acc, SCORES, TARGET)
    saved = acc.state_dict()
    acc.reset()
    assert acc.compute() == 0.0 and acc.total == 0
    acc.load_state_dict(saved)
    assert acc.compute() == pytest.approx((PRED == TARGET).mean())
    cm = M.ConfusionMatrix(C)
    _feed(cm, PRED, TARGET)
    other = M.ConfusionMatrix(C)
    other.load_state_dict(cm.state_dict())
    np.testing.assert_array_equal(other.compute(), cm.compute())
