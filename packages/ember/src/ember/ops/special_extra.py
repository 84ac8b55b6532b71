"""torch.special's second-kind, modified and Airy Bessel functions, and ``entr``'s primitive.

PyTorch differentiates none of the Bessel functions here, so each is a forward-only kernel
written against ``xp`` that returns a tensor without history:

* ``bessel_y0``/``bessel_y1`` and ``airy_ai``: Schlaefli's integrals (Gauss-Legendre) below
  ``x = 25``, Hankel's asymptotic expansion above; ``airy_ai`` near 0 by its Maclaurin series.
* ``modified_bessel_k0``/``k1`` (and the exponentially scaled forms): the integral
  ``K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt`` by Gauss-Legendre.

Kernels run in float64 and the result is cast back to the input's floating dtype.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp

_HANKEL_FROM = 25.0
_NODES = 160
_CHUNK = 4096


@functools.lru_cache(maxsize=4)
def _legendre_nodes(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(n)


def _quad(xp: Any, f: Any, lo: Any, hi: Any) -> Any:
    """Gauss-Legendre integral of ``f(t)`` over ``[lo, hi]`` per element (last axis: nodes)."""
    nodes, weights = (xp.asarray(a) for a in _legendre_nodes(_NODES))
    half = (hi - lo)[..., None] / 2.0
    t = lo[..., None] + half * (nodes + 1.0)
    return (f(t) * weights).sum(axis=-1) * half[..., 0]


def _schlaefli(xp: Any, x: Any, nu: float) -> tuple[Any, Any]:
    """``(J_nu(x), Y_nu(x))`` for ``0 < x`` by Schlaefli's integrals."""
    zero, pi = xp.zeros_like(x), xp.full_like(x, math.pi)
    xx = x[..., None]
    a = _quad(xp, lambda t: xp.cos(nu * t - xx * xp.sin(t)), zero, pi) / math.pi
    b = _quad(xp, lambda t: xp.sin(xx * xp.sin(t) - nu * t), zero, pi) / math.pi
    top = xp.arcsinh(60.0 / x) + 2.0
    c = _quad(xp, lambda t: xp.exp(-xx * xp.sinh(t) - nu * t), zero, top) / math.pi
    d = _quad(xp, lambda t: xp.exp(-xx * xp.sinh(t) + nu * t), zero, top) / math.pi
    return a - math.sin(nu * math.pi) * c, b - d - math.cos(nu * math.pi) * c


