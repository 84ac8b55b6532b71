"""ember's own checkpoint format: a JSON header plus raw array bytes, no pickle by default.

Layout (all integers little-endian), version 2::

    magic     8 bytes  b"\\x93EMBER\\x02\\n"
    hlen      8 bytes  length of the JSON header that follows, padding spaces included
    hcrc      4 bytes  CRC-32 of the header, then 4 zero bytes
    header    hlen     UTF-8 JSON, space-padded so the data section starts 64-byte aligned
    data      ...      storages (raw bytes, each 64-byte aligned, zero padding), then an optional
                       pickle blob
    trailer   ...      the word sums of every storage and the blob (see ``_checksum``)

Every byte is covered: a damaged byte anywhere fails the load with an error naming the file and
the damaged record. ``mmap=True`` checks the header, padding and trailer but not the storages'
sums (that would read every page at open); ``verify`` checks everything without loading.
Version 1 files (no checksums: ``magic`` ends in ``\\x01\\n`` and there is
no ``hcrc`` or trailer) still load.

The header holds ``storages`` (offset, nbytes, location), ``tensors`` (storage, byte offset,
shape, byte strides, NumPy dtype string, kind, requires_grad) and ``root``, the saved object as
tagged JSON. Tensors that view the same memory share one storage, so views stay views after
loading. Objects that are not plain containers (a whole ``nn.Module``, a namedtuple, ...) are
pickled into the blob with every tensor and array replaced by a reference to the tensor table.
"""

from __future__ import annotations

import base64
import io
import json
import math
import mmap as _mmap
import os
import pickle
import zlib
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from ember import _dtype
from ember._tensor import Size, Tensor
from ember.backends import Device, get_xp
from ember.serialization import _checksum, _unpickle
from ember.serialization._errors import SerializationError
from ember.serialization._io import (
    location_of,
    read_exact,
    read_into_array,
    remaining_size,
    restore_location,
)
from ember.serialization._tensors import make_tensor, strided_view

MAGIC_V1 = b"\x93EMBER\x01\n"
MAGIC = b"\x93EMBER\x02\n"
ALIGN = 64
MAX_HEADER = 1 << 30
_PICKLE_PROTOCOL = 4


class _NeedPickle(Exception):
    """Raised while encoding when the object is not a plain container tree."""


def _ptr(arr: Any) -> int:
    if isinstance(arr, np.ndarray):
        return int(arr.__array_interface__["data"][0])
    return int(arr.data.ptr)


def _root(arr: Any) -> Any:
    """The array that owns ``arr``'s memory (following ``.base`` through arrays of its kind)."""
    kind = np.ndarray if isinstance(arr, np.ndarray) else type(arr)
    while isinstance(arr.base, kind):
        arr = arr.base
    return arr


def _extent(arr: Any) -> tuple[int, int]:
    """The byte interval ``[lo, hi)`` holding ``arr``'s elements (arr must be non-empty)."""
    ptr = _ptr(arr)
    pairs = list(zip(arr.shape, arr.strides))
    lo = ptr + sum((n - 1) * s for n, s in pairs if s < 0)
    hi = ptr + sum((n - 1) * s for n, s in pairs if s > 0) + arr.itemsize
    return lo, hi


class _Piece:
    """One array's contribution to a storage: a whole contiguous owner, or a strided view."""

    __slots__ = ("lo", "hi", "arr", "whole")

    def __init__(self, arr: Any) -> None:
        root = _root(arr)
        self.whole = bool(root.flags.c_contiguous) and root.size > 0
        self.arr = root if self.whole else arr
        self.lo, self.hi = _extent(self.arr)


class _Storage:
    __slots__ = ("lo", "hi", "pieces", "location", "offset")

    def __init__(self, piece: _Piece, location: str) -> None:
        self.lo, self.hi, self.pieces, self.location = piece.lo, piece.hi, [piece], location
        self.offset = 0

    @property
    def nbytes(self) -> int:
        return self.hi - self.lo

    def raw(self) -> Any:
        """The storage bytes as a contiguous host uint8 array (no copy in the common case)."""
        p = self.pieces[0]
        if len(self.pieces) == 1 and p.whole and isinstance(p.arr, np.ndarray):
            return p.arr.reshape(-1).view(np.uint8)
        xp = get_xp(p.arr)
        buf = xp.zeros(self.nbytes, dtype=np.uint8)
        for p in self.pieces:
            view = strided_view(
                buf, p.arr.dtype, _ptr(p.arr) - self.lo, p.arr.shape, p.arr.strides, "storage"
            )
            view[...] = p.arr
        return buf if xp is np else buf.get()


