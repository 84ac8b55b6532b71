"""``ember.compiler``: ember runs eagerly; these are the queries compiled-code paths make.

Example:
    >>> ember.compiler.is_compiling()
    False
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["is_compiling", "is_dynamo_compiling", "disable", "reset", "allow_in_graph"]


def is_compiling() -> bool:
    """False: nothing is ever being compiled."""
    return False


def is_dynamo_compiling() -> bool:
    """False: nothing is ever being compiled."""
    return False


def disable(fn: Callable[..., Any] | None = None, recursive: bool = True) -> Any:
    """Return ``fn`` unchanged (usable as ``@disable`` and ``@disable()``)."""
    if fn is None:
        return lambda f: f
    return fn


def allow_in_graph(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return ``fn`` unchanged."""
    return fn


def reset() -> None:
    """No-op: there are no compiled caches."""
