"""Switches that turn graph recording on and off: ``no_grad``, ``enable_grad`` and friends."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
]

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    """Global grad-mode flags (read on every op, so kept as plain class attributes)."""

    enabled = True
    inference = False


def is_grad_enabled() -> bool:
    """True when operations are recorded for autograd."""
    return _State.enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return _State.inference


class _Mode:
    """Base for grad-mode context managers that also work as decorators."""

    _target = True

    def __enter__(self) -> None:
        self._prev = _State.enabled
        _State.enabled = self._target

    def __exit__(self, *exc: object) -> None:
        _State.enabled = self._prev

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _NoParamMode(_Mode):
    """A mode usable as ``@mode``, ``@mode()`` and ``with mode():``."""

    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> Any:
        self = super().__new__(cls)
        if orig_func is None:
            return self
        return self(orig_func)


class no_grad(_NoParamMode):
    """Context manager and decorator that disables gradient recording.

    Example:
        >>> with ember.no_grad():
        ...     y = x * 2   # y.requires_grad is False
    """

    _target = False


class enable_grad(_NoParamMode):
    """Context manager and decorator that enables gradient recording inside ``no_grad``."""

    _target = True


class set_grad_enabled(_Mode):
    """Set gradient recording on or off, as a function call or a context manager.

    Args:
        mode: True to record operations, False not to.
    """

    def __init__(self, mode: bool) -> None:
        self._prev = _State.enabled
        self._mode = bool(mode)
        _State.enabled = self._mode

    def __enter__(self) -> None:
        _State.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        _State.enabled = self._prev

    def __call__(self, func: F) -> F:
        mode = self._mode
        _State.enabled = self._prev

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class inference_mode(_Mode):
    """Like ``no_grad``, for code that only runs models forward.

    Args:
        mode: False makes it a no-op, as in PyTorch.
    """

    def __init__(self, mode: bool = True) -> None:
        self._mode = bool(mode)

    def __enter__(self) -> None:
        self._prev = _State.enabled
        self._prev_inf = _State.inference
        if self._mode:
            _State.enabled = False
            _State.inference = True

    def __exit__(self, *exc: object) -> None:
        _State.enabled = self._prev
        _State.inference = self._prev_inf

    def __call__(self, func: F) -> F:
        mode = self._mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
