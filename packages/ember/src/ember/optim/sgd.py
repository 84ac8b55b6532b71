"""Stochastic gradient descent with optional momentum, dampening and Nesterov momentum."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.optim._functional import Hyper, State, Workspace, real_view
from ember.optim.optimizer import ParamsT, _check_common, _check_range, _ParamwiseOptimizer

__all__ = ["SGD"]


class SGD(_ParamwiseOptimizer):
    """Stochastic gradient descent, with PyTorch's momentum form.

    With momentum ``mu`` the buffer is ``b = mu * b + (1 - dampening) * g`` (``b = g`` on the first
    step) and the update is ``p -= lr * b``, or ``p -= lr * (g + mu * b)`` with ``nesterov``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-3).
        momentum: momentum factor (default 0).
        dampening: dampening of the momentum (default 0).
        weight_decay: L2 penalty added to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and zero dampening).
        maximize: maximize the objective instead of minimizing it.
        foreach: accepted for compatibility and ignored.
        differentiable: accepted for compatibility and ignored.
        fused: accepted for compatibility and ignored.

    Example:
        >>> w = ember.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        _check_common(lr, weight_decay=weight_decay)
        _check_range("momentum value", momentum, momentum >= 0.0)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return float(group["lr"]), group["momentum"], group["dampening"], group["nesterov"]

    def _state_of(self, p: Tensor, group: dict[str, Any]) -> Any:
        """The state and the dtype of a new momentum buffer; None without momentum (no state)."""
        if group["momentum"] == 0:
            return None
        return self.state[p], p._data.dtype

    @staticmethod
    def _update(p: Any, d: Any, momentum_state: Any, hyper: Hyper, ws: Workspace) -> None:
        lr, tmp = hyper[0], ws.get(p, 1)
        if momentum_state is not None:
            state, dtype = momentum_state
            d = _momentum_direction(d, state, dtype, hyper, ws, tmp)
        get_xp(p).multiply(d, lr, out=tmp)
        p -= tmp


def _momentum_direction(
    d: Any, state: State, dtype: Any, hyper: Hyper, ws: Workspace, tmp: Any
) -> Any:
    """Update the momentum buffer (a copy of ``d`` on the first step); return the step direction."""
    _, momentum, dampening, nesterov = hyper
    xp = get_xp(d)
    holder = state.get("momentum_buffer")
    if holder is None:
        buf = d.copy()
        state["momentum_buffer"] = _wrap(buf.view(dtype))
    else:
        buf = real_view(holder._data)
        buf *= momentum
        if dampening == 0:  # the common case, one pass fewer (multiplying by 1 is exact)
            buf += d
        else:
            xp.multiply(d, 1 - dampening, out=tmp)
            buf += tmp
    if not nesterov:
        return buf
    out = ws.get(d, 0)
    xp.multiply(buf, momentum, out=tmp)
    xp.add(d, tmp, out=out)
    return out
