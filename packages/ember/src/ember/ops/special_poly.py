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
from ember.ops._util import as_tensor_like

__all__ = [
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
    x = input if input._data.dtype.kind == "f" else input.to(_dtype.get_default_dtype())
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
    x = input if input._data.dtype.kind == "f" else input.to(_dtype.get_default_dtype())
    big = x > 2.0
    small = x.where(~big, x.new_zeros(()))
    direct = (small * small).exp() * small.erfc()
    # Laplace's continued fraction, summed from its tail: accurate for x > 2 with 60 terms.
    y = x.where(big, x.new_full((), 3.0))
    t = y
    for k in range(60, 0, -1):
        t = y + (k / 2) / t
    return direct.where(~big, 1 / (math.sqrt(math.pi) * t))


TENSOR_METHODS: dict[str, Any] = {}
