"""Reading PyTorch checkpoints (``torch.save`` zip archives and the legacy format) without torch.

A restricted unpickler rebuilds tensors (``torch._utils._rebuild_tensor_v2/v3``), Parameters,
storages (``torch.FloatStorage`` ... and ``torch.UntypedStorage``), ``collections.OrderedDict``,
plain containers and numbers, and refuses every other global. bfloat16 storages are widened to
float32 exactly (ember has no bfloat16); a big-endian ``byteorder`` record is byte-swapped.

Tensors are created while the pickle is read but get their data afterwards (the legacy format
stores the bytes after the pickle), so every storage is checked against the file size before
anything is allocated.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from ember import _dtype
from ember._tensor import Size, Tensor
from ember.backends import Device
from ember.serialization import _unpickle
from ember.serialization._errors import SerializationError
from ember.serialization._io import read_exact, read_into_array, remaining_size, restore_location
from ember.serialization._tensors import (
    bfloat16_to_float32,
    check_layout,
    loaded_dtype,
    make_tensor,
    strided_view,
    to_loaded,
)

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
_BF16 = "bfloat16"
_STORAGE_DTYPES = {
    "FloatStorage": "<f4",
    "DoubleStorage": "<f8",
    "HalfStorage": "<f2",
    "BFloat16Storage": _BF16,
    "LongStorage": "<i8",
    "IntStorage": "<i4",
    "ShortStorage": "<i2",
    "CharStorage": "|i1",
    "ByteStorage": "|u1",
    "BoolStorage": "|b1",
    "ComplexFloatStorage": "<c8",
    "ComplexDoubleStorage": "<c16",
    "UntypedStorage": "|u1",
}
_TORCH_DTYPES = {
    "float32": "<f4",
    "float": "<f4",
    "float64": "<f8",
    "double": "<f8",
    "float16": "<f2",
    "half": "<f2",
    "bfloat16": _BF16,
    "int64": "<i8",
    "long": "<i8",
    "int32": "<i4",
    "int": "<i4",
    "int16": "<i2",
    "short": "<i2",
    "int8": "|i1",
    "uint8": "|u1",
    "bool": "|b1",
    "complex64": "<c8",
    "cfloat": "<c8",
    "complex128": "<c16",
    "cdouble": "<c16",
    "uint16": "<u2",
    "uint32": "<u4",
    "uint64": "<u8",
}


def _corrupt(msg: str) -> SerializationError:
    return SerializationError(f"corrupt PyTorch checkpoint: {msg}")


class _DType:
    """A torch dtype met in the pickle: the file's element type (``"bfloat16"`` or NumPy's)."""

    __slots__ = ("name", "code")

    def __init__(self, name: str, code: str) -> None:
        self.name, self.code = name, code

    @property
    def itemsize(self) -> int:
        return 2 if self.code == _BF16 else np.dtype(self.code).itemsize

    def loaded(self) -> np.dtype:
        """The NumPy dtype the elements have once loaded (bfloat16 becomes float32)."""
        return np.dtype(np.float32) if self.code == _BF16 else loaded_dtype(np.dtype(self.code))

    def ember(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self.loaded())


class _StorageType:
    __slots__ = ("name", "dtype")

    def __init__(self, name: str, dtype: _DType) -> None:
        self.name, self.dtype = name, dtype


class _Storage:
    """One storage record: raw file bytes, turned into typed (and moved) arrays on demand."""

    def __init__(self, key: str, dtype: _DType, nbytes: int, location: str, loader: _Loader):
        self.key, self.dtype, self.nbytes, self.location = key, dtype, nbytes, location
        self.loader = loader
        self.raw: np.ndarray | None = None
        self.typed_cache: dict[str, Any] = {}

    def typed(self, dtype: _DType) -> Any:
        """The storage as a 1-D array of ``dtype``'s loaded type on its target device."""
        arr = self.typed_cache.get(dtype.code)
        if arr is None:
            if self.raw is None:
                raise _corrupt(f"storage {self.key!r} has no data")
            arr = _decode(self.raw, dtype, self.loader.big_endian)
            arr = restore_location(arr, self.location, self.loader.map_location)
            self.typed_cache[dtype.code] = arr
        return arr


