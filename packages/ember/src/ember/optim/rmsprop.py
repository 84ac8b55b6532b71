"""RMSprop (Hinton, 2012), optionally centered and with momentum, as in PyTorch."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.optim._functional import (
    Hyper,
    State,
    Workspace,
    buffers,
    bump_step,
    ema_sq_,
    lerp_,
    start_state,
    zeros_like,
)
from ember.optim.optimizer import ParamsT, _check_common, _check_range, _ParamwiseOptimizer

__all__ = ["RMSprop"]


class RMSprop(_ParamwiseOptimizer):
    """RMSprop: divide the gradient by a running root mean square of recent gradients.

    ``v = alpha * v + (1 - alpha) * g * g``; the denominator is ``sqrt(v) + eps``, or
    ``sqrt(v - mean(g)**2) + eps`` when ``centered``. With momentum ``mu``,
    ``b = mu * b + g / denom`` and ``p -= lr * b``; otherwise ``p -= lr * g / denom``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-2).
        alpha: smoothing constant (default 0.99).
        eps: term added to the denominator (default 1e-8).
        weight_decay: L2 penalty added to the gradient (default 0).
        momentum: momentum factor (default 0).
        centered: normalise by an estimate of the gradient's variance.
        maximize: maximize the objective instead of minimizing it.
        capturable, foreach, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.RMSprop([w], lr=0.01, momentum=0.9, centered=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        _check_range("momentum value", momentum, momentum >= 0.0)
        _check_range("alpha value", alpha, alpha >= 0.0)
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return (
            float(group["lr"]),
            group["alpha"],
            group["eps"],
            group["momentum"],
            group["centered"],
        )

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        start_state(state, p, "square_avg")
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_like(p)
        if group["centered"]:
            state["grad_avg"] = zeros_like(p)

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, alpha, eps, momentum, centered = hyper
        xp = get_xp(p)
        bump_step(state["step"])
        avg = ws.get(p, 1)
        _root_mean_square(d, state, alpha, centered, avg)
        avg += eps
        xp.divide(d, avg, out=avg)
        if momentum > 0:
            (buf,) = buffers(state, "momentum_buffer")
            buf *= momentum
            buf += avg
            xp.multiply(buf, lr, out=avg)
        else:
            avg *= lr
        p -= avg


def _root_mean_square(d: Any, state: State, alpha: float, centered: bool, out: Any) -> None:
    """Update the running averages and write ``sqrt(v)``, or ``sqrt(v - mean**2)``, to ``out``."""
    xp = get_xp(d)
    (v,) = buffers(state, "square_avg")
    ema_sq_(v, d, alpha, out)
    if centered:
        (mean,) = buffers(state, "grad_avg")
        lerp_(mean, d, 1 - alpha, out)
        xp.multiply(mean, mean, out=out)
        xp.subtract(v, out, out=out)
        xp.sqrt(out, out=out)
    else:
        xp.sqrt(v, out=out)
