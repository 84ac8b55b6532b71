"""Resilient backpropagation (Riedmiller & Braun, 1993), as in PyTorch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember.backends import get_xp
from ember.optim._functional import (
    Workspace,
    bump_step,
    effective_grad,
    full_like,
    new_step,
    real_view,
    zeros_like,
)
from ember.optim.optimizer import Optimizer, ParamsT, _check_common

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Rprop: per-coordinate step sizes that grow while the gradient keeps its sign.

    Step sizes are multiplied by ``etaplus`` when ``g * g_prev > 0`` and by ``etaminus`` when
    it is negative (and that coordinate's gradient is then treated as zero), clamped to
    ``step_sizes``; then ``p -= sign(g) * step_size``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: initial step size (default 1e-2).
        etas: the (etaminus, etaplus) factors (default (0.5, 1.2)).
        step_sizes: the minimal and maximal step sizes (default (1e-6, 50)).
        maximize: maximize the objective instead of minimizing it.
        capturable, foreach, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.Rprop([w], lr=0.01)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(
            lr=lr,
            etas=etas,
            step_sizes=step_sizes,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            lo, hi = group["step_sizes"]
            hyper = (etaminus, etaplus, lo, hi, group["maximize"])
            self._update_group(group, _init_state, _rprop_update, *hyper)
        return loss


def _init_state(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
    state["step"] = new_step()
    state["prev"] = zeros_like(p)
    lr = float(group["lr"])
    state["step_size"] = full_like(p, lr)


def _rprop_update(
    p: Any,
    g: Any,
    state: dict[str, Any],
    etaminus: float,
    etaplus: float,
    lo: float,
    hi: float,
    maximize: bool,
    ws: Workspace,
) -> None:
    p, g = real_view(p), real_view(g)
    xp = get_xp(p)
    bump_step(state["step"])
    d = effective_grad(p, g, 0.0, maximize, ws)
    prev, size = real_view(state["prev"]._data), real_view(state["step_size"]._data)
    factor = ws.get(p, 1)
    xp.multiply(d, prev, out=factor)
    xp.sign(factor, out=factor)
    flipped = factor < 0
    factor[factor > 0] = etaplus
    factor[flipped] = etaminus
    factor[factor == 0] = 1
    size *= factor
    xp.clip(size, lo, hi, out=size)
    xp.copyto(prev, d)
    prev[flipped] = 0
    xp.sign(prev, out=factor)
    factor *= size
    p -= factor
