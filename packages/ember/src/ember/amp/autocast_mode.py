"""``autocast``: run chosen ops in a lower precision inside a region, as ``torch.autocast``.

Inside ``with ember.autocast(device_type, dtype):`` the ops PyTorch lists as safe and fast in
half precision (matmul, linear, convolutions, ...) cast their floating-point inputs on that
device to ``dtype``; the ops it lists as needing float32 (softmax, log_softmax, norms, losses,
exp/log, sums, ...) cast them to float32; a few ops that mix inputs run in the widest of their
dtypes. Everything else runs in its inputs' dtypes. The op lists are PyTorch's, per device type.

The public functions opt in with :func:`autocast_op`; when no region is active the wrapper
costs one attribute read.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ember import _dtype
from ember._tensor import Tensor

__all__ = ["autocast", "autocast_op", "is_autocast_enabled", "get_autocast_dtype",
           "set_autocast_enabled", "set_autocast_dtype", "LOWER", "FP32", "PROMOTE"]

F = TypeVar("F", bound=Callable[..., Any])

LOWER, FP32, PROMOTE = "lower", "fp32", "promote"
_DEFAULT_DTYPE = {"cuda": "float16", "cpu": "bfloat16"}
_SUPPORTED = {"cuda": ("float16", "bfloat16"), "cpu": ("float16", "bfloat16")}


class _State(threading.local):
    def __init__(self) -> None:
        self.enabled = {"cuda": False, "cpu": False}
        self.dtype = dict(_DEFAULT_DTYPE)
        self.any = False  # fast path: is any device type's autocast on?


_state = _State()


def _check_device(device_type: str) -> str:
    if device_type not in _state.enabled:
        raise RuntimeError(
            f"User specified an unsupported autocast device_type '{device_type}'; ember "
            "supports 'cuda' and 'cpu'"
        )
    return device_type


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether autocast is on for ``device_type`` (``"cuda"`` when None, as PyTorch)."""
    return _state.enabled[_check_device(device_type or "cuda")]


def set_autocast_enabled(device_type: str, enabled: bool) -> None:
    """Turn autocast on or off for ``device_type`` (prefer the ``autocast`` context)."""
    _state.enabled[_check_device(device_type)] = bool(enabled)
    _state.any = any(_state.enabled.values())


def get_autocast_dtype(device_type: str) -> Any:
    """The lower-precision dtype autocast uses on ``device_type``."""
    return _resolve_dtype(_state.dtype[_check_device(device_type)])


def set_autocast_dtype(device_type: str, dtype: Any) -> None:
    """Set the lower-precision dtype for ``device_type`` (prefer the ``autocast`` context)."""
    _state.dtype[_check_device(device_type)] = _dtype_name(dtype)


def _dtype_name(dtype: Any) -> str:
    return str(dtype).replace("ember.", "")


def _resolve_dtype(name: str) -> Any:
    found = getattr(_dtype, name, None)
    if found is None:
        raise RuntimeError(f"autocast dtype {name} is not available in this ember build")
    return found


class autocast:  # noqa: N801 - PyTorch's name
    """A context manager (and decorator) that turns autocast on for one device type.

    Args:
        device_type: ``"cuda"`` or ``"cpu"``.
        dtype: the lower precision (default: float16 on cuda, bfloat16 on cpu).
        enabled: False makes the region a no-op (and can switch autocast off inside one).
        cache_enabled: accepted for compatibility.

    Example:
        >>> with ember.autocast("cpu", dtype=ember.float16):
        ...     y = ember.nn.functional.linear(ember.randn(2, 3), ember.randn(4, 3))
        >>> y.dtype
        ember.float16
    """

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        self.device = _check_device(str(device_type).split(":")[0])
        name = _dtype_name(dtype) if dtype is not None else _state.dtype[self.device]
        if enabled and name not in _SUPPORTED[self.device]:
            raise RuntimeError(
                f"In {self.device} autocast, but the target dtype {name} is not supported; "
                f"use one of {', '.join(_SUPPORTED[self.device])}"
            )
        self.fast_dtype = name
        self._enabled = bool(enabled)

    def __enter__(self) -> autocast:
        self._prev = (_state.enabled[self.device], _state.dtype[self.device])
        if self._enabled:
            _resolve_dtype(self.fast_dtype)  # fail early when the dtype is missing
        _state.dtype[self.device] = self.fast_dtype
        set_autocast_enabled(self.device, self._enabled)
        return self

    def __exit__(self, *exc: Any) -> None:
        enabled, _state.dtype[self.device] = self._prev
        set_autocast_enabled(self.device, enabled)

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with autocast(self.device, self.fast_dtype, self._enabled):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def _cast(value: Any, device: str, target: Any) -> Any:
    if isinstance(value, Tensor):
        # PyTorch's eligibility rule: floating point, on this device, and not float64
        dt = value.dtype
        if value.device.type == device and dt.is_floating_point and dt != _dtype.float64 \
                and dt != target:
            return value.to(target)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, device, target) for v in value)
    return value


def _widest(args: tuple[Any, ...], device: str) -> Any:
    floats = [a.dtype for a in args if isinstance(a, Tensor) and a.device.type == device
              and a.dtype.is_floating_point]
    widest = floats[0] if floats else None
    for dt in floats[1:]:
        widest = _dtype.promote_types(widest, dt)
    return widest


def _device_of(args: tuple[Any, ...]) -> str | None:
    for a in args:
        if isinstance(a, Tensor):
            return a.device.type
        if isinstance(a, (list, tuple)) and a and isinstance(a[0], Tensor):
            return a[0].device.type
    return None


def autocast_op(kind: str, devices: tuple[str, ...] = ("cuda", "cpu")) -> Callable[[F], F]:
    """Make a public op follow autocast: ``LOWER``, ``FP32`` or ``PROMOTE`` on ``devices``."""
    if kind not in (LOWER, FP32, PROMOTE):
        raise ValueError(f"autocast_op: unknown kind {kind!r}")

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _state.any:
                return fn(*args, **kwargs)
            device = _device_of(args)
            if device not in devices or not _state.enabled.get(device, False):
                return fn(*args, **kwargs)
            if kind == LOWER:
                target = _resolve_dtype(_state.dtype[device])
            elif kind == FP32:
                target = _dtype.float32
            else:
                target = _widest(args, device)
            if target is None:
                return fn(*args, **kwargs)
            args = tuple(_cast(a, device, target) for a in args)
            kwargs = {k: _cast(v, device, target) for k, v in kwargs.items()}
            with _suspended(device):
                return fn(*args, **kwargs)

        wrapper.__autocast__ = kind  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class _suspended:  # noqa: N801
    """Inner ops of an autocast op run on the inputs it chose (as PyTorch's kernels do)."""

    def __init__(self, device: str) -> None:
        self.device = device

    def __enter__(self) -> None:
        self.prev = _state.enabled[self.device]
        set_autocast_enabled(self.device, False)

    def __exit__(self, *exc: Any) -> None:
        set_autocast_enabled(self.device, self.prev)