def _decode(raw: np.ndarray, dtype: _DType, big_endian: bool) -> np.ndarray:
    n = raw.nbytes // dtype.itemsize
    if dtype.code == _BF16:
        bits = raw[: n * 2].view(">u2" if big_endian else "<u2").astype(np.uint16)
        return bfloat16_to_float32(bits)
    code = np.dtype(dtype.code).newbyteorder(">" if big_endian else "<")
    return to_loaded(raw[: n * code.itemsize].view(code), f"storage of {dtype.name}")


class _Pending:
    """A tensor created before its storage data was read; ``fix`` gives it its array."""

    __slots__ = ("tensor", "storage", "dtype", "offset", "size", "stride")

    def fix(self) -> None:
        arr = self.storage.typed(self.dtype)
        itemsize = arr.dtype.itemsize
        self.tensor._data = strided_view(
            arr,
            arr.dtype,
            self.offset * itemsize,
            self.size,
            [s * itemsize for s in self.stride],
            f"tensor on storage {self.storage.key!r}",
        )


def _ints(name: str, values: Any) -> tuple[int, ...]:
    if not isinstance(values, (tuple, list, Size)) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
    ):
        raise _corrupt(f"{name} must be a sequence of non-negative ints, got {values!r:.80}")
    return tuple(values)


