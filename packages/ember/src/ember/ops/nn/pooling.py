"""Pooling, padding and resampling primitives: ``LinearMap`` and ``IndexPool``.

``LinearMap`` applies a linear (or affine) map given as raw forward/adjoint functions (padding,
average pooling, interpolation, unfold/fold, pooling-index gather/scatter). Its backward applies
the adjoint through ``LinearMap`` again, so every derivative of it is exact. ``IndexPool`` (max
pooling) returns the window maxima and their indices; its gradient is the scatter of the index
map, itself a ``LinearMap``."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ember._tensor import Tensor
from ember.autograd.function import Primitive
from ember.backends import get_xp

__all__ = ["Lin", "LinearMap", "linear_map", "gather_map", "IndexPool"]


@dataclass(frozen=True, eq=False)
class Lin:
    """A linear map on raw arrays: ``f`` and its adjoint ``a``; ``f0`` is ``f``'s linear part."""

    f: Callable[[Any], Any]
    a: Callable[[Any], Any]
    f0: Callable[[Any], Any] | None = None

    @property
    def T(self) -> Lin:  # noqa: N802 - the adjoint, as in matrix notation
        return Lin(self.a, self.f0 or self.f)


class LinearMap(Primitive):
    """Apply a linear (or affine) map; the backward applies its adjoint through this op again."""

    @staticmethod
    def forward(ctx, x, m):
        ctx.m = m
        return m.f(x)

    @staticmethod
    def backward(ctx, grad):
        return linear_map(grad, ctx.m.T), None


def linear_map(x: Tensor, m: Lin) -> Tensor:
    """Apply the linear pooling map ``m`` (and record its adjoint for backward)."""
    return LinearMap.apply(x, m)


def gather_map(idx: Any, in_shape: tuple[int, ...], nd: int, unique: bool) -> Lin:
    """Gather at per-channel flat indices ``idx`` and its adjoint, the scatter-add."""
    xp = get_xp(idx)
    lin = math.prod(in_shape[len(in_shape) - nd :])
    b = math.prod(in_shape[: len(in_shape) - nd])
    per = math.prod(idx.shape[idx.ndim - nd :])  # explicit: -1 is ambiguous for an empty batch
    gi = (xp.arange(b).reshape(b, 1) * lin + idx.reshape(b, per)).reshape(-1)
    out_shape = idx.shape

    def gather(x: Any) -> Any:
        return xp.take(x.reshape(-1), gi).reshape(out_shape)

    def scatter(g: Any) -> Any:
        t = xp.zeros(b * lin, dtype=g.dtype)
        if unique:
            t[gi] = g.reshape(-1)
        else:
            xp.add.at(t, gi, g.reshape(-1))
        return t.reshape(in_shape)

    return Lin(gather, scatter)


class IndexPool(Primitive):
    """Window maxima and their flat indices; the gradient scatters through the index map."""

    @staticmethod
    def forward(ctx, x, kern, nd, unique):
        out, idx = kern(x)
        ctx.m = gather_map(idx, x.shape, nd, unique)
        return out, idx

    @staticmethod
    def backward(ctx, grad, _grad_idx):
        return linear_map(grad, ctx.m.T), None, None, None