class _Writer:
    """Collects tensors and arrays, groups them into storages and encodes the object tree."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.arrays: list[Any] = []
        self.ids: dict[int, int] = {}
        self.keep: list[Any] = []

    # -- the tensor table ------------------------------------------------------------------
    def add(self, obj: Any) -> int:
        idx = self.ids.get(id(obj))
        if idx is not None:
            return idx
        arr, entry = _describe(obj)
        idx = len(self.entries)
        self.ids[id(obj)] = idx
        self.keep.append(obj)
        self.entries.append(entry)
        self.arrays.append(arr)
        return idx

    def storages(self) -> list[_Storage]:
        """Group the arrays' memory into storages and fill in each entry's storage/offset."""
        items = [(i, a) for i, a in enumerate(self.arrays) if a.size > 0]
        pieces = sorted(((_Piece(a), i, a) for i, a in items), key=lambda t: t[0].lo)
        out: list[_Storage] = []
        open_by_loc: dict[str, _Storage] = {}
        owner: dict[int, _Storage] = {}
        for piece, i, arr in pieces:
            loc = location_of(arr)
            st = open_by_loc.get(loc)
            if st is None or piece.lo >= st.hi:
                st = _Storage(piece, loc)
                open_by_loc[loc] = st
                out.append(st)
            else:
                st.hi = max(st.hi, piece.hi)
                st.pieces.append(piece)
            owner[i] = st
        index = {id(st): k for k, st in enumerate(out)}
        for i, st in owner.items():
            self.entries[i]["storage"] = index[id(st)]
            self.entries[i]["offset"] = _ptr(self.arrays[i]) - st.lo
        return out

    # -- the object tree -------------------------------------------------------------------
    def encode(self, obj: Any) -> Any:
        t = type(obj)
        if obj is None or t in (bool, int, str):
            return obj
        if t is float:
            return obj if math.isfinite(obj) else {"$": "float", "v": repr(obj)}
        if t is list:
            return [self.encode(v) for v in obj]
        enc = _ENCODERS.get(t)
        if enc is not None:
            return enc(self, obj)
        if isinstance(obj, (Tensor, np.ndarray, np.generic)) and _plain_array(obj):
            return {"$": "tensor", "id": self.add(obj)}
        raise _NeedPickle(t)

    def items(self, pairs: Any) -> list[list[Any]]:
        return [[self.encode(k), self.encode(v)] for k, v in pairs]


def _plain_array(obj: Any) -> bool:
    """Tensors, Parameters and NumPy arrays/scalars without Python objects inside."""
    if isinstance(obj, Tensor):
        return type(obj) is Tensor or getattr(type(obj), "_is_param", False)
    return not obj.dtype.hasobject and obj.dtype.names is None


def _describe(obj: Any) -> tuple[Any, dict[str, Any]]:
    if isinstance(obj, Tensor):
        arr = obj._data
        kind = "parameter" if getattr(type(obj), "_is_param", False) else "tensor"
        grad = bool(obj._requires_grad)
    else:
        kind = "npscalar" if isinstance(obj, np.generic) else "ndarray"
        arr = np.asarray(obj)
        grad = False
    entry = {
        "storage": None,
        "offset": 0,
        "shape": list(arr.shape),
        "strides": list(arr.strides),
        "dtype": arr.dtype.str if arr.dtype.kind != "V" else arr.dtype.name,  # "bfloat16"
        "kind": kind,
        "requires_grad": grad,
    }
    if arr.size == 0 and kind != "ndarray" and location_of(arr) != "cpu":
        entry["location"] = location_of(arr)  # an empty tensor has no storage to say it
    return arr, entry


def _enc_dict(w: _Writer, obj: dict[Any, Any]) -> Any:
    return {"$": "dict", "items": w.items(obj.items())}


def _enc_odict(w: _Writer, obj: OrderedDict[Any, Any]) -> Any:
    out = {"$": "odict", "items": w.items(obj.items())}
    attrs = getattr(obj, "__dict__", None)
    if attrs:
        out["attrs"] = w.items(attrs.items())
    return out


def _enc_seq(tag: str) -> Any:
    return lambda w, obj: {"$": tag, "items": [w.encode(v) for v in obj]}


def _enc_bytes(w: _Writer, obj: bytes) -> Any:
    return {"$": type(obj).__name__, "b64": base64.b64encode(obj).decode("ascii")}


_ENCODERS: dict[type, Any] = {
    dict: _enc_dict,
    OrderedDict: _enc_odict,
    tuple: _enc_seq("tuple"),
    Size: _enc_seq("size"),
    set: _enc_seq("set"),
    frozenset: _enc_seq("frozenset"),
    bytes: _enc_bytes,
    bytearray: _enc_bytes,
    complex: lambda w, z: {"$": "complex", "re": w.encode(z.real), "im": w.encode(z.imag)},
    _dtype.dtype: lambda w, d: {"$": "dtype", "name": d.name},
    Device: lambda w, d: {"$": "device", "name": str(d)},
}


class _Pickler(pickle.Pickler):
    def __init__(self, f: IO[bytes], writer: _Writer) -> None:
        super().__init__(f, protocol=_PICKLE_PROTOCOL)
        self.writer = writer

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, (Tensor, np.ndarray, np.generic)) and _plain_array(obj):
            return ("ember.tensor", self.writer.add(obj))
        return None


# -- writing -----------------------------------------------------------------------------------
def _pad(n: int) -> int:
    return -n % ALIGN


_PREFIX = len(MAGIC) + 16  # magic, header length, header CRC-32, 4 zero bytes


def write(obj: Any, f: IO[bytes]) -> None:
    """Write ``obj`` in ember's format to the binary file ``f``."""
    w = _Writer()
    blob = b""
    try:
        root = w.encode(obj)
    except _NeedPickle:
        w = _Writer()
        buf = io.BytesIO()
        _Pickler(buf, w).dump(obj)
        blob, root = buf.getvalue(), {"$": "pickle"}
    storages = w.storages()
    pos = 0
    for st in storages:
        st.offset = pos
        pos += st.nbytes + _pad(st.nbytes)
    header = {
        "format": "ember",
        "version": 2,
        "storages": [
            {"offset": s.offset, "nbytes": s.nbytes, "location": s.location} for s in storages
        ],
        "tensors": w.entries,
        "root": root,
        "pickle": {"offset": pos, "nbytes": len(blob)} if blob else None,
        "data_nbytes": pos + len(blob),
    }
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * _pad(_PREFIX + len(text))
    f.write(_checksum.header_prefix(text, MAGIC) + text)
    sums: list[int] = []
    regions = [(st.offset, st.nbytes) for st in storages]
    k = 0
    while k < len(storages):
        j = _small_run(regions, k)
        if j == k:
            sums.append(_checksum.write_summed(f, storages[k].raw()))
            f.write(b"\0" * _pad(storages[k].nbytes))
            k += 1
            continue
        sums += _write_small_run(f, storages[k:j])
        k = j
    blob_sum = None
    if blob:
        blob_sum = _checksum.write_summed(f, np.frombuffer(blob, dtype=np.uint8))
    f.write(_checksum.trailer(sums, blob_sum))


