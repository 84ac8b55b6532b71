"""Complex numbers: parts, conjugate, magnitude helpers, polar form, and the complex product.

Gradients follow PyTorch's convention for complex numbers: for a real loss ``L`` the gradient with
respect to ``z = a + ib`` is ``dL/da + i dL/db`` (the conjugate Wirtinger derivative times two), so
a C-linear map ``y = A z`` sends ``grad_y`` back as ``A^H grad_y`` and a real input keeps the real
part. ``abs`` and ``sgn`` (complex-aware) live with the other unary ops in ``elementwise``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape

__all__ = [
    "real",
    "imag",
    "angle",
    "conj",
    "conj_physical",
    "resolve_conj",
    "view_as_real",
    "view_as_complex",
    "polar",
    "complex",
]


def _is_complex(t: Tensor) -> bool:
    return t._data.dtype.kind == "c"


def _complex_np(real_np: Any) -> Any:
    return np.complex128 if real_np == np.float64 else np.complex64


def _check_tensor(op: str, x: Any) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")


# -- complex helpers -----------------------------------------------------------------------------
class Real(Primitive):
    """The real part of a complex tensor."""

    @staticmethod
    def forward(ctx, z):
        return z.real

    @staticmethod
    def backward(ctx, grad):
        return _to_complex(grad)


class Imag(Primitive):
    """The imaginary part of a complex tensor."""

    @staticmethod
    def forward(ctx, z):
        return z.imag

    @staticmethod
    def backward(ctx, grad):
        return complex(grad * 0, grad)


def _complex_raw(re: Any, im: Any) -> Any:
    xp = get_xp(re)
    shape = (
        xp.broadcast_shapes(re.shape, im.shape)
        if hasattr(xp, "broadcast_shapes")
        else np.broadcast_shapes(re.shape, im.shape)
    )
    out = xp.empty(shape, dtype=_complex_np(re.dtype))
    out.real = re
    out.imag = im
    return out


class Complex(Primitive):
    """``real + i * imag`` from two real tensors (broadcasting)."""

    raw = staticmethod(_complex_raw)

    @staticmethod
    def forward(ctx, re, im):
        ctx.shapes = (re.shape, im.shape)
        return _complex_raw(re, im)

    @staticmethod
    def backward(ctx, grad):
        sa, sb = ctx.shapes
        ga = sum_to_shape(real(grad), sa) if ctx.needs_input_grad[0] else None
        gb = sum_to_shape(imag(grad), sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Conj(Primitive):
    """Complex conjugate."""

    @staticmethod
    def forward(ctx, z):
        return get_xp(z).conj(z)

    @staticmethod
    def backward(ctx, grad):
        return conj(grad)


class Angle(Primitive):
    """The argument ``atan2(imag, real)``; zero gradient for real inputs."""

    @staticmethod
    def forward(ctx, z):
        ctx.save_for_backward(z)
        out = get_xp(z).angle(z)
        if np_kind(z.dtype) in "fc":
            return out.astype(z.real.dtype, copy=False)
        return out.astype(_dtype.get_default_dtype().np)

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        if not _is_complex(z):
            return grad * 0
        re, im = real(z), imag(z)
        mag2 = re * re + im * im
        return complex(-grad * im / mag2, grad * re / mag2)


class ViewAsReal(Primitive):
    """A complex tensor as real pairs in a new last dimension of size 2."""

    @staticmethod
    def forward(ctx, z):
        return get_xp(z).stack([z.real, z.imag], axis=-1)

    @staticmethod
    def backward(ctx, grad):
        return view_as_complex(grad)


class ViewAsComplex(Primitive):
    """Real pairs in the last dimension as a complex tensor."""

    @staticmethod
    def forward(ctx, x):
        return _complex_raw(x[..., 0], x[..., 1])

    @staticmethod
    def backward(ctx, grad):
        return view_as_real(grad)


def _to_complex(x: Tensor) -> Tensor:
    """A real tensor as complex (zero imaginary part); the gradient keeps the real part."""
    if _is_complex(x):
        return x
    zero = _wrap(get_xp(x._data).zeros((), dtype=x._data.dtype))
    return complex(x, zero)


class CMul(Primitive):
    """``a * b`` for complex operands with the conjugating gradient ``grad * conj(b)``.

    Used inside ember's own complex backward formulas so that they stay correct to second
    order whatever the generic ``mul`` does.
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(
            b if ctx.needs_input_grad[0] else None, a if ctx.needs_input_grad[1] else None
        )
        ctx.meta = (a.shape, b.shape, a.dtype.kind == "c", b.dtype.kind == "c")
        return a * b

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        sa, sb, ca, cb = ctx.meta
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = sum_to_shape(cmul(grad, conj(b)), sa)
            ga = ga if ca else real(ga)
        if ctx.needs_input_grad[1]:
            gb = sum_to_shape(cmul(grad, conj(a)), sb)
            gb = gb if cb else real(gb)
        return ga, gb


def cmul(a: Tensor, b: Tensor) -> Tensor:
    """Product of tensors of which one or both may be complex, with correct complex gradients."""
    return CMul.apply(a, b)


