"""Raw-array kernels for erf, erfc and erfinv, written once against ``xp`` (NumPy has none).

erf and erfc use the Cephes rational approximations (public domain, S. L. Moshier): relative
error near float64 epsilon. erfinv starts from M. Giles' single-precision approximation and
refines it with Newton steps on erf (or on erfc in the tails, where 1 - |y| is exact).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember.backends import get_xp

__all__ = ["erf", "erfc", "erfinv"]

# erf(x) = x * T(x^2) / U(x^2) for |x| < 1.
_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
      7.00332514112805075473e3, 5.55923013010394962768e4)
_U = (1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
      2.26290000613890934246e4, 4.92673942608635921086e4)
# erfc(x) = exp(-x^2) * P(x) / Q(x) for 1 <= x < 8, and R(x) / S(x) for x >= 8.
_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
      4.86371970985681366614e1, 1.96520832956077098289e2, 5.26445194995477358631e2,
      9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2)
_Q = (1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
      9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
      1.65666309194161350182e3, 5.57535340817727675546e2)
_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
      6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0)
_S = (1.0, 2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
      1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0)

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _poly(x: Any, coef: tuple[float, ...]) -> Any:
    out = x * coef[0] + coef[1]
    for c in coef[2:]:
        out *= x
        out += c
    return out


def _exp_neg_square(ax: Any) -> Any:
    """exp(-ax**2) without the rounding error of squaring a large ax (Cephes expx2)."""
    xp = get_xp(ax)
    hi = xp.floor(ax * 128.0 + 0.5) / 128.0
    lo = ax - hi
    return xp.exp(-hi * hi) * xp.exp(-(2.0 * hi + lo) * lo)


def _erf_small(x: Any) -> Any:
    z = x * x
    return x * _poly(z, _T) / _poly(z, _U)


def _erfc_large(ax: Any) -> Any:
    """erfc(ax) for ax >= 1 (NaN passes through)."""
    xp = get_xp(ax)
    ax = xp.minimum(ax, 30.0)  # erfc underflows to 0 long before; keeps inf out of P/Q
    mid = _poly(ax, _P) / _poly(ax, _Q)
    if bool((ax >= 8.0).any()):
        mid = xp.where(ax < 8.0, mid, _poly(ax, _R) / _poly(ax, _S))
    return _exp_neg_square(ax) * mid


def _split(x: Any) -> tuple[Any, Any, bool]:
    small = get_xp(x).abs(x) < 1.0
    return small, ~small, bool(small.all())


def erf(x: Any) -> Any:
    """Elementwise error function of a floating-point array."""
    xp = get_xp(x)
    small, large, all_small = _split(x)
    if all_small:
        return _erf_small(x)
    out = xp.empty_like(x)
    out[small] = _erf_small(x[small])
    xl = x[large]
    out[large] = xp.copysign(1.0 - _erfc_large(xp.abs(xl)), xl)
    return out


def erfc(x: Any) -> Any:
    """Elementwise complementary error function, accurate in the tails."""
    xp = get_xp(x)
    small, large, all_small = _split(x)
    if all_small:
        return 1.0 - _erf_small(x)
    out = xp.empty_like(x)
    out[small] = 1.0 - _erf_small(x[small])
    xl = x[large]
    y = _erfc_large(xp.abs(xl))
    out[large] = xp.where(xl < 0, 2.0 - y, y)
    return out


# Giles (2010), "Approximating the erfinv function": central (w < 5) and tail polynomials.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                  0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
               0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)


def erfinv(y: Any) -> Any:
    """Elementwise inverse error function on [-1, 1] (±inf at ±1, NaN outside)."""
    xp = get_xp(y)
    a = xp.abs(y)
    tail = 1.0 - a  # exact for a >= 0.5 (Sterbenz), so the tails keep their precision
    with _quiet(xp):
        w = -xp.log(tail * (1.0 + a))
        x = xp.where(w < 5.0, _poly(w - 2.5, _GILES_CENTRAL),
                     _poly(xp.sqrt(w) - 3.0, _GILES_TAIL)) * a
        far = a > 0.5
        log_tail = xp.log(tail)
        for _ in range(4):
            x = x - _newton_step(x, a, far, log_tail)
        x = xp.where(a == 1.0, xp.inf, x)
    return xp.copysign(x, y)


def _newton_step(x: Any, a: Any, far: Any, log_tail: Any) -> Any:
    """Newton step for erf(x) = a; near |a| = 1 it solves log(erfc(x)) = log(1 - a) instead,
    which is nearly quadratic in x and so converges in a few steps from Giles' estimate."""
    xp = get_xp(x)
    slope = _TWO_OVER_SQRT_PI * xp.exp(-x * x)
    c = erfc(x)
    tail_step = (log_tail - xp.log(c)) * c / slope
    return xp.where(far, tail_step, (erf(x) - a) / slope)


class _quiet:
    """Silence NumPy's divide/invalid/overflow warnings for the expected infinities."""

    def __init__(self, xp: Any) -> None:
        self._ctx = np.errstate(divide="ignore", invalid="ignore", over="ignore")

    def __enter__(self) -> None:
        self._ctx.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)