def _small_run(regions: list[tuple[int, int]], k: int) -> int:
    """The end ``j`` of the run ``regions[k:j]`` of small 8-aligned records spanning <= CHUNK."""
    j = k
    while j < len(regions):
        off, n = regions[j]
        if n > _checksum.SMALL or off % 8 or off + n - regions[k][0] > _checksum.CHUNK:
            break
        j += 1
    return j


def _write_small_run(f: IO[bytes], run: list[_Storage]) -> list[int]:
    """Copy a run of small storages into one zero-padded buffer, sum them at once, write it."""
    base = run[0].offset
    buf = np.zeros(run[-1].offset + run[-1].nbytes + _pad(run[-1].nbytes) - base, np.uint8)
    for st in run:
        buf[st.offset - base : st.offset - base + st.nbytes] = st.raw()
    f.write(memoryview(buf))
    return _checksum.run_sums(buf, [(st.offset - base, st.nbytes) for st in run])


# -- reading -----------------------------------------------------------------------------------
def _corrupt(msg: str) -> SerializationError:
    return SerializationError(f"corrupt ember checkpoint: {msg}")


def is_native(head: bytes) -> bool:
    """True for ember's magic number (either version), or one byte away from it (damaged)."""
    if head.startswith((MAGIC, MAGIC_V1)):
        return True
    return len(head) >= len(MAGIC) and sum(a != b for a, b in zip(head, MAGIC)) == 1


