"""Fold an eval-mode BatchNorm into the preceding convolution or linear layer, as
``torch.nn.utils.fusion``: one layer computes what the pair computed, for faster inference."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import ember
from ember._tensor import Tensor
from ember.nn.parameter import Parameter

__all__ = [
    "fuse_conv_bn_eval",
    "fuse_conv_bn_weights",
    "fuse_linear_bn_eval",
    "fuse_linear_bn_weights",
]

M = TypeVar("M")


def _check_eval(layer: Any, bn: Any) -> None:
    if layer.training or bn.training:
        raise AssertionError("Fusion only for eval!")


def fuse_conv_bn_eval(conv: M, bn: Any, transpose: bool = False) -> M:
    """A copy of ``conv`` whose output equals ``bn(conv(x))`` for eval-mode modules.

    Args:
        conv: a ``Conv*d`` (or ``ConvTranspose*d`` with ``transpose=True``) in eval mode.
        bn: the ``BatchNorm*d`` that follows it, in eval mode.
        transpose: ``conv`` is a transposed convolution (output channels on dim 1).

    Returns:
        A new convolution; ``conv`` and ``bn`` are unchanged.

    Example:
        >>> conv, bn = nn.Conv2d(3, 8, 3).eval(), nn.BatchNorm2d(8).eval()
        >>> fused = ember.nn.utils.fuse_conv_bn_eval(conv, bn)
    """
    _check_eval(conv, bn)
    fused = copy.deepcopy(conv)
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("fuse_conv_bn_eval needs a BatchNorm that tracks running stats")
    fused.weight, fused.bias = fuse_conv_bn_weights(  # type: ignore[attr-defined]
        fused.weight, fused.bias, bn.running_mean, bn.running_var,  # type: ignore[attr-defined]
        bn.eps, bn.weight, bn.bias, transpose,
    )
    return fused


def fuse_conv_bn_weights(conv_w: Tensor, conv_b: Tensor | None, bn_rm: Tensor, bn_rv: Tensor,
                         bn_eps: float, bn_w: Tensor | None, bn_b: Tensor | None,
                         transpose: bool = False) -> tuple[Parameter, Parameter]:
    """The (weight, bias) of a convolution followed by an eval-mode BatchNorm, fused.

    Args:
        conv_w, conv_b: the convolution's weight and bias (``None`` for no bias).
        bn_rm, bn_rv, bn_eps: BatchNorm's running mean, running variance and eps.
        bn_w, bn_b: BatchNorm's affine weight and bias (``None`` when ``affine=False``).
        transpose: the weight is a transposed convolution's (output channels on dim 1).

    Returns:
        Two Parameters, with ``requires_grad`` as the convolution's.

    Example:
        >>> w, b = fuse_conv_bn_weights(conv.weight, conv.bias, bn.running_mean,
        ...                             bn.running_var, bn.eps, bn.weight, bn.bias)
    """
    w_dtype = conv_w.dtype
    b_dtype = conv_b.dtype if conv_b is not None else w_dtype
    b = conv_b if conv_b is not None else ember.zeros_like(bn_rm)
    gamma = bn_w if bn_w is not None else ember.ones_like(bn_rm)
    beta = bn_b if bn_b is not None else ember.zeros_like(bn_rm)
    rsqrt = ember.rsqrt(bn_rv + bn_eps)
    shape = ([1, -1] if transpose else [-1, 1]) + [1] * (conv_w.ndim - 2)
    fused_w = (conv_w * (gamma * rsqrt).reshape(shape)).to(w_dtype)
    fused_b = ((b - bn_rm) * rsqrt * gamma + beta).to(b_dtype)
    return Parameter(fused_w, conv_w.requires_grad), Parameter(fused_b, b.requires_grad)


def fuse_linear_bn_eval(linear: M, bn: Any) -> M:
    """A copy of ``linear`` whose output equals ``bn(linear(x))`` for eval-mode modules.

    ``bn.num_features`` must equal ``linear.out_features`` (or be 1).

    Example:
        >>> fused = fuse_linear_bn_eval(nn.Linear(4, 2).eval(), nn.BatchNorm1d(2).eval())
    """
    _check_eval(linear, bn)
    out_features = linear.out_features  # type: ignore[attr-defined]
    if not (out_features == bn.num_features or bn.num_features == 1):
        raise AssertionError(
            "To fuse, linear.out_features == bn.num_features or bn.num_features == 1"
        )
    if bn.running_mean is None or bn.running_var is None:
        raise AssertionError("fuse_linear_bn_eval needs a BatchNorm that tracks running stats")
    fused = copy.deepcopy(linear)
    fused.weight, fused.bias = fuse_linear_bn_weights(  # type: ignore[attr-defined]
        fused.weight, fused.bias, bn.running_mean, bn.running_var,  # type: ignore[attr-defined]
        bn.eps, bn.weight, bn.bias,
    )
    return fused


def fuse_linear_bn_weights(linear_w: Tensor, linear_b: Tensor | None, bn_rm: Tensor,
                           bn_rv: Tensor, bn_eps: float, bn_w: Tensor, bn_b: Tensor,
                           ) -> tuple[Parameter, Parameter]:
    """The (weight, bias) of a linear layer followed by an eval-mode BatchNorm, fused.

    Example:
        >>> w, b = fuse_linear_bn_weights(lin.weight, lin.bias, bn.running_mean,
        ...                               bn.running_var, bn.eps, bn.weight, bn.bias)
    """
    w_dtype = linear_w.dtype
    b_dtype = linear_b.dtype if linear_b is not None else w_dtype
    b = linear_b if linear_b is not None else ember.zeros_like(bn_rm)
    scale = bn_w * ember.rsqrt(bn_rv + bn_eps)
    fused_w = linear_w * scale.unsqueeze(-1).to(w_dtype)
    fused_b = ((b - bn_rm) * scale + bn_b).to(b_dtype)
    return Parameter(fused_w, linear_w.requires_grad), Parameter(fused_b, b.requires_grad)
