"""Functional linear, activations, dropout, embeddings, normalisation and losses."""

from __future__ import annotations

import math
import warnings
from typing import Any

import ember
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.ops.nn.linear import Embedding, Linear
from ember.ops.nn.loss import BinaryCrossEntropy, CrossEntropy
from ember.ops.nn.normalization import NormAffine

__all__ = [
    "linear", "bilinear",
    # activations
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_", "elu",
    "elu_", "selu", "selu_", "celu", "celu_", "gelu", "silu", "mish", "sigmoid", "tanh",
    "hardtanh", "hardtanh_", "hardswish", "hardsigmoid", "softplus", "softsign", "tanhshrink",
    "threshold", "threshold_", "glu", "logsigmoid", "hardshrink", "softshrink", "softmax",
    "log_softmax", "softmin",
    # dropout
    "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
    # embeddings and distances
    "embedding", "embedding_bag", "one_hot", "normalize", "cosine_similarity",
    "pairwise_distance", "pdist",
    # normalisation
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm", "local_response_norm",
    # losses
    "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div", "cosine_embedding_loss",
    "margin_ranking_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
    "soft_margin_loss", "multilabel_soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "multi_margin_loss", "multilabel_margin_loss", "hinge_embedding_loss",
]


# -- helpers -------------------------------------------------------------------------------------
def _matmul(a: Tensor, b: Tensor) -> Tensor:
    return ember.matmul(a, b)


def _check_float_same(op: str, *tensors: Tensor | None) -> None:
    dts = {t._data.dtype for t in tensors if t is not None}
    if len(dts) > 1:
        names = ", ".join(str(t.dtype) for t in tensors if t is not None)
        raise RuntimeError(
            f"{op}: expected all tensors to have the same dtype, got {names}; cast them with "
            ".to(dtype) first"
        )


# -- linear --------------------------------------------------------------------------------------


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


# -- activations ---------------------------------------------------------------------------------
def _inplace(target: Tensor, result: Tensor, op: str) -> Tensor:
    from ember.ops.inplace import apply_inplace

    return apply_inplace(target, result, op)


def _maybe_inplace(input: Tensor, result: Tensor, inplace: bool, op: str) -> Tensor:
    return _inplace(input, result, op) if inplace else result


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
    return _maybe_inplace(input, ember.clamp(input, min_val, max_val), inplace, "hardtanh_")


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
    if approximate == "none":
        return input * (ember.erf(input * (1.0 / math.sqrt(2.0))) + 1.0) * 0.5
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * (ember.tanh(inner) + 1.0) * 0.5
    raise ValueError(f"approximate argument must be either none or tanh, got {approximate!r}")


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


# -- dropout -------------------------------------------------------------------------------------
def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple[int, ...], p: float, like: Tensor) -> Tensor:
    """A tensor of 0 and 1/(1-p) (kept with probability 1-p), in ``like``'s dtype."""
    u = ember.rand(*shape, dtype=like.dtype, device=like.device)._data
    keep = u >= p
    get_xp(u).multiply(keep, 1.0 / (1.0 - p), out=u)  # reuse the uniform buffer
    return _wrap(u)


def _apply_mask(input: Tensor, mask_shape: tuple[int, ...], p: float, training: bool,
                inplace: bool, op: str) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        out = input * 0.0
    else:
        out = input * _keep_mask(mask_shape, p, input)
    return _maybe_inplace(input, out, inplace, op)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (in training).

    Example:
        >>> F.dropout(ember.ones(4), p=0.5, training=False)
        tensor([1., 1., 1., 1.])
    """
    return _apply_mask(input, tuple(input.shape), p, training, inplace, "dropout_")


def _channel_mask_shape(input: Tensor, batched_ndim: int, name: str) -> tuple[int, ...]:
    nd = input.ndim
    if nd not in (batched_ndim - 1, batched_ndim):
        raise RuntimeError(
            f"{name}: Expected {batched_ndim - 1}D or {batched_ndim}D input, but received a "
            f"{nd}D input of shape {list(input.shape)}"
        )
    lead = 1 if nd == batched_ndim - 1 else 2  # unbatched: (C, *); batched: (N, C, *)
    return tuple(input.shape[:lead]) + (1,) * (nd - lead)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` input with probability ``p``."""
    shape = _channel_mask_shape(input, 3, "dropout1d")
    return _apply_mask(input, shape, p, training, inplace, "dropout1d_")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, H, W)`` input with probability ``p``.

    A 3-D input is treated as ``(N, C, L)``, as PyTorch does (with a warning there).
    """
    if input.ndim == 3:
        shape = tuple(input.shape[:2]) + (1,)
    else:
        shape = _channel_mask_shape(input, 4, "dropout2d")
    return _apply_mask(input, shape, p, training, inplace, "dropout2d_")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input."""
    shape = _channel_mask_shape(input, 5, "dropout3d")
    return _apply_mask(input, shape, p, training, inplace, "dropout3d_")