def _damaged(record: str, detail: str) -> SerializationError:
    return SerializationError(f"damaged ember checkpoint: {record} is corrupt ({detail})")


def read_header(f: IO[bytes]) -> tuple[dict[str, Any], int]:
    """Read and sanity-check the header; return it and the header's total size in bytes."""
    head = read_exact(f, len(MAGIC) + 8, "the ember header")
    magic = head[: len(MAGIC)]
    if magic not in (MAGIC, MAGIC_V1):
        raise _damaged("the magic number", f"got {magic!r}")
    hlen = int.from_bytes(head[len(MAGIC) :], "little")
    crc = None
    if magic == MAGIC:
        extra = read_exact(f, 8, "the ember header")
        if extra[4:] != bytes(4):
            raise _damaged("the header prefix", "its reserved bytes are not zero")
        crc = int.from_bytes(extra[:4], "little")
    left = remaining_size(f)
    if hlen > MAX_HEADER or (left is not None and hlen > left):
        raise _damaged("the header length field",
                       f"header claims {hlen} bytes but the file has {left} left")
    text = read_exact(f, hlen, "the ember header")
    if crc is not None and zlib.crc32(text) != crc:
        raise _damaged("the header", "its CRC-32 does not match; the header or its length field "
                       "changed")
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _corrupt(f"header is not valid JSON ({e})") from None
    if not isinstance(header, dict) or header.get("format") != "ember":
        raise _corrupt("header is not an ember header")
    version = 2 if crc is not None else 1
    if header.get("version") != version:
        raise SerializationError(
            f"ember checkpoint version {header.get('version')!r} is newer than this ember "
            f"understands ({version}); upgrade ember"
        )
    header["_checksummed"] = crc is not None
    return header, len(head) + (8 if crc is not None else 0) + hlen


def _check_regions(header: dict[str, Any], left: int | None) -> list[tuple[int, int]]:
    """The (offset, nbytes) of each storage, checked to lie in order inside the data section."""
    total = header["data_nbytes"]
    if not isinstance(total, int) or total < 0:
        raise _corrupt("bad data_nbytes")
    if left is not None and total > left:
        raise SerializationError(
            f"ember checkpoint is truncated: the header describes {total} bytes of data but only "
            f"{left} follow"
        )
    regions = [(s["offset"], s["nbytes"]) for s in header["storages"]]
    blob = header.get("pickle")
    if blob is not None:
        regions.append((blob["offset"], blob["nbytes"]))
    end = 0
    for off, n in regions:
        if not (isinstance(off, int) and isinstance(n, int)) or off < end or n < 0:
            raise _corrupt(f"storage region ({off}, {n}) overlaps or is out of order")
        end = off + n
    if end > total:
        raise _corrupt(f"storage regions end at {end}, past data_nbytes {total}")
    return regions


def _read_regions(
    f: IO[bytes], regions: list[tuple[int, int]], mm: Any, data_start: int, sized: bool,
    summed: bool, keep: bool = True,
) -> tuple[list[Any], list[int]]:
    """Read each region into its own writeable uint8 array (or a copy-on-write mmap slice).

    With ``summed`` (version 2) also return each region's word sum and check that the padding
    between regions is zero. Mapped regions are not summed (that would read every page at
    open; see ``verify``). Without ``keep`` the bytes only pass through one reused buffer to
    be summed, and no arrays are returned.
    """
    out: list[Any] = []
    sums: list[int] = []
    scratch = None if keep else np.empty(_checksum.CHUNK, dtype=np.uint8)
    pos = k = 0
    while k < len(regions):
        off, n = regions[k]
        if mm is not None:
            if summed:
                _check_gap(mm[data_start + pos : data_start + off], k)
            out.append(np.frombuffer(mm, dtype=np.uint8, count=n, offset=data_start + off))
        elif summed:
            _check_gap(read_exact(f, off - pos, "padding"), k)
            j = _small_run(regions, k) if scratch is None else k
            if j > k:
                arrays, run_sums = _read_small_run(f, regions[k:j], k)
                out += arrays
                sums += run_sums
                pos = regions[j - 1][0] + regions[j - 1][1]
                k = j
                continue
            if scratch is not None:
                sums.append(_checksum.skim_summed(f, n, "tensor data", scratch))
            else:
                arr, total = (_checksum.read_summed(f, n, "tensor data") if sized
                              else _summed_chunked(f, n))
                out.append(arr)
                sums.append(total)
        else:
            _skip(f, off - pos)
            out.append(read_into_array(f, n, "tensor data") if sized else _read_chunked(f, n))
        pos = off + n
        k += 1
    return out, sums


