"""The gamma family, Bessel functions and normal-distribution helpers as differentiable ops.

Primitives (NumPy has none of these functions; the kernels are in ``_special_kernels``):
``lgamma``, ``polygamma`` (``digamma`` is ``polygamma(0, .)``), ``zeta``, ``i0``/``i0e``/``i1``/
``i1e``, ``bessel_j0``/``bessel_j1``, ``log_ndtr`` and ``ndtri``. Each backward is written with
these same ops, so higher derivatives work (the derivative of ``polygamma(n)`` is
``polygamma(n + 1)``). Kernels run in float64 and the result is cast back to the input's dtype.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops import _special_kernels as K
from ember.ops._broadcast import sum_to_shape
from ember.ops._util import as_tensor_like, binary_operands
from ember.ops.elementwise import where

__all__ = ["lgamma", "digamma", "polygamma", "mvlgamma", "i0", "sinc"]

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _out(raw: Any, like: Any) -> Any:
    return raw.astype(like.dtype, copy=False)


def _float_input(op: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if np_kind(x._data.dtype) != "f":
        if x._data.dtype.kind == "c":
            raise RuntimeError(f"{op}: complex inputs are not supported")
        x = x.to(_dtype.get_default_dtype())
    return x


def _run(cls: type[Primitive], op: str, x: Any, *args: Any) -> Tensor:
    x = _float_input(op, x)
    return cls.apply(x, *args)


class Lgamma(Primitive):
    """log |Gamma(x)|; the derivative is digamma."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _out(K.lgamma(x), x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * polygamma(0, x)


