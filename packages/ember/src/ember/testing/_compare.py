"""``assert_close`` and ``make_tensor``, with ``torch.testing``'s defaults."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

import ember

__all__ = ["assert_close", "make_tensor"]

# (rtol, atol) per dtype, as torch.testing.assert_close; integers and bool compare exactly.
_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


def _is_tensorlike(x: Any) -> bool:
    return isinstance(x, (ember.Tensor, np.ndarray, np.generic, int, float, complex, bool))


def _host(x: Any) -> np.ndarray:
    if isinstance(x, ember.Tensor):
        return np.asarray(x.detach().cpu().numpy())
    return np.asarray(x)


def _type_name(x: Any) -> str:
    if isinstance(x, ember.Tensor):
        return f"Tensor[{x.dtype}]"
    return type(x).__name__


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_dtype: bool = True,
    check_device: bool = True,
    msg: str | None = None,
) -> None:
    """Assert that ``actual`` and ``expected`` are close, as ``torch.testing.assert_close``.

    Tensors, NumPy arrays and Python numbers are compared elementwise with
    ``|actual - expected| <= atol + rtol * |expected|``; sequences and mappings are compared
    item by item. Without ``rtol``/``atol`` the tolerances come from the dtype (float32:
    ``rtol=1.3e-6, atol=1e-5``; float64: ``1e-7, 1e-7``; integers: exact).

    Args:
        actual: the value under test.
        expected: the reference.
        rtol: relative tolerance (give ``atol`` too).
        atol: absolute tolerance (give ``rtol`` too).
        equal_nan: count two NaNs as equal.
        check_dtype: both tensors must have the same dtype.
        check_device: both tensors must be on the same device.
        msg: replaces the default message on failure.

    Raises:
        AssertionError: naming the mismatched elements, the greatest differences and where.

    Example:
        >>> assert_close(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 2.000001]))
    """
    if (rtol is None) != (atol is None):
        raise ValueError("assert_close: give both rtol and atol, or neither")
    _compare(actual, expected, rtol, atol, equal_nan, check_dtype, check_device, msg, "")


def _compare(a: Any, e: Any, rtol, atol, equal_nan, check_dtype, check_device, msg, where):
    if isinstance(e, Mapping) and isinstance(a, Mapping):
        if set(a) != set(e):
            raise AssertionError(msg or f"keys differ{where}: {sorted(a)} vs {sorted(e)}")
        for k in e:
            _compare(
                a[k], e[k], rtol, atol, equal_nan, check_dtype, check_device, msg, f"{where}[{k!r}]"
            )
        return
    if _is_seq(a) and _is_seq(e):
        if len(a) != len(e):
            raise AssertionError(msg or f"lengths differ{where}: {len(a)} vs {len(e)}")
        for i, (x, y) in enumerate(zip(a, e)):
            _compare(x, y, rtol, atol, equal_nan, check_dtype, check_device, msg, f"{where}[{i}]")
        return
    if not (_is_tensorlike(a) and _is_tensorlike(e)):
        if a != e:
            raise AssertionError(msg or f"values differ{where}: {a!r} != {e!r}")
        return
    _check_meta(a, e, check_dtype, check_device, msg, where)
    _compare_arrays(_host(a), _host(e), a, rtol, atol, equal_nan, msg, where)


def _is_seq(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def _check_meta(a: Any, e: Any, check_dtype: bool, check_device: bool, msg, where: str) -> None:
    both = isinstance(a, ember.Tensor) and isinstance(e, ember.Tensor)
    if isinstance(a, ember.Tensor) != isinstance(e, ember.Tensor) and check_dtype:
        raise AssertionError(
            msg
            or f"types differ{where}: {_type_name(a)} vs {_type_name(e)} (check_dtype=False "
            "compares them anyway)"
        )
    if tuple(np.shape(_host(a))) != tuple(np.shape(_host(e))):
        raise AssertionError(
            msg
            or f"shapes differ{where}: {tuple(np.shape(_host(a)))} vs {tuple(np.shape(_host(e)))}"
        )
    if both and check_dtype and a.dtype != e.dtype:
        raise AssertionError(msg or f"dtypes differ{where}: {a.dtype} vs {e.dtype}")
    if both and check_device and str(a.device) != str(e.device):
        raise AssertionError(msg or f"devices differ{where}: {a.device} vs {e.device}")


def _default_tols(x: Any, arr: np.ndarray) -> tuple[float, float]:
    name = str(x.dtype).replace("ember.", "") if isinstance(x, ember.Tensor) else arr.dtype.name
    return _TOLERANCES.get(name, (0.0, 0.0))


def _compare_arrays(a, e, like, rtol, atol, equal_nan, msg, where) -> None:
    if rtol is None:
        rtol, atol = _default_tols(like, a)
    if a.dtype == bool or e.dtype == bool:
        a, e = a.astype(np.int64), e.astype(np.int64)
    a64 = a.astype(np.complex128 if np.iscomplexobj(a) else np.float64)
    e64 = e.astype(np.complex128 if np.iscomplexobj(e) else np.float64)
    with np.errstate(invalid="ignore"):  # inf - inf is NaN: handled by the equality below
        diff = np.abs(a64 - e64)
        ok = diff <= atol + rtol * np.abs(e64)
    ok |= a64 == e64  # equal infinities
    if equal_nan:
        ok |= np.isnan(a64) & np.isnan(e64)
    if ok.all():
        return
    raise AssertionError(msg or _report(a64, e64, diff, ok, rtol, atol, where))


def _report(a, e, diff, ok, rtol, atol, where) -> str:
    bad = int((~ok).sum())
    diff = np.where(np.isnan(diff), np.inf, diff)
    rel = diff / np.where(np.abs(e) == 0, np.inf, np.abs(e))
    rel = np.where(np.abs(e) == 0, np.where(diff == 0, 0.0, np.inf), rel)
    i_abs = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    i_rel = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.ndim else ()
    return (
        f"Tensor-likes are not close{where}!\n\n"
        f"Mismatched elements: {bad} / {ok.size} ({100 * bad / max(ok.size, 1):.1f}%)\n"
        f"Greatest absolute difference: {float(np.max(diff))} at index {tuple(map(int, i_abs))} "
        f"(up to {atol} allowed)\n"
        f"Greatest relative difference: {float(np.max(rel))} at index {tuple(map(int, i_rel))} "
        f"(up to {rtol} allowed)"
    )


def make_tensor(
    *shape: int | Sequence[int],
    dtype: Any,
    device: Any = "cpu",
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
) -> ember.Tensor:
    """A tensor of ``shape`` filled with random values, as ``torch.testing.make_tensor``.

    Floating values are uniform in ``[low, high)`` (default ``[-9, 9)``), integers in
    ``[low, high)`` (default ``[-9, 10)``, ``[0, 10)`` for unsigned), booleans fair coin flips.
    The values come from ember's default generator, so ``ember.manual_seed`` repeats them.

    Args:
        *shape: the sizes, as separate ints or one sequence.
        dtype: the ember dtype.
        device: where to put the tensor.
        low: the smallest value (clamped to the dtype's range).
        high: the exclusive upper bound.
        requires_grad: make it a leaf that requires grad (floating dtypes only).
        noncontiguous: return a strided view of a twice-as-large tensor.
        exclude_zero: replace zeros by the dtype's smallest positive step (``1`` for integers,
            the float eps otherwise).

    Example:
        >>> t = make_tensor(2, 3, dtype=ember.float32, low=0, high=1)
        >>> t.shape, bool((t >= 0).all()), bool((t < 1).all())
        ((2, 3), True, True)
    """
    dims = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], Sequence) else shape
    dims = tuple(int(d) for d in dims)  # type: ignore[union-attr]
    np_dtype = np.dtype(dtype.np)
    full = (*dims[:-1], dims[-1] * 2) if noncontiguous and dims else dims
    arr = _random_values(full, np_dtype, low, high)
    if exclude_zero:
        step = 1 if np_dtype.kind in "iub" else np.finfo(np_dtype).eps
        arr = np.where(arr == 0, np.asarray(step, dtype=np_dtype), arr)
    t = ember.tensor(arr, dtype=dtype, device=device)
    if noncontiguous and dims:
        t = t[..., ::2]
    if requires_grad:
        t.requires_grad_(True)
    return t


def _random_values(dims: tuple[int, ...], np_dtype: np.dtype, low, high) -> np.ndarray:
    if np_dtype.kind == "b":
        return ember.randint(0, 2, dims).numpy().astype(bool)
    if np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        lo = max(
            info.min, math.ceil(low) if low is not None else (0 if np_dtype.kind == "u" else -9)
        )
        hi = min(info.max + 1, math.ceil(high) if high is not None else 10)
        return ember.randint(lo, hi, dims, dtype=ember.int64).numpy().astype(np_dtype)
    lo = -9.0 if low is None else float(low)
    hi = 9.0 if high is None else float(high)
    u = ember.rand(*dims, dtype=ember.float64).numpy()
    values = lo + (hi - lo) * u
    if np_dtype.kind == "c":
        values = values + 1j * (lo + (hi - lo) * ember.rand(*dims, dtype=ember.float64).numpy())
    return values.astype(np_dtype)
