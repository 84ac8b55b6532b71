"""``ember.masked``: reductions and normalisations that skip masked-out elements (``torch.masked``).

Each function takes ``mask=`` (a boolean tensor broadcastable to ``input``; True keeps an
element, None keeps all) and returns a plain tensor. Masked-out elements count as the
operation's identity (0 for sums, 1 for products, -inf for maxima and softmax, ...), so a fully
masked slice gives that identity, or NaN where the result is a ratio (``mean``, ``var``).
Gradients flow to the kept elements only.

Example:
    >>> x = ember.tensor([[1.0, 2.0, 3.0]])
    >>> ember.masked.mean(x, 1, mask=ember.tensor([[True, False, True]]))
    tensor([2.])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor

__all__ = [
    "sum",
    "prod",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "mean",
    "logsumexp",
    "norm",
    "var",
    "std",
    "median",
    "softmax",
    "log_softmax",
    "softmin",
    "normalize",
    "cumsum",
    "cumprod",
    "logaddexp",
]


def _cast(input: Tensor, dtype: Any) -> Tensor:
    return input if dtype is None else input.to(dtype)


def _keep(input: Tensor, mask: Tensor | None) -> Tensor | None:
    if mask is None:
        return None
    if not isinstance(mask, Tensor) or mask.dtype != ember.bool:
        raise ValueError("masked: mask must be a boolean tensor")
    return mask.broadcast_to(input.shape) if mask.shape != input.shape else mask


def _filled(input: Tensor, mask: Tensor | None, fill: float) -> Tensor:
    keep = _keep(input, mask)
    return input if keep is None else ember.where(keep, input, fill)


def _extreme(input: Tensor, high: bool) -> float:
    if input.is_floating_point():
        return math.inf if high else -math.inf
    info = ember.iinfo(input.dtype)
    return info.max if high else info.min


def sum(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,  # noqa: A001
    mask: Tensor | None = None,
) -> Tensor:
    """Sum of the kept elements (0 for a fully masked slice).

    Example:
        >>> ember.masked.sum(ember.tensor([1.0, 2.0]), mask=ember.tensor([True, False]))
        tensor(1.)
    """
    return ember.sum(_filled(_cast(input, dtype), mask, 0), dim, keepdim)


def prod(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Product of the kept elements (1 for a fully masked slice); ``dim`` may be a tuple."""
    x = _filled(_cast(input, dtype), mask, 1)
    if dim is None:
        return ember.prod(x)
    dims = sorted({d % max(x.ndim, 1) for d in ((dim,) if isinstance(dim, int) else dim)})
    for d in reversed(dims):
        x = ember.prod(x, d, keepdim=True)
    return x if keepdim or not dims else x.squeeze(tuple(dims))


