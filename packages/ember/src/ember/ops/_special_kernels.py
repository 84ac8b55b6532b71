"""Raw-array kernels for the gamma family, Bessel functions and the normal quantile.

Written once against ``xp`` and evaluated in float64 (callers cast back). NumPy has none of
these. Every kernel is an algorithm, not a coefficient table:

* lgamma: Lanczos approximation (g = 7, n = 9) for x >= 0.5, reflection below.
* digamma: upward recurrence to x >= 10, then the asymptotic series in Bernoulli numbers.
* Hurwitz zeta: Euler-Maclaurin summation (as Cephes ``zeta``), which also gives polygamma.
* i0/i1 (and their exponentially scaled forms): power series for |x| < 30, the large-argument
  asymptotic series above.
* j0/j1: power series for |x| < 16, Hankel's asymptotic expansion above.
* ndtri: the Abramowitz-Stegun 26.2.23 start refined by Newton steps on log_ndtr.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from ember.backends import get_xp
from ember.ops._special import erfc

_LANCZOS_G = 7.0
_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_PI = math.log(math.pi)
# B_2k for k = 1..12.
_BERNOULLI = (
    Fraction(1, 6),
    Fraction(-1, 30),
    Fraction(1, 42),
    Fraction(-1, 30),
    Fraction(5, 66),
    Fraction(-691, 2730),
    Fraction(7, 6),
    Fraction(-3617, 510),
    Fraction(43867, 798),
    Fraction(-174611, 330),
    Fraction(854513, 138),
    Fraction(-236364091, 2730),
)
# Euler-Maclaurin weights B_2k / (2k)! of the Hurwitz zeta tail.
_EM = tuple(float(b / math.factorial(2 * k + 2)) for k, b in enumerate(_BERNOULLI))


def _quiet() -> Any:
    return np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore")


def _f64(x: Any) -> Any:
    return get_xp(x).asarray(x, dtype=np.float64)


def _sinpi(x: Any) -> Any:
    """sin(pi x), exact zeros at integers (reduces x mod 2 first)."""
    xp = get_xp(x)
    r = x - 2.0 * xp.floor(x / 2.0)
    out = xp.sin(math.pi * r)
    return xp.where(r == xp.floor(r), 0.0, out)


def _lanczos_lgamma(x: Any) -> Any:
    """log Gamma(x) for x >= 0.5."""
    xp = get_xp(x)
    z = x - 1.0
    a = xp.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], start=1):
        a = a + c / (z + i)
    t = z + _LANCZOS_G + 0.5
    return _HALF_LOG_2PI + (z + 0.5) * xp.log(t) - t + xp.log(a)


def lgamma(x: Any) -> Any:
    """log |Gamma(x)|; +inf at the poles 0, -1, -2, ..."""
    xp = get_xp(x)
    x = _f64(x)
    with _quiet():
        small = x < 0.5
        big = _lanczos_lgamma(xp.where(small, 1.0 - x, x))
        refl = _LOG_PI - xp.log(xp.abs(_sinpi(x))) - big
        out = xp.where(small, refl, big)
    out = xp.where((x == 1.0) | (x == 2.0), 0.0, out)  # exact zeros, as PyTorch
    return xp.where(xp.isinf(x), xp.inf, out)


def digamma(x: Any) -> Any:
    """psi(x) = d/dx log Gamma(x); -inf at +0, NaN at negative integers (as PyTorch)."""
    xp = get_xp(x)
    x = _f64(x)
    with _quiet():
        neg = x < 0
        y = xp.where(neg, 1.0 - x, x)
        acc = xp.zeros_like(y)
        for _ in range(10):
            low = y < 10.0
            acc = acc - xp.where(low, 1.0 / y, 0.0)
            y = xp.where(low, y + 1.0, y)
        inv2 = 1.0 / (y * y)
        series = xp.zeros_like(y)
        for k in range(7, 0, -1):
            series = (series + float(_BERNOULLI[k - 1]) / (2 * k)) * inv2
        out = acc + xp.log(y) - 0.5 / y - series
        tan = xp.tan(math.pi * (x - xp.floor(x)))
        out = xp.where(neg, out - math.pi / tan, out)
        out = xp.where(neg & (x == xp.floor(x)), xp.nan, out)
    return xp.where(x == 0, xp.where(xp.signbit(x), xp.inf, -xp.inf), out)


def zeta(s: Any, q: Any) -> Any:
    """Hurwitz zeta sum_k (k + q) ** -s, with Cephes' domain rules (inf at s = 1, NaN s < 1)."""
    xp = get_xp(s if hasattr(s, "dtype") else q)
    s, q = xp.broadcast_arrays(_f64(s), _f64(q))
    with _quiet():
        a = q.copy()
        total = xp.zeros_like(q)
        for _ in range(9):
            total = total + a**-s
            a = a + 1.0
        for _ in range(2000):  # only arguments q < 0 need more terms before the tail is accurate
            low = a < 9.0
            if not bool(low.any()):
                break
            total = total + xp.where(low, a**-s, 0.0)
            a = xp.where(low, a + 1.0, a)
        total = total + a ** (1.0 - s) / (s - 1.0) + 0.5 * a**-s
        rising = xp.ones_like(s)
        power = a ** (1.0 - s)
        inv = 1.0 / a
        for k, w in enumerate(_EM):
            rising = rising * (s + 2 * k) if k == 0 else rising * (s + 2 * k - 1) * (s + 2 * k)
            power = power * inv * inv
            total = total + w * rising * power
        out = xp.where(s == 1.0, xp.inf, total)
        out = xp.where(s < 1.0, xp.nan, out)
        qint = q == xp.floor(q)
        out = xp.where((q <= 0) & qint & (s >= 1.0), xp.inf, out)
        out = xp.where((q <= 0) & ~qint & (s != xp.floor(s)), xp.nan, out)
    return out