def _hankel(xp: Any, x: Any, nu: float) -> tuple[Any, Any]:
    """``(J_nu(x), Y_nu(x))`` for large ``x`` by Hankel's asymptotic expansion."""
    mu = 4.0 * nu * nu
    p, q = xp.zeros_like(x), xp.zeros_like(x)
    term = xp.ones_like(x)
    for k in range(24):
        if k % 2 == 0:
            p = p + (-1) ** (k // 2) * term
        else:
            q = q + (-1) ** (k // 2) * term
        term = term * (mu - (2 * k + 1) ** 2) / ((k + 1) * 8.0 * x)
    chi = x - (nu / 2.0 + 0.25) * math.pi
    scale = xp.sqrt(2.0 / (math.pi * x))
    return scale * (p * xp.cos(chi) - q * xp.sin(chi)), scale * (p * xp.sin(chi) + q * xp.cos(chi))


def _bessel_jy(xp: Any, x: Any, nu: float) -> tuple[Any, Any]:
    """``(J_nu, Y_nu)`` at positive finite ``x``, choosing the method by size."""
    big = x >= _HANKEL_FROM
    xs = xp.where(big, 1.0, x)
    xb = xp.where(big, x, _HANKEL_FROM)
    js, ys = _schlaefli(xp, xs, nu)
    jb, yb = _hankel(xp, xb, nu)
    return xp.where(big, jb, js), xp.where(big, yb, ys)


def _bessel_y_kernel(x: Any, nu: int) -> Any:
    xp = get_xp(x)
    pos = xp.isfinite(x) & (x > 0)
    _, y = _bessel_jy(xp, xp.where(pos, x, 1.0), float(nu))
    y = xp.where(pos, y, xp.nan)
    return xp.where(x == 0, -xp.inf, y)  # NaN at +inf, as PyTorch


def _bessel_k_kernel(x: Any, nu: float, scaled: bool) -> Any:
    xp = get_xp(x)
    pos = xp.isfinite(x) & (x > 0)
    xs = xp.where(pos, x, 1.0)
    xx = xs[..., None]
    top = xp.arccosh(1.0 + 60.0 / xs)
    shift = 0.0 if scaled else 1.0

    def integrand(t: Any) -> Any:
        return xp.exp(-xx * (2.0 * xp.sinh(t / 2.0) ** 2 + shift)) * xp.cosh(nu * t)

    k = _quad(xp, integrand, xp.zeros_like(xs), top)
    k = xp.where(pos, k, xp.nan)
    k = xp.where(x == 0, xp.inf, k)
    return xp.where(x == xp.inf, 0.0, k)


_AI0 = 1.0 / (3.0 ** (2.0 / 3.0) * math.gamma(2.0 / 3.0))
_AIP0 = 1.0 / (3.0 ** (1.0 / 3.0) * math.gamma(1.0 / 3.0))


def _airy_series(xp: Any, x: Any) -> Any:
    """Ai(x) by its Maclaurin series (both parts), accurate for |x| <= 2."""
    f, g = xp.ones_like(x), x.copy()
    tf, tg = xp.ones_like(x), x.copy()
    x3 = x**3
    for k in range(1, 30):
        tf = tf * x3 / ((3 * k - 1) * (3 * k))
        tg = tg * x3 / ((3 * k) * (3 * k + 1))
        f, g = f + tf, g + tg
    return _AI0 * f - _AIP0 * g


def _airy_kernel(x: Any) -> Any:
    xp = get_xp(x)
    finite = xp.isfinite(x)
    small = finite & (xp.abs(x) <= 2.0)
    right = finite & (x > 2.0)
    left = finite & (x < -2.0)
    series = _airy_series(xp, xp.where(small, x, 0.0))
    zr = xp.where(right, x, 4.0)
    zeta_r = 2.0 / 3.0 * zr**1.5
    k = _bessel_k_kernel(zeta_r, 1.0 / 3.0, True) * xp.exp(-zeta_r)
    from_k = xp.sqrt(zr / 3.0) * k / math.pi
    zl = xp.where(left, -x, 4.0)
    zeta_l = 2.0 / 3.0 * zl**1.5
    jp, _ = _bessel_jy(xp, zeta_l, 1.0 / 3.0)
    jm, _ = _bessel_jy(xp, zeta_l, -1.0 / 3.0)
    from_j = xp.sqrt(zl) / 3.0 * (jp + jm)
    out = xp.where(small, series, xp.where(right, from_k, from_j))
    return xp.where(finite, out, xp.nan)  # NaN at +-inf, as PyTorch


def _float_tensor(op: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if x._data.dtype.kind == "c":
        raise RuntimeError(f"{op}: complex inputs are not supported")
    return x if x._data.dtype.kind == "f" else x.to(_dtype.get_default_dtype())


def _unary(op: str, kernel: Any, summary: str, example: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        x = _float_tensor(op, input)
        raw = x._data
        xp = get_xp(raw)
        flat = raw.astype(np.float64).reshape(-1)
        with np.errstate(all="ignore"):  # chunks bound the (elements x nodes) quadrature buffers
            parts = [kernel(flat[i : i + _CHUNK]) for i in range(0, flat.size, _CHUNK)]
        out = xp.concatenate(parts) if parts else flat
        return _wrap(out.reshape(raw.shape).astype(raw.dtype, copy=False))

    arg, shown = example.split(" -> ")
    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = (
        f"{summary}\n\n    Not differentiable (as in PyTorch).\n\n    Args:\n        input: the "
        f"input tensor.\n\n    Returns:\n        A new tensor.\n\n    Example:\n        >>> "
        f"ember.special.{op}(ember.tensor({arg}))\n        {shown}\n    "
    )
    return fn


_TABLE = (
    (
        "bessel_y0",
        lambda x: _bessel_y_kernel(x, 0),
        "Elementwise Bessel function of the second kind, order 0 (NaN for x < 0).",
        "[1.0] -> tensor([0.0883])",
    ),
    (
        "bessel_y1",
        lambda x: _bessel_y_kernel(x, 1),
        "Elementwise Bessel function of the second kind, order 1 (NaN for x < 0).",
        "[1.0] -> tensor([-0.7812])",
    ),
    (
        "modified_bessel_k0",
        lambda x: _bessel_k_kernel(x, 0.0, False),
        "Elementwise modified Bessel function of the second kind, order 0.",
        "[1.0] -> tensor([0.4210])",
    ),
    (
        "modified_bessel_k1",
        lambda x: _bessel_k_kernel(x, 1.0, False),
        "Elementwise modified Bessel function of the second kind, order 1.",
        "[1.0] -> tensor([0.6019])",
    ),
    (
        "scaled_modified_bessel_k0",
        lambda x: _bessel_k_kernel(x, 0.0, True),
        "Elementwise exponentially scaled K0(x) exp(x).",
        "[1.0] -> tensor([1.1445])",
    ),
    (
        "scaled_modified_bessel_k1",
        lambda x: _bessel_k_kernel(x, 1.0, True),
        "Elementwise exponentially scaled K1(x) exp(x).",
        "[1.0] -> tensor([1.6362])",
    ),
    ("airy_ai", _airy_kernel, "Elementwise Airy function Ai.", "[0.0] -> tensor([0.3550])"),
)
_FUNCTIONS = {row[0]: _unary(*row) for row in _TABLE}
bessel_y0 = _FUNCTIONS["bessel_y0"]
bessel_y1 = _FUNCTIONS["bessel_y1"]
modified_bessel_k0 = _FUNCTIONS["modified_bessel_k0"]
modified_bessel_k1 = _FUNCTIONS["modified_bessel_k1"]
scaled_modified_bessel_k0 = _FUNCTIONS["scaled_modified_bessel_k0"]
scaled_modified_bessel_k1 = _FUNCTIONS["scaled_modified_bessel_k1"]
airy_ai = _FUNCTIONS["airy_ai"]


class Entr(Primitive):
    """-x log x (0 at 0, -inf below); the derivative -(log x + 1) is NaN below 0, as PyTorch."""

    @staticmethod
    def forward(ctx, x):
        xp = get_xp(x)
        ctx.save_for_backward(x)
        with np.errstate(all="ignore"):
            inside = -x * xp.log(xp.where(x > 0, x, 1))
            out = xp.where(x > 0, inside, xp.where(x < 0, -xp.inf, x * 0))
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -(x.log() + 1.0)


__all__ = ["Entr", *_FUNCTIONS]
