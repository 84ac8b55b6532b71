"""safetensors files: the published format, read and written byte for byte like the reference.

Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (space-padded to a multiple
of 8), then the tensors' little-endian bytes. The header maps each name to ``dtype``, ``shape`` and
``data_offsets`` (relative to the data section); the optional ``__metadata__`` maps str to str.
The reference writer orders tensors by dtype alignment (largest first) then name; so do we.

BF16 tensors are widened to float32 exactly when read (ember has no bfloat16); pass
``dtypes={name: "BF16"}`` to ``save_safetensors`` to write them back as BF16.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import IO, Any

import numpy as np

from ember._dtype import bfloat16, np_kind
from ember._tensor import Tensor
from ember.backends import Device, to_device
from ember.serialization._errors import SerializationError
from ember.serialization._io import (
    atomic_writer,
    is_path,
    read_exact,
    read_into_array,
    remaining_size,
    restore_location,
)
from ember.serialization._tensors import (
    bfloat16_to_float32,
    float32_to_bfloat16,
    make_tensor,
    to_loaded,
)

MAX_HEADER = 100_000_000  # the reference reader's limit
_BF16 = "BF16"
# Ordered as the reference's Dtype enum; the writer sorts by this rank, largest first.
_RANK = [
    "BOOL",
    "F4",
    "F6_E2M3",
    "F6_E3M2",
    "U8",
    "I8",
    "F8_E5M2",
    "F8_E4M3",
    "F8_E8M0",
    "I16",
    "U16",
    "F16",
    "BF16",
    "I32",
    "U32",
    "F32",
    "C64",
    "F64",
    "I64",
    "U64",
]
_NUMPY = {
    "BOOL": "|b1",
    "U8": "|u1",
    "I8": "|i1",
    "I16": "<i2",
    "U16": "<u2",
    "F16": "<f2",
    "I32": "<i4",
    "U32": "<u4",
    "F32": "<f4",
    "C64": "<c8",
    "F64": "<f8",
    "I64": "<i8",
    "U64": "<u8",
}
_ITEMSIZE = {
    "F8_E5M2": 1,
    "F8_E4M3": 1,
    "F8_E8M0": 1,
    "BF16": 2,
    **{k: np.dtype(v).itemsize for k, v in _NUMPY.items()},
}
_FROM_NUMPY = {np.dtype(v).newbyteorder("="): k for k, v in _NUMPY.items()}
_FROM_NUMPY[bfloat16.np] = _BF16  # an ember.bfloat16 tensor is written as BF16


def _bad(path: Any, msg: str) -> SerializationError:
    return SerializationError(f"invalid safetensors file {path}: {msg}")


def _parse_header(raw: bytes, data_len: int, path: Any) -> tuple[dict[str, Any], Any]:
    """Validate a header as the reference does; return ``(entries, metadata)``."""
    if not raw.startswith(b"{"):
        raise _bad(path, "header does not start with '{'")
    try:
        pairs = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _bad(path, f"header is not valid JSON ({e})") from None
    if not isinstance(pairs, dict):
        raise _bad(path, "header is not a JSON object")
    meta = pairs.pop("__metadata__", None)
    if meta is not None and not (
        isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())
    ):
        raise _bad(path, "__metadata__ must map strings to strings")
    entries = {name: _check_entry(name, e, path) for name, e in pairs.items()}
    end = 0
    for name, e in sorted(entries.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        begin, stop = e["data_offsets"]
        if begin != end:
            raise _bad(
                path,
                f"tensor {name!r} starts at {begin}, expected {end}: offsets "
                "overlap or leave a gap",
            )
        end = stop
    if end != data_len:
        raise _bad(path, f"tensors cover {end} bytes but the data section has {data_len}")
    return entries, meta


def _no_duplicates(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in items:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _check_entry(name: str, e: Any, path: Any) -> dict[str, Any]:
    if not isinstance(e, dict) or set(e) != {"dtype", "shape", "data_offsets"}:
        raise _bad(path, f"entry {name!r} must have exactly dtype, shape and data_offsets")
    dt, shape, offs = e["dtype"], e["shape"], e["data_offsets"]
    if dt not in _ITEMSIZE:
        raise _bad(path, f"tensor {name!r} has unknown dtype {dt!r}")
    if not _int_list(shape) or not _int_list(offs) or len(offs) != 2 or offs[0] > offs[1]:
        raise _bad(path, f"tensor {name!r} has a malformed shape or data_offsets")
    n = 1
    for s in shape:
        n *= s
    if n * _ITEMSIZE[dt] != offs[1] - offs[0]:
        raise _bad(
            path,
            f"tensor {name!r} of dtype {dt} and shape {shape} needs "
            f"{n * _ITEMSIZE[dt]} bytes but data_offsets span {offs[1] - offs[0]}",
        )
    return e


def _int_list(v: Any) -> bool:
    return isinstance(v, list) and all(
        isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v
    )


def _decode(raw: np.ndarray, dt: str, shape: list[int], name: str) -> np.ndarray:
    if dt == _BF16:
        return bfloat16_to_float32(raw.view("<u2")).reshape(shape)
    code = _NUMPY.get(dt)
    if code is None:
        raise SerializationError(f"tensor {name!r} has dtype {dt}, which ember does not support")
    return to_loaded(raw.view(code), f"tensor {name!r}").reshape(shape)


class safe_open:  # noqa: N801 - the reference library's name
    """Lazy access to a safetensors file: read the header now, each tensor when asked.

    Args:
        path: the file.
        framework: accepted for compatibility with the reference API ("pt", "np", "ember").
        device: where ``get_tensor`` puts tensors.

    Example:
        >>> with ember.serialization.safe_open("model.safetensors") as f:
        ...     w = f.get_tensor(f.keys()[0])
    """

    def __init__(
        self, path: str | os.PathLike[str], framework: str = "ember", device: str | Device = "cpu"
    ) -> None:
        self.path = os.fspath(path)
        self.device = Device(device) if isinstance(device, str) else device
        self._f: IO[bytes] = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        try:
            self._entries, self._meta, self._start = _read_header(self._f, self.path)
        except BaseException:
            self._f.close()
            raise

    def keys(self) -> list[str]:
        """Tensor names, in the file's header order."""
        return list(self._entries)

    def metadata(self) -> dict[str, str] | None:
        """The ``__metadata__`` mapping (in file order), or None when the file has none."""
        return None if self._meta is None else dict(self._meta)

    def dtypes(self) -> dict[str, str]:
        """Each tensor's dtype name as stored (``"F32"``, ``"BF16"`` ...)."""
        return {k: e["dtype"] for k, e in self._entries.items()}

    def get_tensor(self, name: str) -> Tensor:
        """Read one tensor (BF16 becomes float32)."""
        e = self._entries.get(name)
        if e is None:
            raise KeyError(f"no tensor named {name!r} in {self.path}")
        begin, end = e["data_offsets"]
        self._f.seek(self._start + begin)
        raw = read_into_array(self._f, end - begin, f"tensor {name!r}")
        arr = _decode(raw, e["dtype"], e["shape"], name)
        return make_tensor(to_device(arr, self.device))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def close(self) -> None:
        """Close the file."""
        self._f.close()

    def __enter__(self) -> safe_open:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_header(f: IO[bytes], path: Any) -> tuple[dict[str, Any], Any, int]:
    """Read the header of the file at its current position; return it and the data start."""
    start = f.tell()
    size = remaining_size(f) or 0
    if size < 8:
        raise _bad(path, f"file has {size} bytes, too short for the header length")
    n = int.from_bytes(read_exact(f, 8, "the header length"), "little")
    if n > MAX_HEADER:
        raise _bad(path, f"header length {n} exceeds the {MAX_HEADER}-byte limit")
    if 8 + n > size:
        raise _bad(path, f"header length {n} is larger than the file ({size} bytes)")
    entries, meta = _parse_header(read_exact(f, n, "the header"), size - 8 - n, path)
    return entries, meta, start + 8 + n


