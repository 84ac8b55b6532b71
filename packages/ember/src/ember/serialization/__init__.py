"""Saving and loading: ``ember.save`` / ``ember.load``, safetensors and PyTorch checkpoints.

``ember.save`` writes ember's own format (a JSON header plus raw array bytes, see
``docs/serialization.md``), atomically when given a path. ``ember.load`` recognises that format,
PyTorch ``.pt``/``.pth`` files (zip and legacy) and safetensors files by their first bytes. By
default (``weights_only=True``) loading only rebuilds tensors, arrays, plain containers and
allow-listed classes, and never runs code from the file.
"""

from __future__ import annotations

import io
import os
from typing import IO, Any

from ember.backends import Device
from ember.serialization import _native, _safetensors, _torch
from ember.serialization._errors import (
    EmptyFileError,
    SerializationError,
    UnrecognisedFormatError,
    WeightsOnlyUnpicklingError,
)
from ember.serialization._io import atomic_writer, check_map_location, is_path
from ember.serialization._safetensors import load_safetensors, safe_open, save_safetensors
from ember.serialization._unpickle import (
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)

__all__ = ["save", "load"]


def save(obj: Any, f: str | os.PathLike[str] | IO[bytes]) -> None:
    """Save tensors, arrays and containers of them (or any picklable object) to a file.

    Nested dicts, OrderedDicts, lists, tuples, sets, strings, numbers, bytes, tensors,
    Parameters and NumPy arrays are stored without pickle. Any other object (a whole
    ``nn.Module``, say) is pickled with its tensors stored raw beside it; loading it back needs
    ``weights_only=False`` or ``add_safe_globals``. Tensors that view the same memory are stored
    once and are views of one another again after loading.

    Args:
        obj: what to save.
        f: a path (written to a temporary file, fsynced and renamed, so a crash never leaves a
            half-written file) or a writable binary file object.

    Example:
        >>> ember.save({"w": ember.ones(2), "step": 3}, "ckpt.ember")
        >>> ember.load("ckpt.ember")["step"]
        3
    """
    if is_path(f):
        with atomic_writer(f) as fh:  # type: ignore[arg-type]
            _native.write(obj, fh)
    else:
        _native.write(obj, f)  # type: ignore[arg-type]


def _to_meta(obj: Any) -> Any:
    """``obj`` with every Tensor in its lists, tuples and dicts moved to the meta device."""
    from ember._tensor import Tensor

    if isinstance(obj, Tensor):
        return obj.to("meta")
    if isinstance(obj, dict):
        out = type(obj)() if type(obj) is not dict else {}
        for k, v in obj.items():
            out[k] = _to_meta(v)
        if hasattr(obj, "_metadata"):
            out._metadata = obj._metadata
        return out
    if isinstance(obj, (list, tuple)) and type(obj) in (list, tuple):
        return type(obj)(_to_meta(v) for v in obj)
    return obj


def load(
    f: str | os.PathLike[str] | IO[bytes],
    map_location: Any = None,
    weights_only: bool = True,
    mmap: bool | None = None,
) -> Any:
    """Load an object saved by ``ember.save``, ``torch.save`` or a safetensors writer.

    Args:
        f: a path or a readable binary file object.
        map_location: where tensors go: None (where they were saved), ``"cpu"``, a device, a
            dict renaming locations (``{"cuda:1": "cuda:0"}``) or ``fn(storage, location)``
            returning a tensor (or None for the default), as in ``torch.load``.
        weights_only: rebuild only tensors, arrays, containers and allow-listed globals (see
            ``add_safe_globals``). ``False`` runs arbitrary pickled code: trusted files only.
        mmap: for ember files, map the file copy-on-write instead of reading it. The header,
            padding and checksum trailer are checked at open, the tensor bytes are not (that
            would read every page); call ``verify_checkpoint`` for that.

    Returns:
        The saved object. A safetensors file gives ``{name: Tensor}``.

    Example:
        >>> ember.save([ember.zeros(2)], "x.ember")
        >>> ember.load("x.ember", map_location="cpu")
        [tensor([0., 0.])]
    """
    check_map_location(map_location)
    if isinstance(map_location, (str, Device)) and str(map_location) == "meta":
        # Read to the CPU as usual (mmap=True keeps ember files' pages unread), then drop data.
        return _to_meta(load(f, map_location="cpu", weights_only=weights_only, mmap=mmap))
    if is_path(f):
        with open(f, "rb") as fh:  # type: ignore[arg-type]
            return _load_stream(fh, map_location, weights_only, mmap)
    if not callable(getattr(f, "read", None)):
        raise TypeError(
            f"ember.load: expected a path or a binary file object, got {type(f).__name__}"
        )
    seekable = getattr(f, "seekable", None)
    if not (seekable and seekable()):
        f = io.BytesIO(f.read())  # type: ignore[union-attr]
    return _load_stream(f, map_location, weights_only, mmap)  # type: ignore[arg-type]


def verify_checkpoint(f: str | os.PathLike[str] | IO[bytes]) -> None:
    """Check every checksum of an ember checkpoint without loading it.

    ``ember.load`` already checks everything while it reads; this is for ``mmap=True`` loads
    (which check the header and trailer, not the tensor bytes) and for checking files before
    use. It reads the file once through a 4 MiB buffer, allocating nothing per tensor: about the
    cost of a plain read of the file.

    Args:
        f: a path or a readable, seekable binary file object holding an ember checkpoint
            (format version 2; version 1 files carry no checksums and are refused).

    Raises:
        SerializationError: naming the file and the damaged record (the header, a storage and
            the tensors it holds, the pickle blob, padding or the checksum trailer).

    Example:
        >>> ember.save({"w": ember.ones(2)}, "ckpt.ember")
        >>> ember.serialization.verify_checkpoint("ckpt.ember")  # silent when intact
    """
    if is_path(f):
        with open(f, "rb") as fh:  # type: ignore[arg-type]
            _verify_stream(fh)
    else:
        _verify_stream(f)  # type: ignore[arg-type]


def _verify_stream(f: IO[bytes]) -> None:
    start = f.tell()
    head = f.read(16)
    f.seek(start)
    if not _native.is_native(head):
        raise SerializationError(
            f"verify_checkpoint: not an ember checkpoint (it starts with {head[:8]!r})"
        )
    _native.verify(f)


def _load_stream(f: IO[bytes], map_location: Any, weights_only: bool, mmap: bool | None) -> Any:
    start = f.tell()
    head = f.read(16)
    f.seek(start)
    if _native.is_native(head):
        return _native.read(f, map_location, weights_only, mmap)
    if head.startswith(b"PK\x03\x04"):
        return _torch.load_zip(f, map_location, weights_only)
    if _torch.is_legacy(head):
        return _torch.load_legacy(f, map_location, weights_only)
    if len(head) >= 9 and head[8:9] == b"{":
        return _safetensors.read_stream(f, map_location)
    what = "the file is empty" if not head else f"it starts with {head[:8]!r}"
    error = EmptyFileError if not head else UnrecognisedFormatError
    raise error(
        f"ember.load: unrecognised file format ({what}); expected an ember checkpoint, a "
        "PyTorch .pt/.pth file (zip or legacy) or a safetensors file"
    )
