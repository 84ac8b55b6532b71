"""Raw-array building blocks of the optimizers: scratch buffers, state tensors, shared maths.

Everything here works in place on NumPy/CuPy arrays (``xp`` from the array itself). Complex
parameters are updated through real views (PyTorch's ``view_as_real``), so every rule is written
once for real arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp

State = dict[str, Any]  # a parameter's optimizer state: names to Tensors (and plain values)
Hyper = tuple[Any, ...]  # a parameter group's options, as an update rule takes them


class Workspace:
    """Reusable scratch arrays, so in-place updates need no fresh temporaries each step.

    ``get(like, slot)`` returns an array with ``like``'s shape, dtype and device, carved out of a
    flat buffer kept per (slot, dtype, device); distinct slots never alias each other.
    """

    __slots__ = ("_bufs",)

    def __init__(self) -> None:
        self._bufs: dict[tuple[int, Any, Any], Any] = {}

    def get(self, like: Any, slot: int) -> Any:
        n = like.size
        # NumPy 2 arrays report device "cpu"; CuPy arrays their (hashable) CUDA device.
        key = (slot, like.dtype, getattr(like, "device", None))
        buf = self._bufs.get(key)
        if buf is None or buf.size < n:
            buf = get_xp(like).empty(n, dtype=like.dtype)
            self._bufs[key] = buf
        return buf[:n].reshape(like.shape)

    def __deepcopy__(self, memo: dict[int, Any]) -> Workspace:
        return Workspace()


def real_view(arr: Any) -> Any:
    """A complex array viewed as real pairs (PyTorch's ``view_as_real``); others as they are."""
    if arr.dtype.kind == "c":
        return arr.view(arr.real.dtype)
    return arr


def new_step() -> Tensor:
    """A fresh step counter: a 0-d float32 tensor on the CPU, as PyTorch keeps it."""
    return _wrap(np.zeros((), dtype=np.float32))


def bump_step(step: Tensor) -> float:
    """Increment a step counter in place and return its new value."""
    step._data += 1
    return float(step._data)


def start_state(state: dict[str, Any], p: Tensor, *zeros: str) -> None:
    """A parameter's first state: a step counter, then one zero buffer like ``p`` per name."""
    state["step"] = new_step()
    for key in zeros:
        state[key] = zeros_like(p)


def buffers(state: dict[str, Any], *keys: str) -> list[Any]:
    """Real views of the raw arrays of the named state tensors."""
    return [real_view(state[key]._data) for key in keys]


def zeros_like(p: Tensor) -> Tensor:
    return _wrap(get_xp(p._data).zeros_like(p._data))


def full_like(p: Tensor, value: float) -> Tensor:
    """A tensor like ``p`` with every real component (both parts, if complex) set to ``value``."""
    if p._data.dtype.kind == "c":
        return _wrap(get_xp(p._data).full_like(p._data, complex(value, value)))
    return _wrap(get_xp(p._data).full_like(p._data, value))


def effective_grad(p: Any, g: Any, weight_decay: float, maximize: bool, ws: Workspace) -> Any:
    """``-g`` if maximizing, plus ``weight_decay * p`` (L2 form), written to scratch slot 0.

    Returns ``g`` itself (no copy) when neither applies.
    """
    if not maximize and weight_decay == 0:
        return g
    xp = get_xp(g)
    d = ws.get(g, 0)
    if maximize:
        xp.negative(g, out=d)
    else:
        xp.copyto(d, g)
    if weight_decay != 0:
        tmp = ws.get(g, 1)
        xp.multiply(p, weight_decay, out=tmp)
        d += tmp
    return d


def lerp_(start: Any, end: Any, weight: float, tmp: Any) -> None:
    """``start += weight * (end - start)`` in place, with PyTorch's two-sided lerp rounding."""
    xp = get_xp(start)
    xp.subtract(end, start, out=tmp)
    if weight < 0.5:
        tmp *= weight
        start += tmp
    else:
        tmp *= 1.0 - weight
        xp.subtract(end, tmp, out=start)


def addcmul_sq_(acc: Any, x: Any, value: float, tmp: Any) -> None:
    """``acc += value * x * x`` in place."""
    get_xp(acc).multiply(x, x, out=tmp)
    tmp *= value
    acc += tmp


def ema_sq_(avg: Any, x: Any, decay: float, tmp: Any) -> None:
    """``avg = decay * avg + (1 - decay) * x * x`` in place."""
    avg *= decay
    get_xp(avg).multiply(x, x, out=tmp)
    tmp *= 1 - decay
    avg += tmp


def adam_moments_(m: Any, v: Any, d: Any, beta1: float, beta2: float, tmp: Any) -> None:
    """Adam's moment estimates in place: ``m = lerp(m, d, 1 - beta1)``, ``v`` as ``ema_sq_``."""
    lerp_(m, d, 1 - beta1, tmp)
    ema_sq_(v, d, beta2, tmp)
