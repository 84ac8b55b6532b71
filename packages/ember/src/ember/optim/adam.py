"""Adam and AdamW (Kingma & Ba, 2014; Loshchilov & Hutter, 2019), with PyTorch's update rule."""

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
from ember.optim.optimizer import Optimizer, ParamsT, _check_betas, _check_common

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam: per-coordinate steps scaled by bias-corrected moment estimates.

    Each step: ``m = lerp(m, g, 1 - beta1)``, ``v = beta2 * v + (1 - beta2) * g * g``, then
    ``p -= lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)`` (``eps`` is added
    after the bias correction of ``sqrt(v)``, as in PyTorch). With ``amsgrad`` the running maximum
    of ``v`` replaces ``v``. ``weight_decay`` adds ``wd * p`` to the gradient, or with
    ``decoupled_weight_decay`` scales ``p`` by ``1 - lr * wd`` first (AdamW).

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-3).
        betas: decay rates of the first and second moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        amsgrad: use the AMSGrad variant.
        maximize: maximize the objective instead of minimizing it.
        decoupled_weight_decay: apply decoupled (AdamW) weight decay.
        foreach, capturable, differentiable, fused: accepted for compatibility and ignored.

    Example:
        >>> w = ember.zeros(4, requires_grad=True)
        >>> opt = ember.optim.Adam([w], lr=1e-2)
        >>> ((w - 1.0) * (w - 1.0)).sum().backward()
        >>> opt.step()
        >>> w
        tensor([0.0100, 0.0100, 0.0100, 0.0100], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            hyper = (
                float(group["lr"]),
                float(beta1),
                float(beta2),
                group["eps"],
                group["weight_decay"],
                group["amsgrad"],
                group["maximize"],
                group["decoupled_weight_decay"],
            )
            self._update_group(group, _init_adam_state, _adam_update, *hyper)
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay: ``p *= 1 - lr * weight_decay`` before the Adam step.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: decoupled weight decay coefficient (default 1e-2).
        amsgrad: use the AMSGrad variant.
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable, fused: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(3, requires_grad=True)
        >>> opt = ember.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def _init_adam_state(state: dict[str, Any], p: Any, group: dict[str, Any]) -> None:
    state["step"] = new_step()
    state["exp_avg"] = zeros_like(p)
    state["exp_avg_sq"] = zeros_like(p)
    if group["amsgrad"]:
        state["max_exp_avg_sq"] = zeros_like(p)


def _adam_update(
    p: Any,
    g: Any,
    state: dict[str, Any],
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    amsgrad: bool,
    maximize: bool,
    decoupled: bool,
    ws: Workspace,
) -> None:
    p, g = real_view(p), real_view(g)
    xp = get_xp(p)
    step = bump_step(state["step"])
    if weight_decay != 0 and decoupled:
        p *= 1 - lr * weight_decay
        weight_decay = 0.0
    d = effective_grad(p, g, weight_decay, maximize, ws)
    m, v = real_view(state["exp_avg"]._data), real_view(state["exp_avg_sq"]._data)
    tmp = ws.get(p, 1)
    lerp_(m, d, 1 - beta1, tmp)
    v *= beta2
    addcmul_sq_(v, d, 1 - beta2, tmp)
    if amsgrad:
        vmax = real_view(state["max_exp_avg_sq"]._data)
        xp.maximum(vmax, v, out=vmax)
        v = vmax
    step_size = lr / (1 - beta1**step)
    xp.sqrt(v, out=tmp)
    tmp /= (1 - beta2**step) ** 0.5
    tmp += eps
    xp.divide(m, tmp, out=tmp)
    tmp *= step_size
    p -= tmp