def _read_small_run(
    f: IO[bytes], run: list[tuple[int, int]], k0: int
) -> tuple[list[np.ndarray], list[int]]:
    """Read a run of small records (from the first one's start) with one read; check the gaps
    between them, sum them at once and copy each into its own array."""
    base = run[0][0]
    span = run[-1][0] + run[-1][1] - base
    buf = np.empty(span + -span % 8, dtype=np.uint8)
    buf[span:] = 0
    _checksum.fill(f, buf[:span], "tensor data")
    rel = [(off - base, n) for off, n in run]
    gaps = [(rel[i - 1][0] + rel[i - 1][1], rel[i][0]) for i in range(1, len(rel))]
    gaps = [(i + 1, a, b) for i, (a, b) in enumerate(gaps) if b > a]
    if gaps:  # files ember writes have none: 64-byte multiples need no padding
        lens = np.array([b - a for _, a, b in gaps])
        starts = np.array([a for _, a, _ in gaps])
        idx = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        bad = np.flatnonzero(buf[idx])
        if bad.size:
            which = int(np.searchsorted(np.cumsum(lens), bad[0], side="right"))
            _check_gap(b"\1", k0 + gaps[which][0])
    arrays = [buf[o : o + n].copy() for o, n in rel]
    return arrays, _checksum.run_sums(buf, rel)


def _summed_chunked(f: IO[bytes], n: int) -> tuple[np.ndarray, int]:
    arr = _read_chunked(f, n)
    return arr, _checksum.sum64(arr)


def _check_gap(pad: Any, k: int) -> None:
    if any(pad):
        raise _damaged(f"the padding before record {k}", "padding bytes are not zero")


def _skip(f: IO[bytes], n: int) -> None:
    if n <= 0:
        return
    try:
        f.seek(n, os.SEEK_CUR)
    except (OSError, AttributeError, ValueError):
        read_exact(f, n, "padding")


def _read_chunked(f: IO[bytes], n: int) -> np.ndarray:
    """Read ``n`` bytes from a stream of unknown size without trusting ``n`` for allocation."""
    chunks = []
    while n > 0:
        k = min(n, 1 << 26)
        chunks.append(np.frombuffer(bytearray(read_exact(f, k, "tensor data")), np.uint8))
        n -= k
    return np.concatenate(chunks) if len(chunks) != 1 else chunks[0]


def _verify(f: IO[bytes], header: dict[str, Any], regions: list[tuple[int, int]],
            sums: list[int], mm: Any, data_start: int) -> None:
    """Check the final padding and the trailer, then each record's word sum against the trailer's.

    With ``mm`` (a mapped load) the records were not summed: only the trailer is checked.
    """
    end = regions[-1][0] + regions[-1][1] if regions else 0
    total = header["data_nbytes"]
    if mm is not None:
        _check_gap(mm[data_start + end : data_start + total], len(regions))
        f.seek(data_start + total)
    else:
        _check_gap(read_exact(f, total - end, "padding"), len(regions))
    trailer = _checksum.read_trailer(f, _damaged)
    expected = list(trailer["storages"])
    if header.get("pickle") is not None:
        expected.append(trailer.get("pickle"))
    if len(expected) != len(regions):
        raise _damaged("the checksum trailer", f"it lists {len(expected)} records, the header "
                       f"{len(regions)}")
    for k, (want, got) in enumerate(zip(expected, sums)):
        if want != got:
            raise _damaged(_record_name(header, k), "its checksum does not match")


def _record_name(header: dict[str, Any], k: int) -> str:
    if k >= len(header["storages"]):
        return "the pickle blob"
    names = _checksum.tensor_names(header.get("root"))
    users = sorted({n for i, e in enumerate(header["tensors"]) if e.get("storage") == k
                    for n in names.get(i, [f"tensor {i}"])})
    shown = ", ".join(repr(u) for u in users[:3]) + (", ..." if len(users) > 3 else "")
    return f"storage {k} (holding {shown})" if users else f"storage {k}"