def read_stream(f: IO[bytes], map_location: Any) -> dict[str, Tensor]:
    """``ember.load`` of a safetensors file object: every tensor, moved per ``map_location``."""
    entries, _, start = _read_header(f, getattr(f, "name", "<stream>"))
    out = {}
    for name, e in entries.items():
        begin, end = e["data_offsets"]
        f.seek(start + begin)
        raw = read_into_array(f, end - begin, f"tensor {name!r}")
        arr = _decode(raw, e["dtype"], e["shape"], name)
        out[name] = make_tensor(restore_location(arr, "cpu", map_location))
    return out


def load_safetensors(
    path: str | os.PathLike[str], device: str | Device = "cpu"
) -> dict[str, Tensor]:
    """Read every tensor of a safetensors file into a dict, in header order.

    Args:
        path: the ``.safetensors`` file.
        device: where to put the tensors.

    Returns:
        ``{name: Tensor}``. BF16 tensors are widened to float32 exactly.

    Example:
        >>> ember.serialization.save_safetensors({"w": ember.ones(2)}, "w.safetensors")
        >>> ember.serialization.load_safetensors("w.safetensors")["w"]
        tensor([1., 1.])
    """
    with safe_open(path, device=device) as f:
        return {k: f.get_tensor(k) for k in f.keys()}


