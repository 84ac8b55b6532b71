"""Fused loss primitives: ``CrossEntropy`` (log_softmax + nll) and ``BinaryCrossEntropy``."""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

import ember
from ember._tensor import _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp

__all__ = ["CrossEntropy", "BinaryCrossEntropy"]


class CrossEntropy(Primitive):
    """log_softmax + nll_loss over class indices in one node. Primitive for measured speed: the
    composition recorded ~9 nodes; the plain backward is ``(softmax - onehot) * coef`` from the
    saved probabilities. Forward+backward, 1 thread: 256x1000 3.5 -> 2.0 ms (torch 2.3),
    128x10 0.85 -> 0.32 ms (torch 0.16). A recorded backward (``create_graph=True``) recomputes
    the softmax with ember ops, so second derivatives stay exact."""

    @staticmethod
    def forward(ctx, x, t, w, ignore_index, reduction):
        xp = get_xp(x)
        valid = t != ignore_index
        safe = xp.where(valid, t, 0)[:, None]
        p = xp.asarray(x - x.max(axis=1, keepdims=True))
        shifted_t = xp.take_along_axis(p, safe, axis=1)[:, 0]
        xp.exp(p, out=p)
        s = p.sum(axis=1, keepdims=True)
        logp_t = shifted_t - xp.log(s[:, 0])
        coef = valid.astype(x.dtype) if w is None else valid * w.astype(x.dtype)[safe[:, 0]]
        loss = -(logp_t * coef)
        if reduction != "none":
            loss = loss.sum()
        if reduction == "mean":
            total = coef.sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                loss = loss / total  # everything ignored: 0/0 = nan, as PyTorch
            coef = coef / xp.where(total == 0, 1, total)  # ... but zero gradients
        # p stays unnormalised: the backward folds 1/s into its per-row scale, which saves a
        # full pass over the logits (700x10000 in the LSTM LM row: about 2 ms a step)
        ctx.save_for_backward(x)
        ctx.state = (p, s[:, 0], safe, coef)
        return xp.asarray(loss, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        p, s, safe, coef = ctx.state
        xp = get_xp(p)
        scale = grad._data * coef  # grad is 0-d after a reduction, else per element
        if not _State.enabled:
            gx = p * (scale / s)[:, None]  # softmax * scale, p being exp(x - max) unnormalised
            picked = xp.take_along_axis(gx, safe, axis=1)
            xp.put_along_axis(gx, safe, picked - scale[:, None], axis=1)
            return _wrap(gx), None, None, None, None
        onehot = xp.zeros(p.shape, dtype=p.dtype)
        xp.put_along_axis(onehot, safe, 1.0, axis=1)
        scale_t = grad * _wrap(coef)
        gx = (ember.softmax(x, 1) - _wrap(onehot)) * scale_t.unsqueeze(1)
        return gx, None, None, None, None


class BinaryCrossEntropy(Primitive):
    """Elementwise ``-(t log p + (1 - t) log(1 - p))`` with each log clamped at -100, as PyTorch.
    Primitive for numerical stability: composed, the gradient at p = 0 or 1 is 0/0; here it is
    ``(p - t) / max(p (1 - p), 1e-12)`` as in PyTorch."""

    @staticmethod
    def forward(ctx, p, t):
        xp = get_xp(p)
        ctx.save_for_backward(p, t)
        with _quiet(xp):
            log_p = xp.maximum(xp.log(p), -100.0)
            log_q = xp.maximum(xp.log1p(-p), -100.0)
        return -(t * log_p + (1.0 - t) * log_q)

    @staticmethod
    def backward(ctx, grad):
        p, t = ctx.saved_tensors
        gp = gt = None
        if ctx.needs_input_grad[0]:
            gp = grad * (p - t) / ember.clamp_min(p * (1.0 - p), 1e-12)
        if ctx.needs_input_grad[1]:
            gt = grad * (
                ember.clamp_min(ember.log1p(-p), -100.0) - ember.clamp_min(ember.log(p), -100.0)
            )
        return gp, gt


def _quiet(xp: Any) -> Any:
    """Silence NumPy's divide-by-zero warning for log(0) (the result is clamped anyway)."""
    errstate = getattr(xp, "errstate", None)
    return errstate(divide="ignore") if errstate is not None else contextlib.nullcontext()
