"""Functional linear maps: ``linear`` and ``bilinear``, as ``torch.nn.functional``."""

from __future__ import annotations

from ember._tensor import Tensor
from ember.amp.autocast_mode import LOWER, PROMOTE, autocast_op
from ember.nn._functional._utils import _check_float_same, _matmul
from ember.ops.nn.linear import Linear

__all__ = ["linear", "bilinear"]


@autocast_op(LOWER)
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Apply ``input @ weight.T + bias``.

    Args:
        input: ``(*, in_features)``.
        weight: ``(out_features, in_features)``.
        bias: ``(out_features,)`` or None.

    Returns:
        ``(*, out_features)``.

    Example:
        >>> F.linear(ember.ones(2, 3), ember.ones(4, 3)).shape
        ember.Size([2, 4])
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.shape[-1:] != weight.shape[-1:] and weight.ndim == 2:
        raise RuntimeError(
            f"linear: mat1 and mat2 shapes cannot be multiplied ({_rows(input)}x"
            f"{input.shape[-1] if input.ndim else 1} and {weight.shape[1]}x{weight.shape[0]}); "
            "check in_features against the input's last dimension"
        )
    _check_float_same("linear", input, weight, bias)
    return Linear.apply(input, weight, bias)


def _rows(t: Tensor) -> int:
    n = 1
    for s in t.shape[:-1]:
        n *= s
    return n


@autocast_op(PROMOTE, devices=("cuda",))
def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Apply ``y_k = x1 @ W_k @ x2 + b_k`` for each output feature k.

    Args:
        input1: ``(*, in1_features)``.
        input2: ``(*, in2_features)``.
        weight: ``(out_features, in1_features, in2_features)``.
        bias: ``(out_features,)`` or None.

    Returns:
        ``(*, out_features)``.

    Example:
        >>> F.bilinear(ember.ones(2, 3), ember.ones(2, 4), ember.ones(5, 3, 4)).shape
        ember.Size([2, 5])
    """
    lead = input1.shape[:-1]
    out_f, in1, in2 = weight.shape
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    # (N, in1) @ (in1, out*in2) -> (N, out, in2), then contract with x2 over in2.
    w = weight.permute(1, 0, 2).reshape(in1, out_f * in2)
    t = _matmul(x1, w).reshape(-1, out_f, in2)
    y = (t * x2.reshape(-1, 1, in2)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(tuple(lead) + (out_f,))