class _Loader(_unpickle.RestrictedUnpickler):
    """The restricted unpickler for PyTorch pickles; ``read_storage(key, nbytes)`` gets bytes."""

    def __init__(
        self,
        data: bytes,
        map_location: Any,
        weights_only: bool,
        big_endian: bool,
        read_storage: Any,
        budget: int | None,
    ) -> None:
        super().__init__(io.BytesIO(data))
        self.map_location, self.weights_only = map_location, weights_only
        self.big_endian = big_endian
        self.read_storage = read_storage
        self.budget = budget
        self.storages: dict[str, _Storage] = {}
        self.pending: dict[int, _Pending] = {}

    # -- globals -----------------------------------------------------------------------------
    def resolve(self, module: str, name: str) -> Any | None:
        found = _unpickle.COMMON_GLOBALS.get((module, name))
        if found is not None:
            return found
        if module in ("torch", "torch.storage") and name in _STORAGE_DTYPES:
            code = _STORAGE_DTYPES[name]
            return _StorageType(name, _DType(name, code))
        if module == "torch" and name in _TORCH_DTYPES:
            return _DType(name, _TORCH_DTYPES[name])
        handler = _HANDLERS.get((module, name))
        if handler is not None:
            return getattr(self, handler)
        if (module, name) in _CONSTANTS:
            return _CONSTANTS[(module, name)]
        if module.partition(".")[0] == "torch":
            raise SerializationError(
                f"cannot rebuild {module}.{name} without PyTorch: ember reads tensors, "
                "Parameters, storages and plain containers from PyTorch checkpoints. In PyTorch, "
                "save model.state_dict() (not the whole model) and load that."
            )
        return _NUMPY_GLOBALS.get((module, name))

    # -- storages ----------------------------------------------------------------------------
    def persistent_load(self, pid: Any) -> Any:
        if not isinstance(pid, tuple) or len(pid) not in (5, 6) or pid[0] != "storage":
            raise _corrupt(f"unknown persistent id {pid!r:.80}")
        stype, key, location, numel = pid[1:5]
        if not isinstance(stype, _StorageType):
            raise _corrupt(f"persistent id names a non-storage type {stype!r:.60}")
        if not (isinstance(key, str) and isinstance(location, str) and isinstance(numel, int)):
            raise _corrupt(f"malformed storage id {pid!r:.80}")
        if len(pid) == 6 and pid[5] is not None:
            raise SerializationError("legacy storage views (view_metadata) are not supported")
        check_record_name(key, "storage record")
        st = self.storages.get(key)
        if st is None:
            nbytes = numel * stype.dtype.itemsize
            if numel < 0 or (self.budget is not None and nbytes > self.budget):
                raise _corrupt(f"storage {key!r} claims {numel} elements, more than the file holds")
            st = _Storage(key, stype.dtype, nbytes, location, self)
            st.raw = self.read_storage(key, nbytes)
            self.storages[key] = st
        if stype.name == "UntypedStorage":
            return st
        return _TypedRef(st, stype.dtype)

    # -- rebuild functions --------------------------------------------------------------------
    def rebuild_tensor_v2(
        self,
        storage: Any,
        offset: Any,
        size: Any,
        stride: Any,
        requires_grad: Any,
        backward_hooks: Any = None,
        metadata: Any = None,
    ) -> Tensor:
        if not isinstance(storage, _TypedRef):
            raise _corrupt("_rebuild_tensor_v2 needs a typed storage")
        return self._tensor(storage.storage, storage.dtype, offset, size, stride, requires_grad)

    def rebuild_tensor_v3(
        self,
        storage: Any,
        offset: Any,
        size: Any,
        stride: Any,
        requires_grad: Any,
        backward_hooks: Any,
        dtype: Any,
        metadata: Any = None,
    ) -> Tensor:
        st = storage.storage if isinstance(storage, _TypedRef) else storage
        if not isinstance(st, _Storage) or not isinstance(dtype, _DType):
            raise _corrupt("_rebuild_tensor_v3 needs a storage and a dtype")
        return self._tensor(st, dtype, offset, size, stride, requires_grad)

    def _tensor(
        self, st: _Storage, dtype: _DType, offset: Any, size: Any, stride: Any, requires_grad: Any
    ) -> Tensor:
        (offset,) = _ints("storage_offset", (offset,))
        size, stride = _ints("size", size), _ints("stride", stride)
        item = dtype.itemsize
        check_layout(
            st.nbytes,
            item,
            offset * item,
            size,
            [s * item for s in stride],
            f"tensor on storage {st.key!r}",
        )
        p = _Pending()
        p.storage, p.dtype, p.offset, p.size, p.stride = st, dtype, offset, size, stride
        p.tensor = make_tensor(np.empty(0, dtype.loaded()), bool(requires_grad))
        self.pending[id(p.tensor)] = p
        return p.tensor

    def rebuild_parameter(
        self, data: Any, requires_grad: Any, backward_hooks: Any = None, state: Any = None
    ) -> Tensor:
        if not isinstance(data, Tensor):
            raise _corrupt("_rebuild_parameter needs a tensor")
        param = make_tensor(data._data, bool(requires_grad), parameter=True)
        p = self.pending.pop(id(data), None)
        if p is not None:
            p.tensor = param
            self.pending[id(param)] = p
        return param

    def rebuild_from_type_v2(self, func: Any, new_type: Any, args: Any, state: Any) -> Any:
        if new_type is not _TENSOR_TYPE:
            raise SerializationError(
                f"cannot rebuild tensor subclass {new_type!r:.60} without PyTorch"
            )
        return func(*args)

    def finish(self, result: Any) -> Any:
        """Give every tensor its data once all storages are read; storages become tensors."""
        for p in self.pending.values():
            p.fix()
        return _storages_as_tensors(result)


def _storages_as_tensors(obj: Any) -> Any:
    """Bare storages saved on their own load as 1-D tensors (uint8 for untyped storages)."""
    if isinstance(obj, _Storage):
        return make_tensor(obj.typed(obj.dtype))
    if isinstance(obj, _TypedRef):
        return make_tensor(obj.storage.typed(obj.dtype))
    t = type(obj)
    if t in (list, tuple):
        return t(_storages_as_tensors(v) for v in obj)
    if t in (dict, OrderedDict):
        for k, v in obj.items():
            if isinstance(v, (_Storage, _TypedRef, list, tuple, dict)):
                obj[k] = _storages_as_tensors(v)
    return obj


class _TypedRef:
    """A typed storage (``torch.FloatStorage`` ...) as the pickle refers to it."""

    __slots__ = ("storage", "dtype")

    def __init__(self, storage: _Storage, dtype: _DType) -> None:
        self.storage, self.dtype = storage, dtype


_TENSOR_TYPE = object()


def _device(kind: Any, index: Any = None) -> Device:
    return Device(str(kind), index if isinstance(index, int) else None)


def _torch_size(dims: Any = ()) -> Size:
    return Size(_ints("torch.Size", dims))


