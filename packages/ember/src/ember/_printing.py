"""PyTorch-style ``repr`` for tensors and ``set_printoptions``."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "tensor_repr"]


class _Options:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode: bool | None = None


def set_printoptions(
    precision: int | None = None,
    threshold: int | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print, as ``torch.set_printoptions``.

    Args:
        precision: digits after the decimal point (default 4).
        threshold: element count above which output is summarised (default 1000).
        edgeitems: items shown at each end of a summarised dimension (default 3).
        linewidth: characters per line (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``.
        sci_mode: force scientific notation on (True) or off (False); None decides per tensor.
    """
    if profile == "default":
        _Options.precision, _Options.threshold, _Options.edgeitems, _Options.linewidth = (
            4,
            1000,
            3,
            80,
        )
    elif profile == "short":
        _Options.precision, _Options.threshold, _Options.edgeitems, _Options.linewidth = (
            2,
            1000,
            2,
            80,
        )
    elif profile == "full":
        _Options.precision, _Options.threshold, _Options.edgeitems, _Options.linewidth = (
            4,
            2**62,
            3,
            80,
        )
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            setattr(_Options, name, value)
    _Options.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options as a dict."""
    return {
        k: getattr(_Options, k)
        for k in ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")
    }


def _float_formatter(values: np.ndarray) -> Any:
    finite = values[np.isfinite(values)]
    p = _Options.precision
    if finite.size == 0:
        return lambda v: _special(v) or f"{v:.{p}f}"
    absf = np.abs(finite.astype(np.float64))
    nonzero = absf[absf > 0]
    ints = bool(np.all(np.floor(finite) == finite))
    sci = _Options.sci_mode
    if sci is None:
        sci = bool(
            nonzero.size
            and (
                nonzero.max() / nonzero.min() > 1000.0
                or nonzero.max() > 1e8
                or nonzero.min() < 1e-4
            )
        )
        if ints and nonzero.size and nonzero.max() <= 1e8:
            sci = False
    if sci:
        return lambda v: _special(v) or f"{v:.{p}e}"
    if ints:
        return lambda v: _special(v) or f"{v:.0f}."
    return lambda v: _special(v) or f"{v:.{p}f}"


def _complex_formatter(values: np.ndarray) -> Any:
    """PyTorch's ``0.5000+1.j`` layout: real and imaginary parts formatted separately."""
    real, imag = _float_formatter(values.real), _float_formatter(np.abs(values.imag))

    def fmt(v: complex) -> str:
        sign = "-" if np.signbit(v.imag) else "+"
        return f"{real(v.real)}{sign}{imag(abs(v.imag))}j"

    return fmt


def _special(v: float) -> str:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return ""


def _format_data(arr: np.ndarray, indent: int) -> str:
    summarise = arr.size > _Options.threshold
    kind = arr.dtype.kind
    if kind == "f":
        sample = _summary_values(arr) if summarise else arr.ravel()
        fmt = _float_formatter(sample.astype(np.float64))
    elif kind == "c":
        sample = _summary_values(arr) if summarise else arr.ravel()
        fmt = _complex_formatter(sample.astype(np.complex128))
    elif kind == "b":
        fmt = lambda v: "True" if v else "False"  # noqa: E731
    else:
        fmt = lambda v: str(int(v))  # noqa: E731
    sample = _summary_values(arr) if summarise else arr.ravel()
    width = max((len(fmt(v)) for v in sample), default=0)
    return np.array2string(
        arr,
        separator=", ",
        prefix=" " * indent,
        threshold=0 if summarise else arr.size + 1,
        edgeitems=_Options.edgeitems,
        max_line_width=_Options.linewidth,
        formatter={"all": lambda v: fmt(v).rjust(width)},
    )


def _summary_values(arr: np.ndarray) -> np.ndarray:
    e = _Options.edgeitems
    if arr.ndim == 0:
        return arr.reshape(1)
    parts = []
    for idx in (slice(0, e), slice(-e, None)):
        sub = arr[idx]
        parts.append(_summary_values(sub) if sub.ndim > 1 else sub.ravel())
    return np.concatenate([p.ravel() for p in parts])


def tensor_repr(t: Any) -> str:
    """``tensor([...], dtype=..., device=..., requires_grad=True | grad_fn=<...>)``."""
    from ember import _dtype

    arr = t.__array__()
    body = _format_data(arr, len("tensor(")) if arr.size else "[]"
    extras = []
    if t.device.type != "cpu":
        extras.append(f"device='{t.device}'")
    default = _dtype.get_default_dtype()
    default_dtypes = {default.np, default.to_complex().np, np.dtype(np.int64), np.dtype(np.bool_)}
    if arr.size == 0 and arr.ndim != 1:
        extras.append(f"size={tuple(arr.shape)}")
    if arr.dtype not in default_dtypes or (
        arr.size == 0 and arr.dtype != _dtype.get_default_dtype().np
    ):
        extras.append(f"dtype={t.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    name = "Parameter containing:\ntensor" if type(t).__name__ == "Parameter" else "tensor"
    return f"{name}({body}{''.join(', ' + e for e in extras)})"
