"""``ember.signal.windows``: the window functions of ``torch.signal.windows``.

Every window takes the length ``M`` and keyword-only ``sym`` (True: symmetric, for filter design;
False: periodic, for spectral analysis), ``dtype``, ``device`` and ``requires_grad``. Values are
computed in float64 and cast to ``dtype`` (default: the default float dtype).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor

__all__ = [
    "bartlett",
    "blackman",
    "cosine",
    "exponential",
    "gaussian",
    "general_cosine",
    "general_hamming",
    "hamming",
    "hann",
    "kaiser",
    "nuttall",
]


def _check(name: str, M: int, dtype: Any) -> None:
    if not isinstance(M, int) or M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if dtype is not None and not ember.empty(0, dtype=dtype).is_floating_point():
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")


def _finish(values: np.ndarray, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    dt = ember.get_default_dtype() if dtype is None else dtype
    return ember.tensor(values, dtype=dt, device=device, requires_grad=requires_grad)


def _trivial(M: int, dtype: Any, device: Any, requires_grad: bool) -> Tensor | None:
    if M == 0:
        return _finish(np.zeros(0), dtype, device, requires_grad)
    if M == 1:
        return _finish(np.ones(1), dtype, device, requires_grad)
    return None


def _span(M: int, sym: bool) -> int:
    """The denominator length: M - 1 for symmetric windows, M for periodic ones."""
    return M - 1 if sym else M


def exponential(
    M: int,
    *,
    center: float | None = None,
    tau: float = 1.0,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The exponential (Poisson) window exp(-|n - center| / tau).

    Args:
        M: the window length.
        center: where the window peaks (default the middle); only for ``sym=False``.
        tau: the decay constant (> 0).
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.exponential(3)
        tensor([0.3679, 1.0000, 0.3679])
    """
    _check("exponential", M, dtype)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    n = np.arange(M, dtype=np.float64)
    return _finish(np.exp(-np.abs(n - center) / tau), dtype, device, requires_grad)


def cosine(
    M: int,
    *,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The cosine (sine) window sin(pi (n + 1/2) / M).

    Args:
        M: the window length.
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.cosine(2)
        tensor([0.7071, 0.7071])
    """
    _check("cosine", M, dtype)
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    denom = M + 1 if not sym and M > 1 else M
    n = np.arange(M, dtype=np.float64)
    return _finish(np.sin(math.pi * (n + 0.5) / denom), dtype, device, requires_grad)


def gaussian(
    M: int,
    *,
    std: float = 1.0,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Gaussian window exp(-((n - center) / std)**2 / 2).

    Args:
        M: the window length.
        std: the standard deviation (> 0), in samples.
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.gaussian(3)
        tensor([0.6065, 1.0000, 0.6065])
    """
    _check("gaussian", M, dtype)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    k = start + np.arange(M, dtype=np.float64)
    return _finish(np.exp(-((k / std) ** 2) / 2), dtype, device, requires_grad)


def kaiser(
    M: int,
    *,
    beta: float = 12.0,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Kaiser window I0(beta sqrt(1 - k**2)) / I0(beta) on k in [-1, 1].

    Args:
        M: the window length.
        beta: the shape parameter (>= 0).
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.kaiser(3, beta=2.0)
        tensor([0.4387, 1.0000, 0.4387])
    """
    _check("kaiser", M, dtype)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    step = 2.0 * beta / _span(M, sym)
    k = np.minimum(-beta + step * np.arange(M, dtype=np.float64), beta)
    w = np.i0(np.sqrt(np.maximum(beta * beta - k * k, 0.0))) / np.i0(beta)
    return _finish(w, dtype, device, requires_grad)


def general_cosine(
    M: int,
    *,
    a: Sequence[float],
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The generalised cosine window sum_i (-1)**i a[i] cos(2 pi i n / (M - 1)).

    Args:
        M: the window length.
        a: the coefficients.
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.general_cosine(3, a=[0.5, 0.5])
        tensor([0., 1., 0.])
    """
    _check("general_cosine", M, dtype)
    if a is None or not isinstance(a, Sequence | np.ndarray | Tensor):
        raise TypeError(f"Coefficients must be a list/tuple, got: {type(a).__name__}")
    if len(a) == 0:
        raise ValueError("Coefficients cannot be empty")
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    k = 2.0 * math.pi / _span(M, sym) * np.arange(M, dtype=np.float64)
    w = sum((-1) ** i * float(c) * np.cos(i * k) for i, c in enumerate(a))
    return _finish(np.asarray(w), dtype, device, requires_grad)


def general_hamming(
    M: int,
    *,
    alpha: float = 0.54,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The generalised Hamming window alpha - (1 - alpha) cos(2 pi n / (M - 1)).

    Args:
        M: the window length.
        alpha: the coefficient.
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.general_hamming(3, alpha=0.5)
        tensor([0., 1., 0.])
    """
    return general_cosine(
        M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, device=device, requires_grad=requires_grad
    )


def _named_cosine(name: str, a: list[float], doc_example: str) -> Any:
    def window(
        M: int,
        *,
        sym: bool = True,
        dtype: Any = None,
        layout: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        return general_cosine(
            M, a=a, sym=sym, dtype=dtype, device=device, requires_grad=requires_grad
        )

    window.__name__ = window.__qualname__ = name
    window.__doc__ = (
        f"The {name} window: ``general_cosine`` with a = {a}.\n\n    Args:\n"
        "        M: the window length.\n        sym: symmetric (True) or periodic (False).\n"
        "        dtype: the float dtype.\n        layout: accepted for compatibility.\n"
        "        device: where to put it.\n        requires_grad: whether the result requires "
        "grad.\n\n    Returns:\n        A 1-D tensor of length ``M``.\n\n    Example:\n"
        f"        >>> ember.signal.windows.{name}(3)\n        {doc_example}\n    "
    )
    return window


hann = _named_cosine("hann", [0.5, 0.5], "tensor([0., 1., 0.])")
hamming = _named_cosine("hamming", [0.54, 0.46], "tensor([0.0800, 1.0000, 0.0800])")
blackman = _named_cosine(
    "blackman", [0.42, 0.5, 0.08], "tensor([-1.3878e-17,  1.0000e+00, -1.3878e-17])"
)
nuttall = _named_cosine(
    "nuttall",
    [0.3635819, 0.4891775, 0.1365995, 0.0106411],
    "tensor([3.6280e-04, 1.0000e+00, 3.6280e-04])",
)


def bartlett(
    M: int,
    *,
    sym: bool = True,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The Bartlett (triangular) window 1 - |2 n / (M - 1) - 1|.

    Args:
        M: the window length.
        sym: symmetric (True) or periodic (False).
        dtype: the float dtype.
        layout: accepted for compatibility.
        device: where to put it.
        requires_grad: whether the result requires grad.

    Returns:
        A 1-D tensor of length ``M``.

    Example:
        >>> ember.signal.windows.bartlett(3)
        tensor([0., 1., 0.])
    """
    _check("bartlett", M, dtype)
    done = _trivial(M, dtype, device, requires_grad)
    if done is not None:
        return done
    k = -1.0 + 2.0 / _span(M, sym) * np.arange(M, dtype=np.float64)
    return _finish(1.0 - np.abs(k), dtype, device, requires_grad)