def polygamma(n: int, x: Any) -> Any:
    """The n-th derivative of digamma: (-1)**(n+1) n! zeta(n + 1, x) for n >= 1."""
    if n == 0:
        return digamma(x)
    sign = -1.0 if n % 2 == 0 else 1.0
    return sign * math.factorial(n) * zeta(float(n + 1), x)


def _bessel_i_series(ax: Any, nu: int) -> Any:
    """I_nu(ax) * exp(-ax) from the power series (|x| < 30)."""
    xp = get_xp(ax)
    q = ax * ax / 4.0
    term = xp.ones_like(ax) if nu == 0 else ax / 2.0
    total = term.copy()
    for k in range(1, 90):
        term = term * q / (k * (k + nu))
        total = total + term
    return total * xp.exp(-ax)


def _bessel_asym_terms(nu: int, count: int) -> list[float]:
    """a_k(nu) = prod_{j<=k} (4 nu^2 - (2j - 1)^2) / (k! 8^k)."""
    out, a = [1.0], 1.0
    for k in range(1, count):
        a *= (4 * nu * nu - (2 * k - 1) ** 2) / (k * 8.0)
        out.append(a)
    return out


def _bessel_i_asym(ax: Any, nu: int) -> Any:
    """I_nu(ax) * exp(-ax) for large ax."""
    xp = get_xp(ax)
    total = xp.zeros_like(ax)
    for k, a in enumerate(_bessel_asym_terms(nu, 30)):
        total = total + (-1.0) ** k * a / ax**k
    return total / xp.sqrt(2.0 * math.pi * ax)


def bessel_ie(x: Any, nu: int) -> Any:
    """Exponentially scaled modified Bessel function I_nu(x) exp(-|x|), nu in {0, 1}."""
    xp = get_xp(x)
    x = _f64(x)
    ax = xp.abs(x)
    with _quiet():
        big = ax >= 30.0
        out = xp.where(
            big,
            _bessel_i_asym(xp.where(big, ax, 30.0), nu),
            _bessel_i_series(xp.where(big, 0.0, ax), nu),
        )
    out = xp.where(xp.isinf(ax), 0.0, out)
    out = xp.where(xp.isnan(x), xp.nan, out)
    return xp.where(x < 0, -out, out) if nu == 1 else out


def bessel_i(x: Any, nu: int) -> Any:
    """Modified Bessel function of the first kind I_nu(x), nu in {0, 1}."""
    xp = get_xp(x)
    x = _f64(x)
    with _quiet():
        out = bessel_ie(x, nu) * xp.exp(xp.abs(x))
    return xp.where(xp.isinf(x), xp.where(x < 0, -xp.inf, xp.inf) if nu == 1 else xp.inf, out)


def _bessel_j_series(x: Any, nu: int) -> Any:
    xp = get_xp(x)
    q = -x * x / 4.0
    term = xp.ones_like(x) if nu == 0 else x / 2.0
    total = term.copy()
    for k in range(1, 70):
        term = term * q / (k * (k + nu))
        total = total + term
    return total


