"""Adamax, NAdam and RAdam: Adam variants, with PyTorch's update rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ember._tensor import _wrap
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
from ember.optim.optimizer import Optimizer, ParamsT, _check_betas, _check_common, _check_range

__all__ = ["Adamax", "NAdam", "RAdam"]


class _AdamFamily(Optimizer):
    """Shared constructor checks and step loop of the Adam variants."""

    _init: Callable[..., None]
    _update: Callable[..., None]

    def _hyper(self, group: dict[str, Any]) -> tuple[Any, ...]:
        raise NotImplementedError

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            self._update_group(group, type(self)._init, type(self)._update, *self._hyper(group))
        return loss


def _init_moments(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
    state["step"] = new_step()
    state["exp_avg"] = zeros_like(p)
    state["exp_avg_sq"] = zeros_like(p)


def _decay(p: Any, lr: float, weight_decay: float, decoupled: bool) -> float:
    """Apply decoupled weight decay to ``p``; return the L2 coefficient still to apply."""
    if weight_decay != 0 and decoupled:
        p *= 1 - lr * weight_decay
        return 0.0
    return weight_decay


class Adamax(_AdamFamily):
    """Adamax: Adam with the infinity norm, ``u = max(beta2 * u, |g| + eps)``.

    The update is ``p -= lr / (1 - beta1**t) * m / u``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 2e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to ``|g|`` (default 1e-8).
        weight_decay: L2 penalty added to the gradient (default 0).
        maximize: maximize the objective instead of minimizing it.
        foreach, differentiable, capturable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.Adamax([w], lr=0.01)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> tuple[Any, ...]:
        b1, b2 = group["betas"]
        lr, wd = float(group["lr"]), group["weight_decay"]
        return lr, float(b1), float(b2), group["eps"], wd, group["maximize"]

    @staticmethod
    def _init(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
        state["step"] = new_step()
        state["exp_avg"] = zeros_like(p)
        state["exp_inf"] = zeros_like(p)

    @staticmethod
    def _update(
        p: Any,
        g: Any,
        state: dict[str, Any],
        lr: float,
        beta1: float,
        beta2: float,
        eps: float,
        weight_decay: float,
        maximize: bool,
        ws: Workspace,
    ) -> None:
        p, g = real_view(p), real_view(g)
        xp = get_xp(p)
        step = bump_step(state["step"])
        d = effective_grad(p, g, weight_decay, maximize, ws)
        m, u = real_view(state["exp_avg"]._data), real_view(state["exp_inf"]._data)
        tmp = ws.get(p, 1)
        lerp_(m, d, 1 - beta1, tmp)
        u *= beta2
        xp.abs(d, out=tmp)
        tmp += eps
        xp.maximum(u, tmp, out=u)
        xp.divide(m, u, out=tmp)
        tmp *= lr / (1 - beta1**step)
        p -= tmp


class NAdam(_AdamFamily):
    """NAdam: Adam with Nesterov momentum and the momentum-decay schedule of Dozat (2016).

    ``mu_t = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))``; the step combines the current
    gradient (weight ``(1 - mu_t) / (1 - prod mu)``) and the first moment (weight
    ``mu_{t+1} / (1 - prod mu * mu_{t+1})``), both divided by ``sqrt(v / (1 - beta2**t)) + eps``.
    The running product of ``mu`` is kept in float32, as PyTorch keeps it.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 2e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        momentum_decay: momentum decay psi (default 4e-3).
        decoupled_weight_decay: decay the weights directly (NAdamW) instead of the L2 form.
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.NAdam([w], lr=0.01, momentum_decay=4e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        _check_range("momentum_decay value", momentum_decay, momentum_decay >= 0.0)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> tuple[Any, ...]:
        b1, b2 = group["betas"]
        return (
            float(group["lr"]),
            float(b1),
            float(b2),
            group["eps"],
            group["weight_decay"],
            group["momentum_decay"],
            group["decoupled_weight_decay"],
            group["maximize"],
        )

    @staticmethod
    def _init(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
        state["step"] = new_step()
        state["mu_product"] = _wrap(np.ones((), dtype=np.float32))
        state["exp_avg"] = zeros_like(p)
        state["exp_avg_sq"] = zeros_like(p)

    @staticmethod
    def _update(
        p: Any,
        g: Any,
        state: dict[str, Any],
        lr: float,
        beta1: float,
        beta2: float,
        eps: float,
        weight_decay: float,
        momentum_decay: float,
        decoupled: bool,
        maximize: bool,
        ws: Workspace,
    ) -> None:
        p, g = real_view(p), real_view(g)
        xp = get_xp(p)
        step = bump_step(state["step"])
        weight_decay = _decay(p, lr, weight_decay, decoupled)
        d = effective_grad(p, g, weight_decay, maximize, ws)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        state["mu_product"]._data *= mu
        mu_prod = float(state["mu_product"]._data)
        m, v = real_view(state["exp_avg"]._data), real_view(state["exp_avg_sq"]._data)
        denom, tmp = ws.get(p, 1), ws.get(p, 2)
        lerp_(m, d, 1 - beta1, tmp)
        v *= beta2
        addcmul_sq_(v, d, 1 - beta2, tmp)
        xp.divide(v, 1 - beta2**step, out=denom)
        xp.sqrt(denom, out=denom)
        denom += eps
        xp.divide(d, denom, out=tmp)
        tmp *= -lr * (1.0 - mu) / (1.0 - mu_prod)
        p += tmp
        xp.divide(m, denom, out=tmp)
        tmp *= -lr * mu_next / (1.0 - mu_prod * mu_next)
        p += tmp


class RAdam(_AdamFamily):
    """RAdam: Adam with a rectification of the adaptive step's variance (Liu et al., 2019).

    While the approximated SMA length ``rho_t`` is at most 5 the step is plain momentum SGD,
    ``p -= lr * m / (1 - beta1**t)``; afterwards it is the Adam step times the rectification term.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        decoupled_weight_decay: decay the weights directly (as AdamW) instead of the L2 form.
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.RAdam([w], lr=1e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> tuple[Any, ...]:
        b1, b2 = group["betas"]
        return (
            float(group["lr"]),
            float(b1),
            float(b2),
            group["eps"],
            group["weight_decay"],
            group["decoupled_weight_decay"],
            group["maximize"],
        )

    _init = staticmethod(_init_moments)

    @staticmethod
    def _update(
        p: Any,
        g: Any,
        state: dict[str, Any],
        lr: float,
        beta1: float,
        beta2: float,
        eps: float,
        weight_decay: float,
        decoupled: bool,
        maximize: bool,
        ws: Workspace,
    ) -> None:
        p, g = real_view(p), real_view(g)
        xp = get_xp(p)
        step = bump_step(state["step"])
        weight_decay = _decay(p, lr, weight_decay, decoupled)
        d = effective_grad(p, g, weight_decay, maximize, ws)
        m, v = real_view(state["exp_avg"]._data), real_view(state["exp_avg_sq"]._data)
        upd, tmp = ws.get(p, 1), ws.get(p, 2)
        lerp_(m, d, 1 - beta1, tmp)
        v *= beta2
        addcmul_sq_(v, d, 1 - beta2, tmp)
        bc1, bc2 = 1 - beta1**step, 1 - beta2**step
        xp.divide(m, bc1, out=upd)
        upd *= lr
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bc2
        if rho_t > 5.0:
            rect = (
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            ) ** 0.5
            xp.sqrt(v, out=tmp)
            tmp += eps
            xp.divide(bc2**0.5, tmp, out=tmp)
            upd *= tmp
            upd *= rect
        p -= upd