_ALPHA_PRIME = -_SELU_ALPHA * _SELU_SCALE


def _alpha_dropout(input: Tensor, p: float, training: bool, mask_shape: tuple[int, ...]):
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = _wrap((ember.rand(*mask_shape, device=input.device)._data >= p).astype(
        input._data.dtype))
    a = ((1 - p) * (1 + p * _ALPHA_PRIME**2)) ** -0.5
    b = -a * _ALPHA_PRIME * p
    # Dropped units take the SELU saturation value, then an affine map restores mean and variance.
    return (input * keep + (1.0 - keep) * _ALPHA_PRIME) * a + b


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU activations' mean and variance (for self-normalising nets)."""
    out = _alpha_dropout(input, p, training, tuple(input.shape))
    return _maybe_inplace(input, out, inplace and out is not input, "alpha_dropout_")


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (dim 1)."""
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    out = _alpha_dropout(input, p, training, shape)
    return _maybe_inplace(input, out, inplace and out is not input, "feature_alpha_dropout_")


# -- embeddings ----------------------------------------------------------------------------------


def _check_indices(name: str, input: Tensor, num: int) -> None:
    if input._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"{name}: Expected tensor for argument #1 'indices' to have one of the following "
            f"scalar types: Long, Int; but got {input.dtype} instead (usage: "
            f"{name}(input.long(), ...))"
        )
    arr = input._data
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= num):
        raise IndexError(
            f"{name}: index out of range in self (indices must lie in [0, {num}), got values in "
            f"[{int(arr.min())}, {int(arr.max())}])"
        )


def _padding(padding_idx: int | None, num: int) -> int | None:
    if padding_idx is None:
        return None
    if not -num <= padding_idx < num:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num


def _renorm_rows(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows of ``weight`` in place so their norm is at most ``max_norm``."""
    w = weight._data
    xp = get_xp(w)
    rows = xp.unique(input._data.reshape(-1))
    sel = w[rows]
    norms = xp.linalg.norm(sel, ord=norm_type, axis=1)
    scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(w.dtype)
    w[rows] = sel * scale[:, None]
    weight._vc[0] += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Look up rows of ``weight`` by integer ``input``.

    Args:
        input: integer indices of any shape.
        weight: ``(num_embeddings, embedding_dim)``.
        padding_idx: the row at this index gets no gradient.
        max_norm: rows looked up are first renormalised in place to at most this norm.
        norm_type: the p of that norm.
        scale_grad_by_freq: divide gradients by how often each index occurs in the batch.
        sparse: accepted for compatibility; gradients are always dense.

    Returns:
        ``input.shape + (embedding_dim,)``.

    Example:
        >>> F.embedding(ember.tensor([[0, 2]]), ember.eye(3)).tolist()
        [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]
    """
    num = weight.shape[0]
    _check_indices("embedding", input, num)
    padding_idx = _padding(padding_idx, num)
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return Embedding.apply(weight, input._data, padding_idx, scale_grad_by_freq)


def _bag_ids(input: Tensor, offsets: Tensor | None, include_last: bool) -> tuple[Any, int]:
    """The bag number of every index (as a raw int64 array) and the number of bags."""
    xp = get_xp(input._data)
    if input.ndim == 2:
        b, n = input.shape
        return xp.repeat(xp.arange(b, dtype=xp.int64), n), b
    if input.ndim != 1:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    off = offsets._data.astype(xp.int64)
    if include_last:
        off = off[:-1]
    n_bags = int(off.shape[0])
    if n_bags and int(off[0]) != 0:
        raise ValueError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has "
                         "to start from position 0. However, got " + str(int(off[0])))
    positions = xp.arange(input.shape[0], dtype=xp.int64)
    return xp.searchsorted(off, positions, side="right") - 1, n_bags


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,
                  max_norm: float | None = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sum, mean or max of embedding rows per bag, without building the ``(B, N, D)`` tensor.

    Args:
        input: ``(B, N)`` bags of equal size, or 1-D indices split into bags by ``offsets``.
        weight: ``(num_embeddings, embedding_dim)``.
        offsets: start position of each bag in a 1-D ``input``.
        mode: ``"sum"``, ``"mean"`` or ``"max"``. Empty bags give zeros.
        per_sample_weights: weights of each index (``mode="sum"`` only).
        include_last_offset: ``offsets`` has one extra entry (the end of the last bag).
        padding_idx: indices equal to this are left out of every bag.
        max_norm, norm_type, scale_grad_by_freq, sparse: as in ``embedding``.

    Returns:
        ``(B, embedding_dim)``.

    Example:
        >>> w = ember.arange(6.0).reshape(3, 2)
        >>> F.embedding_bag(ember.tensor([0, 1, 2]), w, ember.tensor([0, 2]), mode="sum").tolist()
        [[2.0, 4.0], [4.0, 5.0]]
    """
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request")
    bag, n_bags = _bag_ids(input, offsets, include_last_offset)
    flat = input.reshape(-1)
    num, dim = weight.shape
    padding_idx = _padding(padding_idx, num)
    rows = embedding(flat, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq)
    keep = None if padding_idx is None else (flat != padding_idx)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1, 1)
    if keep is not None:
        rows = rows * keep.to(rows.dtype).unsqueeze(1)
    bag_t = _wrap(bag)
    zeros = ember.zeros(n_bags, dim, dtype=weight.dtype, device=weight.device)
    if mode == "max":
        return _bag_max(rows, bag_t, keep, zeros)
    total = ember.index_add(zeros, 0, bag_t, rows)
    if mode == "sum":
        return total
    ones = ember.ones(flat.shape[0], dtype=weight.dtype, device=weight.device)
    if keep is not None:
        ones = ones * keep.to(weight.dtype)
    counts = ember.zeros(n_bags, dtype=weight.dtype, device=weight.device).index_add(0, bag_t, ones)
    return total / ember.clamp_min(counts, 1.0).unsqueeze(1)


