"""File plumbing: atomic writes, reading exact byte counts, and ``map_location``."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from typing import IO, Any, Union

import numpy as np

from ember.backends import Device, cuda_available, device_of, to_device
from ember.serialization._errors import SerializationError

FileLike = Union[str, "os.PathLike[str]", IO[bytes]]


def is_path(f: Any) -> bool:
    """True for ``str`` / ``os.PathLike`` arguments, False for file objects."""
    return isinstance(f, (str, os.PathLike))


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path``; fsync and rename it into place on success.

    A crash (even SIGKILL) at any point leaves the previous ``path`` untouched; at worst a hidden
    ``.<name>.<random>.tmp`` file stays behind.
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: str) -> None:
    """Make the rename durable; not every platform lets a directory be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_exact(f: IO[bytes], n: int, what: str) -> bytes:
    """Read exactly ``n`` bytes or raise SerializationError naming ``what``."""
    data = f.read(n)
    if data is None or len(data) != n:
        got = 0 if data is None else len(data)
        raise SerializationError(f"file is truncated: expected {n} bytes of {what}, got {got}")
    return data


def read_into_array(f: IO[bytes], nbytes: int, what: str) -> np.ndarray:
    """Read ``nbytes`` into a fresh writeable uint8 array, without an intermediate bytes copy."""
    out = np.empty(nbytes, dtype=np.uint8)
    view = memoryview(out)
    done = 0
    readinto = getattr(f, "readinto", None)
    while done < nbytes:
        if readinto is not None:
            n = readinto(view[done:])
        else:
            chunk = f.read(nbytes - done)
            n = len(chunk) if chunk else 0
            view[done : done + n] = chunk
        if not n:
            raise SerializationError(
                f"file is truncated: expected {nbytes} bytes of {what}, got {done}"
            )
        done += n
    return out


def remaining_size(f: IO[bytes]) -> int | None:
    """Bytes left from the current position of a seekable file, or None when unknown."""
    try:
        pos = f.tell()
        end = f.seek(0, os.SEEK_END)
        f.seek(pos)
    except (OSError, AttributeError, ValueError):
        return None
    return end - pos


def check_map_location(map_location: Any) -> None:
    """TypeError unless ``map_location`` is one of the forms ``restore_location`` accepts."""
    if map_location is None or isinstance(map_location, (str, Device, dict)):
        return
    if not callable(map_location):
        raise TypeError(
            "map_location must be None, a string, an ember.device, a dict or a callable, got "
            f"{type(map_location).__name__}"
        )


def restore_location(arr: Any, location: str, map_location: Any) -> Any:
    """Move one loaded storage (a raw 1-D array) where ``map_location`` says, as ``torch.load``.

    ``None`` keeps the saved location; a string or device sends every storage there; a dict
    renames locations (``{"cuda:1": "cuda:0"}``); a callable gets ``(storage_tensor, location)``
    and returns the storage to use, or None for the default.
    """
    target: Any = location
    if map_location is None:
        pass
    elif isinstance(map_location, (str, Device)):
        target = map_location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    else:
        check_map_location(map_location)
        from ember._tensor import Tensor, _wrap

        res = map_location(_wrap(arr), location)
        if res is not None:
            return res._data if isinstance(res, Tensor) else res
    return to_device(arr, _target_device(target))


def _target_device(target: Any) -> Device:
    try:
        dev = Device(str(target))
    except (RuntimeError, ValueError, TypeError) as e:
        raise SerializationError(
            f"don't know how to restore data saved on {target!r}: {e}. Pass map_location='cpu' "
            "(or a dict/callable) to ember.load."
        ) from None
    if dev.type == "cuda" and not cuda_available():
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but CUDA is not available "
            "(CuPy or a GPU is missing). If you are running on a CPU-only machine, please use "
            "ember.load with map_location='cpu' to map your storages to the CPU."
        )
    return dev


def location_of(arr: Any) -> str:
    """The location string saved for an array: ``"cpu"`` or ``"cuda:N"``."""
    dev = device_of(arr)
    return "cpu" if dev.type == "cpu" else f"cuda:{dev.index or 0}"
