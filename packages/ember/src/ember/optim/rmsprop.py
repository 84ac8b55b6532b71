"""RMSprop (Hinton, 2012), optionally centered and with momentum, as in PyTorch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember.backends import get_xp
from ember.optim._functional import (
    Workspace,
    addcmul_sq_,
    bump_step,
    effective_grad,
    lerp_,
    new_step,
    real_view,
    zeros_like,
)
from ember.optim.optimizer import Optimizer, ParamsT, _check_common, _check_range

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            hyper = (
                float(group["lr"]),
                group["alpha"],
                group["eps"],
                group["weight_decay"],
                group["momentum"],
                group["centered"],
                group["maximize"],
            )
            self._update_group(group, _init_state, _rmsprop_update, *hyper)
        return loss


def _init_state(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
    state["step"] = new_step()
    state["square_avg"] = zeros_like(p)
    if group["momentum"] > 0:
        state["momentum_buffer"] = zeros_like(p)
    if group["centered"]:
        state["grad_avg"] = zeros_like(p)


def _rmsprop_update(
    p: Any,
    g: Any,
    state: dict[str, Any],
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    centered: bool,
    maximize: bool,
    ws: Workspace,
) -> None:
    p, g = real_view(p), real_view(g)
    xp = get_xp(p)
    bump_step(state["step"])
    d = effective_grad(p, g, weight_decay, maximize, ws)
    v = real_view(state["square_avg"]._data)
    avg = ws.get(p, 1)
    v *= alpha
    addcmul_sq_(v, d, 1 - alpha, avg)
    if centered:
        mean = real_view(state["grad_avg"]._data)
        lerp_(mean, d, 1 - alpha, avg)
        xp.multiply(mean, mean, out=avg)
        xp.subtract(v, avg, out=avg)
        xp.sqrt(avg, out=avg)
    else:
        xp.sqrt(v, out=avg)
    avg += eps
    xp.divide(d, avg, out=avg)
    if momentum > 0:
        buf = real_view(state["momentum_buffer"]._data)
        buf *= momentum
        buf += avg
        xp.multiply(buf, lr, out=avg)
    else:
        avg *= lr
    p -= avg
