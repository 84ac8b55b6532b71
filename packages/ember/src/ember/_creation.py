"""Tensor creation: from data (``tensor``, ``as_tensor``, ``from_numpy``) and by shape."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._argcheck import ShapeError, size_arg
from ember._tensor import Tensor, _wrap
from ember.backends import CPU, Device, device_of, device_scope, to_device, xp_for

__all__ = [
    "tensor",
    "as_tensor",
    "asarray",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "empty",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "arange",
    "linspace",
    "logspace",
    "eye",
    "scalar_tensor",
    "is_tensor",
    "is_floating_point",
    "is_complex",
    "is_nonzero",
    "numel",
]


class _Default:
    """The device factories use when given none (``ember.set_default_device``)."""

    device: Device = CPU


def _device(device: Any) -> Device:
    return _Default.device if device is None else Device(device)


def _finish(arr: Any, requires_grad: bool) -> Tensor:
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_np(data: Any, dtype: Any) -> Any:
    """Build a NumPy array from nested Python data with PyTorch's dtype inference."""
    if dtype is not None:
        np_dt = _dtype.as_dtype(dtype).np
        try:
            return np.asarray(_plain(data), dtype=np_dt)
        except OverflowError:
            raise RuntimeError(
                f"value cannot be converted to type {np_dt} without overflow"
            ) from None
    arr = _asarray(data)
    kind = _dtype.np_kind(arr.dtype)
    typed = isinstance(data, (np.ndarray, np.generic))  # NumPy data keeps its dtype
    if kind == "f" and not typed and not _has_np_float64(data):
        # Python floats become the default dtype; NumPy float64 scalars stay float64.
        return arr.astype(_dtype.get_default_dtype().np, copy=False)
    if kind == "u" and arr.dtype == np.uint64 and not typed:
        raise ValueError("Overflow when unpacking long long")
    if kind in "iu" and not typed and arr.dtype != np.int64:
        return arr.astype(np.int64)
    if kind == "c" and not typed:
        # Python complex numbers take the default float dtype's complex counterpart.
        return arr.astype(_dtype.get_default_dtype().to_complex().np, copy=False)
    if kind in "OUS":
        _raise_bad_data(data)
    if arr.dtype not in _dtype._FROM_NP:
        arr = arr.astype(_dtype.from_numpy_dtype(arr.dtype).np)
    return arr


def _asarray(data: Any) -> np.ndarray:
    try:
        return np.asarray(_plain(data))
    except ValueError:
        _raise_ragged(data, 0)
        raise


def _raise_ragged(data: Any, dim: int) -> None:
    """PyTorch's ValueError for nested sequences whose lengths differ."""
    if not isinstance(data, (list, tuple)) or not data:
        return
    first = data[0]
    want = len(first) if isinstance(first, (list, tuple)) else None
    for item in data:
        got = len(item) if isinstance(item, (list, tuple)) else None
        if got != want:
            raise ValueError(
                f"expected sequence of length {want} at dim {dim + 1} (got {got})"
            )
    for item in data:
        _raise_ragged(item, dim + 1)


def _raise_bad_data(data: Any) -> None:
    item = data
    while isinstance(item, (list, tuple)) and item:
        bad = [x for x in item if not isinstance(x, (int, float, complex, bool, np.generic))]
        item = bad[0] if bad else item[0]
    if item is None or not isinstance(item, (str, bytes)):
        raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")
    raise TypeError(f"new(): invalid data type '{type(item).__name__}'")


def _has_np_float64(data: Any) -> bool:
    """True when nested Python data holds a NumPy float64 scalar (which PyTorch keeps)."""
    if isinstance(data, np.float64):
        return True
    if isinstance(data, (list, tuple)):
        return any(_has_np_float64(x) for x in data)
    return False


def _plain(data: Any) -> Any:
    """Replace tensors inside nested sequences by arrays NumPy understands."""
    if isinstance(data, Tensor):
        return data.__array__()
    if (
        isinstance(data, (list, tuple))
        and data
        and any(isinstance(x, (Tensor, list, tuple)) for x in data)
    ):
        return [_plain(x) for x in data]
    return data