def _host_array(name: str, value: Any, target: str | None) -> tuple[str, np.ndarray]:
    """The safetensors dtype name and contiguous little-endian bytes for one tensor."""
    if isinstance(value, Tensor):
        arr = value.detach().cpu()._data
    elif isinstance(value, np.ndarray):
        arr = value
    else:
        raise TypeError(
            f"save_safetensors: value for {name!r} must be a Tensor or NumPy array, "
            f"got {type(value).__name__}"
        )
    native = _FROM_NUMPY.get(arr.dtype.newbyteorder("="))
    dt = target or native
    if dt is None:
        raise TypeError(
            f"save_safetensors: {name!r} has dtype {arr.dtype}, which safetensors cannot store"
        )
    if dt == _BF16:
        if np_kind(arr.dtype) != "f":
            raise TypeError(
                f"save_safetensors: only floating tensors can be written as BF16, "
                f"{name!r} is {arr.dtype}"
            )
        return dt, float32_to_bfloat16(arr.astype(np.float32, copy=False))
    if dt not in _NUMPY:
        raise ValueError(f"save_safetensors: unknown or unsupported dtype {dt!r} for {name!r}")
    return dt, arr.astype(np.dtype(_NUMPY[dt]), order="C", copy=False)


def safetensors_bytes(
    tensors: Mapping[str, Any],
    metadata: Mapping[str, str] | None = None,
    dtypes: Mapping[str, str] | None = None,
) -> tuple[bytes, list[np.ndarray]]:
    """The header bytes (length prefix included) and the arrays to write after it, in order."""
    if metadata is not None and not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise TypeError("save_safetensors: metadata must map str to str")
    items = []
    for name, value in tensors.items():
        if not isinstance(name, str):
            raise TypeError(f"save_safetensors: tensor names must be str, got {name!r}")
        dt, arr = _host_array(name, value, (dtypes or {}).get(name))
        items.append((name, dt, arr))
    items.sort(key=lambda it: (-_RANK.index(it[1]), it[0]))
    header: dict[str, Any] = {} if metadata is None else {"__metadata__": dict(metadata)}
    pos = 0
    for name, dt, arr in items:
        header[name] = {
            "dtype": dt,
            "shape": list(arr.shape),
            "data_offsets": [pos, pos + arr.nbytes],
        }
        pos += arr.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return len(text).to_bytes(8, "little") + text, [arr for _, _, arr in items]


def save_safetensors(
    tensors: Mapping[str, Any],
    path: str | os.PathLike[str] | IO[bytes],
    metadata: Mapping[str, str] | None = None,
    *,
    dtypes: Mapping[str, str] | None = None,
) -> None:
    """Write tensors to a safetensors file, atomically, exactly as the reference writer would.

    Args:
        tensors: ``{name: Tensor or NumPy array}``.
        path: the file (written through a temporary file and renamed), or a binary file object.
        metadata: optional ``{str: str}`` stored as ``__metadata__`` (its order is kept).
        dtypes: optional ``{name: "BF16" | "F16" | ...}`` to store a tensor in another dtype;
            ``"BF16"`` rounds to nearest even.

    Example:
        >>> ember.serialization.save_safetensors({"w": ember.ones(2, 3)}, "w.safetensors",
        ...                                      metadata={"format": "pt"})
    """
    head, arrays = safetensors_bytes(tensors, metadata, dtypes)
    if not is_path(path):
        _write_all(path, head, arrays)  # type: ignore[arg-type]
        return
    with atomic_writer(path) as f:  # type: ignore[arg-type]
        _write_all(f, head, arrays)


def _write_all(f: IO[bytes], head: bytes, arrays: list[np.ndarray]) -> None:
    f.write(head)
    for arr in arrays:
        if arr.nbytes:
            f.write(memoryview(arr.reshape(-1).view(np.uint8)))
