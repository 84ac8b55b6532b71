"""The allow-list and the restricted unpickler shared by ember's and PyTorch's pickle readers.

A pickle is checked opcode by opcode (``pickletools.genops``, which runs nothing) before it is
unpickled, so truncated data, unknown opcodes and absurd memo indices are refused before the C
unpickler could allocate for them. Unpickling then resolves every global through
``find_class``, which only hands out allow-listed objects: loading never runs code from the file.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import pickletools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ember.serialization._errors import (
    SerializationError,
    WeightsOnlyUnpicklingError,
    blocked_global,
    unsupported_global,
)

__all__ = ["add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals"]

# With weights_only=True these are refused even when a user allow-lists them, and the refusal
# names them as blocked so the user sees that the file tries to run code.
_BLOCKED_MODULES = frozenset(
    {
        "os",
        "posix",
        "nt",
        "subprocess",
        "sys",
        "shutil",
        "socket",
        "runpy",
        "importlib",
        "ctypes",
        "pty",
        "webbrowser",
        "code",
        "pickle",
        "_pickle",
        "marshal",
        "types",
    }
)
_BLOCKED_BUILTINS = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "open",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "input",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "exit",
        "quit",
        "help",
    }
)
_MEMO_OPS = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})

_user_safe_globals: list[Any] = []


def add_safe_globals(safe_globals: Iterable[Any]) -> None:
    """Allow ``weights_only=True`` loads to rebuild these classes or call these functions.

    Args:
        safe_globals: classes or functions, or ``(obj, "module.name")`` pairs for objects saved
            under another name.

    Example:
        >>> ember.serialization.add_safe_globals([collections.Counter])
    """
    for g in safe_globals:
        if g not in _user_safe_globals:
            _user_safe_globals.append(g)


def get_safe_globals() -> list[Any]:
    """The classes and functions added with ``add_safe_globals``.

    Returns:
        A copy of the user allow-list.

    Example:
        >>> ember.serialization.get_safe_globals()
        []
    """
    return list(_user_safe_globals)


def clear_safe_globals() -> None:
    """Forget every global added with ``add_safe_globals``.

    Example:
        >>> ember.serialization.clear_safe_globals()
    """
    _user_safe_globals.clear()


@contextlib.contextmanager
def safe_globals(safe_globals: Iterable[Any]) -> Iterator[None]:
    """Context manager that allow-lists ``safe_globals`` for ``weights_only=True`` inside it.

    Args:
        safe_globals: classes or functions, as for ``add_safe_globals``.

    Example:
        >>> with ember.serialization.safe_globals([collections.Counter]):
        ...     pass
    """
    before = list(_user_safe_globals)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _user_safe_globals[:] = before


def user_global(module: str, name: str) -> Any | None:
    """The user-allowed object saved as ``module.name``, or None."""
    full = f"{module}.{name}"
    for g in _user_safe_globals:
        if isinstance(g, tuple) and len(g) == 2 and g[1] == full:
            return g[0]
        if getattr(g, "__module__", None) == module and _qualname(g) == name:
            return g
    return None


def _qualname(obj: Any) -> str:
    return getattr(obj, "__qualname__", getattr(obj, "__name__", ""))


def is_blocked(module: str, name: str) -> bool:
    """True for globals that are never allowed, such as ``os.system`` or ``builtins.eval``."""
    top = module.partition(".")[0]
    if module in ("builtins", "__builtin__"):
        return name in _BLOCKED_BUILTINS
    return top in _BLOCKED_MODULES


def check_pickle(data: bytes | memoryview, start: int = 0) -> int:
    """Walk the opcodes of the pickle at ``data[start:]`` without running it; return its end.

    Raises SerializationError for truncated data, unknown opcodes and memo indices larger than
    the pickle could need (the C unpickler would allocate a table that large).
    """
    stream = io.BytesIO(data)
    stream.seek(start)
    limit = len(data)
    try:
        for op, arg, _pos in pickletools.genops(stream):
            if op.name in _MEMO_OPS and not 0 <= int(arg) <= limit:
                raise SerializationError(f"pickle memo index {arg} is out of range")
    except SerializationError:
        raise
    except Exception as e:  # noqa: BLE001 - any parse failure means a malformed pickle
        raise SerializationError(f"malformed or truncated pickle data: {e}") from None
    return stream.tell()


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler whose globals come only from ``resolve(module, name)``.

    Subclasses implement ``resolve`` (return the object, or None to refuse) and
    ``persistent_load``.
    """

    weights_only = True

    def resolve(self, module: str, name: str) -> Any | None:
        return None

    def find_class(self, module: str, name: str) -> Any:
        found = self.resolve(module, name)
        if found is not None:
            return found
        if not self.weights_only:
            return super().find_class(module, name)
        if is_blocked(module, name):
            raise blocked_global(module, name)
        found = user_global(module, name)
        if found is not None:
            return found
        raise unsupported_global(module, name)


COMMON_GLOBALS: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): OrderedDict,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "complex"): complex,
    ("builtins", "slice"): slice,
    ("builtins", "bytearray"): bytearray,
}


def _codecs_encode(obj: str, encoding: str = "latin1", errors: str = "strict") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles use it for bytes; only text encodings."""
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1", "utf-8", "ascii"):
        raise SerializationError(f"refusing _codecs.encode({type(obj).__name__}, {encoding!r})")
    return obj.encode(encoding, errors)


COMMON_GLOBALS[("_codecs", "encode")] = _codecs_encode


def run_unpickler(unpickler: pickle.Unpickler, what: str) -> Any:
    """Unpickle, turning every failure that is not already ours into a SerializationError."""
    try:
        return unpickler.load()
    except (SerializationError, WeightsOnlyUnpicklingError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 - a hostile pickle can raise anything
        raise SerializationError(f"could not unpickle {what}: {type(e).__name__}: {e}") from e


CallableFactory = Callable[..., Any]
