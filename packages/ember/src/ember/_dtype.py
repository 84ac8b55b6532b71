"""Data types and PyTorch's type-promotion rules.

An ``ember.dtype`` wraps a NumPy dtype. Promotion follows PyTorch: categories are
bool < integer < floating; a Python scalar or a zero-dimensional tensor only changes the
result's dtype when it belongs to a higher category than the dimensioned operands.

``bfloat16`` is stored as ``ml_dtypes.bfloat16``, whose NumPy kind is ``"V"`` (not ``"f"``):
ask :func:`np_kind` rather than ``arr.dtype.kind`` when the answer must treat it as floating.
"""

from __future__ import annotations

import builtins

import ml_dtypes
import numpy as np

__all__ = [
    "dtype",
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "get_default_dtype",
    "set_default_dtype",
    "result_type",
    "promote_types",
    "can_cast",
    "finfo",
    "iinfo",
    "np_kind",
    "is_floating_np",
]

_BF16_NP = np.dtype(ml_dtypes.bfloat16)


def np_kind(np_dtype: np.dtype) -> str:
    """``np_dtype.kind``, except ``"f"`` for bfloat16 (``ml_dtypes`` gives it kind ``"V"``).

    The one place that knows bfloat16 is a floating type: code that asks "is this array
    floating?" calls this instead of reading ``.kind``.

    Args:
        np_dtype: a NumPy dtype (an array's ``.dtype``).

    Returns:
        One of NumPy's kind letters: ``"b"``, ``"u"``, ``"i"``, ``"f"``, ``"c"``, ...

    Example:
        >>> np_kind(ember.ones(2, dtype=ember.bfloat16).numpy().dtype)
        'f'
    """
    kind = np_dtype.kind
    return "f" if kind == "V" and np_dtype == _BF16_NP else kind


def is_floating_np(np_dtype: np.dtype) -> builtins.bool:
    """True for NumPy's float dtypes and bfloat16 (see :func:`np_kind`)."""
    return np_kind(np_dtype) == "f"


class dtype:
    """A tensor element type, such as ``ember.float32``.

    Args:
        name: the PyTorch-style name, for example ``"float32"``.
        np_dtype: the NumPy dtype that stores it.

    Example:
        >>> ember.ones(2).dtype
        ember.float32
    """

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_signed", "_category")

    def __init__(self, name: str, np_dtype: np.dtype) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        kind = np_kind(self.np)
        self.is_floating_point = kind == "f"
        self.is_signed = kind in "ifc"
        self._category = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}[kind]

    def __repr__(self) -> str:
        return f"ember.{self.name}"

    def __reduce__(self) -> str:
        return self.name

    @property
    def is_complex(self) -> bool:
        """True for complex64 and complex128."""
        return self._category == 3

    def to_real(self) -> dtype:
        """The real counterpart: float32 for complex64, float64 for complex128, else itself."""
        return _TO_REAL.get(self, self)

    def to_complex(self) -> dtype:
        """The complex dtype with this real precision: complex64 for float32 and float16."""
        if self._category == 3:
            return self
        return complex128 if self is float64 else complex64


bool = dtype("bool", np.bool_)  # noqa: A001 - PyTorch's public name
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
float16 = dtype("float16", np.float16)
bfloat16 = dtype("bfloat16", _BF16_NP)  # ml_dtypes: NumPy has no bfloat16 of its own
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
complex64 = dtype("complex64", np.complex64)
complex128 = dtype("complex128", np.complex128)

ALL_DTYPES = (
    bool,
    uint8,
    int8,
    int16,
    int32,
    int64,
    float16,
    bfloat16,
    float32,
    float64,
    complex64,
    complex128,
)
_TO_REAL = {complex64: float32, complex128: float64}
_FROM_NP = {d.np: d for d in ALL_DTYPES}
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_ALIASES = {
    "half": float16,
    "float": float32,
    "double": float64,
    "short": int16,
    "int": int32,
    "long": int64,
    "cfloat": complex64,
    "cdouble": complex128,
}


class _Defaults:
    float_dtype = float32


def get_default_dtype() -> dtype:
    """Return the dtype that floating-point tensors get when none is given (float32)."""
    return _Defaults.float_dtype


def set_default_dtype(d: dtype) -> None:
    """Set the default floating-point dtype (float32 or float64).

    Args:
        d: ``ember.float32``, ``ember.float64`` or ``ember.float16``.
    """
    d = as_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _Defaults.float_dtype = d


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The ember dtype storing ``np_dtype``; TypeError for types ember does not support."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert NumPy dtype {np_dtype} to an ember dtype; supported: "
            + ", ".join(d.name for d in ALL_DTYPES)
        ) from None


