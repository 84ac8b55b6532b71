"""The CTC loss primitive (connectionist temporal classification); ``ctc_loss`` checks and calls it.

The loss of one sample is ``-log`` of the total probability of every alignment of its target,
computed by the alpha (forward) recursion over the extended label sequence
``blank, l1, blank, l2, ..., blank``. Both recursions run in log space on raw arrays, one time step
at a time, vectorised over the batch and the label positions. A primitive for numerical stability
and speed.

The gradient is PyTorch's: ``exp(log_probs) - exp(log(alpha * beta) + nll - log_probs)``. This is
the gradient with respect to the logits when ``log_probs`` is a ``log_softmax`` output (which is
how CTC is used), and what flows back through ``log_softmax`` to the logits is exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ember.autograd.function import Primitive
from ember.backends import get_xp

__all__ = ["CTCLoss"]

_NEG_INF = -np.inf


def _lse3(xp: Any, a: Any, b: Any, c: Any) -> Any:
    """Elementwise log(exp(a) + exp(b) + exp(c)) that stays -inf when all three are -inf."""
    m = xp.maximum(xp.maximum(a, b), c)
    safe = xp.where(xp.isneginf(m), 0.0, m)
    with np.errstate(divide="ignore"):
        return xp.log(xp.exp(a - safe) + xp.exp(b - safe) + xp.exp(c - safe)) + safe


def _shift(xp: Any, a: Any, k: int, fill: float = _NEG_INF) -> Any:
    """Shift along the last axis by ``k`` (positive: towards higher positions)."""
    out = xp.full_like(a, fill)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


class _CTC:
    """Extended labels and per-sample bookkeeping shared by the two recursions."""

    def __init__(self, lp: Any, targets: Any, il: Any, tl: Any, blank: int) -> None:
        xp = get_xp(lp)
        n, s_max = targets.shape
        width = 2 * s_max + 1
        ext = xp.full((n, width), blank, dtype=np.int64)
        ext[:, 1::2] = targets
        self.ext, self.il, self.tl, self.xp = ext, il, tl, xp
        # log_probs of each extended label: (T, N, 2S+1)
        self.lpe = xp.take_along_axis(
            lp, xp.broadcast_to(ext[None], (lp.shape[0], n, width)), axis=2
        )
        skip = xp.zeros((n, width), dtype=bool)
        skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
        self.skip = skip  # position s may be reached from s - 2
        self.valid = xp.arange(width)[None, :] < (2 * tl + 1)[:, None]

    def alpha(self) -> Any:
        xp, lpe = self.xp, self.lpe
        steps, n, width = lpe.shape
        alpha = xp.full((steps, n, width), _NEG_INF, dtype=lpe.dtype)
        alpha[0, :, 0] = lpe[0, :, 0]
        if width > 1:
            alpha[0, :, 1] = xp.where(self.tl > 0, lpe[0, :, 1], _NEG_INF)
        for t in range(1, steps):
            a = alpha[t - 1]
            two = xp.where(self.skip, _shift(xp, a, 2), _NEG_INF)
            new = _lse3(xp, a, _shift(xp, a, 1), two) + lpe[t]
            alpha[t] = xp.where(self.valid & (t < self.il)[:, None], new, _NEG_INF)
        return alpha

    def nll(self, alpha: Any) -> Any:
        xp = self.xp
        rows = xp.arange(alpha.shape[1])
        last = alpha[self.il - 1, rows]
        end = last[rows, 2 * self.tl]
        before = xp.where(self.tl > 0, last[rows, xp.maximum(2 * self.tl - 1, 0)], _NEG_INF)
        return -_lse3(xp, end, before, xp.full_like(end, _NEG_INF))

    def beta(self) -> Any:
        xp, lpe = self.xp, self.lpe
        steps, n, width = lpe.shape
        beta = xp.full((steps, n, width), _NEG_INF, dtype=lpe.dtype)
        pos = xp.arange(width)[None, :]
        ends = (pos == (2 * self.tl)[:, None]) | (
            (pos == (2 * self.tl - 1)[:, None]) & (self.tl > 0)[:, None]
        )
        skip_from = _shift(xp, self.skip, -2, False)  # s + 2 may be reached from s
        for t in range(steps - 1, -1, -1):
            start = xp.where(ends, lpe[t], _NEG_INF)
            if t + 1 < steps:
                b = beta[t + 1]
                two = xp.where(skip_from, _shift(xp, b, -2), _NEG_INF)
                inner = _lse3(xp, b, _shift(xp, b, -1), two) + lpe[t]
            else:
                inner = start
            first = (t == self.il - 1)[:, None]
            live = (t < self.il - 1)[:, None] & self.valid
            beta[t] = xp.where(first, start, xp.where(live, inner, _NEG_INF))
        return beta

    def grad(self, lp: Any, alpha: Any, beta: Any, nll: Any) -> Any:
        """PyTorch's ``exp(lp) - exp(lcab + nll - lp)``, zero past each input length."""
        xp = self.xp
        ab = alpha + beta
        m = ab.max(axis=2, keepdims=True)
        m = xp.where(xp.isneginf(m), 0.0, m)
        e = xp.exp(ab - m).transpose(1, 0, 2)  # (N, T, 2S+1)
        onehot = (self.ext[:, :, None] == xp.arange(lp.shape[2])[None, None, :]).astype(lp.dtype)
        summed = xp.matmul(e, onehot).transpose(1, 0, 2)  # (T, N, C)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            lcab = xp.log(summed) + m
            g = xp.exp(lp) - xp.exp(lcab + nll[None, :, None] - lp)
        live = xp.arange(lp.shape[0])[:, None] < self.il[None, :]
        return xp.where(live[:, :, None], g, 0.0)


class CTCLoss(Primitive):
    """Per-sample CTC negative log-likelihood ``(N,)`` from ``log_probs (T, N, C)``.

    Primitive for numerical stability and speed (see the module docstring); ``backward`` is
    linear in the incoming gradient and treats the recursion's result as a constant, so it is
    differentiable once with respect to ``log_probs`` (PyTorch's is too).
    """

    @staticmethod
    def forward(ctx, lp, *, targets, il, tl, blank, zero_infinity):
        ctc = _CTC(lp, targets, il, tl, blank)
        alpha = ctc.alpha()
        nll = ctc.nll(alpha)
        inf = get_xp(lp).isinf(nll)
        if ctx.needs_input_grad[0]:
            g = ctc.grad(lp, alpha, ctc.beta(), nll)
            if zero_infinity:
                g = get_xp(lp).where(inf[None, :, None], 0.0, g)
            ctx.save_for_backward(g)
        return get_xp(lp).where(inf, 0.0, nll) if zero_infinity else nll

    @staticmethod
    def backward(ctx, grad):
        (g,) = ctx.saved_tensors
        return g * grad.reshape(1, -1, 1)
