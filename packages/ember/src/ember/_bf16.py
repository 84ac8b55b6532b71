"""bfloat16 arithmetic: the primitives that compute in float32 and round back, as PyTorch's CPU.

NumPy computes in bfloat16 through ``ml_dtypes``' ufunc loops, which is right for elementwise
ops (each result is rounded once, as PyTorch's). It is wrong for ops that accumulate: NumPy
sums bfloat16 in bfloat16 (the sum of 100,000 ones comes out as 256), its ``matmul`` returns
float32 and ``einsum`` refuses the dtype, and SciPy's special functions and LAPACK have no
bfloat16 loop. PyTorch's CPU kernels accumulate in float32 and round the result; so does ember:
the primitives named in :data:`FLOAT32_COMPUTE` get their ``forward`` wrapped once, at import,
so that bfloat16 arrays go in as float32 and float32 results come back as bfloat16. Other
dtypes pass straight through (the first array argument's dtype is read; it decides).

A CuPy kernel registered for one of these primitives (``register_kernel(name, "cupy")``)
replaces the wrapped forward for CuPy arrays and must handle bfloat16 itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ember._dtype import _BF16_NP

__all__ = ["FLOAT32_COMPUTE", "install", "via_float32"]

FLOAT32_COMPUTE = tuple(
    """
    Matmul Einsum Linear LinearMap Conv ConvInput ConvWeight Attention GRURecurrence
    LSTMRecurrence RNNRecurrence GridSample GridSampleBackward IndexPool
    Sum Prod Cumsum Cumprod LogSumExp Softmax LogSoftmax Norm2 VectorNorm StdSqrt NormAffine
    CrossEntropy BinaryCrossEntropy CTCLoss
    Erf Erfc Erfinv Lgamma Polygamma Zeta BesselI BesselJ Gammainc LogNdtr Ndtri XLogY
    StandardGamma Clamp NanToNum
    Cholesky Det Eigh Inv LU Pinv QR SVD Slogdet Solve Svdvals
    """.split()
)
"""Primitives whose bfloat16 inputs compute in float32, by line: products and contractions;
reductions and the ops built on one; functions with no bfloat16 loop in NumPy/SciPy (or one that
promotes to float32 against Python bounds); LAPACK."""

_F32 = np.dtype(np.float32)


def _names_other_dtype(value: Any) -> bool:
    """True for an option naming a result dtype other than bfloat16 (``sum(dtype=float32)``)."""
    if isinstance(value, np.dtype):
        return value != _BF16_NP
    return isinstance(value, type) and issubclass(value, np.generic) and value is not _BF16_NP.type


def _keeps_float32(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether the float32 result is the true result: another float operand or a dtype option."""
    for a in (*args, *kwargs.values()):
        dt = getattr(a, "dtype", None)
        if isinstance(dt, np.dtype) and dt.kind == "f" and getattr(a, "ndim", 0) > 0:
            return True
        if _names_other_dtype(a):
            return True
    return False


def _round(out: Any) -> Any:
    if getattr(out, "dtype", None) == _F32:
        return out.astype(_BF16_NP)
    if type(out) is tuple:
        return tuple(_round(o) for o in out)
    return out


def _remap_marks(ctx: Any, before: Any, after: Any) -> None:
    """Keep ``mark_non_differentiable`` pointing at the rounded outputs."""
    ids = getattr(ctx, "__dict__", {}).get("_non_diff_ids")
    if not ids:
        return
    olds = before if type(before) is tuple else (before,)
    news = after if type(after) is tuple else (after,)
    moved = [(o, n) for o, n in zip(olds, news) if id(o) in ids and o is not n]
    ctx._non_diff_ids = (ids - {id(o) for o, _ in moved}) | {id(n) for _, n in moved}


def _resave(ctx: Any, inputs: dict[int, Any], out: Any, rounded: Any) -> None:
    """Point what forward saved back at bfloat16: backward then runs in the inputs' dtype.

    A float32 copy of an input becomes the input itself (so in-place checks still see it), the
    float32 output becomes the rounded output, and other float32 arrays are rounded.
    """
    items = getattr(ctx, "__dict__", {}).get("_to_save")
    if not items:
        return
    outs = dict(zip(map(id, out), rounded)) if type(out) is tuple else {id(out): rounded}
    ctx._to_save = tuple(
        inputs.get(id(v)) if id(v) in inputs else outs.get(id(v)) if id(v) in outs else _round(v)
        for v in items
    )


def via_float32(forward: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a primitive's ``forward(ctx, ...)``: bfloat16 arrays are computed in float32.

    Args:
        forward: the primitive's forward.

    Returns:
        A forward with the same contract; for inputs without bfloat16 it is ``forward`` itself
        plus a look at the first array argument's dtype.
    """

    def forward_bf16(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        for a in args:  # the first array decides: float operands share a dtype by now
            dt = getattr(a, "dtype", None)
            if dt is not None:
                if dt is _BF16_NP:
                    break
                return forward(ctx, *args, **kwargs)
        else:
            return forward(ctx, *args, **kwargs)
        keep = _keeps_float32(args, kwargs)
        up = [a.astype(_F32) if getattr(a, "dtype", None) is _BF16_NP else a for a in args]
        out = forward(ctx, *up, **kwargs)
        if keep:
            return out
        rounded = _round(out)
        _remap_marks(ctx, out, rounded)
        _resave(ctx, dict(zip(map(id, up), args)), out, rounded)
        return rounded

    forward_bf16.__wrapped__ = forward  # type: ignore[attr-defined]
    forward_bf16.__doc__ = forward.__doc__
    return forward_bf16


def install() -> None:
    """Wrap the forward of every primitive in :data:`FLOAT32_COMPUTE` (once; idempotent)."""
    from ember.ops import registry

    for name in FLOAT32_COMPUTE:
        cls = registry.PRIMITIVES[name]
        fwd = cls.__dict__.get("forward")
        fwd = fwd.__func__ if isinstance(fwd, staticmethod) else fwd
        if fwd is None:
            raise RuntimeError(f"bfloat16: primitive {name} defines no forward of its own")
        if hasattr(fwd, "__wrapped__"):
            continue
        cls.forward = staticmethod(via_float32(fwd))
