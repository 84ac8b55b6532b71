"""Orthogonal polynomials of ``torch.special`` (Chebyshev T/U/V/W and their shifted forms,
Hermite H/He, Laguerre L, Legendre P), and ``erfcx``/``spherical_bessel_j0``.

The polynomials follow PyTorch's kernels: the degree ``n`` (a tensor or a number, truncated to an
integer) broadcasts against ``input``; ``n < 0`` gives 0; the values at ``x = +-1`` are exact; and
for high degrees with ``|x| < 1`` the Chebyshev kinds use their trigonometric forms instead of the
three-term recurrence. PyTorch defines no gradient for them, and neither does ember.

Example:
    >>> ember.special.chebyshev_polynomial_t(ember.tensor([0.5]), 3)
    tensor([-1.])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.ops._special_kernels import _bessel_asym_terms, bessel_i, bessel_j
from ember.ops._util import as_tensor_like

__all__ = [
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "erfcx",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "spherical_bessel_j0",
]


def _operands(input: Any, n: Any) -> tuple[Any, Any, Any]:
    """``(x, n, xp)``: ``x`` as a float array of the promoted dtype, ``n`` as an int64 array."""
    like = input if isinstance(input, Tensor) else n
    x = input if isinstance(input, Tensor) else as_tensor_like(input, like)
    k = n if isinstance(n, Tensor) else as_tensor_like(n, like)
    dt = _dtype.result_type(x, k) if isinstance(n, Tensor) else x.dtype
    if not dt.is_floating_point:
        dt = _dtype.get_default_dtype()
    xp = get_xp(x._data)
    xa = x._data.astype(dt.np)
    ka = xp.trunc(k._data).astype(np.int64) if k._data.dtype.kind == "f" else k._data
    xa, ka = xp.broadcast_arrays(xa, ka.astype(np.int64))
    return xa, ka, xp


def _recurrence(
    x: Any, n: Any, xp: Any, p0: Any, p1: Any, step: Callable[[Any, Any, Any, int], Any]
) -> Any:
    """Evaluate ``p_n`` elementwise from ``p_0``, ``p_1`` and ``p_{k+1} = step(x, p_k,
    p_{k-1}, k)``; 0 where ``n < 0``."""
    out = xp.where(n == 0, p0, p1).astype(x.dtype)
    p, q = p0, p1
    top = int(n.max()) if n.size else 0
    for k in range(1, top):
        p, q = q, step(x, q, p, k)
        out = xp.where(n == k + 1, q, out)
    return xp.where(n < 0, 0, out).astype(x.dtype)


def _poly(
    name: str,
    p1: Callable[[Any], Any],
    step: Callable[..., Any],
    fix: Callable[..., Any] | None = None,
    shifted: bool = False,
) -> Any:
    def fn(input: Any, n: Any) -> Tensor:
        x, k, xp = _operands(input, n)
        if shifted:
            x = x + x - 1
        out = _recurrence(x, k, xp, xp.ones_like(x), p1(x), step)
        if fix is not None:
            out = fix(x, k, xp, out)
        return _wrap(out.astype(x.dtype))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"The {name.replace('_', ' ')} of degree ``n`` at ``input`` (elementwise, broadcast).\n\n"
        "Args:\n    input: the points.\n    n: the degree (a tensor or a number; truncated to an "
        "integer, and n < 0 gives 0).\n\nReturns:\n    A new tensor (no gradient, as PyTorch).\n"
    )
    return fn


def _trig(x: Any, k: Any, xp: Any, out: Any, high: int, trig: Callable[..., Any]) -> Any:
    """PyTorch's switch to the trigonometric form for ``n > high`` and ``|x| < 1``."""
    inside = (k > high) & (xp.abs(x) < 1)
    if not inside.any():
        return out
    theta = xp.arccos(xp.clip(x, -1, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return xp.where(inside, trig(x, k, theta, xp), out)


def _ends(x: Any, k: Any, xp: Any, out: Any, at_one: Any, at_minus_one: Any) -> Any:
    out = xp.where((x == 1) & (k >= 0), at_one, out)
    return xp.where((x == -1) & (k >= 0), at_minus_one, out)


def _sign(k: Any) -> Any:
    return 1 - 2 * (k % 2)


def _fix_t(x: Any, k: Any, xp: Any, out: Any) -> Any:
    out = _trig(x, k, xp, out, 6, lambda x, k, th, xp: xp.cos(k * th))
    return _ends(x, k, xp, out, 1, _sign(k))


def _fix_u(x: Any, k: Any, xp: Any, out: Any) -> Any:
    def trig(x: Any, k: Any, th: Any, xp: Any) -> Any:
        s = xp.sin(th)
        return xp.where(s != 0, xp.sin((k + 1) * th) / s, (k + 1) * xp.cos((k + 1) * th) / x)

    out = _trig(x, k, xp, out, 8, trig)
    return _ends(x, k, xp, out, k + 1, _sign(k) * (k + 1))


def _fix_v(x: Any, k: Any, xp: Any, out: Any) -> Any:
    def trig(x: Any, k: Any, th: Any, xp: Any) -> Any:
        c = xp.cos(th / 2)
        return xp.where(c != 0, xp.cos((k + 0.5) * th) / c, _sign(k) * (2 * k + 1))

    out = _trig(x, k, xp, out, 8, trig)
    return _ends(x, k, xp, out, 1, _sign(k) * (2 * k + 1))


def _fix_w(x: Any, k: Any, xp: Any, out: Any) -> Any:
    def trig(x: Any, k: Any, th: Any, xp: Any) -> Any:
        s = xp.sin(th / 2)
        return xp.where(s != 0, xp.sin((k + 0.5) * th) / s, 2 * k + 1)

    out = _trig(x, k, xp, out, 8, trig)
    return _ends(x, k, xp, out, 2 * k + 1, _sign(k))


def _fix_p(x: Any, k: Any, xp: Any, out: Any) -> Any:
    return _ends(x, k, xp, out, 1, _sign(k))


def _cheb_step(x: Any, q: Any, p: Any, k: int) -> Any:
    return 2 * x * q - p


chebyshev_polynomial_t = _poly("chebyshev_polynomial_t", lambda x: x, _cheb_step, _fix_t)
chebyshev_polynomial_u = _poly("chebyshev_polynomial_u", lambda x: 2 * x, _cheb_step, _fix_u)
chebyshev_polynomial_v = _poly("chebyshev_polynomial_v", lambda x: 2 * x - 1, _cheb_step, _fix_v)
chebyshev_polynomial_w = _poly("chebyshev_polynomial_w", lambda x: 2 * x + 1, _cheb_step, _fix_w)
shifted_chebyshev_polynomial_t = _poly(
    "shifted_chebyshev_polynomial_t", lambda x: x, _cheb_step, _fix_t, shifted=True
)
shifted_chebyshev_polynomial_u = _poly(
    "shifted_chebyshev_polynomial_u", lambda x: 2 * x, _cheb_step, _fix_u, shifted=True
)
shifted_chebyshev_polynomial_v = _poly(
    "shifted_chebyshev_polynomial_v", lambda x: 2 * x - 1, _cheb_step, _fix_v, shifted=True
)
shifted_chebyshev_polynomial_w = _poly(
    "shifted_chebyshev_polynomial_w", lambda x: 2 * x + 1, _cheb_step, _fix_w, shifted=True
)
hermite_polynomial_h = _poly(
    "hermite_polynomial_h", lambda x: 2 * x, lambda x, q, p, k: 2 * x * q - 2 * k * p
)
hermite_polynomial_he = _poly(
    "hermite_polynomial_he", lambda x: x, lambda x, q, p, k: x * q - k * p
)
laguerre_polynomial_l = _poly(
    "laguerre_polynomial_l",
    lambda x: 1 - x,
    lambda x, q, p, k: ((2 * k + 1 - x) * q - k * p) / (k + 1),
)
legendre_polynomial_p = _poly(
    "legendre_polynomial_p",
    lambda x: x,
    lambda x, q, p, k: ((2 * k + 1) * x * q - k * p) / (k + 1),
    _fix_p,
)


def spherical_bessel_j0(input: Tensor) -> Tensor:
    """The spherical Bessel function of the first kind of order 0, ``sin(x) / x`` (1 at 0);
    no gradient, as PyTorch.

    Example:
        >>> ember.special.spherical_bessel_j0(ember.tensor([0.0]))
        tensor([1.])
    """
    x = input if input.is_floating_point() else input.to(_dtype.get_default_dtype())
    safe = x.abs() > 1e-4
    x_safe = x.where(safe, x.new_ones(()))
    # near 0 the Taylor series 1 - x^2/6 + x^4/120 is exact to rounding
    series = 1 - x * x / 6 + x**4 / 120
    return (x_safe.sin() / x_safe).where(safe, series).detach()


def erfcx(input: Tensor) -> Tensor:
    """The scaled complementary error function ``exp(x**2) * erfc(x)``, without the overflow and
    cancellation of that formula for large ``x``. Differentiable.

    Example:
        >>> ember.special.erfcx(ember.tensor([0.0, 30.0]))
        tensor([1.0000, 0.0188])
    """
    x = input if input.is_floating_point() else input.to(_dtype.get_default_dtype())
    big = x > 2.0
    small = x.where(~big, x.new_zeros(()))
    direct = (small * small).exp() * small.erfc()
    # Laplace's continued fraction, summed from its tail: accurate for x > 2 with 60 terms.
    y = x.where(big, x.new_full((), 3.0))
    t = y
    for k in range(60, 0, -1):
        t = y + (k / 2) / t
    return direct.where(~big, 1 / (math.sqrt(math.pi) * t))


# -- Bessel functions of the second kind and modified ones of the second kind ----------------------
_EULER = 0.5772156649015329
_HARMONIC = [0.0]
for _k in range(1, 90):
    _HARMONIC.append(_HARMONIC[-1] + 1.0 / _k)


def _psi_series(x: Any, xp: Any, nu: int, sign: float) -> Any:
    """``sum_k sign^k w_k q^k / (k! (k + nu)!)`` with ``q = x^2 / 4`` and ``w_k = H_k`` (nu 0) or
    ``H_k + H_{k+1}`` (nu 1): the digamma sums of the small-x series of Y_nu and K_nu."""
    q = sign * x * x / 4.0
    term = xp.ones_like(x)
    total = xp.zeros_like(x)
    for k in range(0, 85):
        if k:
            term = term * q / (k * (k + nu))
        total = total + (_HARMONIC[k] + (_HARMONIC[k + 1] if nu else 0.0)) * term
    return total


def _hankel_pq(x: Any, xp: Any, nu: int) -> tuple[Any, Any]:
    """Hankel's asymptotic P and Q of order ``nu`` (large x)."""
    p, q = xp.zeros_like(x), xp.zeros_like(x)
    for k, a in enumerate(_bessel_asym_terms(nu, 40)):
        term = (-1.0 if (k // 2) % 2 else 1.0) * a / x**k
        p, q = (p + term, q) if k % 2 == 0 else (p, q + term)
    return p, q


def _bessel_y(x: Any, nu: int) -> Any:
    """Y_nu(x) for nu in {0, 1}: the power series below 16, Hankel's expansion above."""
    xp = get_xp(x)
    x = x.astype(np.float64)
    with np.errstate(all="ignore"):
        small = xp.where((x > 0) & (x < 16), x, 1.0)
        log_term = xp.log(small / 2) + _EULER
        if nu == 0:
            series = (2 / math.pi) * (
                log_term * bessel_j(small, 0) - _psi_series(small, xp, 0, -1.0)
            )
        else:
            series = (
                -2 / (math.pi * small)
                + (2 / math.pi) * log_term * bessel_j(small, 1)
                - small / (2 * math.pi) * _psi_series(small, xp, 1, -1.0)
            )
        big = xp.where(x >= 16, x, 16.0)
        p, q = _hankel_pq(big, xp, nu)
        chi = big - (nu / 2.0 + 0.25) * math.pi
        asym = xp.sqrt(2.0 / (math.pi * big)) * (p * xp.sin(chi) + q * xp.cos(chi))
        out = xp.where(x >= 16, asym, series)
        out = xp.where(x == 0, -xp.inf, out)
        return xp.where((x < 0) | ~xp.isfinite(x), xp.nan, out)  # NaN at +inf too, as PyTorch


_T = np.arange(0.0, 7.05, 0.1)


def _bessel_ke(x: Any, nu: int) -> Any:
    """``K_nu(x) exp(x)`` for nu in {0, 1}: the power series up to 2, the trapezoidal rule on
    ``int_0^inf exp(-x (cosh t - 1)) cosh(nu t) dt`` (exponentially accurate) up to 25, and the
    asymptotic series beyond."""
    xp = get_xp(x)
    x = x.astype(np.float64)
    with np.errstate(all="ignore"):
        s = xp.where((x > 0) & (x <= 2), x, 1.0)
        log_term = xp.log(s / 2) + _EULER
        if nu == 0:
            series = -log_term * bessel_i(s, 0) + _psi_series(s, xp, 0, 1.0)
        else:
            series = 1 / s + log_term * bessel_i(s, 1) - s / 4 * _psi_series(s, xp, 1, 1.0)
        series = series * xp.exp(s)
        m = xp.where((x > 2) & (x < 25), x, 3.0)[..., None]
        t = xp.asarray(_T)
        f = xp.exp(-m * (xp.cosh(t) - 1)) * xp.cosh(nu * t)
        trap = 0.1 * (f.sum(-1) - f[..., 0] / 2)
        big = xp.where(x >= 25, x, 25.0)
        asym = sum(a / big**k for k, a in enumerate(_bessel_asym_terms(nu, 30)))
        asym = asym * xp.sqrt(math.pi / (2 * big))
        out = xp.where(x >= 25, asym, xp.where(x > 2, trap, series))
        out = xp.where(x == 0, xp.inf, out)
        return xp.where((x < 0) | xp.isnan(x), xp.nan, xp.where(xp.isinf(x), 0.0, out))


def _unary_kernel(name: str, kernel: Callable[[Any], Any], doc: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        x = input if input.is_floating_point() else input.to(_dtype.get_default_dtype())
        return _wrap(kernel(x._data).astype(x._data.dtype))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{doc} Elementwise; no gradient, as PyTorch.\n"
    return fn


bessel_y0 = _unary_kernel(
    "bessel_y0",
    lambda a: _bessel_y(a, 0),
    "Bessel function of the second kind of order 0, Y0 (NaN for x < 0).",
)
bessel_y1 = _unary_kernel(
    "bessel_y1",
    lambda a: _bessel_y(a, 1),
    "Bessel function of the second kind of order 1, Y1 (NaN for x < 0).",
)
modified_bessel_k0 = _unary_kernel(
    "modified_bessel_k0",
    lambda a: _bessel_ke(a, 0) * get_xp(a).exp(-a.astype(np.float64)),
    "Modified Bessel function of the second kind of order 0, K0.",
)
modified_bessel_k1 = _unary_kernel(
    "modified_bessel_k1",
    lambda a: _bessel_ke(a, 1) * get_xp(a).exp(-a.astype(np.float64)),
    "Modified Bessel function of the second kind of order 1, K1.",
)
scaled_modified_bessel_k0 = _unary_kernel(
    "scaled_modified_bessel_k0", lambda a: _bessel_ke(a, 0), "``K0(x) * exp(x)``."
)
scaled_modified_bessel_k1 = _unary_kernel(
    "scaled_modified_bessel_k1", lambda a: _bessel_ke(a, 1), "``K1(x) * exp(x)``."
)


TENSOR_METHODS: dict[str, Any] = {}
