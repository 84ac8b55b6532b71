"""Adagrad (Duchi et al., 2011) and Adadelta (Zeiler, 2012), with PyTorch's update rules."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.optim._functional import (
    Hyper,
    State,
    Workspace,
    addcmul_sq_,
    buffers,
    bump_step,
    ema_sq_,
    full_like,
    new_step,
    start_state,
)
from ember.optim.optimizer import ParamsT, _check_common, _check_range, _ParamwiseOptimizer

__all__ = ["Adagrad", "Adadelta"]


class Adagrad(_ParamwiseOptimizer):
    """Adagrad: steps scaled by the root of the sum of all squared gradients so far.

    ``s += g * g`` and ``p -= lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)``.
    The state is created in the constructor, with ``s`` filled with
    ``initial_accumulator_value`` (the constructor's value, as in PyTorch).

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-2).
        lr_decay: learning-rate decay per step (default 0).
        weight_decay: L2 penalty added to the gradient (default 0).
        initial_accumulator_value: starting value of the squared-gradient sum (default 0).
        eps: term added to the denominator (default 1e-10).
        maximize: maximize the objective instead of minimizing it.
        foreach, differentiable, fused: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.Adagrad([w], lr=0.1, initial_accumulator_value=0.1)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        _check_range("lr_decay value", lr_decay, lr_decay >= 0.0)
        _check_range(
            "initial_accumulator_value value",
            initial_accumulator_value,
            initial_accumulator_value >= 0.0,
        )
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(self.state[p], p, group)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return float(group["lr"]), group["lr_decay"], group["eps"]

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        state["step"] = new_step()
        state["sum"] = full_like(p, self.defaults["initial_accumulator_value"])

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, lr_decay, eps = hyper
        xp = get_xp(p)
        step = bump_step(state["step"])
        (acc,) = buffers(state, "sum")
        tmp = ws.get(p, 1)
        addcmul_sq_(acc, d, 1.0, tmp)
        xp.sqrt(acc, out=tmp)
        tmp += eps
        xp.divide(d, tmp, out=tmp)
        tmp *= lr / (1 + (step - 1) * lr_decay)
        p -= tmp


class Adadelta(_ParamwiseOptimizer):
    """Adadelta: steps whose scale is a running RMS of past updates over that of gradients.

    ``v = rho * v + (1 - rho) * g * g``, ``delta = sqrt(u + eps) / sqrt(v + eps) * g``,
    ``u = rho * u + (1 - rho) * delta * delta`` and ``p -= lr * delta``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: coefficient that scales delta before it is applied (default 1.0).
        rho: decay rate of the running averages (default 0.9).
        eps: term added inside the square roots (default 1e-6).
        weight_decay: L2 penalty added to the gradient (default 0).
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.Adadelta([w], rho=0.95)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        _check_range("rho value", rho, 0.0 <= rho <= 1.0)
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            capturable=capturable,
            foreach=foreach,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return float(group["lr"]), group["rho"], group["eps"]

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        start_state(state, p, "square_avg", "acc_delta")

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, rho, eps = hyper
        xp = get_xp(p)
        bump_step(state["step"])
        v, u = buffers(state, "square_avg", "acc_delta")
        std, delta = ws.get(p, 1), ws.get(p, 2)
        ema_sq_(v, d, rho, std)
        xp.add(v, eps, out=std)
        xp.sqrt(std, out=std)
        xp.add(u, eps, out=delta)
        xp.sqrt(delta, out=delta)
        delta /= std
        delta *= d
        ema_sq_(u, delta, rho, std)
        delta *= lr
        p -= delta
