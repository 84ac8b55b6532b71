"""Stochastic gradient descent with optional momentum, dampening and Nesterov momentum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember._tensor import _wrap
from ember.backends import get_xp
from ember.optim._functional import Workspace, effective_grad, real_view
from ember.optim.optimizer import Optimizer, ParamsT, _check_common, _check_range

__all__ = ["SGD"]


class SGD(Optimizer):
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            hyper = (
                float(group["lr"]),
                group["momentum"],
                group["dampening"],
                group["weight_decay"],
                group["nesterov"],
                group["maximize"],
            )
            for p in self._params_with_grad(group):
                state = self.state[p] if group["momentum"] != 0 else None
                _sgd_update(p._data, p.grad._data, state, *hyper, self._ws)
                p._vc[0] += 1
        return loss


def _sgd_update(
    p: Any,
    g: Any,
    state: dict[str, Any] | None,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    ws: Workspace,
) -> None:
    dtype = p.dtype
    p, g = real_view(p), real_view(g)
    xp = get_xp(p)
    d = effective_grad(p, g, weight_decay, maximize, ws)
    tmp = ws.get(p, 1)
    if state is not None:
        holder = state.get("momentum_buffer")
        if holder is None:
            buf = d.copy()
            state["momentum_buffer"] = _wrap(buf.view(dtype))
        else:
            buf = real_view(holder._data)
            buf *= momentum
            xp.multiply(d, 1 - dampening, out=tmp)
            buf += tmp
        if nesterov:
            out = ws.get(p, 0)
            xp.multiply(buf, momentum, out=tmp)
            xp.add(d, tmp, out=out)
            d = out
        else:
            d = buf
    xp.multiply(d, lr, out=tmp)
    p -= tmp