def _bag_max(rows: Tensor, bag: Tensor, keep: Tensor | None, zeros: Tensor) -> Tensor:
    if keep is not None:
        rows, bag = rows[keep], bag[keep]
    index = bag.unsqueeze(1).expand(-1, rows.shape[1])
    return ember.scatter_reduce(zeros, 0, index, rows, "amax", include_self=False)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Int64 one-hot encoding: a new last dim of size ``num_classes`` with a 1 at each index.

    Example:
        >>> F.one_hot(ember.tensor([0, 2]), 3)
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    arr = tensor._data
    if arr.dtype != get_xp(arr).int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp = get_xp(arr)
    if num_classes == -1:
        if arr.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(arr.max()) + 1
    if arr.size and int(arr.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if arr.size and int(arr.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return _wrap((arr[..., None] == xp.arange(num_classes)).astype(xp.int64))


# -- norms and distances -------------------------------------------------------------------------
def _clamped_no_grad(t: Tensor, low: float) -> Tensor:
    """``t`` clamped to ``>= low`` in value, keeping the gradient of ``t`` (a no-grad clamp_)."""
    return t + (ember.clamp_min(t, low) - t).detach()


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """Divide by the p-norm along ``dim`` (at least ``eps``).

    Example:
        >>> F.normalize(ember.tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """
    denom = ember.clamp_min(ember.norm(input, p, dim, keepdim=True), eps)
    result = input / denom
    if out is not None:
        out.copy_(result)
        return out
    return result


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim`` (broadcasting).

    Each norm is clamped to at least ``eps`` before dividing, as PyTorch does.

    Example:
        >>> F.cosine_similarity(ember.tensor([[1.0, 0.0]]), ember.tensor([[1.0, 1.0]]))
        tensor([0.7071])
    """
    n1 = _clamped_no_grad(ember.norm(x1, 2, dim, keepdim=True), eps)
    n2 = _clamped_no_grad(ember.norm(x2, 2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """``||x1 - x2 + eps||_p`` along the last dim.

    Example:
        >>> F.pairwise_distance(ember.tensor([[0.0, 0.0]]), ember.tensor([[3.0, 4.0]]), eps=0.0)
        tensor([5.])
    """
    return ember.norm(x1 - x2 + eps, p, -1, keepdim=keepdim)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """p-norm distances between all pairs of rows of ``(N, M)`` input (upper triangle, row-major).

    Example:
        >>> F.pdist(ember.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
        tensor([5.0000, 1.0000, 4.2426])
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    n = input.shape[0]
    xp = get_xp(input._data)
    i, j = xp.triu_indices(n, 1)
    diff = input.index_select(0, _wrap(i)) - input.index_select(0, _wrap(j))
    return ember.norm(diff, p, -1)


# -- normalisation -------------------------------------------------------------------------------


def _norm_affine(x: Tensor, w: Tensor | None, b: Tensor | None, axes: tuple[int, ...],
                 pshape: tuple[int, ...], eps: float, running: Any = None) -> Tensor:
    return NormAffine.apply(x, w, b, axes, pshape, eps, running)


def _float_input(name: str, x: Tensor) -> None:
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{name}: expected a floating-point input, got {x.dtype}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) over the batch and spatial dims, then scale and shift.

    Args:
        input: ``(N, C, *)``.
        running_mean: ``(C,)`` running estimate, updated in place when ``training``.
        running_var: ``(C,)`` running (unbiased) variance estimate.
        weight: ``(C,)`` scale or None.
        bias: ``(C,)`` shift or None.
        training: use batch statistics (and update the running ones) instead of running ones.
        momentum: weight of the new batch in the running update.
        eps: added to the variance.

    Example:
        >>> out = F.batch_norm(ember.randn(8, 3), None, None, training=True)
        >>> bool((out.mean(0).abs() < 1e-5).all())
        True
    """
    _float_input("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected 2D or more input, got {input.ndim}D")
    c = input.shape[1]
    pshape = (1, c) + (1,) * (input.ndim - 2)
    axes = (0,) + tuple(range(2, input.ndim))
    if training:
        if input.numel() // c <= 1:
            raise ValueError(
                "Expected more than 1 value per channel when training, got input size "
                f"{input.shape}")
        running = None
        if running_mean is not None or running_var is not None:
            running = (None if running_mean is None else running_mean._data,
                       None if running_var is None else running_var._data, momentum)
        out = _norm_affine(input, weight, bias, axes, pshape, eps, running)
        for buf in (running_mean, running_var):
            if buf is not None:
                buf._vc[0] += 1
        return out
    if running_mean is None or running_var is None:
        raise RuntimeError("batch_norm: running_mean and running_var must be given when "
                           "training=False")
    return _affine_from_stats(input, running_mean, running_var, weight, bias, eps, pshape)


def _affine_from_stats(x: Tensor, mean: Tensor, var: Tensor, w: Tensor | None,
                       b: Tensor | None, eps: float, pshape: tuple[int, ...]) -> Tensor:
    """Eval-mode normalisation with fixed statistics: x * scale + shift, two passes."""
    scale = ember.rsqrt(var.to(x.dtype) + eps)
    if w is not None:
        scale = scale * w
    shift = -mean.to(x.dtype) * scale
    if b is not None:
        shift = shift + b
    return x * scale.reshape(pshape) + shift.reshape(pshape)


def _normalized_axes(name: str, input: Tensor, normalized_shape: Any) -> tuple[int, ...]:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or k > input.ndim:
        raise RuntimeError(
            f"{name}: Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}"
        )
    return tuple(range(input.ndim - k, input.ndim))


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims, then scale and shift.

    Example:
        >>> out = F.layer_norm(ember.randn(2, 5), (5,))
        >>> bool((out.mean(-1).abs() < 1e-5).all())
        True
    """
    _float_input("layer_norm", input)
    axes = _normalized_axes("layer_norm", input, normalized_shape)
    pshape = tuple(input.shape[axes[0]:])
    return _norm_affine(input, weight, bias, axes, pshape, eps)


def _channel_affine(x: Tensor, w: Tensor | None, b: Tensor | None) -> Tensor:
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if w is not None:
        x = x * w.reshape(shape)
    if b is not None:
        x = x + b.reshape(shape)
    return x


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise groups of channels over (channels in group, spatial dims), then per-channel affine.

    Example:
        >>> F.group_norm(ember.randn(2, 4, 3), 2).shape
        ember.Size([2, 4, 3])
    """
    _float_input("group_norm", input)
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(
            f"group_norm: Expected number of channels in input to be divisible by num_groups, "
            f"but got input of shape {list(input.shape)} and num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, -1)
    normed = _norm_affine(grouped, None, None, (2,), (1, 1, grouped.shape[2]), eps)
    return _channel_affine(normed.reshape(tuple(input.shape)), weight, bias)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each sample over its spatial dims.

    Args:
        input: ``(N, C, *)``.
        running_mean, running_var: ``(C,)`` running estimates (updated when ``use_input_stats``).
        weight, bias: per-channel affine parameters.
        use_input_stats: normalise with this input's statistics (else the running ones).
        momentum, eps: as in ``batch_norm``.

    Example:
        >>> F.instance_norm(ember.randn(2, 3, 5)).shape
        ember.Size([2, 3, 5])
    """
    _float_input("instance_norm", input)
    n, c = input.shape[0], input.shape[1]
    if not use_input_stats:
        pshape = (1, c) + (1,) * (input.ndim - 2)
        return _affine_from_stats(input, running_mean, running_var, weight, bias, eps, pshape)
    flat = input.reshape(n, c, -1)
    if flat.shape[2] <= 1:
        raise ValueError(
            "Expected more than 1 spatial element when training, got input size "
            f"{input.shape}")
    if running_mean is not None or running_var is not None:
        _update_instance_stats(flat._data, running_mean, running_var, momentum)
    normed = _norm_affine(flat, None, None, (2,), (1, 1, flat.shape[2]), eps)
    return _channel_affine(normed.reshape(tuple(input.shape)), weight, bias)


def _update_instance_stats(x: Any, rm: Tensor | None, rv: Tensor | None, momentum: float):
    m = x.shape[2]
    if rm is not None:
        rm._data *= 1.0 - momentum
        rm._data += (momentum * x.mean(axis=(0, 2))).astype(rm._data.dtype)
        rm._vc[0] += 1
    if rv is not None:
        var = x.var(axis=2) * (m / (m - 1))
        rv._data *= 1.0 - momentum
        rv._data += (momentum * var.mean(axis=0)).astype(rv._data.dtype)
        rv._vc[0] += 1


def rms_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """``x / sqrt(mean(x**2) + eps) * weight`` over the last dims (eps defaults to the dtype's).

    Example:
        >>> F.rms_norm(ember.tensor([[3.0, 4.0]]), (2,), eps=0.0)
        tensor([[0.8485, 1.1314]])
    """
    _float_input("rms_norm", input)
    axes = _normalized_axes("rms_norm", input, normalized_shape)
    if eps is None:
        import numpy as np

        eps = float(np.finfo(input._data.dtype).eps)
    out = input * ember.rsqrt((input * input).mean(axes, keepdim=True) + eps)
    return out * weight if weight is not None else out


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """Divide by ``(k + alpha/size * sum of squares over size neighbouring channels) ** beta``.

    Example:
        >>> F.local_response_norm(ember.ones(1, 4, 2), 2).shape
        ember.Size([1, 4, 2])
    """
    if input.ndim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    c = input.shape[1]
    sq = input * input
    before, after = size // 2, (size - 1) // 2
    pad_shape = list(input.shape)
    parts = []
    for width in (before + 1, after):  # one extra leading zero for the cumulative-sum difference
        pad_shape[1] = width
        parts.append(ember.zeros(*pad_shape, dtype=input.dtype, device=input.device))
    cs = ember.cumsum(ember.cat([parts[0], sq, parts[1]], 1), 1)
    window = cs.narrow(1, size, c) - cs.narrow(1, 0, c)
    div = (window * (alpha / size) + k) ** beta
    return input / div


# -- losses --------------------------------------------------------------------------------------
def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    """PyTorch's mapping of the deprecated ``size_average``/``reduce`` flags to ``reduction``."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      "reduction='" + _legacy_reduction(size_average, reduce) + "' instead.",
                      UserWarning, stacklevel=3)
        return _legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _check_same_size(name: str, input: Tensor, target: Tensor) -> None:
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"{name}: Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", UserWarning, stacklevel=3)


def _pointwise_loss(name: str, input: Tensor, target: Tensor, reduction: str) -> tuple[Any, ...]:
    _check_same_size(name, input, target)
    if isinstance(target, Tensor) and target._data.dtype != input._data.dtype and (
        target._data.dtype.kind == "f" and input._data.dtype.kind == "f"
    ):
        target = target.to(input.dtype)
    return input, target, reduction


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None,
             ) -> Tensor:
    """Mean squared error ``(input - target)**2``, reduced.

    Example:
        >>> F.mse_loss(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]))
        tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("mse_loss", input, target, reduction)
    d = input - target
    loss = d * d
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None,
            ) -> Tensor:
    """Mean absolute error ``|input - target|``, reduced.

    Example:
        >>> F.l1_loss(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("l1_loss", input, target, reduction)
    loss = ember.abs(input - target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0,
                   ) -> Tensor:
    """``0.5 d**2 / beta`` for ``|d| < beta``, else ``|d| - 0.5 beta`` (L1 when beta is 0).

    Example:
        >>> F.smooth_l1_loss(ember.tensor([0.0, 3.0]), ember.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    reduction = _reduction(size_average, reduce, reduction)
    input, target, _ = _pointwise_loss("smooth_l1_loss", input, target, reduction)
    ad = ember.abs(input - target)
    if beta == 0:
        return _reduce(ad, reduction)
    loss = ember.where(ad < beta, ad * ad * (0.5 / beta), ad - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 d**2`` for ``|d| <= delta``, else ``delta * (|d| - 0.5 delta)``.

    Example:
        >>> F.huber_loss(ember.tensor([0.0, 3.0]), ember.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    input, target, _ = _pointwise_loss("huber_loss", input, target, reduction)
    ad = ember.abs(input - target)
    loss = ember.where(ad <= delta, ad * ad * 0.5, (ad - 0.5 * delta) * delta)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _class_dim_input(input: Tensor, target: Tensor, name: str) -> tuple[Tensor, Tensor, bool]:
    """Treat an unbatched ``(C,)`` input with a 0-d target as a batch of one."""
    if input.ndim == 1 and target.ndim == 0:
        return input.unsqueeze(0), target.unsqueeze(0), True
    if input.ndim < 1:
        raise ValueError(f"{name}: input must have at least 1 dimension")
    if input.ndim >= 2 and (target.ndim != input.ndim - 1 or input.shape[0] != target.shape[0]
                            or tuple(input.shape[2:]) != tuple(target.shape[1:])):
        raise ValueError(
            f"{name}: Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.ndim else 0}); input {list(input.shape)}, target "
            f"{list(target.shape)}")
    return input, target, False


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100,
             reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood: ``-input[n, target[n]]`` (times the class weight), reduced.

    Args:
        input: log-probabilities ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: class indices ``(N)``, ``(N, d1, ...)`` or ``()``.
        weight: ``(C,)`` class weights; the mean divides by the sum of the weights used.
        ignore_index: targets equal to it contribute nothing (and no weight to the mean).
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.

    Example:
        >>> F.nll_loss(ember.tensor([[-1.0, -2.0]]), ember.tensor([1]))
        tensor(2.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    input, target, unbatched = _class_dim_input(input, target, "nll_loss")
    if target._data.dtype.kind not in "iu":
        raise RuntimeError(f"nll_loss: expected target of integer dtype (class indices), got "
                           f"{target.dtype}; use cross_entropy for class probabilities")
    picked, w = _pick_targets(input, target, weight, ignore_index)
    loss = -picked * w
    if reduction == "none":
        return loss.reshape(()) if unbatched else loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()


def _pick_targets(input: Tensor, target: Tensor, weight: Tensor | None,
                  ignore_index: int) -> tuple[Tensor, Tensor]:
    """``input`` at each target class, and each element's weight (0 where ignored)."""
    c = input.shape[1]
    t = target._data
    xp = get_xp(t)
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= c))
    if bool(bad.any()):
        raise IndexError(f"Target {int(t[bad].reshape(-1)[0])} is out of bounds (classes: {c}).")
    safe = _wrap(xp.where(valid, t, 0).astype(xp.int64))
    picked = input.gather(1, safe.unsqueeze(1)).squeeze(1)
    wv = _wrap(valid.astype(input._data.dtype))
    if weight is not None:
        wv = weight.to(input.dtype).index_select(0, safe.reshape(-1)).reshape(
            tuple(safe.shape)) * wv
    return picked, wv


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between logits and class indices or class probabilities.

    Args:
        input: logits ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: class indices (integer, shape of input without dim 1) or class probabilities
            (float, same shape as input).
        weight: ``(C,)`` class weights.
        ignore_index: index targets equal to it are skipped.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.
        label_smoothing: mix the target with the uniform distribution by this amount.

    Example:
        >>> round(F.cross_entropy(ember.tensor([[0.0, 0.0]]), ember.tensor([0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    if (label_smoothing == 0.0 and target._data.dtype.kind in "iu" and reduction != "batchmean"
            and (weight is None or not weight._requires_grad)):
        return _fused_cross_entropy(input, target, weight, ignore_index, reduction)
    logp = ember.log_softmax(input, class_dim)
    if target._data.dtype.kind == "f":
        return _cross_entropy_probs(logp, target, weight, reduction, label_smoothing)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return loss
    smooth = _smooth_term(logp, target, weight, ignore_index, reduction, class_dim)
    c = input.shape[class_dim]
    return loss * (1.0 - label_smoothing) + smooth * (label_smoothing / c)


def _fused_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None,
                         ignore_index: int, reduction: str) -> Tensor:
    input, target, unbatched = _class_dim_input(input, target, "cross_entropy")
    c = input.shape[1]
    t = target._data
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bool(bad.any()):
        raise IndexError(f"Target {int(t[bad].reshape(-1)[0])} is out of bounds (classes: {c}).")
    w = None if weight is None else weight._data
    loss = CrossEntropy.apply(input, target, w, ignore_index, reduction)
    return loss.reshape(()) if unbatched and reduction == "none" else loss


def _smooth_term(logp: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int,
                 reduction: str, class_dim: int) -> Tensor:
    """PyTorch's label-smoothing term: the (weighted) sum of -log p over all classes."""
    shape = [1] * logp.ndim
    shape[class_dim] = -1
    lw = logp if weight is None else logp * weight.to(logp.dtype).reshape(shape)
    smooth = -lw.sum(class_dim)
    valid = _wrap(target._data != ignore_index)
    smooth = smooth * valid.to(logp.dtype)
    if reduction == "none":
        return smooth
    if reduction == "sum":
        return smooth.sum()
    if weight is None:
        return smooth.sum() / valid.sum().to(logp.dtype)
    t = target._data
    safe = _wrap(get_xp(t).where(t != ignore_index, t, 0).reshape(-1))
    wsum = (weight.to(logp.dtype).index_select(0, safe) * valid.reshape(-1).to(logp.dtype)).sum()
    return smooth.sum() / wsum


def _cross_entropy_probs(logp: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                         label_smoothing: float) -> Tensor:
    if tuple(target.shape) != tuple(logp.shape):
        raise RuntimeError(
            f"cross_entropy: class-probability targets must have the input's shape "
            f"{list(logp.shape)}, got {list(target.shape)}")
    class_dim = 0 if logp.ndim == 1 else 1
    c = logp.shape[class_dim]
    target = target.to(logp.dtype)
    if label_smoothing > 0:
        target = target * (1.0 - label_smoothing) + label_smoothing / c
    prod = logp * target
    if weight is not None:
        shape = [1] * logp.ndim
        shape[class_dim] = -1
        prod = prod * weight.to(logp.dtype).reshape(shape)
    loss = -prod.sum(class_dim)
    if reduction == "mean":
        return loss.sum() / (logp.numel() // c) if logp.ndim > 1 else loss.sum()
    return _reduce(loss, reduction)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``-(t log p + (1 - t) log(1 - p))`` with each log clamped at -100, as PyTorch does.

    Example:
        >>> round(F.binary_cross_entropy(ember.tensor([0.5]), ember.tensor([1.0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size.")
    arr = input._data
    if arr.size and (bool((arr < 0).any()) or bool((arr > 1).any())):
        raise RuntimeError("all elements of input should be between 0 and 1")
    target = target.to(input.dtype)
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid plus binary cross entropy in one stable expression (no overflow for big logits).

    Args:
        input: logits.
        target: probabilities of the positive class, same shape.
        weight: rescales each element's loss.
        pos_weight: weight of the positive term, broadcast along the last (class) dim.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.

    Example:
        >>> F.binary_cross_entropy_with_logits(ember.tensor([1000.0]), ember.tensor([1.0]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    target = target.to(input.dtype)
    log_sig_neg = _log1p_exp(-input)  # log(1 + exp(-x)), finite for any x
    if pos_weight is not None:
        coef = (pos_weight.to(input.dtype) - 1.0) * target + 1.0
        loss = (1.0 - target) * input + coef * log_sig_neg
    else:
        loss = (1.0 - target) * input + log_sig_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence ``target * (log target - input)``; ``input`` is log-probs.

    Args:
        input: log-probabilities.
        target: probabilities (or log-probabilities with ``log_target=True``).
        reduction: ``"batchmean"`` (sum / batch size, the true KL), ``"sum"``, ``"mean"`` (over
            all elements) or ``"none"``.
        log_target: ``target`` is given in log space.

    Example:
        >>> p = ember.tensor([[0.5, 0.5]])
        >>> F.kl_div(p.log(), p, reduction="batchmean")
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.", UserWarning, stacklevel=2)
    if log_target:
        loss = ember.exp(target) * (target - input)
    else:
        loss = ember.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where target is 1, ``max(0, cos - margin)`` where it is -1.

    Example:
        >>> x = ember.tensor([[1.0, 0.0]])
        >>> F.cosine_embedding_loss(x, x, ember.tensor([1]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    dim = input1.ndim - 1
    eps = 1e-12  # PyTorch's EPSILON inside this loss
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / ember.sqrt(mag1 * mag2)
    t = target.to(cos.dtype) if target._data.dtype.kind != "f" else target
    pos = ember.where(t == 1, 1.0 - cos, 0.0)
    neg = ember.where(t == -1, ember.clamp_min(cos - margin, 0.0), 0.0)
    return _reduce(pos + neg, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, -target * (x1 - x2) + margin)``.

    Example:
        >>> F.margin_ranking_loss(ember.tensor([1.0]), ember.tensor([2.0]), ember.tensor([1.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    loss = ember.clamp_min(-target * (input1 - input2) + margin, 0.0)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with p-norm pairwise distances.

    Example:
        >>> a = ember.zeros(1, 2)
        >>> F.triplet_margin_loss(a, a, a + 5.0)
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_an = ember.minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return _reduce(ember.clamp_min(d_ap - d_an + margin, 0.0), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Any = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """Triplet loss with any distance function (default: ``pairwise_distance``)."""
    dist = distance_function if distance_function is not None else pairwise_distance
    d_ap = dist(anchor, positive)
    d_an = dist(anchor, negative)
    if swap:
        d_an = ember.minimum(d_an, dist(positive, negative))
    return _reduce(ember.clamp_min(d_ap - d_an + margin, 0.0), reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``log(1 + exp(-target * input))``, computed stably.

    Example:
        >>> round(F.soft_margin_loss(ember.tensor([0.0]), ember.tensor([1.0])).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(-logsigmoid(target * input), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Per-class logistic loss averaged over classes: input ``(N, C)``, target 0/1 ``(N, C)``.

    Example:
        >>> round(F.multilabel_soft_margin_loss(ember.zeros(1, 2), ember.ones(1, 2)).item(), 4)
        0.6931
    """
    reduction = _reduction(size_average, reduce, reduction)
    target = target.to(input.dtype)
    loss = -(target * logsigmoid(input) + (1.0 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(input.ndim - 1) / input.shape[-1]
    return _reduce(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8,
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Poisson negative log likelihood: ``exp(input) - target * input`` (log_input) or
    ``input - target * log(input + eps)``; ``full`` adds the Stirling term.

    Example:
        >>> F.poisson_nll_loss(ember.tensor([0.0]), ember.tensor([1.0]))
        tensor(1.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = ember.exp(input) - target * input
    else:
        loss = input - target * ember.log(input + eps)
    if full:
        t = target.to(input.dtype)
        safe = ember.where(t > 1, t, 1.0)
        stirling = safe * ember.log(safe) - safe + ember.log(safe * (2 * math.pi)) * 0.5
        loss = loss + ember.where(t > 1, stirling, 0.0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Gaussian negative log likelihood ``0.5 * (log var + (input - target)**2 / var)``.

    ``var`` is clamped to at least ``eps`` without cutting its gradient, as in PyTorch.

    Example:
        >>> F.gaussian_nll_loss(ember.tensor([0.0]), ember.tensor([0.0]), ember.tensor([1.0]))
        tensor(0.)
    """
    if not isinstance(var, Tensor):
        var = ember.full(tuple(input.shape), float(var), dtype=input.dtype, device=input.device)
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = _clamped_no_grad(var, eps)
    d = input - target
    loss = (ember.log(var) + d * d / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average: bool | None = None,
                      reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: ``sum_{i != y} max(0, margin - x[y] + x[i])**p / C``.

    Example:
        >>> F.multi_margin_loss(ember.tensor([[0.0, 5.0]]), ember.tensor([1]))
        tensor(0.)
    """
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target.reshape(-1)
    c = x.shape[1]
    picked = x.gather(1, t.unsqueeze(1))
    z = ember.clamp_min(x - picked + margin, 0.0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight.index_select(0, t).unsqueeze(1)
    not_target = _wrap(get_xp(t._data).arange(c)[None, :] != t._data[:, None])
    loss = (z * not_target.to(z.dtype)).sum(1) / c
    if input.ndim != 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss; ``target`` lists class indices per row, ended by -1.

    Example:
        >>> F.multilabel_margin_loss(ember.tensor([[0.1, 0.2, 0.4, 0.8]]),
        ...                          ember.tensor([[3, 0, -1, 1]]))
        tensor(0.8500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target._data.reshape(x.shape)
    xp = get_xp(t)
    c = x.shape[1]
    is_target = xp.zeros(x.shape, dtype=bool)
    for row in range(t.shape[0]):  # the -1 terminator makes this ragged; rows are short
        stop = xp.nonzero(t[row] < 0)[0]
        end = int(stop[0]) if stop.size else c
        is_target[row, t[row, :end]] = True
    tmask = _wrap(is_target.astype(x._data.dtype))
    # For every (target j, non-target i) pair: max(0, 1 - (x[j] - x[i])).
    diff = 1.0 - x.unsqueeze(2) + x.unsqueeze(1)
    pair = tmask.unsqueeze(2) * (1.0 - tmask).unsqueeze(1)
    loss = (ember.clamp_min(diff, 0.0) * pair).sum((1, 2)) / c
    if input.ndim != 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """x where target is 1, ``max(0, margin - x)`` where it is -1.

    Example:
        >>> F.hinge_embedding_loss(ember.tensor([0.3, 2.0]), ember.tensor([1.0, -1.0]))
        tensor(0.1500)
    """
    reduction = _reduction(size_average, reduce, reduction)
    pos = ember.where(target != -1, input, 0.0)
    neg = ember.where(target != 1, ember.clamp_min(margin - input, 0.0), 0.0)
    return _reduce(pos + neg, reduction)
