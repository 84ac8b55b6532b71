"""PyTorch-style ``repr`` for tensors and ``set_printoptions``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember._dtype import np_kind

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
    profiles = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80),
                "full": (4, math.inf, 3, 80)}
    if profile is not None:
        (_Options.precision, _Options.threshold, _Options.edgeitems,
         _Options.linewidth) = profiles[profile]
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


class _Formatter:
    """Width and notation for the elements of one tensor (PyTorch's ``_Formatter``)."""

    def __init__(self, arr: np.ndarray) -> None:
        self.floating = np_kind(arr.dtype) == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = arr.reshape(-1)
        if not self.floating:
            self.max_width = max([1] + [len(str(v)) for v in flat.tolist()])
        else:
            self._measure_floats(flat.astype(np.float64))

    def _measure_floats(self, flat: np.ndarray) -> None:
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return
        absv = np.abs(vals)
        lo, hi = float(absv.min()), float(absv.max())
        self.int_mode = bool(np.all(np.ceil(vals) == vals))
        self.sci_mode = (
            hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
            if _Options.sci_mode is None
            else _Options.sci_mode
        )
        p = _Options.precision
        if self.sci_mode:
            fmt, pad = f"{{:.{p}e}}", 0
        elif self.int_mode:
            fmt, pad = "{:.0f}", 1
        else:
            fmt, pad = f"{{:.{p}f}}", 0
        self.max_width = max(len(fmt.format(v)) + pad for v in vals.tolist())

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        p = _Options.precision
        if not self.floating:
            ret = f"{value}"
        elif self.sci_mode:
            ret = f"{value:{self.max_width}.{p}e}"
        elif self.int_mode:
            ret = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                ret += "."
        else:
            ret = f"{value:.{p}f}"
        return (self.max_width - len(ret)) * " " + ret


def _val_str(val: Any, f1: _Formatter, f2: _Formatter | None) -> str:
    if f2 is None:
        return f1.format(val)
    real_str = f1.format(val.real)
    imag_str = (f2.format(val.imag) + "j").lstrip()
    if imag_str[0] in "+-":
        return real_str + imag_str
    return real_str + "+" + imag_str


def _vector_str(arr: np.ndarray, indent: int, summarize: bool, f1: _Formatter,
                f2: _Formatter | None) -> str:
    element_length = f1.width() + 2
    if f2 is not None:
        element_length += f2.width() + 1
    per_line = max(1, (_Options.linewidth - indent) // element_length)
    e = _Options.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and arr.shape[0] > 2 * e:
        data = ([_val_str(v, f1, f2) for v in arr[:e].tolist()] + [" ..."]
                + [_val_str(v, f1, f2) for v in arr[-e:].tolist()])
    else:
        data = [_val_str(v, f1, f2) for v in arr.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with(arr: np.ndarray, indent: int, summarize: bool, f1: _Formatter,
                     f2: _Formatter | None) -> str:
    if arr.ndim == 0:
        return _val_str(arr.item(), f1, f2)
    if arr.ndim == 1:
        return _vector_str(arr, indent, summarize, f1, f2)
    e = _Options.edgeitems
    n = arr.shape[0]
    if summarize and n > 2 * e:
        rows = list(range(e)) + [None] + list(range(n - e, n))
    else:
        rows = list(range(n))
    slices = ["..." if i is None else _tensor_str_with(arr[i], indent + 1, summarize, f1, f2)
              for i in rows]
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The elements that a summarised print shows (PyTorch's ``get_summarized_data``)."""
    e = _Options.edgeitems
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        return np.concatenate((arr[:e], arr[-e:])) if arr.shape[0] > 2 * e else arr
    if not e:
        return arr[(slice(0, 0),) * arr.ndim]
    n = arr.shape[0]
    rows = list(range(e)) + list(range(n - e, n)) if n > 2 * e else list(range(n))
    return np.stack([_summarized(arr[i]) for i in rows])


def _tensor_str(arr: np.ndarray, indent: int) -> str:
    if arr.size == 0:
        return "[]"
    summarize = arr.size > _Options.threshold
    if arr.dtype == np.float16:
        arr = arr.astype(np.float32)
    if arr.dtype.kind == "c":
        real = _Formatter(_summarized(arr.real) if summarize else arr.real)
        imag = _Formatter(_summarized(arr.imag) if summarize else arr.imag)
        return _tensor_str_with(arr, indent, summarize, real, imag)
    fmt = _Formatter(_summarized(arr) if summarize else arr)
    return _tensor_str_with(arr, indent, summarize, fmt, None)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int) -> str:
    parts = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > _Options.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _suffixes(t: Any, arr: np.ndarray) -> list[str]:
    from ember import _dtype

    out = []
    if t.device.type != "cpu":
        out.append(f"device='{t.device}'")
    default = _dtype.get_default_dtype()
    if arr.size == 0:
        if arr.ndim != 1:
            out.append(f"size={tuple(arr.shape)}")
        if arr.dtype != default.np:
            out.append(f"dtype={t.dtype}")
    else:
        if not _Options.edgeitems:
            out.append(f"size={tuple(arr.shape)}")
        shown = {default.np, default.to_complex().np, np.dtype(np.int64), np.dtype(np.bool_)}
        if arr.dtype not in shown:
            out.append(f"dtype={t.dtype}")
    if t.grad_fn is not None:
        out.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        out.append("requires_grad=True")
    return out


def _meta_repr(t: Any) -> str:
    """PyTorch's ``tensor(..., device='meta', size=(4, 4))``: no values to show."""
    from ember import _dtype

    parts = ["...", "device='meta'", f"size={tuple(t._data.shape)}"]
    if t._data.dtype != _dtype.get_default_dtype().np:
        parts.append(f"dtype={t.dtype}")
    parts += _suffixes(t, t._data)[-1:] if t.requires_grad else []
    out = "tensor(" + ", ".join(parts) + ")"
    if type(t).__name__ == "Parameter":
        out = "Parameter containing:\n" + out
    return out


def tensor_repr(t: Any, tensor_contents: str | None = None) -> str:
    """``tensor([...], dtype=..., device=..., requires_grad=True | grad_fn=<...>)``.

    A port of PyTorch's ``_tensor_str``: the same notation choice (fixed, integer-valued or
    scientific), widths, line wrapping and summarisation, so printed output matches.
    """
    if t.device.type == "meta":
        return _meta_repr(t)
    arr = t.__array__()
    prefix = "tensor("
    body = tensor_contents if tensor_contents is not None else _tensor_str(arr, len(prefix))
    out = _add_suffixes(prefix + body, _suffixes(t, arr), len(prefix))
    if type(t).__name__ == "Parameter":
        out = "Parameter containing:\n" + out
    return out
