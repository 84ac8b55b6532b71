"""Convolution primitives (im2col + GEMM, see ``ember.nn._functional._convkern``).

``Conv``, ``ConvInput`` (the transposed convolution) and ``ConvWeight`` are one family: each
one's backward is written with the other two, so double backward needs nothing else."""

from __future__ import annotations

from ember._tensor import Tensor
from ember.autograd.function import Primitive
from ember.nn._functional import _convkern as ck

__all__ = ["Conv", "ConvInput", "ConvWeight", "bias_grad"]


def bias_grad(g: Tensor) -> Tensor:
    """The bias gradient of a convolution: ``g`` summed over the batch and spatial dims."""
    return g.sum(dim=(0, *range(2, g.ndim)))


class Conv(Primitive):
    """Cross-correlation (im2col + GEMM). Primitive for measured speed; see ``_convkern``."""

    @staticmethod
    def forward(ctx, x, w, b, geom):
        need = ctx.needs_input_grad
        ctx.save_for_backward(x if need[1] else None, w if need[0] else None)
        ctx.geom = geom
        return ck.conv_forward(x, w, b, geom)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        need, geom = ctx.needs_input_grad, ctx.geom
        gx = ConvInput.apply(g, w, None, geom) if need[0] else None
        gw = ConvWeight.apply(x, g, geom) if need[1] else None
        gb = bias_grad(g) if need[2] else None
        return gx, gw, gb, None


class ConvInput(Primitive):
    """The adjoint of ``Conv`` in its input: the transposed convolution (col2im)."""

    @staticmethod
    def forward(ctx, g, w, b, geom):
        need = ctx.needs_input_grad
        ctx.save_for_backward(g if need[1] else None, w if need[0] else None)
        ctx.geom = geom
        return ck.conv_input_grad(g, w, b, geom)

    @staticmethod
    def backward(ctx, gout):
        g, w = ctx.saved_tensors
        need, geom = ctx.needs_input_grad, ctx.geom
        gg = Conv.apply(gout, w, None, geom) if need[0] else None
        gw = ConvWeight.apply(gout, g, geom) if need[1] else None
        gb = bias_grad(gout) if need[2] else None
        return gg, gw, gb, None


class ConvWeight(Primitive):
    """The adjoint of ``Conv`` in its weight: ``sum_n g[n] @ im2col(x[n]).T``."""

    @staticmethod
    def forward(ctx, x, g, geom):
        need = ctx.needs_input_grad
        ctx.save_for_backward(x if need[1] else None, g if need[0] else None)
        ctx.geom = geom
        return ck.conv_weight_grad(x, g, geom)

    @staticmethod
    def backward(ctx, gw):
        x, g = ctx.saved_tensors
        need, geom = ctx.needs_input_grad, ctx.geom
        gx = ConvInput.apply(g, gw, None, geom) if need[0] else None
        gg = Conv.apply(x, gw, None, geom) if need[1] else None
        return gx, gg, None