def real(input: Tensor) -> Tensor:
    """The real part; a real tensor is returned as is.

    Example:
        >>> ember.real(ember.complex(ember.tensor([1.0]), ember.tensor([2.0])))
        tensor([1.])
    """
    _check_tensor("real", input)
    if not _is_complex(input):
        return input
    return Real.apply(input)


def imag(input: Tensor) -> Tensor:
    """The imaginary part of a complex tensor.

    Example:
        >>> ember.imag(ember.complex(ember.tensor([1.0]), ember.tensor([2.0])))
        tensor([2.])
    """
    _check_tensor("imag", input)
    if not _is_complex(input):
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return Imag.apply(input)


def complex(real: Tensor, imag: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    """A complex tensor from real and imaginary parts of the same float dtype (broadcasting).

    Args:
        real: the real parts (float32 gives complex64, float64 gives complex128).
        imag: the imaginary parts, same dtype as ``real``.

    Returns:
        The complex tensor.

    Example:
        >>> ember.complex(ember.tensor([1.0]), ember.tensor([2.0])).dtype
        ember.complex64
    """
    rd, idt = real._data.dtype, imag._data.dtype
    if rd != idt:
        raise RuntimeError(
            f"Expected object of scalar type {_dtype.from_numpy_dtype(rd)} but got scalar type "
            f"{_dtype.from_numpy_dtype(idt)} for second argument"
        )
    if np_kind(rd) != "f" or rd == np.float16:
        raise RuntimeError(
            f"Expected both inputs to be Float or Double tensors but got {real.dtype} and "
            f"{imag.dtype}"
        )
    return Complex.apply(real, imag)


def conj(input: Tensor) -> Tensor:
    """The complex conjugate; a real tensor is returned as is.

    Example:
        >>> ember.conj(ember.complex(ember.tensor([1.0]), ember.tensor([2.0]))).imag
        tensor([-2.])
    """
    _check_tensor("conj", input)
    if not _is_complex(input):
        return input
    return Conj.apply(input)


def conj_physical(input: Tensor) -> Tensor:
    """The complex conjugate (ember's ``conj`` always materialises it)."""
    return conj(input)


def resolve_conj(input: Tensor) -> Tensor:
    """``input`` itself: ember has no lazy conjugate bit."""
    return input


def angle(input: Tensor) -> Tensor:
    """The elementwise argument (phase) in radians; 0 or pi for real inputs.

    Example:
        >>> ember.angle(ember.complex(ember.tensor([0.0]), ember.tensor([1.0])))
        tensor([1.5708])
    """
    _check_tensor("angle", input)
    return Angle.apply(input)


def view_as_real(input: Tensor) -> Tensor:
    """A complex tensor as a real one with a trailing dimension of size 2 (real, imag).

    Unlike PyTorch this is a copy, not a view.

    Example:
        >>> ember.view_as_real(ember.complex(ember.tensor([1.0]), ember.tensor([2.0])))
        tensor([[1., 2.]])
    """
    if not _is_complex(input):
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return ViewAsReal.apply(input)


def view_as_complex(input: Tensor) -> Tensor:
    """A float tensor whose last dimension has size 2 as a complex tensor (a copy).

    Example:
        >>> ember.view_as_complex(ember.tensor([[1.0, 2.0]])).dtype
        ember.complex64
    """
    if input._data.dtype not in (np.float32, np.float64):
        raise RuntimeError(
            f"view_as_complex is only supported for float and double tensors, but got a tensor "
            f"of scalar type: {input.dtype}"
        )
    if input._data.ndim == 0 or input._data.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    return ViewAsComplex.apply(input)


def polar(abs: Tensor, angle: Tensor) -> Tensor:  # noqa: A002 - PyTorch's argument names
    """The complex tensor ``abs * (cos(angle) + i sin(angle))``.

    Example:
        >>> ember.polar(ember.tensor([2.0]), ember.tensor([0.0]))
        tensor([2.+0.j])
    """
    return Polar.apply(abs, angle)


class Polar(Primitive):
    """``r * exp(i theta)``."""

    @staticmethod
    def forward(ctx, r, theta):
        ctx.shapes = (r.shape, theta.shape)
        xp = get_xp(r)
        z = _complex_raw(r * xp.cos(theta), r * xp.sin(theta))
        ctx.save_for_backward(r, theta, z)
        return z

    @staticmethod
    def backward(ctx, grad):
        r, theta, z = ctx.saved_tensors
        sr, st = ctx.shapes
        unit = polar(_wrap(get_xp(theta._data).ones((), theta._data.dtype)), theta)
        gr = sum_to_shape(real(cmul(grad, conj(unit))), sr) if ctx.needs_input_grad[0] else None
        gt = sum_to_shape(imag(cmul(grad, conj(z))), st) if ctx.needs_input_grad[1] else None
        return gr, gt


def _real_prop(self: Tensor) -> Tensor:
    return real(self)


def _imag_prop(self: Tensor) -> Tensor:
    return imag(self)


TENSOR_METHODS = {
    "real": property(_real_prop),
    "imag": property(_imag_prop),
    "angle": angle,
    "conj": conj,
    "conj_physical": conj_physical,
    "resolve_conj": resolve_conj,
    "is_complex": lambda self: self._data.dtype.kind == "c",
}
