"""Adam and AdamW (Kingma & Ba, 2014; Loshchilov & Hutter, 2019), with PyTorch's update rule."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.optim._functional import (
    Hyper,
    State,
    Workspace,
    adam_moments_,
    buffers,
    bump_step,
    start_state,
)
from ember.optim.optimizer import (
    ParamsT,
    _adam_hyper,
    _check_betas,
    _check_common,
    _ParamwiseOptimizer,
)

__all__ = ["Adam", "AdamW"]


class Adam(_ParamwiseOptimizer):
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

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return _adam_hyper(group, "amsgrad")

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        extra = ("max_exp_avg_sq",) if group["amsgrad"] else ()
        start_state(state, p, "exp_avg", "exp_avg_sq", *extra)

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, beta1, beta2, eps, amsgrad = hyper
        xp = get_xp(p)
        step = bump_step(state["step"])
        m, v = buffers(state, "exp_avg", "exp_avg_sq")
        tmp = ws.get(p, 1)
        adam_moments_(m, v, d, beta1, beta2, tmp)
        if amsgrad:
            (vmax,) = buffers(state, "max_exp_avg_sq")
            xp.maximum(vmax, v, out=vmax)
            v = vmax
        xp.sqrt(v, out=tmp)
        tmp /= (1 - beta2**step) ** 0.5
        tmp += eps
        xp.divide(m, tmp, out=tmp)
        tmp *= lr / (1 - beta1**step)
        p -= tmp


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
