"""Legacy tensor type constructors: ``ember.FloatTensor(2, 3)``, ``ember.LongTensor([1, 2])``.

Older PyTorch programs build tensors through per-dtype "tensor types" and test tensors against
them with ``isinstance``. Ember has one ``Tensor`` class; each legacy type here is a small
class whose metaclass makes calling it build a plain ``Tensor`` of its dtype and makes
``isinstance(t, FloatTensor)`` true for every float32 tensor on the CPU (the ``cuda`` variants
in :data:`CUDA_TYPES` match the same dtypes on a GPU).

Example:
    >>> x = ember.FloatTensor(2, 3)
    >>> x.shape, x.dtype
    (ember.Size([2, 3]), ember.float32)
    >>> isinstance(ember.LongTensor([1, 2]), ember.LongTensor)
    True
    >>> ember.tensor([1, 2]).type(ember.DoubleTensor).dtype
    ember.float64
"""

from __future__ import annotations

from typing import Any

from ember import _dtype
from ember._creation import legacy_new
from ember._tensor import Tensor

__all__ = [
    "FloatTensor",
    "DoubleTensor",
    "HalfTensor",
    "LongTensor",
    "IntTensor",
    "ShortTensor",
    "CharTensor",
    "ByteTensor",
    "BoolTensor",
]


class _LegacyTensorType(type):
    """Metaclass: calling a legacy type builds a Tensor; ``isinstance`` compares dtype/device."""

    _legacy_dtype: _dtype.dtype
    _legacy_device: str

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:  # noqa: D102
        if device is None:
            device = cls._legacy_device
        return legacy_new(args, cls._legacy_dtype, device)

    def __instancecheck__(cls, obj: Any) -> bool:
        return (isinstance(obj, Tensor) and obj.dtype == cls._legacy_dtype
                and obj.device.type == cls._legacy_device)

    def __subclasscheck__(cls, sub: type) -> bool:
        return sub is cls

    def __repr__(cls) -> str:
        return f"<class '{cls.__module__}.{cls.__qualname__}'>"


def _make(name: str, dt: _dtype.dtype, device: str) -> type:
    doc = (f"Legacy constructor for {dt} tensors on {device}: ``{name}(*sizes)`` is uninitialised, "
           f"``{name}(data)`` copies ``data``; ``isinstance(t, {name})`` tests dtype and device.")
    attrs = {"_legacy_dtype": dt, "_legacy_device": device, "__doc__": doc,
             "dtype": dt, "is_cuda": device == "cuda"}
    cls = _LegacyTensorType(name, (), attrs)
    cls.__module__ = "ember.cuda" if device == "cuda" else "ember"
    return cls


_DTYPES = {
    "FloatTensor": _dtype.float32,
    "DoubleTensor": _dtype.float64,
    "HalfTensor": _dtype.float16,
    "LongTensor": _dtype.int64,
    "IntTensor": _dtype.int32,
    "ShortTensor": _dtype.int16,
    "CharTensor": _dtype.int8,
    "ByteTensor": _dtype.uint8,
    "BoolTensor": _dtype.bool,
}

#: The CPU types by name (exported as ``ember.FloatTensor`` and so on).
CPU_TYPES: dict[str, type] = {n: _make(n, dt, "cpu") for n, dt in _DTYPES.items()}
#: The CUDA types by name (for ``ember.cuda.FloatTensor`` and so on).
CUDA_TYPES: dict[str, type] = {n: _make(n, dt, "cuda") for n, dt in _DTYPES.items()}

FloatTensor = CPU_TYPES["FloatTensor"]
DoubleTensor = CPU_TYPES["DoubleTensor"]
HalfTensor = CPU_TYPES["HalfTensor"]
LongTensor = CPU_TYPES["LongTensor"]
IntTensor = CPU_TYPES["IntTensor"]
ShortTensor = CPU_TYPES["ShortTensor"]
CharTensor = CPU_TYPES["CharTensor"]
ByteTensor = CPU_TYPES["ByteTensor"]
BoolTensor = CPU_TYPES["BoolTensor"]