def _bessel_j_asym(x: Any, nu: int) -> Any:
    """Hankel's expansion sqrt(2 / (pi x)) (P cos chi - Q sin chi) for x > 0."""
    xp = get_xp(x)
    p = xp.zeros_like(x)
    qq = xp.zeros_like(x)
    for k, a in enumerate(_bessel_asym_terms(nu, 40)):
        sign = -1.0 if (k // 2) % 2 else 1.0
        if k % 2 == 0:
            p = p + sign * a / x**k
        else:
            qq = qq + sign * a / x**k
    chi = x - (nu / 2.0 + 0.25) * math.pi
    return xp.sqrt(2.0 / (math.pi * x)) * (p * xp.cos(chi) - qq * xp.sin(chi))


def bessel_j(x: Any, nu: int) -> Any:
    """Bessel function of the first kind J_nu(x), nu in {0, 1}."""
    xp = get_xp(x)
    x = _f64(x)
    ax = xp.abs(x)
    with _quiet():
        big = ax >= 16.0
        out = xp.where(
            big,
            _bessel_j_asym(xp.where(big, ax, 16.0), nu),
            _bessel_j_series(xp.where(big, 0.0, ax), nu),
        )
    out = xp.where(xp.isinf(ax), 0.0, out)
    out = xp.where(xp.isnan(x), xp.nan, out)
    return xp.where(x < 0, -out, out) if nu == 1 else out


def log_ndtr(x: Any) -> Any:
    """log of the standard normal CDF, accurate far into the lower tail."""
    xp = get_xp(x)
    x = _f64(x)
    with _quiet():
        mid = xp.where(
            x > 0,
            xp.log1p(-0.5 * erfc(xp.abs(x) / math.sqrt(2.0))),
            xp.log(0.5 * erfc(-x / math.sqrt(2.0))),
        )
        t = xp.where(x < -20.0, x, -20.0)
        inv2 = 1.0 / (t * t)
        series, term = xp.ones_like(t), xp.ones_like(t)
        for n in range(1, 12):
            term = term * -(2 * n - 1) * inv2
            series = series + term
        tail = -0.5 * t * t - _HALF_LOG_2PI - xp.log(-t) + xp.log(series)
    return xp.where(x < -20.0, tail, mid)


def ndtri(p: Any) -> Any:
    """Quantile of the standard normal: the x with ndtr(x) = p; -inf at 0, inf at 1."""
    xp = get_xp(p)
    p = _f64(p)
    with _quiet():
        q = xp.minimum(p, 1.0 - p)
        qs = xp.clip(q, 1e-300, 0.5)
        t = xp.sqrt(-2.0 * xp.log(qs))
        x = -(
            t
            - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3)
        )
        logq = xp.log(qs)
        for _ in range(5):
            lc = log_ndtr(x)
            logpdf = -0.5 * x * x - _HALF_LOG_2PI
            x = x - (lc - logq) * xp.exp(lc - logpdf)
        x = xp.where(q == 0.5, 0.0, x)
        x = xp.where(q == 0, -xp.inf, x)
        out = xp.where(p > 0.5, -x, x)
        out = xp.where((p < 0) | (p > 1) | xp.isnan(p), xp.nan, out)
    return out


def gammainc(a: Any, x: Any) -> Any:
    """Regularised lower incomplete gamma P(a, x) (series below a + 1, continued fraction above)."""
    xp = get_xp(a if hasattr(a, "dtype") else x)
    a, x = xp.broadcast_arrays(_f64(a), _f64(x))
    with _quiet():
        use_series = x < a + 1.0
        xs = xp.where(use_series, x, 0.0)
        term = 1.0 / a
        total = term
        ap = a
        for _ in range(500):
            ap = ap + 1.0
            term = term * xs / ap
            total = total + term
        log_pre = a * xp.log(x) - x - lgamma(a)
        series = total * xp.exp(log_pre)
        upper = _gammaincc_cf(a, xp.where(use_series, a + 1.0, x)) * xp.exp(log_pre)
        out = xp.where(use_series, series, 1.0 - upper)
        out = xp.where(x <= 0, 0.0, out)
        out = xp.where(xp.isinf(x) & (x > 0), 1.0, out)
        return xp.where((a <= 0) | xp.isnan(a) | xp.isnan(x) | (x < 0), xp.nan, out)


def _gammaincc_cf(a: Any, x: Any) -> Any:
    """Q(a, x) * exp(x - a log x + lgamma(a)) by the modified Lentz continued fraction."""
    xp = get_xp(a)
    tiny = 1e-300
    b = x + 1.0 - a
    c = xp.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d
    for i in range(1, 300):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = xp.where(xp.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = xp.where(xp.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h = h * d * c
    return h


def standard_gamma_grad(alpha: Any, x: Any) -> Any:
    """dx/dalpha of a Gamma(alpha, 1) sample x, by implicit differentiation of its CDF.

    dx/da = -(dP(a, x)/da) / p(x; a); the a-derivative of P is a central difference (P is
    accurate to float64 rounding, so the step 1e-5 a leaves about 1e-9 relative error).
    """
    xp = get_xp(alpha)
    alpha, x = _f64(alpha), _f64(x)
    h = 1e-5 * xp.maximum(alpha, 1e-3)
    dp = (gammainc(alpha + h, x) - gammainc(alpha - h, x)) / (2.0 * h)
    with _quiet():
        log_pdf = (alpha - 1.0) * xp.log(x) - x - lgamma(alpha)
        out = -dp / xp.exp(log_pdf)
    return xp.where(xp.isfinite(out), out, 0.0)