def amax(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Maximum of the kept elements (-inf for a fully masked slice)."""
    x = _cast(input, dtype)
    return ember.amax(_filled(x, mask, _extreme(x, False)), () if dim is None else dim, keepdim)


def amin(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Minimum of the kept elements (inf for a fully masked slice)."""
    x = _cast(input, dtype)
    return ember.amin(_filled(x, mask, _extreme(x, True)), () if dim is None else dim, keepdim)


def argmax(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Index of the largest kept element, in ``dtype`` (the input's by default, as PyTorch)."""
    x = _cast(input, dtype)
    return ember.argmax(_filled(x, mask, _extreme(x, False)), dim, keepdim).to(x.dtype)


def argmin(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Index of the smallest kept element, in ``dtype`` (the input's by default, as PyTorch)."""
    x = _cast(input, dtype)
    return ember.argmin(_filled(x, mask, _extreme(x, True)), dim, keepdim).to(x.dtype)


def _count(input: Tensor, mask: Tensor | None, dim: Any, keepdim: bool) -> Tensor:
    keep = _keep(input, mask)
    ones = ember.ones_like(input) if keep is None else keep.to(input.dtype)
    return ember.sum(ones, dim, keepdim)


def mean(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Mean of the kept elements (NaN for a fully masked slice)."""
    x = _cast(input, dtype)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 is the fully masked NaN
        return sum(x, dim, keepdim=keepdim, mask=mask) / _count(x, mask, dim, keepdim)


def logsumexp(
    input: Tensor,
    dim: Any = None,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """log(sum(exp)) of the kept elements (-inf for a fully masked slice), in ``dtype`` (the
    input's by default: an integer input gives the truncated result, as PyTorch)."""
    x = _filled(_cast(input, dtype), mask, -math.inf)
    out = ember.logsumexp(x, tuple(range(x.ndim)) if dim is None else dim, keepdim)
    return out.to(input.dtype if dtype is None else dtype)


def norm(
    input: Tensor,
    ord: float = 2.0,
    dim: Any = None,
    *,
    keepdim: bool = False,  # noqa: A002
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Vector ``ord``-norm of the kept elements (a fully masked slice: 0, or inf for -inf)."""
    fill = math.inf if ord == -math.inf else 0  # the identity of min |x|, else of the sum
    return ember.linalg.vector_norm(_filled(_cast(input, dtype), mask, fill), ord, dim, keepdim)


def var(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    *,
    correction: float | None = None,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Variance of the kept elements (unbiased by default; NaN without enough of them).

    ``correction`` (Bessel's, subtracted from the count) overrides ``unbiased``.
    """
    x = _cast(input, dtype)
    n = _count(x, mask, dim, True)
    ddof = correction if correction is not None else (0 if unbiased is False else 1)
    with np.errstate(invalid="ignore", divide="ignore"):  # empty slices give NaN, as PyTorch
        centred = _filled(x - sum(x, dim, keepdim=True, mask=mask) / n, mask, 0)
        out = ember.sum(centred * centred, dim, True) / (n - ddof)
    out = ember.where(n - ddof > 0, out, math.nan)
    return out if keepdim else out.reshape(ember.sum(x, dim).shape)


def std(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    *,
    correction: float | None = None,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Standard deviation of the kept elements (``correction`` as in :func:`var`)."""
    return var(
        input, dim, unbiased, correction=correction, keepdim=keepdim, dtype=dtype, mask=mask
    ).sqrt()


def median(
    input: Tensor,
    dim: int = -1,
    *,
    keepdim: bool = False,
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Median of the kept elements along ``dim`` (the lower of the two middle ones; NaN for a
    fully masked slice of a floating input, as PyTorch's nanmedian of the masked-out-as-NaN
    input)."""
    out_dtype = input.dtype if dtype is None else dtype
    x = input if input.is_floating_point() else input.to(ember.float32)
    values = ember.nanmedian(_filled(x, mask, math.nan), dim, keepdim).values
    if input.is_floating_point():
        return values
    if bool(values.isnan().any()):
        raise ValueError("masked median expects no fully masked out rows if dtype is not floating")
    return values.to(out_dtype)


def softmax(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """Softmax over the kept elements: masked ones get 0 (a fully masked slice gives NaN)."""
    return ember.softmax(_filled(_cast(input, dtype), mask, -math.inf), dim)


def log_softmax(
    input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None
) -> Tensor:
    """Log-softmax over the kept elements: masked ones get -inf."""
    return ember.log_softmax(_filled(_cast(input, dtype), mask, -math.inf), dim)


def softmin(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """Softmin over the kept elements: masked ones get 0."""
    return ember.softmax(_filled(-_cast(input, dtype), mask, -math.inf), dim)


def normalize(
    input: Tensor,
    ord: float,
    dim: int,
    *,
    eps: float = 1e-12,  # noqa: A002
    dtype: Any = None,
    mask: Tensor | None = None,
) -> Tensor:
    """Divide by the ``ord``-norm of the kept elements; masked ones get 0."""
    return ember.nn.functional.normalize(_filled(_cast(input, dtype), mask, 0), ord, dim, eps)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """Running sum, masked elements counting as 0."""
    return ember.cumsum(_filled(_cast(input, dtype), mask, 0), dim)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None, mask: Tensor | None = None) -> Tensor:
    """Running product, masked elements counting as 1."""
    return ember.cumprod(_filled(_cast(input, dtype), mask, 1), dim)


def logaddexp(
    input: Tensor,
    other: Tensor,
    *,
    dtype: Any = None,
    input_mask: Tensor | None = None,
    other_mask: Tensor | None = None,
) -> Tensor:
    """log(exp(input) + exp(other)), masked elements counting as -inf."""
    a = _filled(_cast(input, dtype), input_mask, -math.inf)
    b = _filled(_cast(other, dtype), other_mask, -math.inf)
    return ember.logaddexp(a, b)