def as_dtype(d: object) -> dtype:
    """Accept an ember dtype, a NumPy dtype, a Python type or a name and return an ember dtype."""
    if type(d) is dtype:
        return d  # type: ignore[return-value]
    if d is float:
        return float64  # PyTorch maps the Python type float to torch.float64
    if d is int:
        return int64
    if d is builtins.bool:
        return bool
    if isinstance(d, str):
        name = d.removeprefix("torch.").removeprefix("ember.")
        found = _BY_NAME.get(name) or _ALIASES.get(name)
        if found is None:
            raise TypeError(f"unknown dtype name {d!r}")
        return found
    return from_numpy_dtype(d)  # type: ignore[arg-type]


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` cast to safely, as ``torch.promote_types``."""
    if a is b:
        return a
    return _PROMOTE[(a, b)]


def _build_promotion_table() -> dict[tuple[dtype, dtype], dtype]:
    table = {}
    for a in ALL_DTYPES:
        for b in ALL_DTYPES:
            if a._category != b._category:
                # PyTorch: a higher category wins outright (int64 + float32 -> float32), except
                # that complex takes the wider precision of a float partner (complex64 + float64
                # -> complex128).
                hi, lo = (a, b) if a._category > b._category else (b, a)
                if hi._category == 3 and lo is float64:
                    hi = complex128
                table[(a, b)] = hi
                continue
            res = np.promote_types(a.np, b.np)
            table[(a, b)] = _FROM_NP.get(res, float64)
    return table


_PROMOTE = _build_promotion_table()


def scalar_category(x: object) -> int:
    """Category of a Python scalar: 0 bool, 1 int, 2 float, 3 complex (-1 if not a scalar)."""
    t = type(x)
    if t is float:
        return 2
    if t is complex:
        return 3
    if t is int:
        return 1
    if t is builtins.bool:
        return 0
    if isinstance(x, np.generic):
        return _FROM_NP.get(x.dtype, float64)._category
    if isinstance(x, float):
        return 2
    if isinstance(x, int):
        return 1
    return -1


def default_for_category(cat: int) -> dtype:
    """The dtype a Python scalar of category ``cat`` gets on its own."""
    if cat == 3:
        return _Defaults.float_dtype.to_complex()
    return (bool, int64, _Defaults.float_dtype)[cat]


def result_type(*operands: object) -> dtype:
    """The dtype PyTorch would give an arithmetic op on ``operands``.

    Dimensioned tensors win over zero-dimensional ones and Python scalars, unless those are of a
    higher category (bool < integer < floating).

    Args:
        operands: tensors and Python scalars.

    Returns:
        The promoted dtype.

    Example:
        >>> ember.result_type(ember.tensor([1, 2]), 1.0)
        ember.float32
    """
    dims = None
    zero = None
    scal = -1
    for op in operands:
        d = getattr(op, "dtype", None)
        if isinstance(d, dtype):
            if getattr(op, "ndim", 1) == 0:
                zero = d if zero is None else promote_types(zero, d)
            else:
                dims = d if dims is None else promote_types(dims, d)
        else:
            scal = max(scal, scalar_category(op))
    result = dims
    if zero is not None:
        result = zero if result is None or zero._category > result._category else result
    if scal >= 0 and (result is None or scal > result._category):
        result = default_for_category(scal)
    return result if result is not None else _Defaults.float_dtype


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """Whether PyTorch's casting rules allow ``from_`` to become ``to`` (no category drop).

    Example:
        >>> ember.can_cast(ember.float64, ember.int32)
        False
    """
    src, dst = as_dtype(from_), as_dtype(to)
    if src._category == 0:
        return True
    return dst._category >= src._category and not (src._category == 1 and dst is bool)


class finfo:
    """Machine limits of a floating-point dtype, as ``torch.finfo``.

    Args:
        type: a floating dtype (or complex, giving its real part's limits); default dtype if None.

    Example:
        >>> ember.finfo(ember.float32).eps
        1.1920928955078125e-07
    """

    def __init__(self, type: dtype | None = None) -> None:  # noqa: A002 - PyTorch's name
        d = _Defaults.float_dtype if type is None else as_dtype(type).to_real()
        if not d.is_floating_point:
            raise TypeError(f"torch.finfo() requires a floating point input type, got {d}")
        info = np.finfo(d.np)
        self.bits = info.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.tiny)
        self.resolution = 10.0 ** -int(info.precision)
        self.dtype = d.name

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype, as ``torch.iinfo``.

    Example:
        >>> ember.iinfo(ember.uint8).max
        255
    """

    def __init__(self, type: dtype) -> None:  # noqa: A002 - PyTorch's name
        d = as_dtype(type)
        if d._category != 1:
            raise TypeError(f"torch.iinfo() requires an integer input type, got {d}")
        info = np.iinfo(d.np)
        self.bits = info.bits
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = d.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
