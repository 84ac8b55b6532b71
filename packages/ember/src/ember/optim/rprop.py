"""Resilient backpropagation (Riedmiller & Braun, 1993), as in PyTorch."""

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
    full_like,
    start_state,
)
from ember.optim.optimizer import ParamsT, _check_common, _ParamwiseOptimizer

__all__ = ["Rprop"]


class Rprop(_ParamwiseOptimizer):
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

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return (*group["etas"], *group["step_sizes"])

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        start_state(state, p, "prev")
        state["step_size"] = full_like(p, float(group["lr"]))

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        xp = get_xp(p)
        bump_step(state["step"])
        prev, size = buffers(state, "prev", "step_size")
        factor = ws.get(p, 1)
        flipped = _adapt_step_sizes(d, prev, size, hyper, factor)
        xp.copyto(prev, d)
        prev[flipped] = 0
        xp.sign(prev, out=factor)
        factor *= size
        p -= factor


def _adapt_step_sizes(d: Any, prev: Any, size: Any, hyper: Hyper, factor: Any) -> Any:
    """Grow the step sizes where the gradient kept its sign, shrink them where it flipped, clamp.

    Returns the mask of flipped coordinates.
    """
    etaminus, etaplus, lo, hi = hyper
    xp = get_xp(d)
    xp.multiply(d, prev, out=factor)
    xp.sign(factor, out=factor)
    flipped = factor < 0
    factor[factor > 0] = etaplus
    factor[flipped] = etaminus
    factor[factor == 0] = 1
    size *= factor
    xp.clip(size, lo, hi, out=size)
    return flipped
