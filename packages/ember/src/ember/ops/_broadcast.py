"""Undo broadcasting in gradients: the one place that does it."""

from __future__ import annotations

from typing import Any

__all__ = ["sum_to_shape"]


def sum_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` (a Tensor) over the dimensions that broadcasting added or stretched.

    Args:
        grad: the gradient of a broadcast result.
        shape: the shape of the operand before broadcasting.

    Returns:
        A Tensor of shape ``shape``.
    """
    gshape = grad._data.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    dims = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1
    )
    if dims:
        grad = grad.sum(dim=dims, keepdim=True)
    if lead or grad._data.shape != shape:
        grad = grad.reshape(shape)
    return grad
