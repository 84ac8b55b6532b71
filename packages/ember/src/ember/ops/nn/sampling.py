"""``GridSample``: bilinear/nearest sampling at grid points, and its (once-only) backward."""

from __future__ import annotations

from ember.autograd.function import Primitive
from ember.nn._functional import _poolkern as pk

__all__ = ["GridSample", "GridSampleBackward"]


class GridSample(Primitive):
    """Bilinear/nearest sampling at normalised grid points (gathers, so a primitive)."""

    @staticmethod
    def forward(ctx, x, grid, opts):
        ctx.save_for_backward(x, grid)
        ctx.opts = opts
        return pk.grid_sample(x, grid, *opts)

    @staticmethod
    def backward(ctx, g):
        x, grid = ctx.saved_tensors
        gx, ggrid = GridSampleBackward.apply(x, grid, g, ctx.opts)
        need = ctx.needs_input_grad
        return (gx if need[0] else None), (ggrid if need[1] else None), None


class GridSampleBackward(Primitive):
    """The gradients of grid_sample; like PyTorch, not differentiable again."""

    @staticmethod
    def forward(ctx, x, grid, g, opts):
        return pk.grid_sample_backward(x, grid, g, *opts)

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(
            "grid_sample: double backward is not supported (PyTorch does not "
            "implement it either); differentiate grid_sample only once"
        )