class _PassThrough(Exception):
    """Carries an error from the user's ``map_location`` past the corrupt-header handler."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class _Reader:
    """Rebuilds tensors from storages and decodes the tagged JSON tree."""

    def __init__(self, header: dict[str, Any], storages: list[Any], map_location: Any) -> None:
        self.header = header
        self.raw = storages
        self.moved: dict[int, Any] = {}
        self.map_location = map_location
        self.built: dict[int, Any] = {}

    def storage(self, sid: int) -> Any:
        if sid not in self.moved:
            loc = self.header["storages"][sid]["location"]
            try:
                self.moved[sid] = restore_location(self.raw[sid], loc, self.map_location)
            except Exception as e:  # noqa: BLE001 - the user's map_location failed, not the file
                raise _PassThrough(e) from e
        return self.moved[sid]

    def tensor(self, idx: Any) -> Any:
        if not isinstance(idx, int) or not 0 <= idx < len(self.header["tensors"]):
            raise _corrupt(f"reference to missing tensor {idx!r}")
        if idx not in self.built:
            self.built[idx] = self._build(idx, self.header["tensors"][idx])
        return self.built[idx]

    def _build(self, idx: int, e: dict[str, Any]) -> Any:
        dt = _safe_dtype(e["dtype"])
        sid = e["storage"]
        what = f"tensor {idx}"
        if sid is None:
            if 0 not in e["shape"]:
                raise _corrupt(f"{what} has elements but no storage")
            arr = np.empty(e["shape"], dtype=dt)
            if e.get("location", "cpu") != "cpu" or self.map_location is not None:
                arr = restore_location(arr, str(e.get("location", "cpu")), self.map_location)
        else:
            if not isinstance(sid, int) or not 0 <= sid < len(self.raw):
                raise _corrupt(f"{what} refers to missing storage {sid!r}")
            arr = strided_view(self.storage(sid), dt, e["offset"], e["shape"], e["strides"], what)
        kind = e["kind"]
        if kind == "ndarray":
            return arr if isinstance(arr, np.ndarray) else get_xp(arr).asnumpy(arr)
        if kind == "npscalar":
            return np.asarray(arr)[()]
        if kind not in ("tensor", "parameter"):
            raise _corrupt(f"{what} has unknown kind {kind!r}")
        if not dt.isnative:
            arr = arr.astype(dt.newbyteorder("="))
        return make_tensor(arr, bool(e["requires_grad"]), kind == "parameter")

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict):
            raise _corrupt(f"unexpected JSON value {node!r:.60}")
        tag = node.get("$")
        dec = _DECODERS.get(tag)
        if dec is None:
            raise _corrupt(f"unknown value tag {tag!r}")
        return dec(self, node)

    def pairs(self, node: dict[str, Any]) -> list[tuple[Any, Any]]:
        return [(self.decode(k), self.decode(v)) for k, v in node["items"]]


def _safe_dtype(s: Any) -> np.dtype:
    try:
        dt = np.dtype(str(s))
    except TypeError:
        raise _corrupt(f"unknown dtype {s!r}") from None
    if dt.hasobject or dt.names is not None or dt.itemsize == 0:
        raise _corrupt(f"refusing dtype {s!r}: only plain numeric dtypes are stored raw")
    return dt


def _dec_odict(r: _Reader, node: dict[str, Any]) -> OrderedDict[Any, Any]:
    out = OrderedDict(r.pairs(node))
    for k, v in r.pairs({"items": node["attrs"]}) if "attrs" in node else []:
        if k != "_metadata":
            raise _corrupt(f"unexpected OrderedDict attribute {k!r}")
        out._metadata = v  # type: ignore[attr-defined]
    return out


def _dec_float(r: _Reader, node: dict[str, Any]) -> float:
    if node["v"] not in ("nan", "inf", "-inf"):
        raise _corrupt(f"bad float {node['v']!r}")
    return float(node["v"])


def _dec_seq(kind: Any) -> Any:
    return lambda r, node: kind(r.decode(v) for v in node["items"])


def _dec_bytes(kind: type) -> Any:
    return lambda r, node: kind(base64.b64decode(node["b64"], validate=True))


_DECODERS: dict[str, Any] = {
    "dict": lambda r, node: dict(r.pairs(node)),
    "odict": _dec_odict,
    "tuple": _dec_seq(tuple),
    "size": _dec_seq(lambda it: Size(tuple(it))),
    "set": _dec_seq(set),
    "frozenset": _dec_seq(frozenset),
    "bytes": _dec_bytes(bytes),
    "bytearray": _dec_bytes(bytearray),
    "float": _dec_float,
    "complex": lambda r, node: complex(r.decode(node["re"]), r.decode(node["im"])),
    "dtype": lambda r, node: _dtype.as_dtype(str(node["name"])),
    "device": lambda r, node: Device(str(node["name"])),
    "tensor": lambda r, node: r.tensor(node["id"]),
}


class _Unpickler(_unpickle.RestrictedUnpickler):
    """Rebuilds pickled whole objects; tensors come from the tensor table."""

    def __init__(self, data: bytes, reader: _Reader, weights_only: bool) -> None:
        super().__init__(io.BytesIO(data))
        self.reader = reader
        self.weights_only = weights_only

    def resolve(self, module: str, name: str) -> Any | None:
        found = _unpickle.COMMON_GLOBALS.get((module, name))
        if found is not None:
            return found
        if module == "ember._dtype" and name in _dtype._BY_NAME:
            return _dtype._BY_NAME[name]
        if (module, name) == ("ember.backends", "Device"):
            return Device
        if (module, name) == ("ember._tensor", "Size"):
            return Size
        return None

    def persistent_load(self, pid: Any) -> Any:
        if not (isinstance(pid, tuple) and len(pid) == 2 and pid[0] == "ember.tensor"):
            raise _corrupt(f"unknown persistent id {pid!r:.80}")
        return self.reader.tensor(pid[1])


def read(f: IO[bytes], map_location: Any, weights_only: bool, mmap: bool | None) -> Any:
    """Read an ember checkpoint from ``f`` (positioned at its magic number)."""
    return _named(f, lambda header, hsize: _read_body(f, header, hsize, map_location,
                                                      weights_only, bool(mmap)))


def verify(f: IO[bytes]) -> None:
    """Check every checksum of the ember checkpoint ``f`` (positioned at its magic number).

    The bytes pass through one reused buffer: nothing is allocated per tensor and nothing is
    decoded. Raises SerializationError naming the file and the damaged record.
    """

    def body(header: dict[str, Any], hsize: int) -> None:
        if not header.pop("_checksummed", False):
            raise SerializationError("ember checkpoint version 1 carries no checksums to verify")
        _skip(f, _pad(hsize))
        left = remaining_size(f)
        regions = _check_regions(header, left)
        data_start = f.tell()
        _, sums = _read_regions(f, regions, None, 0, left is not None, True, keep=False)
        _verify(f, header, regions, sums, None, data_start)

    _named(f, body)


def _named(f: IO[bytes], body: Any) -> Any:
    """Read the header and run ``body(header, hsize)``; SerializationErrors name the file."""
    try:
        header, hsize = read_header(f)
        try:
            return body(header, hsize)
        except _PassThrough as p:
            raise p.error from p.error.__cause__
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as e:
            raise _corrupt(f"{type(e).__name__}: {e}") from None
    except SerializationError as e:
        name = getattr(f, "name", None)
        if not isinstance(name, str) or type(e) is not SerializationError:
            raise
        raise type(e)(f"{name}: {e}") from e.__cause__


def _read_body(
    f: IO[bytes],
    header: dict[str, Any],
    hsize: int,
    map_location: Any,
    weights_only: bool,
    use_mmap: bool,
) -> Any:
    _skip(f, _pad(hsize))
    left = remaining_size(f)
    regions = _check_regions(header, left)
    mm = None
    if use_mmap:
        if left is None or not hasattr(f, "fileno"):
            raise SerializationError("mmap=True needs a real file opened from a path")
        mm = _mmap.mmap(f.fileno(), 0, access=_mmap.ACCESS_COPY)
    summed = bool(header.pop("_checksummed", False))
    data_start = f.tell()
    arrays, sums = _read_regions(f, regions, mm, data_start if mm is not None else 0,
                                 left is not None, summed)
    if summed:
        _verify(f, header, regions, sums, mm, data_start)
    blob = arrays.pop() if header.get("pickle") is not None else None
    reader = _Reader(header, arrays, map_location)
    root = header["root"]
    if isinstance(root, dict) and root.get("$") == "pickle":
        if blob is None:
            raise _corrupt("root is pickled but there is no pickle blob")
        data = blob.tobytes()
        _unpickle.check_pickle(data)
        return _unpickle.run_unpickler(_Unpickler(data, reader, weights_only), "the object")
    return reader.decode(root)
