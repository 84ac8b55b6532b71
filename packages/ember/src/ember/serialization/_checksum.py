"""Integrity checks of ember's format (version 2): CRC-32 over the header and the trailer, and a
64-bit word sum over every storage and the pickle blob, verified on load.

The word sum (the little-endian uint64 words of a record, plus its tail bytes, modulo 2**64)
changes whenever any single byte changes and runs at memory speed. It is computed chunk by
chunk while the bytes are being written or read, so the data is still in cache; runs of small
records are summed together (``run_sums``), so there is no NumPy call per record. It detects
damage (flipped bits, truncation, overwritten blocks), not deliberate tampering: it is not a MAC.

The trailer follows the data section::

    b"EMBERSUM" | length (8 bytes) | CRC-32 of the JSON (4) | 4 zero bytes | JSON
    JSON = {"storages": [sum, ...], "pickle": sum or null}
"""

from __future__ import annotations

import json
import zlib
from typing import IO, Any

import numpy as np

from ember.serialization._errors import SerializationError

TRAILER_MAGIC = b"EMBERSUM"
CHUNK = 1 << 22  # 4 MiB, a multiple of 8: chunk sums add up to the record's sum
SMALL = 1 << 16  # records up to 64 KiB are read, summed and written in runs of up to CHUNK
_MASK = (1 << 64) - 1
MAX_TRAILER = 1 << 28


def sum64(buf: Any) -> int:
    """The word sum of a contiguous uint8 array."""
    n = buf.size - buf.size % 8
    total = int(np.add.reduce(buf[:n].view("<u8"), dtype=np.uint64)) if n else 0
    return (total + int.from_bytes(bytes(buf[n:]), "little")) & _MASK


def run_sums(buf: np.ndarray, spans: list[tuple[int, int]]) -> list[int]:
    """The word sums of the records ``buf[o : o + n]`` for ``(o, n)`` in ``spans``, in one pass.

    Summing many small records one NumPy call each costs more than the reading; this sums a
    whole run at once. ``buf`` is a uint8 array whose size is a multiple of 8 and every ``o`` a
    multiple of 8. Each record's tail word also takes the bytes up to the next multiple of 8,
    so those must be zero (they are padding, which callers check): they then add nothing.
    """
    words = buf.view("<u8")
    cum = np.empty(words.size + 1, dtype=np.uint64)
    cum[0] = 0
    np.cumsum(words, dtype=np.uint64, out=cum[1:])  # wraps modulo 2**64, as the sum does
    starts = np.fromiter((o // 8 for o, _ in spans), dtype=np.intp, count=len(spans))
    ends = np.fromiter((-(-(o + n) // 8) for o, n in spans), dtype=np.intp, count=len(spans))
    return (cum[ends] - cum[starts]).tolist()


def write_summed(f: IO[bytes], raw: Any) -> int:
    """Write the uint8 array ``raw`` to ``f`` chunk by chunk; return its word sum."""
    total = 0
    view = memoryview(raw)
    for start in range(0, raw.size, CHUNK):
        part = raw[start : start + CHUNK]
        total += sum64(part)
        f.write(view[start : start + CHUNK])
    return total & _MASK


def read_summed(f: IO[bytes], nbytes: int, what: str) -> tuple[np.ndarray, int]:
    """Read ``nbytes`` into a fresh uint8 array chunk by chunk; return it and its word sum.

    Each chunk is summed right after it lands, while it is still in cache: one pass over
    memory, not two.
    """
    out = np.empty(nbytes, dtype=np.uint8)
    total = 0
    for start in range(0, nbytes, CHUNK):
        part = out[start : start + CHUNK]
        fill(f, part, what)
        total += sum64(part)
    return out, total & _MASK


def skim_summed(f: IO[bytes], nbytes: int, what: str, scratch: np.ndarray) -> int:
    """Read ``nbytes`` through the reusable buffer ``scratch``; return their word sum."""
    total = 0
    for start in range(0, nbytes, scratch.size):
        part = scratch[: min(scratch.size, nbytes - start)]
        fill(f, part, what)
        total += sum64(part)
    return total & _MASK


def fill(f: IO[bytes], part: np.ndarray, what: str) -> None:
    """Read exactly ``part.size`` bytes into the uint8 array ``part``."""
    view = memoryview(part)
    done = 0
    while done < part.size:
        n = f.readinto(view[done:])  # type: ignore[attr-defined]
        if not n:
            raise SerializationError(
                f"file is truncated: expected {part.size - done} more bytes of {what}"
            )
        done += n


def header_prefix(text: bytes, magic: bytes) -> bytes:
    """magic | header length | CRC-32 of the header | 4 zero bytes."""
    crc = zlib.crc32(text)
    return magic + len(text).to_bytes(8, "little") + crc.to_bytes(4, "little") + bytes(4)


def trailer(sums: list[int], pickle_sum: int | None) -> bytes:
    """The trailer record holding every storage's word sum."""
    text = json.dumps({"storages": sums, "pickle": pickle_sum}, separators=(",", ":")).encode()
    return header_prefix(text, TRAILER_MAGIC) + text


def read_trailer(f: IO[bytes], damaged: Any) -> dict[str, Any]:
    """Read and check the trailer; ``damaged(record, detail)`` builds the error to raise."""
    from ember.serialization._io import read_exact

    head = read_exact(f, 24, "the checksum trailer")
    if head[:8] != TRAILER_MAGIC or head[20:24] != bytes(4):
        raise damaged("the checksum trailer", "its record marker is damaged")
    n = int.from_bytes(head[8:16], "little")
    if n > MAX_TRAILER:
        raise damaged("the checksum trailer", f"it claims {n} bytes")
    text = read_exact(f, n, "the checksum trailer")
    if zlib.crc32(text) != int.from_bytes(head[16:20], "little"):
        raise damaged("the checksum trailer", "its CRC-32 does not match")
    try:
        data = json.loads(text)
    except ValueError:
        raise damaged("the checksum trailer", "it is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("storages"), list):
        raise damaged("the checksum trailer", "it has no storage sums")
    return data


def tensor_names(root: Any, limit: int = 3) -> dict[int, list[str]]:
    """Map tensor ids to the key paths where the tagged JSON tree ``root`` holds them."""
    names: dict[int, list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
        elif isinstance(node, dict):
            tag = node.get("$")
            if tag == "tensor" and isinstance(node.get("id"), int):
                names.setdefault(node["id"], []).append(path or "<root>")
            elif tag in ("dict", "odict") and isinstance(node.get("items"), list):
                for pair in node["items"]:
                    if isinstance(pair, list) and len(pair) == 2:
                        key = pair[0] if isinstance(pair[0], (str, int)) else "?"
                        walk(pair[1], f"{path}.{key}" if path else str(key))
            elif isinstance(node.get("items"), list):
                walk(node["items"], path)

    walk(root, "")
    return {k: v[:limit] for k, v in names.items()}
