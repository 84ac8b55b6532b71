"""``ember.special``: PyTorch's ``torch.special`` functions.

The gamma family, Bessel functions, ``zeta``, ``ndtri`` and ``log_ndtr`` are primitives in
``ember.ops.special_fn``; the rest are the core's ops under their ``torch.special`` names or short
compositions of them.

Example:
    >>> ember.special.gammaln(ember.tensor([4.0]))  # log(3!)
    tensor([1.7918])
"""

from __future__ import annotations

import math
from typing import Any

from ember._tensor import Tensor
from ember.ops.elementwise import (
    erf,
    erfc,
    erfinv,
    expm1,
    log1p,
    logit,
    round,  # noqa: A004 - torch.special.round
    sigmoid,
    where,
    xlogy,
)
from ember.ops.reduction import log_softmax, logsumexp, softmax
from ember.ops.special_extra import (
    Entr,
    airy_ai,
    bessel_y0,
    bessel_y1,
    modified_bessel_k0,
    modified_bessel_k1,
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
)
from ember.ops.special_fn import (
    bessel_j0,
    bessel_j1,
    digamma,
    gammainc,
    gammaincc,
    i0,
    i0e,
    i1,
    i1e,
    log_ndtr,
    ndtri,
    polygamma,
    sinc,
    zeta,
)
from ember.ops.special_fn import lgamma as gammaln
from ember.ops.special_fn import mvlgamma as _mvlgamma
from ember.ops.special_poly import *  # noqa: F403  (orthogonal polynomials, erfcx, ...)
from ember.ops.special_poly import __all__ as _poly_all

__all__ = [
    "erf",
    "erfc",
    "erfinv",
    "expit",
    "logit",
    "xlogy",
    "xlog1py",
    "gammaln",
    "digamma",
    "psi",
    "polygamma",
    "multigammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "ndtr",
    "ndtri",
    "log_ndtr",
    "sinc",
    "entr",
    "zeta",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "airy_ai",
    "logsumexp",
    "softmax",
    "log_softmax",
    "exp2",
    "expm1",
    "log1p",
    "round",
    "gammainc",
    "gammaincc",
    *_poly_all,
    "modified_bessel_i0",
    "modified_bessel_i1",
]

expit = sigmoid
psi = digamma


def multigammaln(input: Tensor, p: int) -> Tensor:
    """Elementwise log multivariate gamma of dimension ``p`` (``ember.mvlgamma``).

    Args:
        input: the input tensor; every element must exceed ``(p - 1) / 2``.
        p: the dimension.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.multigammaln(ember.tensor([2.5]), 2)
        tensor([0.8570])
    """
    return _mvlgamma(input, p)


def _float(x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"expected a Tensor, got {type(x).__name__}")
    return x if x.is_floating_point() else x.float()


def ndtr(input: Tensor) -> Tensor:
    """Elementwise standard normal CDF, ``erfc(-x / sqrt(2)) / 2`` (accurate in the lower tail).

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.ndtr(ember.tensor([0.0]))
        tensor([0.5000])
    """
    return erfc(_float(input) * (-1.0 / math.sqrt(2.0))) * 0.5


def xlog1py(input: Any, other: Any) -> Tensor:
    """Elementwise ``input * log1p(other)``, 0 where ``input == 0`` (unless ``other`` is NaN).

    Args:
        input: the multiplier (Tensor or number).
        other: the log1p argument (Tensor or number).

    Returns:
        A new tensor.

    Example:
        >>> ember.special.xlog1py(ember.tensor([0.0, 2.0]), ember.tensor([-1.0, 0.0]))
        tensor([0., 0.])
    """
    x = input if isinstance(input, Tensor) else ember_tensor(input, other)
    y = other if isinstance(other, Tensor) else ember_tensor(other, x)
    x, y = _float(x), _float(y)
    zero = (x == 0) & ~y.isnan()
    safe = where(zero, 0.0, y)
    return where(zero, 0.0, x * log1p(safe))


def ember_tensor(value: Any, like: Any) -> Tensor:
    """A Python number as a tensor with ``like``'s floating dtype and device."""
    from ember.ops._util import as_tensor_like

    return as_tensor_like(value, like if like.is_floating_point() else like.float())


def entr(input: Tensor) -> Tensor:
    """Elementwise entropy term ``-x log x``: 0 at 0 and -inf for x < 0.

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.entr(ember.tensor([0.0, 1.0]))
        tensor([0., -0.])
    """
    return Entr.apply(_float(input))


def exp2(input: Tensor) -> Tensor:
    """Elementwise 2**x.

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.exp2(ember.tensor([3.0]))
        tensor([8.])
    """
    return (_float(input) * math.log(2.0)).exp()


modified_bessel_i0 = i0  # torch.special's other names for the modified Bessel functions
modified_bessel_i1 = i1