_HANDLERS: dict[tuple[str, str], str] = {
    ("torch._utils", "_rebuild_tensor_v2"): "rebuild_tensor_v2",
    ("torch._utils", "_rebuild_tensor_v3"): "rebuild_tensor_v3",
    ("torch._utils", "_rebuild_parameter"): "rebuild_parameter",
    ("torch._utils", "_rebuild_parameter_with_state"): "rebuild_parameter",
    ("torch._tensor", "_rebuild_from_type_v2"): "rebuild_from_type_v2",
}
_CONSTANTS: dict[tuple[str, str], Any] = {
    ("torch", "Tensor"): _TENSOR_TYPE,
    ("torch", "Size"): _torch_size,
    ("torch", "device"): _device,
}


def _np_reconstruct(cls: Any, shape: Any, code: Any) -> np.ndarray:
    if cls is not np.ndarray:
        raise SerializationError(f"refusing to rebuild NumPy subclass {cls!r:.60}")
    return np.ndarray((0,), np.uint8)  # __setstate__ gives it its real shape and data


def _np_dtype(name: Any, align: Any = False, copy: Any = False) -> np.dtype:
    dt = np.dtype(str(name))
    if dt.hasobject:
        raise SerializationError("refusing NumPy object arrays in a weights-only load")
    return dt


def _np_scalar(dt: Any, data: Any = None) -> Any:
    if not isinstance(dt, np.dtype) or dt.hasobject or not isinstance(data, bytes):
        raise SerializationError("refusing a NumPy scalar that is not plain numeric data")
    return np.frombuffer(data, dtype=dt, count=1)[0]


_NUMPY_GLOBALS: dict[tuple[str, str], Any] = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _np_dtype,
}
for _mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
    _NUMPY_GLOBALS[(_mod, "_reconstruct")] = _np_reconstruct
    _NUMPY_GLOBALS[(_mod, "scalar")] = _np_scalar


