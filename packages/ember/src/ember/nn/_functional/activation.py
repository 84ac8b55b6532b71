"""Functional activations (relu, gelu, softmax, ...), as ``torch.nn.functional``.

All are composites of ember ops (no backward of their own)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember._tensor import Tensor
from ember.amp.autocast_mode import FP32, LOWER, autocast_op
from ember.nn._functional._utils import ArgumentError, _maybe_inplace
from ember.ops.reduction import _TORCH_TYPE_NAMES

__all__ = [
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_", "elu",
    "elu_", "selu", "selu_", "celu", "celu_", "gelu", "silu", "mish", "sigmoid", "tanh", "hardtanh",
    "hardtanh_", "hardswish", "hardsigmoid", "softplus", "softsign", "tanhshrink", "threshold",
    "threshold_", "glu", "logsigmoid", "hardshrink", "softshrink", "softmax", "log_softmax",
    "softmin",
]


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0) elementwise.

    Example:
        >>> F.relu(ember.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return _maybe_inplace(input, ember.relu(input), inplace, "relu_")


def relu_(input: Tensor) -> Tensor:
    """In-place ``relu``."""
    return relu(input, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """Clamp to ``[min_val, max_val]``.

    Example:
        >>> F.hardtanh(ember.tensor([-3.0, 0.5, 3.0]))
        tensor([-1.0000,  0.5000,  1.0000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _maybe_inplace(input, _hardtanh(input, min_val, max_val), inplace, "hardtanh_")


def _hardtanh(x: Tensor, lo: float, hi: float) -> Tensor:
    """``clamp`` whose gradient is 0 at the bounds too (PyTorch's hardtanh, unlike clamp, uses a
    strict ``lo < x < hi`` mask; relu6, hardsigmoid and hardswish inherit it at their kinks)."""
    if not x.is_floating_point():  # an integer input keeps its dtype, as PyTorch
        return ember.clamp(x, lo, hi).to(x.dtype)
    inside = (x > lo) & (x < hi)
    return ember.where(inside, x, ember.clamp(x.detach(), lo, hi))


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place ``hardtanh``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6).

    Example:
        >>> F.relu6(ember.tensor([-1.0, 7.0]))
        tensor([0., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, else ``negative_slope * x``.

    Example:
        >>> F.leaky_relu(ember.tensor([-1.0, 2.0]), 0.1)
        tensor([-0.1000,  2.0000])
    """
    out = ember.where(input > 0, input, input * negative_slope)
    return _maybe_inplace(input, out, inplace, "leaky_relu_")


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place ``leaky_relu``."""
    return leaky_relu(input, negative_slope, inplace=True)


@autocast_op(LOWER)
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, else ``weight * x``, with one learnable slope per channel (dim 1).

    Args:
        input: ``(N, C, *)`` (or any shape when ``weight`` has one element).
        weight: ``(C,)`` or ``(1,)``.

    Example:
        >>> F.prelu(ember.tensor([[-1.0, 2.0]]), ember.tensor([0.25]))
        tensor([[-0.2500,  2.0000]])
    """
    w = weight
    if weight.numel() != 1:
        if input.ndim < 2 or input.shape[1] != weight.numel():
            raise RuntimeError(
                f"prelu: mismatch of parameter numbers and input channel size: found "
                f"{weight.numel()} parameters and input of shape {list(input.shape)}"
            )
        w = weight.reshape((1, -1) + (1,) * (input.ndim - 2))
    return ember.where(input > 0, input, input * w)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Leaky ReLU with a random slope from U(lower, upper) in training, the mean slope in eval.

    Example:
        >>> F.rrelu(ember.tensor([-3.0, 1.0]), 0.25, 0.25)
        tensor([-0.7500,  1.0000])
    """
    if training:
        slope = ember.empty(tuple(input.shape), dtype=input.dtype, device=input.device)
        slope.uniform_(lower, upper)
        out = ember.where(input >= 0, input, input * slope)
    else:
        out = leaky_relu(input, (lower + upper) / 2)
    return _maybe_inplace(input, out, inplace, "rrelu_")


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    """In-place ``rrelu``."""
    return rrelu(input, lower, upper, training, inplace=True)


def _neg_part_expm1(input: Tensor, scale: float = 1.0) -> Tensor:
    """expm1(min(x, 0) / scale): never overflows, so the unused branch of ``where`` is finite."""
    return ember.expm1(ember.clamp_max(input, 0.0) / scale if scale != 1.0
                       else ember.clamp_max(input, 0.0))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else ``alpha * (exp(x) - 1)``.

    Example:
        >>> F.elu(ember.tensor([0.0, 1.0]))
        tensor([0., 1.])
    """
    out = ember.where(input > 0, input, _neg_part_expm1(input) * alpha)
    return _maybe_inplace(input, out, inplace, "elu_")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``elu``."""
    return elu(input, alpha, inplace=True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(x, alpha)`` with the self-normalising constants.

    Example:
        >>> F.selu(ember.tensor([1.0]))
        tensor([1.0507])
    """
    out = elu(input, _SELU_ALPHA) * _SELU_SCALE
    return _maybe_inplace(input, out, inplace, "selu_")


def selu_(input: Tensor) -> Tensor:
    """In-place ``selu``."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else ``alpha * (exp(x / alpha) - 1)``.

    Example:
        >>> F.celu(ember.tensor([2.0]))
        tensor([2.])
    """
    if alpha == 0:
        raise ValueError("ZeroDivisionError: alpha cannot be 0 for CELU")
    out = ember.where(input > 0, input, _neg_part_expm1(input, alpha) * alpha)
    return _maybe_inplace(input, out, inplace, "celu_")


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``celu``."""
    return celu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit: ``x * Phi(x)``, exact (erf) or with the tanh approximation.

    Args:
        input: the tensor.
        approximate: ``"none"`` or ``"tanh"``.

    Example:
        >>> F.gelu(ember.tensor([0.0]))
        tensor([0.])
    """
    if isinstance(input, Tensor) and not (input.is_floating_point() or input.is_complex()):
        name = _TORCH_TYPE_NAMES.get(input._data.dtype.name, input._data.dtype.name)
        raise NotImplementedError(f"\"GeluKernelImpl\" not implemented for '{name}'")
    if approximate == "none":
        return input * (ember.erf(input * (1.0 / math.sqrt(2.0))) + 1.0) * 0.5
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * (ember.tanh(inner) + 1.0) * 0.5
    raise ArgumentError(
        f"approximate argument must be either none or tanh, got {approximate!r}")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)`` (swish).

    Example:
        >>> F.silu(ember.tensor([0.0]))
        tensor([0.])
    """
    return _maybe_inplace(input, input * ember.sigmoid(input), inplace, "silu_")


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``.

    Example:
        >>> F.mish(ember.tensor([0.0]))
        tensor([0.])
    """
    return _maybe_inplace(input, input * ember.tanh(softplus(input)), inplace, "mish_")


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-x))``."""
    return ember.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return ember.tanh(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``.

    Example:
        >>> F.hardsigmoid(ember.tensor([0.0]))
        tensor([0.5000])
    """
    return _maybe_inplace(input, relu6(input + 3.0) / 6.0, inplace, "hardsigmoid_")


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6``.

    Example:
        >>> F.hardswish(ember.tensor([3.0]))
        tensor([3.])
    """
    return _maybe_inplace(input, input * relu6(input + 3.0) / 6.0, inplace, "hardswish_")


@autocast_op(FP32, devices=("cuda",))
def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``, and x itself where ``beta * x > threshold``.

    Example:
        >>> F.softplus(ember.tensor([0.0]))
        tensor([0.6931])
    """
    z = input * beta if beta != 1 else input
    # Clamping keeps exp finite in the branch that ``where`` discards (so its gradient is too).
    soft = ember.log1p(ember.exp(ember.clamp_max(z, threshold)))
    if beta != 1:
        soft = soft / beta
    return ember.where(z > threshold, input, soft)


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``.

    Example:
        >>> F.softsign(ember.tensor([1.0]))
        tensor([0.5000])
    """
    return input / (ember.abs(input) + 1.0)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``."""
    return input - ember.tanh(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where ``x > threshold``, else ``value``.

    Example:
        >>> F.threshold(ember.tensor([0.5, 2.0]), 1.0, -1.0)
        tensor([-1.,  2.])
    """
    out = ember.where(input > threshold, input, value)
    return _maybe_inplace(input, out, inplace, "threshold_")


def threshold_(input: Tensor, threshold_value: float, value: float) -> Tensor:
    """In-place ``threshold``."""
    return threshold(input, threshold_value, value, inplace=True)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split ``dim`` in halves a, b and return ``a * sigmoid(b)``.

    Example:
        >>> F.glu(ember.tensor([1.0, 0.0])).shape
        ember.Size([1])
    """
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    n = input.shape[dim]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {n}")
    a, b = ember.chunk(input, 2, dim)
    return a * ember.sigmoid(b)


def _log1p_exp(z: Tensor) -> Tensor:
    """``log(1 + exp(z))`` without overflow and with a smooth gradient everywhere (also at 0)."""
    pos = z + ember.log1p(ember.exp(-ember.clamp_min(z, 0.0)))
    neg = ember.log1p(ember.exp(ember.clamp_max(z, 0.0)))
    return ember.where(z > 0, pos, neg)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x)) = -softplus(-x)``, stable for large |x|.

    Example:
        >>> F.logsigmoid(ember.tensor([0.0]))
        tensor([-0.6931])
    """
    return -_log1p_exp(-input)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where ``|x| > lambd``, else 0."""
    return ember.where(ember.abs(input) > lambd, input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0."""
    inner = ember.where(input < -lambd, input + lambd, 0.0)
    return ember.where(input > lambd, input - lambd, inner)


def _softmax_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument.", UserWarning, stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """Softmax along ``dim``.

    Example:
        >>> F.softmax(ember.tensor([0.0, 0.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    if dim is None:
        dim = _softmax_dim("softmax", input.ndim)
    return ember.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """Log-softmax along ``dim`` (stable).

    Example:
        >>> F.log_softmax(ember.tensor([0.0, 0.0]), dim=0)
        tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _softmax_dim("log_softmax", input.ndim)
    return ember.log_softmax(input, dim, dtype=dtype)


@autocast_op(FP32, devices=("cuda",))
def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``softmax(-x)`` along ``dim``.

    Example:
        >>> F.softmin(ember.tensor([0.0, 0.0]), dim=0)
        tensor([0.5000, 0.5000])
    """
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim)
    if dtype is not None:
        input = input.to(dtype)
    return ember.softmax(-input, dim)
