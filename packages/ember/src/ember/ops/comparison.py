"""Comparisons and logical ops. Their results are bool tensors outside the graph."""

from __future__ import annotations

from typing import Any

from ember._argcheck import shape_error
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.ops._util import binary_operands
from ember.ops.inplace import apply_inplace

__all__ = [
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
    "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "equal",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isclose", "allclose",
    "bitwise_left_shift", "bitwise_right_shift",
]

_TORCH_NAMES = {"f": "Float", "c": "ComplexFloat"}


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _check_integral(name: str, *arrays: Any) -> None:
    """NotImplementedError (PyTorch's) for bitwise ops on floating or complex operands."""
    for arr in arrays:
        kind = getattr(arr, "dtype", None)
        kind = np_kind(kind) if kind is not None else ("f" if isinstance(arr, float) else "i")
        if kind in "fc":
            raise NotImplementedError(
                f'"{name}_cpu" not implemented for \'{_TORCH_NAMES[kind]}\' (bitwise ops need '
                "integer or bool tensors)"
            )


def _compare(name: str, ufunc_name: str) -> Any:
    bitwise = name.startswith("bitwise")

    def fn(input: Any, other: Any) -> Tensor:
        if not bitwise and not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        a, b = binary_operands(name, input, other)
        ad, bd = _raw(a), _raw(b)
        if bitwise:
            _check_integral(name, ad, bd)
        xp = get_xp(ad if hasattr(ad, "dtype") else bd)
        try:
            return _wrap(xp.asarray(getattr(xp, ufunc_name)(ad, bd)))
        except ValueError as err:
            raise shape_error(name, (ad, bd), err) from err

    fn.__name__ = name
    fn.__doc__ = (
        f"Elementwise ``{ufunc_name}`` of ``input`` and ``other`` (tensors or numbers, broadcast); "
        "returns a bool tensor (bitwise ops keep the integer dtype)."
    )
    return fn


eq = _compare("eq", "equal")
ne = _compare("ne", "not_equal")
lt = _compare("lt", "less")
le = _compare("le", "less_equal")
gt = _compare("gt", "greater")
ge = _compare("ge", "greater_equal")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and = _compare("logical_and", "logical_and")
logical_or = _compare("logical_or", "logical_or")
logical_xor = _compare("logical_xor", "logical_xor")
bitwise_and = _compare("bitwise_and", "bitwise_and")
bitwise_or = _compare("bitwise_or", "bitwise_or")
bitwise_xor = _compare("bitwise_xor", "bitwise_xor")
bitwise_left_shift = _compare("bitwise_left_shift", "left_shift")
bitwise_right_shift = _compare("bitwise_right_shift", "right_shift")


def logical_not(input: Tensor) -> Tensor:
    """Elementwise logical NOT; a bool tensor."""
    return _wrap(get_xp(input._data).logical_not(input._data))


def bitwise_not(input: Tensor) -> Tensor:
    """Elementwise bitwise NOT (logical NOT for bool tensors)."""
    _check_integral("bitwise_not", input._data)
    return _wrap(get_xp(input._data).invert(input._data))


def equal(input: Tensor, other: Tensor) -> bool:
    """True when both tensors have the same shape and elements."""
    if input._data.shape != other._data.shape:
        return False
    return bool(get_xp(input._data).array_equal(input._data, other._data))


def isclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|``, with infinities equal to
    themselves and NaN equal to NaN only when ``equal_nan``.

    Args:
        input: a tensor.
        other: a tensor or number, broadcast against ``input``.
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: treat two NaNs as close.

    Returns:
        A bool tensor.

    Example:
        >>> ember.isclose(ember.tensor([1.0, 2.0]), ember.tensor([1.0 + 1e-9, 2.1]))
        tensor([ True, False])
    """
    if rtol < 0 or atol < 0:
        raise RuntimeError(f"isclose(): rtol and atol must be non-negative, got {rtol}, {atol}")
    a, b = binary_operands("isclose", input, other)
    ad, bd = _raw(a), _raw(b)
    xp = get_xp(ad if hasattr(ad, "dtype") else bd)
    return _wrap(xp.asarray(xp.isclose(ad, bd, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """True when every element of ``input`` is close to ``other`` (see ``isclose``).

    Example:
        >>> ember.allclose(ember.tensor([1.0]), ember.tensor([1.0 + 1e-9]))
        True
    """
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def _r(fn: Any) -> Any:
    return lambda self, other: fn(other, self)


def _operator(fn: Any) -> Any:
    """``==`` and ``!=`` with a non-number (None, a string) fall back to Python's identity test."""

    def op(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, int, float, bool, complex)) and not hasattr(
            other, "dtype"
        ):
            return NotImplemented
        return fn(self, other)

    op.__name__ = fn.__name__
    return op


def _inplace(fn: Any) -> Any:
    """``x.op_(...)``: the result written into ``x`` (cast to its dtype)."""
    def method(self: Tensor, *args: Any) -> Tensor:
        return apply_inplace(self, fn(self, *args), fn.__name__ + "_")

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place ``{fn.__name__}``."
    return method


_INPLACE = {
    name + "_": _inplace(globals()[name])
    for name in ("eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
                 "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
                 "bitwise_left_shift", "bitwise_right_shift")
}

TENSOR_METHODS = {
    **_INPLACE,
    "greater_": _INPLACE["gt_"], "greater_equal_": _INPLACE["ge_"], "less_": _INPLACE["lt_"],
    "less_equal_": _INPLACE["le_"], "not_equal_": _INPLACE["ne_"],
    "__iand__": _INPLACE["bitwise_and_"], "__ior__": _INPLACE["bitwise_or_"],
    "__ixor__": _INPLACE["bitwise_xor_"], "__ilshift__": _INPLACE["bitwise_left_shift_"],
    "__irshift__": _INPLACE["bitwise_right_shift_"],
    "bitwise_left_shift": bitwise_left_shift, "bitwise_right_shift": bitwise_right_shift,
    "__lshift__": bitwise_left_shift, "__rshift__": bitwise_right_shift,
    "__rlshift__": _r(bitwise_left_shift), "__rrshift__": _r(bitwise_right_shift),
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge, "greater": gt,
    "greater_equal": ge, "less": lt, "less_equal": le, "not_equal": ne, "equal": equal,
    "logical_and": logical_and, "logical_or": logical_or, "logical_xor": logical_xor,
    "logical_not": logical_not, "bitwise_and": bitwise_and, "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor, "bitwise_not": bitwise_not,
    "isclose": isclose, "allclose": allclose,
    "__eq__": _operator(eq), "__ne__": _operator(ne), "__lt__": lt, "__le__": le, "__gt__": gt,
    "__ge__": ge,
    "__and__": bitwise_and, "__or__": bitwise_or, "__xor__": bitwise_xor,
    "__rand__": _r(bitwise_and), "__ror__": _r(bitwise_or), "__rxor__": _r(bitwise_xor),
    "__invert__": bitwise_not,
}