# -- zip archives (torch.save's default since PyTorch 1.6) ---------------------------------------
def _stored_offset(f: IO[bytes], info: zipfile.ZipInfo, size: int) -> int:
    """Where the bytes of a stored (uncompressed) zip member start in the file."""
    f.seek(info.header_offset)
    local = read_exact(f, 30, f"the zip header of {info.filename}")
    if local[:4] != b"PK\x03\x04":
        raise _corrupt(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    if start + info.file_size > size:
        raise _corrupt(f"{info.filename} runs past the end of the file")
    return start


def check_record_name(name: str, what: str) -> None:
    """Refuse names that could leave their folder: '..' parts, absolute or drive paths."""
    parts = name.replace("\\", "/").split("/")
    if (
        not name
        or name.startswith(("/", "\\"))
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or "\0" in name
    ):
        raise SerializationError(
            f"refusing {what} {name!r}: it names a path outside the archive's folder "
            "(absolute, or with '..' parts); torch.save never writes such names"
        )


class _ZipArchive:
    """A torch.save zip: one top-level folder holding data.pkl, data/<key>, byteorder, ..."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.size = remaining_size(f)
        try:
            self.zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise SerializationError(f"not a readable zip archive (truncated?): {e}") from None
        names = [i.filename for i in self.zf.infolist()]
        for name in names:
            check_record_name(name, "zip member")
        pkl = [n for n in names if n.endswith("data.pkl") and n.count("/") == 1]
        if len(pkl) != 1:
            raise _corrupt(f"expected one <archive>/data.pkl record, found {pkl[:3]}")
        self.prefix = pkl[0][: -len("data.pkl")]

    def info(self, name: str) -> zipfile.ZipInfo | None:
        try:
            return self.zf.getinfo(self.prefix + name)
        except KeyError:
            return None

    def read_record(self, name: str, nbytes: int | None = None) -> np.ndarray:
        info = self.info(name)
        if info is None:
            raise _corrupt(f"missing record {self.prefix + name}")
        if info.compress_type != zipfile.ZIP_STORED:
            raise SerializationError(
                f"record {info.filename} is compressed; torch.save writes stored records, and "
                "ember reads only those (unzip and re-zip with -0, or re-save in PyTorch)"
            )
        if nbytes is not None and info.file_size != nbytes:
            raise _corrupt(
                f"record {info.filename} has {info.file_size} bytes, the pickle expects {nbytes}"
            )
        self.f.seek(_stored_offset(self.f, info, self.size or 0))
        return read_into_array(self.f, info.file_size, info.filename)

    def text(self, name: str) -> str | None:
        info = self.info(name)
        if info is None:
            return None
        if info.file_size > 64:
            raise _corrupt(f"record {info.filename} is too long")
        return self.read_record(name).tobytes().decode("ascii", "replace").strip()


def load_zip(f: IO[bytes], map_location: Any, weights_only: bool) -> Any:
    """Read a torch.save zip archive from the seekable binary file ``f``."""
    arch = _ZipArchive(f)
    order = arch.text("byteorder") or "little"
    if order not in ("little", "big"):
        raise _corrupt(f"unknown byteorder record {order!r}")
    data = arch.read_record("data.pkl").tobytes()
    _unpickle.check_pickle(data)
    loader = _Loader(
        data,
        map_location,
        weights_only,
        order == "big",
        lambda key, n: arch.read_record(f"data/{key}", n),
        arch.size,
    )
    return loader.finish(_unpickle.run_unpickler(loader, "the checkpoint's data.pkl"))


# -- the legacy format (torch.save(..., _use_new_zipfile_serialization=False)) ------------------
def _plain_pickle(buf: bytes, pos: int, what: str) -> tuple[Any, int]:
    """Unpickle one globals-free pickle at ``buf[pos:]``; return it and where it ends."""
    end = _unpickle.check_pickle(buf, pos)
    value = _unpickle.run_unpickler(_unpickle.RestrictedUnpickler(io.BytesIO(buf[pos:end])), what)
    return value, end


def is_legacy(head: bytes) -> bool:
    """True when ``head`` starts like a legacy torch.save file (a pickled magic number)."""
    return head[:4] == b"\x80\x02\x8a\x0a" and head[4:14] == LEGACY_MAGIC.to_bytes(10, "little")


def load_legacy(f: IO[bytes], map_location: Any, weights_only: bool) -> Any:
    """Read a legacy-format torch.save file (a sequence of pickles, then raw storages)."""
    buf = f.read()
    magic, pos = _plain_pickle(buf, 0, "the magic number")
    version, pos = _plain_pickle(buf, pos, "the protocol version")
    if magic != LEGACY_MAGIC or version != LEGACY_PROTOCOL:
        raise _corrupt(f"bad legacy magic number or protocol version {version!r:.20}")
    info, pos = _plain_pickle(buf, pos, "the system info")
    if not isinstance(info, dict):
        raise _corrupt("system info is not a dict")
    end = _unpickle.check_pickle(buf, pos)
    loader = _Loader(
        buf[pos:end],
        map_location,
        weights_only,
        not info.get("little_endian", True),
        lambda key, n: None,
        len(buf),
    )
    result = _unpickle.run_unpickler(loader, "the checkpoint's pickle")
    keys, pos = _plain_pickle(buf, end, "the storage keys")
    if not isinstance(keys, list):
        raise _corrupt("storage key list is not a list")
    view = memoryview(buf)
    for key in keys:
        st = loader.storages.get(key) if isinstance(key, str) else None
        if st is None:
            raise _corrupt(f"storage key {key!r:.40} is not used by the pickle")
        pos = _legacy_storage(view, pos, st, loader.big_endian)
    return loader.finish(result)


def _legacy_storage(view: memoryview, pos: int, st: _Storage, big_endian: bool) -> int:
    """Read one ``<int64 numel><bytes>`` storage record into ``st``; return the next position."""
    if pos + 8 + st.nbytes > len(view):
        raise SerializationError(
            f"legacy checkpoint is truncated: storage {st.key!r} needs {st.nbytes} bytes at {pos}"
        )
    numel = int.from_bytes(view[pos : pos + 8], "big" if big_endian else "little")
    if numel * st.dtype.itemsize != st.nbytes:
        raise _corrupt(f"storage {st.key!r} record says {numel} elements, the pickle disagrees")
    st.raw = np.frombuffer(view[pos + 8 : pos + 8 + st.nbytes], dtype=np.uint8).copy()
    return pos + 8 + st.nbytes