def tensor(
    data: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    pin_memory: bool = False,
) -> Tensor:
    """A new tensor holding a copy of ``data``.

    Args:
        data: a number, nested sequence, NumPy array or tensor.
        dtype: the element type; inferred as PyTorch does (Python floats give float32,
            ints int64, bools bool) when None.
        device: where to put it (``"cpu"`` or ``"cuda:N"``).
        requires_grad: record operations on it for autograd.
        pin_memory: accepted for compatibility.

    Returns:
        The tensor.

    Example:
        >>> ember.tensor([[1, 2], [3, 4]], dtype=ember.float32)
        tensor([[1., 2.],
                [3., 4.]])
    """
    if isinstance(data, Tensor):
        arr = data._data
        if dtype is not None:
            arr = arr.astype(_dtype.as_dtype(dtype).np)
        else:
            arr = arr.copy()
        dev = device_of(arr) if device is None else Device(device)
        return _finish(to_device(arr, dev), requires_grad)
    if hasattr(data, "__cuda_array_interface__") and not isinstance(data, np.ndarray):
        dev = device_of(data) if device is None else Device(device)
        cp = xp_for(device_of(data))
        arr = cp.array(data, dtype=None if dtype is None else _dtype.as_dtype(dtype).np)
        return _finish(to_device(arr, dev), requires_grad)
    arr = _infer_np(data, dtype)
    if arr is data or (isinstance(data, np.ndarray) and np.shares_memory(arr, data)):
        arr = arr.copy()
    return _finish(to_device(arr, _device(device)), requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Convert ``data`` to a tensor, sharing memory with NumPy arrays and tensors when possible.

    Args:
        data: a number, sequence, NumPy array or tensor.
        dtype: the element type (a copy is made if it differs).
        device: target device.

    Returns:
        A tensor (``data`` itself when it is already a tensor that matches).

    Example:
        >>> a = numpy.zeros(3); t = ember.as_tensor(a); t[0] = 1; a[0]
        1.0
    """
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if isinstance(data, np.ndarray) and data.dtype in _dtype._FROM_NP:
        t = _wrap(data)
        return t.to(device=device, dtype=dtype) if device is not None or dtype is not None else t
    if hasattr(data, "__cuda_array_interface__"):
        t = _wrap(xp_for(device_of(data)).asarray(data))
        return t.to(device=device, dtype=dtype)
    arr = _infer_np(data, dtype)
    return _wrap(to_device(arr, _device(device)))


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array (writes show up on both sides).

    Args:
        ndarray: the array; its dtype must be one ember supports.

    Returns:
        The tensor.

    Example:
        >>> ember.from_numpy(numpy.arange(3))
        tensor([0, 1, 2])
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. "
                         "Conversion between byte orders is currently not supported.")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _wrap(ndarray)


def _float_or(dtype: Any) -> Any:
    return (_dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)).np


def _filled(fill: Any, size: tuple[Any, ...], dtype: Any, device: Any, requires_grad: bool,
            op: str = "full"):
    dev = _device(device)
    xp = xp_for(dev)
    shape = size_arg(op, size)
    np_dt = _float_or(dtype)
    with device_scope(dev):
        arr = xp.empty(shape, dtype=np_dt) if fill is None else xp.full(shape, fill, dtype=np_dt)
    return _finish(arr, requires_grad)


def zeros(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    out: Tensor | None = None,
    layout: Any = None,
) -> Tensor:
    """A tensor of zeros of the given shape.

    Example:
        >>> ember.zeros(2, 3).shape
        ember.Size([2, 3])
    """
    return _filled(0, size, dtype, device, requires_grad, "zeros")


def ones(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    out: Tensor | None = None,
    layout: Any = None,
) -> Tensor:
    """A tensor of ones of the given shape.

    Example:
        >>> ember.ones(2)
        tensor([1., 1.])
    """
    return _filled(1, size, dtype, device, requires_grad, "ones")


def empty(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    out: Tensor | None = None,
    layout: Any = None,
    pin_memory: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """An uninitialised tensor of the given shape.

    Example:
        >>> ember.empty(2, 2).shape
        ember.Size([2, 2])
    """
    return _filled(None, size, dtype, device, requires_grad, "empty")


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of the given shape filled with ``fill_value``; the dtype follows the value.

    Example:
        >>> ember.full((2,), 7)
        tensor([7, 7])
    """
    if isinstance(fill_value, (str, bytes, list, tuple, dict)) or fill_value is None:
        raise TypeError(
            f"full(): argument 'fill_value' (position 2) must be Number, not "
            f"{type(fill_value).__name__}"
        )
    if dtype is None:
        dtype = _dtype.default_for_category(max(_dtype.scalar_category(fill_value), 0))
    return _filled(
        fill_value,
        (tuple(size),) if not isinstance(size, int) else (size,),
        dtype,
        device,
        requires_grad,
    )


def _like(t: Tensor, dtype: Any, device: Any) -> tuple[Any, Any]:
    return (t.dtype if dtype is None else dtype), (t.device if device is None else device)


def zeros_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """Zeros with ``input``'s shape, dtype and device."""
    dt, dev = _like(input, dtype, device)
    return zeros(input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def ones_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """Ones with ``input``'s shape, dtype and device."""
    dt, dev = _like(input, dtype, device)
    return ones(input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def empty_like(
    input: Tensor,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """Uninitialised memory with ``input``'s shape, dtype and device."""
    dt, dev = _like(input, dtype, device)
    return empty(input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def full_like(
    input: Tensor,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """``fill_value`` everywhere, with ``input``'s shape, dtype and device."""
    dt, dev = _like(input, dtype, device)
    return full(input.shape, fill_value, dtype=dt, device=dev, requires_grad=requires_grad)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``.

    Integer arguments give int64, any float argument gives the default float dtype.

    Example:
        >>> ember.arange(0, 1, 0.25)
        tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if end is None:
        start, end = 0, start
    vals = [_num(v) for v in (start, end, step)]
    if vals[2] == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (vals[1] - vals[0]) * vals[2] < 0:
        raise RuntimeError(
            f"arange: upper bound and lower bound inconsistent with step sign (start={vals[0]}, "
            f"end={vals[1]}, step={vals[2]})"
        )
    if dtype is None:
        is_float = any(isinstance(v, float) for v in vals)
        dtype = _dtype.get_default_dtype() if is_float else _dtype.int64
    np_dt = _dtype.as_dtype(dtype).np
    vals = _integral_args("arange", np_dt, vals)
    n = max(math.ceil((vals[1] - vals[0]) / vals[2]), 0)
    dev = _device(device)
    xp = xp_for(dev)
    with device_scope(dev):
        arr = (xp.arange(n, dtype=np.float64) * vals[2] + vals[0]).astype(np_dt)
    return _finish(arr, requires_grad)


def _num(v: Any) -> Any:
    return v.item() if isinstance(v, (Tensor, np.generic)) else v


def _integral_args(op: str, np_dt: Any, vals: list[Any]) -> list[Any]:
    """PyTorch casts the bounds of an integer ``arange``/``logspace`` to the integer type
    first (``arange(0.0, 3.1, dtype=int64)`` has 3 values), and has no bool kernel."""
    if np.dtype(np_dt).kind == "b":
        raise NotImplementedError(f"\"{op}_cpu\" not implemented for 'Bool'")
    if np.dtype(np_dt).kind in "iu":
        return [int(v) for v in vals]
    return vals


def linspace(
    start: Any,
    end: Any,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Example:
        >>> ember.linspace(0, 1, 3)
        tensor([0.0000, 0.5000, 1.0000])
    """
    if int(steps) < 0:
        raise RuntimeError(f"linspace: number of steps must be non-negative, got {steps}")
    dev = _device(device)
    xp = xp_for(dev)
    with device_scope(dev):
        arr = _linspace(xp, _num(start), _num(end), int(steps), _float_or(dtype))
    return _finish(arr, requires_grad)


def _linspace(xp: Any, start: Any, end: Any, steps: int, np_dt: Any) -> Any:
    """PyTorch's CPU linspace kernel, value for value: the first half is
    ``fma(step, i, start)`` and the second half ``fma(-step, steps - 1 - i, end)``, rounded once
    in the output precision (float16 rounds after each operation, as ``c10::Half`` does)."""
    np_dt = np.dtype(np_dt)
    if steps <= 1:
        return xp.full((steps,), start, dtype=np_dt)
    if np_dt == np.float16:
        return _linspace_half(xp, start, end, steps)
    ct = np.dtype(np.float64) if np_dt.kind in "iub" else np_dt
    if np_dt.kind in "iub":
        start, end = int(start), int(end)
    s, e = ct.type(start), ct.type(end)
    step = (e - s) / ct.type(steps - 1)
    idx = xp.arange(steps, dtype=np.int64)
    half = steps // 2
    k = xp.concatenate([idx[:half], steps - 1 - idx[half:]]).astype(np.float64)
    c = xp.concatenate([xp.full(half, s, np.float64), xp.full(steps - half, e, np.float64)])
    m = xp.concatenate([xp.full(half, step, np.float64), xp.full(steps - half, -step, np.float64)])
    if ct == np.float64:
        return _fma64(m, k, c).astype(np_dt)
    return (m * k + c).astype(ct).astype(np_dt)  # exact product; one rounding in practice


def _fma64(a: Any, b: Any, c: Any) -> Any:
    """``a * b + c`` with (almost always) a single rounding, by error-free transformations."""
    p = a * b
    split = 134217729.0  # 2**27 + 1 (Veltkamp)
    ta, tb = a * split, b * split
    ah, bh = ta - (ta - a), tb - (tb - b)
    al, bl = a - ah, b - bh
    e_prod = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    total = p + c
    bb = total - p
    e_sum = (p - (total - bb)) + (c - bb)
    return total + (e_sum + e_prod)


def _linspace_half(xp: Any, start: Any, end: Any, steps: int) -> Any:
    h, f = np.float16, np.float32
    s, e = h(start), h(end)
    step = h(f(h(f(e) - f(s))) / f(steps - 1))
    idx = np.arange(steps)
    half = steps // 2
    k = np.concatenate([idx[:half], steps - 1 - idx[half:]]).astype(h).astype(f)  # Half * int
    c = np.concatenate([np.full(half, s, f), np.full(steps - half, e, f)])
    m = np.concatenate([np.full(half, step, f), np.full(steps - half, -step, f)])
    out = (c + (m * k).astype(h).astype(f)).astype(h)
    return xp.asarray(out)


def logspace(
    start: Any,
    end: Any,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` values ``base**x`` for x evenly spaced from ``start`` to ``end``.

    Example:
        >>> ember.logspace(0, 2, 3)
        tensor([  1.,  10., 100.])
    """
    np_dt = _float_or(dtype)
    lo, hi = [_num(start), _num(end)]
    if int(steps) > 1:  # fewer values need no kernel (PyTorch's bool logspace then works)
        lo, hi = _integral_args("logspace", np_dt, [lo, hi])
    dev = _device(device)
    xp = xp_for(dev)
    with device_scope(dev):
        arr = xp.logspace(lo, hi, int(steps), base=_num(base)).astype(np_dt)
    return _finish(arr, requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A 2-D tensor with ones on the diagonal.

    Example:
        >>> ember.eye(2)
        tensor([[1., 0.],
                [0., 1.]])
    """
    for name, v in (("n", n), ("m", m)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer))):
            raise TypeError(f"eye(): argument '{name}' must be int, not {type(v).__name__}")
        if v is not None and v < 0:
            raise ShapeError(f"eye(): {name} must be greater or equal to 0, got {v}")
    dev = _device(device)
    xp = xp_for(dev)
    with device_scope(dev):
        arr = xp.eye(n, m, dtype=_float_or(dtype))
    return _finish(arr, requires_grad)


def scalar_tensor(s: Any, *, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    """A zero-dimensional tensor holding ``s`` (default float dtype).

    Example:
        >>> ember.scalar_tensor(3.5, requires_grad=True)
        tensor(3.5000, requires_grad=True)
    """
    out = _wrap(to_device(np.asarray(s, dtype=_float_or(dtype)), _device(device)))
    return out.requires_grad_() if requires_grad else out


def is_tensor(obj: Any) -> bool:
    """True when ``obj`` is an ember Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """True for a tensor of a floating dtype (``input.is_floating_point()``)."""
    return input.is_floating_point()


def is_complex(input: Tensor) -> bool:
    """True for a tensor of a complex dtype (``input.is_complex()``)."""
    return input.is_complex()


def is_nonzero(input: Tensor) -> bool:
    """The truth value of a one-element tensor; RuntimeError for any other size."""
    if input.numel() != 1:
        what = "no values" if input.numel() == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
    return bool(input.item())


def numel(input: Tensor) -> int:
    """The number of elements of ``input``."""
    return input.numel()


def legacy_new(args: tuple[Any, ...], dtype: _dtype.dtype, device: Any) -> Tensor:
    """The legacy ``Tensor(...)`` / ``FloatTensor(...)`` constructors: sizes or data."""
    if not args:
        return empty(0, dtype=dtype, device=device)
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        data = args[0]
        if isinstance(data, Tensor):
            return data.to(dtype) if data.dtype != dtype else data.detach()
        return tensor(data, dtype=dtype, device=device)
    return empty(*args, dtype=dtype, device=device)


def _new_factory(fn: Any, name: str) -> Any:
    def method(
        self: Tensor,
        *size: Any,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **kwargs: Any,
    ) -> Tensor:
        return fn(
            *size,
            dtype=dtype or self.dtype,
            device=device or self.device,
            requires_grad=requires_grad,
            **kwargs,
        )

    method.__name__ = name
    method.__doc__ = f"``ember.{fn.__name__}`` with this tensor's dtype and device by default."
    return method


def _new_full(
    self: Tensor,
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``ember.full`` with this tensor's dtype and device by default."""
    return full(
        size,
        fill_value,
        dtype=dtype or self.dtype,
        device=device or self.device,
        requires_grad=requires_grad,
    )


def _new_tensor(
    self: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """``ember.tensor(data)`` with this tensor's dtype and device by default."""
    return tensor(
        data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad
    )


def _new(self: Tensor, *args: Any, device: Any = None) -> Tensor:
    """The legacy ``x.new(...)``: sizes give an uninitialised tensor, data a copy, both with
    this tensor's dtype and device."""
    return legacy_new(args, self.dtype, self.device if device is None else device)


TENSOR_METHODS = {
    "new": _new,
    "new_zeros": _new_factory(zeros, "new_zeros"),
    "new_ones": _new_factory(ones, "new_ones"),
    "new_empty": _new_factory(empty, "new_empty"),
    "new_full": _new_full,
    "new_tensor": _new_tensor,
}