class Polygamma(Primitive):
    """The n-th derivative of digamma; its own derivative is polygamma(n + 1)."""

    @staticmethod
    def forward(ctx, x, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return _out(K.polygamma(n, x), x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * polygamma(ctx.n + 1, x), None


class Zeta(Primitive):
    """Hurwitz zeta(s, q); differentiable in q (d/dq = -s zeta(s + 1, q)), as PyTorch."""

    @staticmethod
    def forward(ctx, s, q):
        ctx.save_for_backward(s, q)
        return _out(K.zeta(s, q), q)

    @staticmethod
    def backward(ctx, grad):
        s, q = ctx.saved_tensors
        gq = None
        if ctx.needs_input_grad[1]:
            gq = sum_to_shape(grad * -s * zeta(s + 1.0, q), q.shape)
        return None, gq


class BesselI(Primitive):
    """Modified Bessel functions I0, I1 and their scaled forms I_nu(x) exp(-|x|)."""

    @staticmethod
    def forward(ctx, x, nu, scaled):
        ctx.save_for_backward(x)
        ctx.nu, ctx.scaled = nu, scaled
        raw = K.bessel_ie(x, nu) if scaled else K.bessel_i(x, nu)
        return _out(raw, x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        nu, scaled = ctx.nu, ctx.scaled
        other = _bessel_i(x, 1 - nu, scaled)
        if nu == 0:
            d = other
        else:
            # I1' = I0 - I1 / x, which tends to 1/2 at x = 0.
            safe = _where(x == 0, 1.0, x)
            d = _where(x == 0, 0.5, other - _bessel_i(x, 1, scaled) / safe)
        if scaled:
            d = d - x.sign() * _bessel_i(x, nu, True)
        return grad * d, None, None


class BesselJ(Primitive):
    """Bessel functions of the first kind J0, J1."""

    @staticmethod
    def forward(ctx, x, nu):
        ctx.save_for_backward(x)
        ctx.nu = nu
        return _out(K.bessel_j(x, nu), x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.nu == 0:
            return grad * -_run(BesselJ, "bessel_j1", x, 1), None
        safe = _where(x == 0, 1.0, x)
        d = _run(BesselJ, "bessel_j0", x, 0) - _run(BesselJ, "bessel_j1", x, 1) / safe
        return grad * _where(x == 0, 0.5, d), None


class LogNdtr(Primitive):
    """log of the standard normal CDF; the derivative is pdf / cdf, computed in log space."""

    @staticmethod
    def forward(ctx, x):
        y = _out(K.log_ndtr(x), x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        return grad * (x * x * -0.5 - _HALF_LOG_2PI - y).exp()


class Ndtri(Primitive):
    """The standard normal quantile; its derivative sqrt(2 pi) exp(y**2 / 2) reuses the output."""

    @staticmethod
    def forward(ctx, p):
        y = _out(K.ndtri(p), p)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (y * y * 0.5).exp() * _SQRT_2PI


class StandardGamma(Primitive):
    """Gamma(alpha, 1) samples, reparameterised: the gradient is dx/dalpha at fixed CDF value.

    Primitive because the sample comes from a rejection sampler; its derivative comes from
    implicit differentiation of the CDF (``_special_kernels.standard_gamma_grad``).
    """

    @staticmethod
    def forward(ctx, alpha, rng):
        x = rng.standard_gamma(alpha.astype("float64"))
        x = _out(get_xp(alpha).maximum(x, _tiny(alpha.dtype)), alpha)
        ctx.save_for_backward(alpha, x)
        return x

    @staticmethod
    def backward(ctx, grad):
        alpha, x = ctx.saved_tensors
        d = _wrap(_out(K.standard_gamma_grad(alpha._data, x._data), alpha._data))
        return grad * d, None


def _tiny(dt: Any) -> float:
    return float(np.finfo(dt).tiny)


def standard_gamma(alpha: Tensor, rng: Any) -> Tensor:
    """Gamma(alpha, 1) samples from the raw generator ``rng``, differentiable in ``alpha``."""
    alpha = _float_input("_standard_gamma", alpha)
    return StandardGamma.apply(alpha, rng)


class Gammainc(Primitive):
    """Regularised incomplete gamma P(a, x) (or Q = 1 - P); differentiable in x, as PyTorch."""

    @staticmethod
    def forward(ctx, a, x, upper):
        ctx.save_for_backward(a, x)
        ctx.upper = upper
        p = K.gammainc(a, x)
        return _out(1.0 - p if upper else p, x)

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative of gammainc for input is not implemented")
        d = ((a - 1.0) * x.log() - x - lgamma(a)).exp()
        d = -d if ctx.upper else d
        return None, sum_to_shape(grad * d, x.shape), None


def _gammainc(input: Any, other: Any, upper: bool) -> Tensor:
    a, x = binary_operands("gammainc", input, other)
    a = a if isinstance(a, Tensor) else as_tensor_like(a, x)
    x = x if isinstance(x, Tensor) else as_tensor_like(x, a)
    a, x = _float_input("gammainc", a), _float_input("gammainc", x)
    return Gammainc.apply(a, x, upper)


def gammainc(input: Any, other: Any) -> Tensor:
    """Elementwise regularised lower incomplete gamma function P(input, other).

    Args:
        input: the shape a > 0.
        other: the argument x >= 0.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.gammainc(ember.tensor([1.0]), ember.tensor([1.0]))
        tensor([0.6321])
    """
    return _gammainc(input, other, False)


def gammaincc(input: Any, other: Any) -> Tensor:
    """Elementwise regularised upper incomplete gamma function Q(input, other) = 1 - P.

    Args:
        input: the shape a > 0.
        other: the argument x >= 0.

    Returns:
        A new tensor.

    Example:
        >>> ember.special.gammaincc(ember.tensor([1.0]), ember.tensor([1.0]))
        tensor([0.3679])
    """
    return _gammainc(input, other, True)


def _where(cond: Tensor, a: Any, b: Any) -> Tensor:
    return where(cond, a, b)


def _bessel_i(x: Tensor, nu: int, scaled: bool) -> Tensor:
    return _run(BesselI, "i0", x, nu, scaled)


def lgamma(input: Tensor) -> Tensor:
    """Elementwise log |Gamma(x)|; +inf at 0, -1, -2, ...

    Args:
        input: the input tensor (integers are promoted to the default float dtype).

    Returns:
        A new tensor.

    Example:
        >>> ember.lgamma(ember.tensor([1.0, 3.0]))
        tensor([0.0000, 0.6931])
    """
    return _run(Lgamma, "lgamma", input)


def digamma(input: Tensor) -> Tensor:
    """Elementwise digamma psi(x), the derivative of lgamma; -inf at 0, NaN at negative integers.

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.digamma(ember.tensor([1.0]))
        tensor([-0.5772])
    """
    return polygamma(0, input)


def polygamma(n: int, input: Tensor) -> Tensor:
    """Elementwise n-th derivative of digamma (n = 0 is digamma itself).

    Args:
        n: the order, a non-negative integer.
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.polygamma(1, ember.tensor([1.0]))  # pi**2 / 6
        tensor([1.6449])
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"polygamma(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return _run(Polygamma, "polygamma", input, n)


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """Elementwise log of the multivariate gamma function of dimension ``p``.

    Composite: ``p (p - 1) / 4 log(pi) + sum_j lgamma(x - j / 2)``.

    Args:
        input: the input tensor; the function is finite where it exceeds ``(p - 1) / 2``.
        p: the dimension, at least 1.

    Returns:
        A new tensor.

    Example:
        >>> ember.mvlgamma(ember.tensor([2.5]), 2)
        tensor([0.8570])
    """
    if p < 1:
        raise RuntimeError(f"p has to be greater than or equal to 1, got {p}")
    x = _float_input("mvlgamma", input)
    out = lgamma(x)
    for j in range(1, p):
        out = out + lgamma(x - j / 2.0)
    return out + p * (p - 1) / 4.0 * math.log(math.pi)


def i0(input: Tensor) -> Tensor:
    """Elementwise modified Bessel function of the first kind, order 0.

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.i0(ember.tensor([0.0]))
        tensor([1.])
    """
    return _run(BesselI, "i0", input, 0, False)


def sinc(input: Tensor) -> Tensor:
    """Elementwise normalised sinc sin(pi x) / (pi x), 1 at x = 0 (gradient 0 there).

    Args:
        input: the input tensor.

    Returns:
        A new tensor.

    Example:
        >>> ember.sinc(ember.tensor([0.0, 0.5]))
        tensor([1.0000, 0.6366])
    """
    x = _float_input("sinc", input)
    zero = x == 0
    px = _where(zero, 1.0, x) * math.pi
    return _where(zero, 1.0, px.sin() / px)


def zeta(input: Any, other: Any) -> Tensor:
    """Elementwise Hurwitz zeta function sum_k (k + other) ** -input.

    Differentiable in ``other`` (as PyTorch). inf at ``input == 1``, NaN for ``input < 1``.

    Args:
        input: the exponent s (Tensor or number).
        other: the shift q (Tensor or number).

    Returns:
        A new tensor of the promoted floating dtype.

    Example:
        >>> ember.special.zeta(ember.tensor([2.0]), 1.0)  # pi**2 / 6
        tensor([1.6449])
    """
    s, q = binary_operands("zeta", input, other)
    s = s if isinstance(s, Tensor) else as_tensor_like(s, q)
    q = q if isinstance(q, Tensor) else as_tensor_like(q, s)
    s, q = _float_input("zeta", s), _float_input("zeta", q)
    return Zeta.apply(s.detach(), q)  # differentiable in q only, as PyTorch


def _unary_doc(op: str, summary: str, example: str) -> str:
    arg, shown = example.split(" -> ")
    return (
        f"{summary}\n\n    Args:\n        input: the input tensor.\n\n    Returns:\n"
        f"        A new tensor.\n\n    Example:\n"
        f"        >>> ember.special.{op}(ember.tensor({arg}))\n        {shown}\n    "
    )


def _special_unary(
    op: str, cls: type[Primitive], args: tuple[Any, ...], summary: str, example: str
) -> Any:
    def fn(input: Tensor) -> Tensor:
        return _run(cls, op, input, *args)

    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = _unary_doc(op, summary, example)
    return fn


i0e = _special_unary(
    "i0e",
    BesselI,
    (0, True),
    "Elementwise exponentially scaled I0(x) exp(-|x|).",
    "[0.0] -> tensor([1.])",
)
i1 = _special_unary(
    "i1",
    BesselI,
    (1, False),
    "Elementwise modified Bessel function of the first kind, order 1.",
    "[0.0] -> tensor([0.])",
)
i1e = _special_unary(
    "i1e",
    BesselI,
    (1, True),
    "Elementwise exponentially scaled I1(x) exp(-|x|).",
    "[0.0] -> tensor([0.])",
)
bessel_j0 = _special_unary(
    "bessel_j0",
    BesselJ,
    (0,),
    "Elementwise Bessel function of the first kind, order 0.",
    "[0.0] -> tensor([1.])",
)
bessel_j1 = _special_unary(
    "bessel_j1",
    BesselJ,
    (1,),
    "Elementwise Bessel function of the first kind, order 1.",
    "[0.0] -> tensor([0.])",
)
log_ndtr = _special_unary(
    "log_ndtr",
    LogNdtr,
    (),
    "Elementwise log of the standard normal CDF, accurate far into the lower tail.",
    "[0.0] -> tensor([-0.6931])",
)
ndtri = _special_unary(
    "ndtri",
    Ndtri,
    (),
    "Elementwise standard normal quantile (inverse of ndtr); -inf at 0, inf at 1.",
    "[0.5] -> tensor([0.])",
)


def _method(fn: Any) -> Any:
    def method(self: Tensor, *args: Any) -> Tensor:
        return fn(self, *args)

    method.__name__ = fn.__name__
    method.__doc__ = f"See :func:`ember.{fn.__name__}`."
    return method


def _polygamma_method(self: Tensor, n: int) -> Tensor:
    """See :func:`ember.polygamma`."""
    return polygamma(n, self)


TENSOR_METHODS = {
    "lgamma": _method(lgamma),
    "digamma": _method(digamma),
    "polygamma": _polygamma_method,
    "mvlgamma": _method(mvlgamma),
    "i0": _method(i0),
    "sinc": _method(sinc),
}
