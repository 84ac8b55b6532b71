"""Products of tensors: matmul and its special forms, einsum, tensordot, kron, cross.

``matmul`` is the hot path (every Linear layer): its wrapper does one dtype check and calls the
backend's ``matmul`` (BLAS on CPU, cuBLAS on GPU); shape errors are translated into PyTorch's
messages only after the backend has rejected the operands. Its backward is written with
``matmul`` itself, so it is differentiable any number of times. Most other products here are
compositions of ``matmul`` and ``einsum``.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.amp.autocast_mode import FP32, LOWER, autocast_op
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops._dims import norm_dims, wrap_dim
from ember.ops._util import check_same_device, grad_needed, return_type
from ember.ops.complex import _to_complex, cmul, conj, real
from ember.ops.elementwise import abs as abs_
from ember.ops.elementwise import sgn
from ember.ops.inplace import apply_inplace
from ember.ops.shape import cat

__all__ = [
    "matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "addmm", "addmv",
    "addr", "baddbmm", "addbmm", "einsum", "tensordot", "kron", "cross", "chain_matmul",
]

# c10's scalar type names, used in PyTorch's dtype-mismatch messages.
_C10 = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
    "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
    "bfloat16": "c10::BFloat16",
}
# PyTorch's ScalarType names, used in other messages.
_SCALAR_NAMES = {
    "float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
    "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble", "bfloat16": "BFloat16",
}


def _mH(t: Tensor) -> Tensor:
    """Conjugate transpose of the last two dimensions (plain transpose for real tensors)."""
    return conj(t.transpose(-2, -1))


def _fit(grad: Tensor, like_dtype: Any) -> Tensor:
    """A gradient for a real input keeps only the real part of a complex gradient."""
    if like_dtype.kind != "c" and grad._data.dtype.kind == "c":
        return real(grad)
    return grad


def _matmul_message(sa: tuple[int, ...], sb: tuple[int, ...]) -> str:
    """PyTorch's error message for operands whose shapes ``matmul`` cannot combine."""
    if not sa or not sb:
        return (f"both arguments to matmul need to be at least 1D, but they are {len(sa)}D and "
                f"{len(sb)}D")
    if len(sa) == 1 and len(sb) == 1:
        return (f"inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] to have "
                f"the same number of elements, but got {sa[0]} and {sb[0]} elements respectively")
    if len(sb) == 1:
        rows = int(np.prod(sa[:-1]))
        return f"size mismatch, got input ({rows}), mat ({rows}x{sa[-1]}), vec ({sb[0]})"
    if len(sa) <= 2 and len(sb) == 2:
        a2 = (1,) + sa if len(sa) == 1 else sa
        return (f"mat1 and mat2 shapes cannot be multiplied ({a2[0]}x{a2[1]} and "
                f"{sb[0]}x{sb[1]})")
    batch_a, batch_b = sa[:-2], sb[:-2]
    try:
        batch = np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        return _broadcast_message(batch_a, batch_b)
    n = int(np.prod(batch))
    return (f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {sa[-1]}] "
            f"but got: [{n}, {sb[-2]}].")


def _broadcast_message(sa: tuple[int, ...], sb: tuple[int, ...]) -> str:
    nd = max(len(sa), len(sb))
    pa, pb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    for i in range(nd - 1, -1, -1):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            return (f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) "
                    f"at non-singleton dimension {i}")
    return f"shapes {list(sa)} and {list(sb)} cannot be broadcast"


def _raw_matmul(a: Any, b: Any) -> Any:
    try:
        return get_xp(a).matmul(a, b)
    except ValueError:
        raise RuntimeError(_matmul_message(a.shape, b.shape)) from None


def _check_operands(op: str, a: Any, b: Any) -> None:
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        bad = b if isinstance(a, Tensor) else a
        raise TypeError(f"{op}(): argument must be Tensor, not {type(bad).__name__}")
    ad, bd = a._data, b._data
    if ad.dtype != bd.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C10.get(a.dtype.name)} != "
            f"{_C10.get(b.dtype.name)}"
        )
    if type(ad) is not type(bd):
        check_same_device(op, ad, bd)


class Matmul(Primitive):
    """Matrix product with NumPy's 1-D and batch-broadcasting rules."""

    @staticmethod
    def forward(ctx, a, b):
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[0] else None, a if need[1] else None)
        ctx.shapes = (a.shape, b.shape, a.dtype, b.dtype)
        return _raw_matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        sa, sb, da, db = ctx.shapes
        g = grad
        if len(sa) == 1 and len(sb) == 1:
            g = g.reshape(1, 1)
        elif len(sa) == 1:
            g = g.reshape(g._data.shape[:-1] + (1, g._data.shape[-1]))
        elif len(sb) == 1:
            g = g.reshape(g._data.shape + (1,))
        ga = gb = None
        if ctx.needs_input_grad[0]:
            b2 = b.reshape(sb + (1,)) if len(sb) == 1 else b
            ga = _unbatch(matmul(g, _mH(b2)), sa, lead=True)
            ga = _fit(ga, da)
        if ctx.needs_input_grad[1]:
            a2 = a.reshape((1,) + sa) if len(sa) == 1 else a
            gb = _unbatch(matmul(_mH(a2), g), sb, lead=False)
            gb = _fit(gb, db)
        return ga, gb


def _unbatch(grad: Tensor, shape: tuple[int, ...], lead: bool) -> Tensor:
    """Sum a gradient over broadcast batch dimensions; drop the unit dim of a 1-D operand."""
    if len(shape) != 1:
        return sum_to_shape(grad, shape)
    two = (1,) + shape if lead else shape + (1,)
    return sum_to_shape(grad, two).reshape(shape)


@autocast_op(LOWER)
def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with PyTorch's rules for 1-D operands and broadcast batch dimensions.

    Args:
        input: first operand (at least 1-D).
        other: second operand (at least 1-D), same dtype as ``input``.
        out: optional tensor to write the result into.

    Returns:
        The product: a scalar for two vectors, otherwise the broadcast batch of products.

    Example:
        >>> ember.matmul(ember.ones(2, 3), ember.ones(3)).shape
        ember.Size([2])
    """
    _check_operands("matmul", input, other)
    res = Matmul.apply(input, other)
    if out is not None:
        out.copy_(res)  # type: ignore[attr-defined]
        return out
    return res


def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return matmul(other, self)


@autocast_op(LOWER)
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices (no broadcasting).

    Example:
        >>> ember.mm(ember.ones(2, 3), ember.ones(3, 4)).shape
        ember.Size([2, 4])
    """
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


@autocast_op(LOWER)
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched product of two 3-D tensors of shapes (b, n, m) and (b, m, p), no broadcasting.

    Example:
        >>> ember.bmm(ember.ones(5, 2, 3), ember.ones(5, 3, 4)).shape
        ember.Size([5, 2, 4])
    """
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    sa, sb = input._data.shape, mat2._data.shape
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{sa[0]}, {sa[2]}] "
            f"but got: [{sb[0]}, {sb[1]}]."
        )
    return matmul(input, mat2)


@autocast_op(LOWER, devices=("cuda",))
def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product.

    Example:
        >>> ember.mv(ember.ones(2, 3), ember.ones(3))
        tensor([3., 3.])
    """
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {input._data.ndim}, {vec._data.ndim}"
        )
    return matmul(input, vec)


def _check_vectors(op: str, a: Tensor, b: Tensor) -> None:
    if a._data.ndim != 1 or b._data.ndim != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {a._data.ndim}D and {b._data.ndim}D tensors"
        )
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"{op} : expected both vectors to have same dtype, but found "
            f"{_SCALAR_NAMES.get(a.dtype.name)} and {_SCALAR_NAMES.get(b.dtype.name)}"
        )


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors (no conjugation; see ``vdot``).

    Example:
        >>> ember.dot(ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0]))
        tensor(11.)
    """
    _check_vectors("dot", input, tensor)
    return matmul(input, tensor)


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """``dot(conj(input), other)``.

    Example:
        >>> ember.vdot(ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0]))
        tensor(11.)
    """
    _check_vectors("vdot", input, other)
    return matmul(conj(input), other)


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum of products over the last dimension of both operands (a product with a scalar).

    Example:
        >>> ember.inner(ember.ones(2, 3), ember.ones(4, 3)).shape
        ember.Size([2, 4])
    """
    if input._data.ndim == 0 or other._data.ndim == 0:
        return input * other
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input._data.shape)} and {list(other._data.shape)}"
        )
    return tensordot(input, other, ([-1], [-1]))


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors: ``out[i, j] = input[i] * vec2[j]``.

    Example:
        >>> ember.outer(ember.ones(2), ember.ones(3)).shape
        ember.Size([2, 3])
    """
    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


def _scaled_sum(input: Tensor, product: Tensor, beta: Any, alpha: Any) -> Tensor:
    """``beta * input + alpha * product``; with ``beta == 0`` the input is ignored (even NaN).

    For integer products ``beta`` and ``alpha`` are truncated to integers, and for boolean ones
    the sum is a logical or, as PyTorch."""
    kind = product._data.dtype.kind
    if kind == "b":
        out = product if alpha else product & False
        return out | input if beta else out
    if kind in "iu":
        beta, alpha = int(beta), int(alpha)
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product
    return (input if beta == 1 else input * beta) + product


@autocast_op(LOWER)
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``.

    Example:
        >>> ember.addmm(ember.zeros(2, 4), ember.ones(2, 3), ember.ones(3, 4))[0, 0]
        tensor(3.)
    """
    return _scaled_sum(input, mm(mat1, mat2), beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``.

    Example:
        >>> ember.addmv(ember.ones(2), ember.ones(2, 3), ember.ones(3))
        tensor([4., 4.])
    """
    return _scaled_sum(input, mv(mat, vec), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)``."""
    return _scaled_sum(input, outer(vec1, vec2), beta, alpha)


@autocast_op(LOWER)
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
            alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``.

    Example:
        >>> ember.baddbmm(ember.zeros(5, 2, 4), ember.ones(5, 2, 3), ember.ones(5, 3, 4)).shape
        ember.Size([5, 2, 4])
    """
    return _scaled_sum(input, bmm(batch1, batch2), beta, alpha)


@autocast_op(LOWER)
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
           alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * sum_b batch1[b] @ batch2[b]``."""
    return _scaled_sum(input, bmm(batch1, batch2).sum(0), beta, alpha)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of several matrices, left to right."""
    out = matrices[0]
    for m in matrices[1:]:
        out = mm(out, m)
    return out


# -- einsum --------------------------------------------------------------------------------------
_LETTERS = string.ascii_letters


class Einsum(Primitive):
    """Einstein summation over explicit subscripts (no ellipsis, no broadcasting).

    The gradient of each operand is another einsum of the output gradient with the other
    operands; repeated subscripts (diagonals) and subscripts summed away inside one operand are
    handled with identity and ones operands.
    """

    @staticmethod
    def forward(ctx, equation, *operands):
        ctx.equation = equation
        ctx.meta = [(op.shape, op.dtype) for op in operands]
        ctx.save_for_backward(*operands)
        return get_xp(operands[0]).einsum(equation, *operands, optimize=True)

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        lhs, out = ctx.equation.split("->")
        terms = lhs.split(",")
        sizes = _letter_sizes(terms, [m[0] for m in ctx.meta])
        grads: list[Any] = [None]
        for i in range(len(terms)):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            g = _einsum_operand_grad(grad, terms, out, i, operands, sizes)
            grads.append(_fit(g, ctx.meta[i][1]))
        return tuple(grads)


def _letter_sizes(terms: list[str], shapes: list[tuple[int, ...]]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes):
        for c, n in zip(term, shape):
            sizes[c] = n
    return sizes


def _einsum_operand_grad(grad: Tensor, terms: list[str], out: str, i: int,
                         operands: tuple[Tensor, ...], sizes: dict[str, int]) -> Tensor:
    xp = get_xp(grad._data)
    used = set("".join(terms) + out)
    fresh = (c for c in _LETTERS if c not in used)
    others = [conj(t) for j, t in enumerate(operands) if j != i]
    other_terms = [t for j, t in enumerate(terms) if j != i]
    elsewhere = set(out + "".join(other_terms))
    extra_terms, extra_ops, target, seen = [], [], "", set()
    dt = grad._data.dtype
    for c in terms[i]:
        if c in seen:  # a repeated subscript: the gradient lives on the diagonal
            new = next(fresh)
            target += new
            extra_terms.append(c + new)
            extra_ops.append(_wrap(xp.eye(sizes[c], dtype=dt)))
            continue
        seen.add(c)
        target += c
        if c not in elsewhere:  # summed inside this operand only: broadcast back
            extra_terms.append(c)
            extra_ops.append(_wrap(xp.ones(sizes[c], dtype=dt)))
    eq = ",".join([out] + other_terms + extra_terms) + "->" + target
    return _einsum_explicit(eq, [grad] + others + extra_ops)


def _einsum_explicit(equation: str, operands: list[Tensor]) -> Tensor:
    return Einsum.apply(equation, *operands)


def _parse_einsum(equation: str, operands: list[Tensor]) -> tuple[list[str], str]:
    """Explicit per-operand subscripts and output subscripts, with ``...`` spelled out."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        more = "more" if len(operands) > len(terms) else "fewer"
        raise RuntimeError(f"einsum(): {more} operands were provided than specified in the "
                           "equation")
    used = set(eq)
    pool = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for term, op in zip(terms, operands):
        if "..." in term:
            n_ell = max(n_ell, op._data.ndim - (len(term) - 3))
    ell = "".join(pool[:n_ell])
    expanded = []
    for term, op in zip(terms, operands):
        if "..." in term:
            k = op._data.ndim - (len(term) - 3)
            term = term.replace("...", ell[n_ell - k:] if k else "")
        if len(term) != op._data.ndim or not all(c in _LETTERS for c in term):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match "
                f"the number of dimensions ({op._data.ndim}) for operand {len(expanded)}"
                + ("" if "..." in eq else " and no ellipsis was given")
            )
        expanded.append(term)
    if arrow:
        out = out.replace("...", ell)
    else:
        letters = "".join(expanded)
        out = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1
                                   and c not in ell))
    return expanded, out


def _broadcast_operands(terms: list[str], operands: list[Tensor]) -> list[Tensor]:
    """Expand size-1 dimensions to the size other operands give the same subscript."""
    sizes: dict[str, int] = {}
    for j, (term, op) in enumerate(zip(terms, operands)):
        for c, n in zip(term, op._data.shape):
            seen = sizes.get(c)
            if seen is None or seen == 1:
                sizes[c] = n
            elif n != seen and n != 1:
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {j} which does not "
                    f"broadcast with previously seen size {seen}"
                )
    out = []
    for term, op in zip(terms, operands):
        target = tuple(sizes[c] for c in term)
        out.append(op if op._data.shape == target else op.expand(target))
    return out


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, as ``torch.einsum`` (ellipsis and implicit output supported).

    Contractions are ordered by ``numpy.einsum(..., optimize=True)`` (BLAS where possible).

    Args:
        equation: subscripts such as ``"bij,bjk->bik"``.
        operands: the tensors (or one list of tensors).

    Returns:
        The contraction.

    Example:
        >>> ember.einsum("ij,jk->ik", ember.ones(2, 3), ember.ones(3, 4)).shape
        ember.Size([2, 4])
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    ops = list(operands)
    terms, out = _parse_einsum(equation, ops)
    dt = _dtype.result_type(*ops) if len(ops) > 1 else ops[0].dtype
    ops = [op if op.dtype is dt else op.to(dt) for op in ops]
    ops = _broadcast_operands(terms, ops)
    return _einsum_explicit(",".join(terms) + "->" + out, ops)


def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Tensor | None = None) -> Tensor:
    """Contract the last ``dims`` dimensions of ``a`` with the first ``dims`` of ``b``, or the
    dimension lists ``dims = (dims_a, dims_b)``.

    Example:
        >>> ember.tensordot(ember.ones(2, 3, 4), ember.ones(3, 4, 5)).shape
        ember.Size([2, 5])
    """
    na, nb = a._data.ndim, b._data.ndim
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(range(na - dims, na)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da = [wrap_dim(d, na, "tensordot") for d in da]
    db = [wrap_dim(d, nb, "tensordot") for d in db]
    for x, y in zip(da, db):
        if a._data.shape[x] != b._data.shape[y]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a._data.shape[x]} in "
                f"dim {x - na if x == na - 1 else x} and second has size {b._data.shape[y]} in "
                f"dim {y}"
            )
    ta = list(_LETTERS[:na])
    tb = list(_LETTERS[na:na + nb])
    for x, y in zip(da, db):
        tb[y] = ta[x]
    keep = [c for i, c in enumerate(ta) if i not in da] + [c for i, c in enumerate(tb)
                                                           if i not in db]
    res = einsum("".join(ta) + "," + "".join(tb) + "->" + "".join(keep), a, b)
    if out is not None:
        out.copy_(res)  # type: ignore[attr-defined]
        return out
    return res


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product.

    Example:
        >>> ember.kron(ember.eye(2), ember.ones(2, 2)).shape
        ember.Size([4, 4])
    """
    nd = max(input._data.ndim, other._data.ndim)
    sa = (1,) * (nd - input._data.ndim) + input._data.shape
    sb = (1,) * (nd - other._data.ndim) + other._data.shape
    a = input.reshape(tuple(x for s in sa for x in (s, 1)))
    b = other.reshape(tuple(x for s in sb for x in (1, s)))
    return (a * b).reshape(tuple(x * y for x, y in zip(sa, sb)))


def _levi_civita(xp: Any, dtype: Any) -> Tensor:
    eps = np.zeros((3, 3, 3))
    for i, j, k, s in ((0, 1, 2, 1), (1, 2, 0, 1), (2, 0, 1, 1), (0, 2, 1, -1), (2, 1, 0, -1),
                       (1, 0, 2, -1)):
        eps[i, j, k] = s
    return _wrap(xp.asarray(eps, dtype=dtype))


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (default: the first dimension of size 3).

    Example:
        >>> ember.cross(ember.tensor([1.0, 0.0, 0.0]), ember.tensor([0.0, 1.0, 0.0]))
        tensor([0., 0., 1.])
    """
    if dim is None:
        dim = next((i for i, s in enumerate(input._data.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    nd = max(input._data.ndim, other._data.ndim)
    d = wrap_dim(dim, nd, "cross")
    if input._data.shape[d - nd + input._data.ndim] != 3 or (
            other._data.shape[d - nd + other._data.ndim] != 3):
        raise RuntimeError(f"linalg.cross: inputs dimension {d} must have length 3. Got "
                           f"{input._data.shape[d]} and {other._data.shape[d]}")
    a, b = input.transpose(d - nd, -1), other.transpose(d - nd, -1)
    eps = _levi_civita(get_xp(input._data), input._data.dtype)
    return einsum("ijk,...j,...k->...i", eps, a, b).transpose(d - nd, -1)


TENSOR_METHODS = {
    "matmul": matmul, "__matmul__": matmul, "__rmatmul__": _rmatmul, "mm": mm, "bmm": bmm,
    "mv": mv, "dot": dot, "vdot": vdot, "inner": inner, "outer": outer, "ger": outer,
    "addmm": addmm, "addmv": addmv, "addr": addr, "baddbmm": baddbmm, "addbmm": addbmm,
    "kron": kron, "cross": cross, "tensordot": tensordot,
}


# -- decompositions, inverses and norms (exported as ember.linalg.*) -----------------------------
class LinAlgError(RuntimeError):
    """A linear-algebra routine failed (singular matrix, not positive-definite, ...)."""


def _require_tensor(op: str, a: Any, name: str = "A", position: int = 1) -> None:
    """PyTorch's TypeError for a non-tensor argument (``linalg_inv(): argument 'A' ...``)."""
    if not isinstance(a, Tensor):
        fn = op.removeprefix("torch.").replace(".", "_")
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not "
                        f"{type(a).__name__}")


def _square(op: str, a: Tensor) -> None:
    _require_tensor(op, a)
    shape = a._data.shape
    if len(shape) < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if shape[-1] != shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{shape[-2]} by {shape[-1]} matrices")
    if np_kind(a._data.dtype) not in "fc":
        raise RuntimeError(f"{op}: Expected a floating point or complex tensor as input. Got "
                           f"{a.dtype.name.capitalize()}")


def _lapack(op: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    xp = get_xp(args[0])
    try:
        return fn(*args, **kwargs)
    except xp.linalg.LinAlgError as err:
        raise LinAlgError(
            f"{op}: the factorization could not be completed ({err}); the input matrix is "
            "singular or not positive-definite. Check its conditioning, or use pinv/lstsq."
        ) from None




def _eye_like(t: Tensor, n: int) -> Tensor:
    return _wrap(get_xp(t._data).eye(n, dtype=t._data.dtype))


class Inv(Primitive):
    """Matrix inverse; the gradient is ``-Y^H grad Y^H`` with ``Y = inv(A)``."""

    @staticmethod
    def forward(ctx, a):
        y = _lapack("linalg.inv", get_xp(a).linalg.inv, a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        yh = _mH(y)
        return -matmul(matmul(yh, grad), yh)


def inv(A: Tensor) -> Tensor:
    """Inverse of a square matrix (or a batch of them).

    Example:
        >>> ember.linalg.inv(ember.eye(2) * 2)
        tensor([[0.5000, 0.0000],
                [0.0000, 0.5000]])
    """
    _square("linalg.inv", A)
    return Inv.apply(A)


inverse = inv


class Solve(Primitive):
    """``X = A^-1 B`` for matrices ``B`` (batch dimensions broadcast)."""

    @staticmethod
    def forward(ctx, a, b):
        x = _lapack("linalg.solve", get_xp(a).linalg.solve, a, b)
        ctx.save_for_backward(a, x)
        ctx.shapes = (a.shape, b.shape, a.dtype, b.dtype)
        return x

    @staticmethod
    def backward(ctx, grad):
        a, x = ctx.saved_tensors
        sa, sb, da, db = ctx.shapes
        gb = solve(_mH(a), grad)
        ga = sum_to_shape(-matmul(gb, _mH(x)), sa) if ctx.needs_input_grad[0] else None
        return ga, _fit(sum_to_shape(gb, sb), db) if ctx.needs_input_grad[1] else None


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """Solve ``A X = B`` (or ``X A = B`` with ``left=False``) for square ``A``.

    ``B`` may be a vector (or a batch of vectors of shape ``A.shape[:-1]``).

    Example:
        >>> ember.linalg.solve(ember.eye(2) * 2, ember.tensor([2.0, 4.0]))
        tensor([1., 2.])
    """
    _square("linalg.solve", A)
    if not left:
        return solve(A.transpose(-2, -1), B.transpose(-2, -1)).transpose(-2, -1)
    vector = B._data.ndim == 1 or (B._data.ndim == A._data.ndim - 1
                                   and B._data.shape == A._data.shape[:-1])
    if vector:
        b2 = B.reshape(B._data.shape + (1,))
        x = Solve.apply(A, b2)
        return x.reshape(x._data.shape[:-1])
    if B._data.shape[-2] != A._data.shape[-1]:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A._data.shape[-2]}x{A._data.shape[-1]} and {B._data.shape[-2]}x"
            f"{B._data.shape[-1]})"
        )
    return Solve.apply(A, B)


class Det(Primitive):
    """Determinant; the gradient is ``grad * conj(det) * A^-H`` (needs an invertible A)."""

    @staticmethod
    def forward(ctx, a):
        d = get_xp(a).linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, grad):
        a, d = ctx.saved_tensors

        scale = cmul(grad, conj(d)).reshape(grad._data.shape + (1, 1))
        return cmul(scale, _mH(inv(a)))


def det(A: Tensor) -> Tensor:
    """Determinant of a square matrix (or a batch).

    Example:
        >>> ember.linalg.det(ember.eye(3) * 2)
        tensor(8.)
    """
    _square("linalg.det", A)
    return Det.apply(A)


SlogdetResult = return_type("slogdet", ["sign", "logabsdet"])


class Slogdet(Primitive):
    """Sign and log of the absolute determinant; ``logabsdet`` has gradient ``A^-H``."""

    @staticmethod
    def forward(ctx, a):
        sign, logabs = get_xp(a).linalg.slogdet(a)
        ctx.save_for_backward(a, sign)
        return sign, logabs

    @staticmethod
    def backward(ctx, gsign, glog):
        # log det = logabsdet + i*angle has derivative tr(A^-1 dA); a real sign is locally
        # constant, a complex one moves with the angle: g_angle = Im(gsign * conj(sign)).
        a, sign = ctx.saved_tensors
        g = glog
        if gsign is not None and sign._data.dtype.kind == "c":
            angle = _to_complex(cmul(gsign, conj(sign)).imag) * 1j
            g = angle if g is None else _to_complex(g) + angle
        if g is None:
            return None
        return cmul(g.reshape(g._data.shape + (1, 1)), _mH(inv(a)))


def slogdet(A: Tensor) -> Any:
    """``(sign, logabsdet)`` with ``det(A) = sign * exp(logabsdet)``, stable for large matrices.

    Example:
        >>> ember.linalg.slogdet(ember.eye(2) * -3).logabsdet
        tensor(2.1972)
    """
    _square("linalg.slogdet", A)
    sign, logabs = Slogdet.apply(A)
    return SlogdetResult(sign, logabs)


def logdet(input: Tensor) -> Tensor:
    """``log(det(input))``: NaN for a negative determinant, -inf for a zero one.

    Example:
        >>> ember.logdet(ember.eye(2) * 3)
        tensor(2.1972)
    """
    sign, logabs = slogdet(input)
    xp = get_xp(sign._data)
    fix = xp.where(sign._data < 0, np.nan, 0.0).astype(logabs._data.dtype)
    return logabs + _wrap(fix)


def _tril_mask(t: Tensor, n: int, halve_diag: bool) -> Tensor:
    xp = get_xp(t._data)
    real_dt = t._data.real.dtype
    mask = xp.tril(xp.ones((n, n), dtype=real_dt))
    if halve_diag:
        mask = mask - 0.5 * xp.eye(n, dtype=real_dt)
    return _wrap(mask.astype(t._data.dtype))


class Cholesky(Primitive):
    """Lower Cholesky factor ``L`` of a Hermitian positive-definite ``A = L L^H``.

    The gradient is ``sym(L^-H Phi(L^H grad) L^-1)`` with ``Phi`` the lower triangle with a
    halved diagonal (Murray, 2016); triangular solves are done with ``solve``.
    """

    @staticmethod
    def forward(ctx, a):
        low = _lapack("linalg.cholesky", get_xp(a).linalg.cholesky, a)
        ctx.save_for_backward(low)
        return low

    @staticmethod
    def backward(ctx, grad):
        (low,) = ctx.saved_tensors
        n = low._data.shape[-1]
        phi = matmul(_mH(low), grad) * _tril_mask(low, n, True)
        s = solve(_mH(low), _mH(solve(_mH(low), _mH(phi))))
        return 0.5 * (s + _mH(s))


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """Cholesky factor of a Hermitian positive-definite matrix (lower, or upper with ``upper``).

    Example:
        >>> ember.linalg.cholesky(ember.eye(2) * 4)
        tensor([[2., 0.],
                [0., 2.]])
    """
    _square("linalg.cholesky", A)
    low = Cholesky.apply(A)
    return _mH(low) if upper else low


EighResult = return_type("eigh", ["eigenvalues", "eigenvectors"])


def _check_eig_phase(op: str, vhgv: Tensor) -> None:
    """A loss may not depend on the eigenvectors' phases: ``Im diag(V^H gV)`` must vanish."""
    xp = get_xp(vhgv._data)
    if not bool(xp.allclose(xp.imag(xp.diagonal(vhgv._data, 0, -2, -1)), 0, rtol=1e-2,
                            atol=1e-2)):
        raise RuntimeError(f"{op}: The eigenvectors in the complex case are specified up to "
                           "multiplication by e^{i phi}. The specified loss function depends on "
                           "this quantity, so it is ill-defined.")


def _eigen_start(ctx: Any, gw: Tensor | None) -> tuple[Tensor, Tensor, int, Tensor, Any]:
    """Saved ``(w, v)``, ``n``, the identity and ``diag(gw)`` (None without ``gw``)."""
    w, v = ctx.saved_tensors
    n = w._data.shape[-1]
    eye = _eye_like(v, n)
    inner = _to_dtype(gw, v).unsqueeze(-1) * eye if gw is not None else None
    return w, v, n, eye, inner


class Eigh(Primitive):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian matrix.

    The gradient (distinct eigenvalues) is ``V (diag(gL) + (V^H gV) / E) V^H`` with
    ``E_ij = L_j - L_i`` off the diagonal.
    """

    @staticmethod
    def forward(ctx, a, uplo):
        w, v = get_xp(a).linalg.eigh(a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v, n, eye, inner = _eigen_start(ctx, gw)
        if inner is None:
            inner = v * 0
        if gv is not None and bool((gv._data != 0).any()):
            diff = w.reshape(w._data.shape[:-1] + (1, n)) - w.reshape(w._data.shape + (1,))
            safe = diff + _wrap(get_xp(diff._data).eye(n, dtype=diff._data.dtype))
            # The skew-Hermitian part of V^H gV, as PyTorch: the gradient stays Hermitian.
            vhgv = matmul(_mH(v), gv)
            if vhgv._data.dtype.kind == "c":
                _check_eig_phase("linalg_eigh_backward", vhgv)
            off = 0.5 * (vhgv - _mH(vhgv)) / safe
            inner = inner + off * (1 - _wrap(get_xp(v._data).eye(n).astype(off._data.dtype)))
        return matmul(matmul(v, inner), _mH(v)), None


def eigh(A: Tensor, UPLO: str = "L") -> Any:  # noqa: N803 - PyTorch's argument name
    """Eigen-decomposition of a Hermitian (symmetric) matrix: ``(eigenvalues, eigenvectors)``.

    Example:
        >>> ember.linalg.eigh(ember.tensor([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
        tensor([1., 2.])
    """
    _square("linalg.eigh", A)
    w, v = Eigh.apply(A, UPLO)
    return EighResult(w, v)


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:  # noqa: N803
    """Eigenvalues (ascending) of a Hermitian matrix."""
    return eigh(A, UPLO).eigenvalues


SVDResult = return_type("svd", ["U", "S", "Vh"])


class Svdvals(Primitive):
    """Singular values; the gradient (distinct values) is ``U diag(gS) V^H``.

    Differentiable once: ``U`` and ``V`` enter the gradient as constants.
    """

    @staticmethod
    def forward(ctx, a):
        u, s, vh = get_xp(a).linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    def backward(ctx, grad):
        u, vh = ctx.saved_tensors
        k = grad._data.shape[-1]
        g = _to_dtype(grad, u).reshape(grad._data.shape[:-1] + (1, k))
        return matmul(u * g, vh)


def _to_dtype(t: Tensor, like: Tensor) -> Tensor:
    if t._data.dtype == like._data.dtype:
        return t
    if like._data.dtype.kind == "c":

        return _to_complex(t)
    return t.to(like.dtype)


def svdvals(A: Tensor) -> Tensor:
    """Singular values in descending order (differentiable where they are distinct).

    Example:
        >>> ember.linalg.svdvals(ember.tensor([[3.0, 0.0], [0.0, 4.0]]))
        tensor([4., 3.])
    """
    _require_tensor("linalg.svdvals", A)
    return Svdvals.apply(A)


class SVD(Primitive):
    """Reduced SVD ``A = U diag(S) Vh``, differentiable in all three outputs.

    Backward is PyTorch's ``svd_backward``: with ``E_ij = S_j^2 - S_i^2`` off the diagonal,
    ``gA = U [(skew(U^H gU) S + S skew(Vh gVh^H)) / E + diag(gS)] Vh`` plus the projections of
    ``gU`` (tall) or ``gVh`` (wide) off the span of ``U`` / ``V``. Singular vectors are defined up
    to a phase (a sign for real matrices); a loss that depends on it is ill-defined and raises.
    """

    @staticmethod
    def forward(ctx, a, full_matrices):
        u, s, vh = get_xp(a).linalg.svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx, gu, gs, gvh):
        u, s, vh = ctx.saved_tensors
        k = s._data.shape[-1]
        # With full_matrices the extra columns of U (rows of Vh) get no gradient, as PyTorch.
        u, vh = u[..., :, :k], vh[..., :k, :]
        gu = None if gu is None else gu[..., :, :k]
        gvh = None if gvh is None else gvh[..., :k, :]
        return _svd_backward(u, s, vh, gu, gs, gvh), None


def _skew(x: Tensor) -> Tensor:
    return x - _mH(x)


def _svd_inner(u: Tensor, s: Tensor, vh: Tensor, gu: Tensor | None, gs: Tensor | None,
               gvh: Tensor | None) -> Tensor:
    """The ``k x k`` middle factor of the SVD gradient (everything ``U (.) Vh`` wraps)."""
    k = s._data.shape[-1]
    sc = _to_dtype(s, u)
    uhgu = _skew(matmul(_mH(u), gu)) if gu is not None else None
    vhgv = _skew(matmul(vh, _mH(gvh))) if gvh is not None else None
    if u._data.dtype.kind == "c":
        _check_gauge("svd_backward", uhgu, vhgv)
    s2 = s * s
    e = s2.unsqueeze(-2) - s2.unsqueeze(-1) + _eye_like(s, k)
    e = _to_dtype(e, u)
    if uhgu is not None and vhgv is not None:
        ret = (uhgu * sc.unsqueeze(-2) + sc.unsqueeze(-1) * vhgv) / e
    elif uhgu is not None:
        ret = (uhgu / e) * sc.unsqueeze(-2)
    else:
        ret = sc.unsqueeze(-1) * (vhgv / e)
    off = 1 - _eye_like(u, k)
    ret = ret * off
    if gs is not None:
        ret = ret + _to_dtype(gs, u).unsqueeze(-1) * _eye_like(u, k)
    if u._data.dtype.kind == "c" and uhgu is not None:
        # The phase term: the imaginary diagonal of U^H gU over 2S (zero for real matrices).
        ret = ret + (uhgu * _eye_like(u, k)) / (2 * sc.unsqueeze(-1))
    return ret


def _check_gauge(op: str, uhgu: Tensor | None, vhgv: Tensor | None) -> None:
    xp = get_xp((uhgu if uhgu is not None else vhgv)._data)
    parts = [xp.imag(xp.diagonal(t._data, 0, -2, -1)) for t in (uhgu, vhgv) if t is not None]
    total = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    if not bool(xp.allclose(total, 0, rtol=1e-2, atol=1e-2)):
        raise RuntimeError(f"{op}: The singular vectors in the complex case are specified up to "
                           "multiplication by e^{i phi}. The specified loss function depends on "
                           "this phase term, making it ill-defined.")


def _svd_backward(u: Tensor, s: Tensor, vh: Tensor, gu: Tensor | None, gs: Tensor | None,
                  gvh: Tensor | None) -> Tensor:
    m, n = u._data.shape[-2], vh._data.shape[-1]
    if gu is None and gvh is None:
        if gs is None:
            return None
        return matmul(u * _to_dtype(gs, u).unsqueeze(-2), vh)
    ret = _svd_inner(u, s, vh, gu, gs, gvh)
    sc = _to_dtype(s, u)
    if m > n and gu is not None:
        ga = matmul(u, ret)
        gus = gu / sc.unsqueeze(-2)
        ga = ga + gus - matmul(u, matmul(_mH(u), gus))
        return matmul(ga, vh)
    if m < n and gvh is not None:
        ga = matmul(ret, vh)
        sgv = gvh / sc.unsqueeze(-1)
        ga = ga + sgv - matmul(matmul(sgv, _mH(vh)), vh)
        return matmul(u, ga)
    return matmul(matmul(u, ret), vh)


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> Any:
    """Singular value decomposition ``A = U diag(S) Vh``, differentiable in ``U``, ``S``, ``Vh``.

    With ``full_matrices`` the extra columns of ``U`` (rows of ``Vh``) carry no gradient, as in
    PyTorch. Gradients through ``U``/``Vh`` need distinct singular values.

    Args:
        A: ``(*, m, n)`` matrices.
        full_matrices: return square ``U`` and ``Vh`` (True) or the reduced factors.
        driver: accepted for compatibility (CUDA-only in PyTorch).

    Returns:
        A named tuple ``(U, S, Vh)``.

    Example:
        >>> ember.linalg.svd(ember.eye(2)).S
        tensor([1., 1.])
    """
    _require_tensor("linalg.svd", A)
    if A._data.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    u, s, vh = SVD.apply(A, full_matrices)
    return SVDResult(u, s, vh)


class Pinv(Primitive):
    """Moore-Penrose pseudo-inverse ``P`` with singular values at or below a threshold dropped.

    The gradient is the Golub-Pereyra formula
    ``-P^H g P^H + (I - A P)^H g^H P P^H + P^H P g^H (I - P A)`` (constant rank assumed)."""

    @staticmethod
    def forward(ctx, a, hermitian, atol, rtol):
        p = _pinv_raw(a, hermitian, atol, rtol)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx, grad):
        a, p = ctx.saved_tensors
        m, n = a._data.shape[-2:]
        ph, gh = _mH(p), _mH(grad)
        first = -matmul(matmul(ph, grad), ph)
        left = _eye_like(a, m) - matmul(a, p)
        right = _eye_like(a, n) - matmul(p, a)
        second = matmul(matmul(left, gh), matmul(p, ph))
        third = matmul(matmul(ph, p), matmul(gh, right))
        return sum_to_shape(first + second + third, a._data.shape), None, None, None


def _tolerances(a: Any, atol: Any, rtol: Any) -> tuple[Any, Any]:
    """PyTorch's defaults: ``rtol = eps * max(m, n)`` unless ``atol`` is given and positive."""
    xp = get_xp(a)
    real = a.real.dtype if a.dtype.kind == "c" else a.dtype
    if rtol is None:
        eps = float(np.finfo(real).eps) * max(a.shape[-2:])
        given = atol is not None and bool(xp.any(xp.asarray(atol) > 0))
        rtol = 0.0 if given else eps
    atol = 0.0 if atol is None else atol
    return xp.asarray(atol, dtype=real)[..., None], xp.asarray(rtol, dtype=real)[..., None]


def _pinv_raw(a: Any, hermitian: bool, atol: Any, rtol: Any) -> Any:
    xp = get_xp(a)
    if hermitian:
        w, v = xp.linalg.eigh(a)
        keep = _keep(w, atol, rtol, a)
        winv = xp.where(keep, 1 / xp.where(keep, w, 1), 0).astype(w.dtype)
        return xp.matmul(v * winv[..., None, :], xp.conj(xp.swapaxes(v, -1, -2)))
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    keep = _keep(s, atol, rtol, a)
    sinv = xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(s.dtype)
    return xp.matmul(xp.conj(xp.swapaxes(vh, -1, -2)) * sinv[..., None, :],
                     xp.conj(xp.swapaxes(u, -1, -2)))


def _tol_array(t: Any) -> Any:
    return t._data if isinstance(t, Tensor) else t


def pinv(A: Tensor, rcond: Any = None, hermitian: bool = False, *, atol: Any = None,
         rtol: Any = None) -> Tensor:
    """Moore-Penrose pseudo-inverse (differentiable where the rank does not change).

    Singular values (eigenvalue magnitudes with ``hermitian``) at or below
    ``max(atol, rtol * largest)`` are treated as zero. With neither given
    ``rtol = eps * max(m, n)``; a positive ``atol`` alone sets ``rtol = 0``, as PyTorch.

    Args:
        A: ``(*, m, n)`` matrices.
        rcond: legacy name for ``rtol`` (positional, as ``torch.linalg.pinv``).
        hermitian: ``A`` is Hermitian; use its eigen-decomposition (lower triangle).
        atol: absolute tolerance, a float or a tensor broadcasting with the batch shape.
        rtol: relative tolerance, the same.

    Returns:
        ``(*, n, m)`` pseudo-inverses.

    Example:
        >>> ember.linalg.pinv(ember.tensor([[2.0, 0.0], [0.0, 0.0]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.0000]])
    """
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_pinv(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(A).__name__}")
    if A._data.ndim < 2:
        raise RuntimeError("linalg.pinv(" + A.dtype.name.capitalize() + "{" + str(
            list(A._data.shape))[1:-1] + "}): expected a tensor with 2 or more dimensions of "
            "float, double, cfloat or cdouble types")
    if rcond is not None:
        rtol = rcond
    if 0 in A._data.shape[-2:]:
        return _mH(A) * 0
    atol, rtol = _tol_array(atol), _tol_array(rtol)
    if grad_needed(A) and _truncates(A._data, hermitian, atol, rtol):
        # Dropping singular values is not the pseudo-inverse of A itself: differentiate the
        # truncated reconstruction through the decomposition, as PyTorch does.
        return _pinv_composite(A, hermitian, atol, rtol)
    return Pinv.apply(A, hermitian, atol, rtol)


def _keep(values: Any, atol: Any, rtol: Any, a: Any) -> Any:
    xp = get_xp(values)
    atol, rtol = _tolerances(a, atol, rtol)
    mags = xp.abs(values)
    big = mags.max(axis=-1, keepdims=True) if mags.shape[-1] else mags
    return mags > xp.maximum(atol, rtol * big)


def _truncates(a: Any, hermitian: bool, atol: Any, rtol: Any) -> bool:
    xp = get_xp(a)
    values = xp.linalg.eigvalsh(a) if hermitian else xp.linalg.svd(a, compute_uv=False)
    return not bool(_keep(values, atol, rtol, a).all())


def _pinv_composite(A: Tensor, hermitian: bool, atol: Any, rtol: Any) -> Tensor:  # noqa: N803
    if hermitian:
        w, v = eigh(A)
        keep = _wrap(_keep(w._data, atol, rtol, A._data).astype(w._data.dtype))
        inv_w = keep / (w * keep + (1 - keep))
        return matmul(v * _to_dtype(inv_w, v).unsqueeze(-2), _mH(v))
    u, s, vh = svd(A, full_matrices=False)
    keep = _wrap(_keep(s._data, atol, rtol, A._data).astype(s._data.dtype))
    inv_s = keep / (s * keep + (1 - keep))
    return matmul(_mH(vh) * _to_dtype(inv_s, u).unsqueeze(-2), _mH(u))


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    """Legacy ``torch.pinverse``: ``linalg.pinv`` with ``rtol=rcond``.

    Example:
        >>> ember.pinverse(ember.eye(2) * 2)
        tensor([[0.5000, 0.0000],
                [0.0000, 0.5000]])
    """
    return pinv(input, rtol=rcond)




def matrix_power(A: Tensor, n: int) -> Tensor:
    """``A`` multiplied by itself ``n`` times (``inv(A)`` powers for negative ``n``).

    Example:
        >>> ember.linalg.matrix_power(ember.eye(2) * 2, 3)[0, 0]
        tensor(8.)
    """
    if n < 0:
        _square("linalg.matrix_power", A)
    if n == 0:
        eye = _eye_like(A, A._data.shape[-1]).expand(A._data.shape)
        return eye + A * 0 if grad_needed(A) else eye  # a function of A, as PyTorch's
    base = inv(A) if n < 0 else A
    out, k = None, abs(n)
    while k:
        if k & 1:
            out = base if out is None else matmul(out, base)
        k >>= 1
        if k:
            base = matmul(base, base)
    return out


def multi_dot(tensors: Any) -> Tensor:
    """Product of a chain of matrices (the first may be 1-D, as may the last).

    Example:
        >>> ember.linalg.multi_dot([ember.ones(2, 3), ember.ones(3, 4), ember.ones(4)])
        tensor([12., 12.])
    """
    out = tensors[0]
    for t in tensors[1:]:
        out = matmul(out, t)
    return out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """``sum(conj(x) * y, dim)`` with broadcasting.

    Example:
        >>> ember.linalg.vecdot(ember.ones(2, 3), ember.ones(3))
        tensor([3., 3.])
    """
    return (conj(x) * y).sum(dim)


def _norm_dtype(op: str, x: Tensor, dtype: Any) -> Tensor:
    if dtype is not None:
        x = x.to(dtype)
    if np_kind(x._data.dtype) not in "fc":
        raise RuntimeError(f"{op}: Expected a floating point or complex tensor as input. Got "
                           f"{x.dtype.name.capitalize()}")
    return x


def _keep_shape(shape: tuple[int, ...], dims: tuple[int, ...] | None) -> tuple[int, ...]:
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


class VectorNorm(Primitive):
    """``(sum |x|^p)^(1/p)`` over ``dims``; also p = inf, -inf and 0.

    Primitive for stability: the gradient is defined (zero) at the zero vector, where the
    composition ``sqrt(sum(x * x))`` would give NaN.
    """

    @staticmethod
    def forward(ctx, x, ord, dims, keepdim):
        xp = get_xp(x)
        a = xp.abs(x)
        if ord == float("inf"):
            n = a.max(axis=dims, keepdims=True) if a.size else xp.zeros(_keep_shape(a.shape, dims))
        elif ord == float("-inf"):
            n = a.min(axis=dims, keepdims=True)
        elif ord == 0:
            n = (a != 0).sum(axis=dims, keepdims=True).astype(a.dtype)
        elif ord == 1:
            n = a.sum(axis=dims, keepdims=True)
        elif ord == 2:
            n = xp.sqrt((a * a).sum(axis=dims, keepdims=True))
        else:
            n = ((a ** ord).sum(axis=dims, keepdims=True)) ** (1.0 / ord)
        n = n.astype(a.dtype, copy=False)
        out = n if keepdim else n.reshape([s for i, s in enumerate(n.shape) if i not in dims])
        ctx.save_for_backward(x, out)  # the output, so that double backward sees its history
        ctx.meta = (ord, dims, n.shape)
        return out

    @staticmethod
    def backward(ctx, grad):

        x, out = ctx.saved_tensors
        ord, dims, kept = ctx.meta
        g, n = grad.reshape(kept), out.reshape(kept)
        if ord == 0:
            return x * 0, None, None, None
        sign = sgn(x)
        if ord in (float("inf"), float("-inf")):
            hit = _wrap((get_xp(x._data).abs(x._data) == n._data).astype(n._data.dtype))
            count = hit.sum(dim=dims, keepdim=True)
            return _mix(g * hit / count, sign), None, None, None
        if ord == 1:
            return _mix(g, sign), None, None, None
        safe = n + _wrap((n._data == 0).astype(n._data.dtype))
        if ord == 2:
            return _mix(g / safe, x), None, None, None
        # |x|^(p-1) is infinite at 0 for p < 1; PyTorch's gradient there is 0 (sign(0) = 0).
        zero = _wrap((x._data == 0).astype(n._data.dtype))
        scale = g * (abs_(x) + zero) ** (ord - 1) / safe ** (ord - 1)
        return _mix(scale, sign), None, None, None


def _mix(real_t: Tensor, other: Tensor) -> Tensor:
    """``real_t * other`` where ``other`` may be complex (the real factor is made complex)."""
    if other._data.dtype.kind == "c":

        return cmul(real_t, other)
    return real_t * other


def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (all elements when None).

    Args:
        x: a float or complex tensor (complex gives a real norm).
        ord: any real p, or ``inf``, ``-inf``, 0 (count of non-zeros).
        dim: dimension(s) to reduce.
        keepdim: keep reduced dimensions with size 1.
        dtype: compute in this dtype.

    Returns:
        The norms.

    Example:
        >>> ember.linalg.vector_norm(ember.tensor([3.0, 4.0]))
        tensor(5.)
    """
    x = _norm_dtype("linalg.vector_norm", x, dtype)
    dims = norm_dims(dim, x._data.ndim, "linalg.vector_norm")
    if dims is None and not keepdim:
        x, dims = x.reshape(-1), (0,)
    return VectorNorm.apply(x, float(ord), dims, keepdim)


def _move_last(A: Tensor, dims: tuple[int, int]) -> tuple[Tensor, tuple[int, ...]]:
    nd = A._data.ndim
    d0, d1 = (wrap_dim(d, nd, "linalg.matrix_norm") for d in dims)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    order = tuple(i for i in range(nd) if i not in (d0, d1)) + (d0, d1)
    return A.permute(order), (d0, d1)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1),
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """A matrix norm: ``"fro"``, ``"nuc"``, 2 / -2 (largest / smallest singular value),
    1 / -1 (max / min column sum), inf / -inf (max / min row sum).

    Example:
        >>> ember.linalg.matrix_norm(ember.eye(2))
        tensor(1.4142)
    """
    A = _norm_dtype("linalg.matrix_norm", A, dtype)
    if A._data.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    m, (d0, d1) = _move_last(A, dim)
    inf = float("inf")
    if ord == "fro":
        out = vector_norm(m, 2, (-2, -1))
    elif ord == "nuc":
        out = svdvals(m).sum(-1)
    elif ord in (2, -2):
        out = vector_norm(svdvals(m), inf if ord == 2 else -inf, -1)
    elif ord in (1, -1):
        out = vector_norm(vector_norm(m, 1, -2), inf if ord == 1 else -inf, -1)
    elif ord in (inf, -inf):
        out = vector_norm(vector_norm(m, 1, -1), ord, -1)
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if keepdim:
        shape = list(A._data.shape)
        shape[d0] = shape[d1] = 1
        out = out.reshape(tuple(shape))
    return out


def linalg_norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """A vector or matrix norm, chosen as ``torch.linalg.norm`` does.

    With ``dim`` an int (or ``A`` 1-D) it is ``vector_norm``; with a 2-tuple (or ``A`` 2-D and
    ``ord`` given) ``matrix_norm``; with neither, the 2-norm of the flattened tensor.

    Example:
        >>> ember.linalg.norm(ember.tensor([[3.0, 4.0]]))
        tensor(5.)
    """
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or (dim is None and ord is not None
                                             and A._data.ndim == 2):
        return matrix_norm(A, "fro" if ord is None else ord, dim or (-2, -1), keepdim,
                           dtype=dtype)
    if dim is None and ord is not None and A._data.ndim != 1:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A._data.ndim}D.")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


# -- QR, general eigenvalues, rank and least squares ---------------------------------------------
QRResult = return_type("qr", ["Q", "R"])
EigResult = return_type("eig", ["eigenvalues", "eigenvectors"])
LstsqResult = return_type("lstsq", ["solution", "residuals", "rank", "singular_values"])


class QR(Primitive):
    """Reduced QR of a tall (or square) matrix. Backward (PyTorch's formula, m >= n):
    ``gA = (gQ + Q copyltu(M)) R^-H`` with ``M = R gR^H - gQ^H Q``."""

    @staticmethod
    def forward(ctx, a):
        q, r = get_xp(a).linalg.qr(a, mode="reduced")
        ctx.save_for_backward(q, r)
        return q, r

    @staticmethod
    def backward(ctx, gq, gr):
        q, r = ctx.saved_tensors
        m = None
        if gr is not None:
            m = matmul(r, _mH(gr))
        if gq is not None:
            term = matmul(_mH(gq), q)
            m = -term if m is None else m - term
        if m is None:
            return None
        low = m.tril(-1)
        m = low + _mH(low) + _diag_real(m)
        b = matmul(q, m) if gq is None else gq + matmul(q, m)
        return _mH(solve(r, _mH(b)))


def _diag_real(m: Tensor) -> Tensor:
    n = m._data.shape[-1]
    eye = _eye_like(m, n)
    return real(m) * eye if m._data.dtype.kind == "c" else m * eye


def qr(A: Tensor, mode: str = "reduced") -> Any:
    """QR decomposition ``A = Q R`` with orthonormal ``Q`` and upper-triangular ``R``.

    Args:
        A: a matrix or batch of matrices.
        mode: ``"reduced"`` (default), ``"complete"`` or ``"r"`` (Q is empty).

    Returns:
        ``(Q, R)``. Differentiable in ``"reduced"`` mode for matrices with at least as many
        rows as columns.

    Example:
        >>> Q, R = ember.linalg.qr(ember.tensor([[3.0, 0.0], [4.0, 5.0]]))
        >>> bool(ember.allclose(Q @ R, ember.tensor([[3.0, 0.0], [4.0, 5.0]]), atol=1e-5))
        True
    """
    _require_tensor("linalg.qr", A)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    m, n = A._data.shape[-2:]
    xp = get_xp(A._data)
    if mode == "reduced" and m >= n:
        q, r = QR.apply(A)
    elif mode == "reduced" and grad_needed(A):
        # Wide: Householder QR of the first m columns gives Q and R's square block; the rest of
        # R is Q^H times the remaining columns, which carries their gradient.
        q, r1 = QR.apply(A[..., :, :m])
        r = cat([r1, matmul(_mH(q), A[..., :, m:])], -1)
    else:
        if grad_needed(A):
            raise RuntimeError(f"The derivative of linalg.qr depends on Q, which is not computed "
                               f"when mode='r' or for mode='complete' with more rows than columns "
                               f"(got mode={mode!r}, {m}x{n}); use mode='reduced'")
        q, r = (_wrap(a) for a in xp.linalg.qr(A._data, mode="reduced" if mode == "r"
                                                else mode))
    if mode == "r":
        q = _wrap(xp.empty((0,), A._data.dtype))
    return QRResult(q, r)


class Eig(Primitive):
    """Eigenvalues and (unit-norm) eigenvectors of a general square matrix, always complex.

    Backward is PyTorch's ``linalg_eig_backward``: with ``E_ij = conj(L_j - L_i)`` off the
    diagonal, ``gA = V^-H (diag(gL) + (V^H gV - V^H V diag(Re(V^H gV))) / E) V^H``, real part
    for a real ``A``. Eigenvectors are defined up to a phase; a loss that depends on it raises.
    """

    @staticmethod
    def forward(ctx, a):
        xp = get_xp(a)
        w, v = _lapack("linalg.eig", xp.linalg.eig, a)
        cdt = _dtype.from_numpy_dtype(a.dtype).to_complex().np
        w, v = w.astype(cdt), v.astype(cdt)
        ctx.save_for_backward(w, v)
        ctx.real_input = a.dtype.kind != "c"
        return w, v

    @staticmethod
    def backward(ctx, gw, gv):
        w, v, n, eye, inner = _eigen_start(ctx, gw)
        if gv is not None:
            vhgv = matmul(_mH(v), gv)
            _check_eig_phase("linalg_eig_backward", vhgv)
            diag_re = _to_complex(real(vhgv) * _eye_like(real(vhgv), n)).sum(-2)
            off = vhgv - matmul(_mH(v), v * diag_re.unsqueeze(-2))
            wc = conj(w)
            e = wc.unsqueeze(-2) - wc.unsqueeze(-1) + eye
            off = off / e * (1 - eye)
            inner = off if inner is None else inner + off
        if inner is None:
            return None
        ga = solve(_mH(v), matmul(inner, _mH(v)))
        return real(ga) if ctx.real_input else ga


def eig(A: Tensor) -> Any:
    """Eigenvalues and eigenvectors of a general square matrix, always complex.

    Differentiable (distinct eigenvalues; the loss must not depend on the eigenvectors' phase).

    Example:
        >>> ember.linalg.eig(ember.tensor([[2.0, 0.0], [0.0, 3.0]])).eigenvalues
        tensor([2.+0.j, 3.+0.j])
    """
    _square("linalg.eig", A)
    if A._data.dtype.kind == "V":  # bfloat16: no complex bfloat16 exists (PyTorch refuses it too)
        raise NotImplementedError("\"linalg_eig_cpu\" not implemented for 'BFloat16'")
    w, v = Eig.apply(A)
    return EigResult(w, v)


def eigvals(A: Tensor) -> Tensor:
    """Eigenvalues of a general square matrix, as a complex tensor (differentiable).

    Example:
        >>> ember.linalg.eigvals(ember.tensor([[0.0, -1.0], [1.0, 0.0]]))
        tensor([0.+1.j, 0.-1.j])
    """
    return eig(A).eigenvalues


def matrix_rank(A: Tensor, tol: Any = None, hermitian: bool = False, *, atol: Any = None,
                rtol: Any = None) -> Tensor:
    """Numerical rank: the number of singular values above ``max(atol, rtol * largest)``.

    With neither tolerance given, ``rtol = eps * max(rows, cols)``.

    Example:
        >>> ember.linalg.matrix_rank(ember.tensor([[1.0, 2.0], [2.0, 4.0]]))
        tensor(1)
    """
    xp = get_xp(A._data)
    sv = xp.abs(xp.linalg.eigvalsh(A._data)) if hermitian else xp.linalg.svd(
        A._data, compute_uv=False)
    if tol is not None:
        atol, rtol = tol, 0.0
    atol, rtol = _tolerances(A._data, _tol_array(atol), _tol_array(rtol))
    smax = sv.max(axis=-1, keepdims=True) if sv.shape[-1] else xp.zeros(sv.shape[:-1] + (1,))
    thresh = xp.maximum(atol, rtol * smax)
    return _wrap((sv > thresh).sum(axis=-1).astype(np.int64))


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    """Least-squares solution of ``A X = B`` (``(solution, residuals, rank, singular_values)``).

    The solution is ``pinv(A) @ B`` (differentiable); ``residuals`` and ``singular_values`` are
    empty and ``rank`` is set, as PyTorch's default CPU driver (``gelsy``) returns.

    Example:
        >>> A = ember.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> X = ember.linalg.lstsq(A, ember.tensor([[1.0], [2.0], [3.0]])).solution
        >>> bool(ember.allclose(X, ember.tensor([[1.0], [2.0]]), atol=1e-5))
        True
    """
    _require_tensor("linalg.lstsq", A)
    _require_tensor("linalg.lstsq", B, "B", 2)
    if A._data.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    vec = B._data.ndim == A._data.ndim - 1
    b = B.unsqueeze(-1) if vec else B
    if b._data.shape[-2] != A._data.shape[-2]:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size(-2) "
                           f"({A._data.shape[-2]} and {b._data.shape[-2]})")
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           f"gelsy, gelsd, gelss), but got {driver}")
    x = matmul(pinv(A) if rcond is None else pinv(A, rtol=rcond), b)
    xp = get_xp(A._data)
    real = _dtype.from_numpy_dtype(A._data.dtype).to_real().np
    rank = _wrap(xp.empty((0,), np.int64))
    if driver != "gels":
        rank = matrix_rank(A) if rcond is None else matrix_rank(A, rtol=rcond)
    sv = svdvals(A) if driver in ("gelsd", "gelss") else _wrap(xp.empty((0,), real))
    # Empty, but still an output of the graph (PyTorch's residuals always require grad).
    residuals = abs_(x).reshape(-1)[:0] if grad_needed(A, B) else _wrap(xp.empty((0,), real))
    m, n = A._data.shape[-2:]
    full_rank = driver in ("gels", "gelsy") or bool((rank._data == n).all())
    if m > n and driver != "gelsy" and full_rank:
        residuals = (abs_(matmul(A, x) - b) ** 2).sum(-2)
        residuals = residuals.squeeze(-1) if vec else residuals
    return LstsqResult(x.squeeze(-1) if vec else x, residuals, rank, sv)


def trace(input: Tensor) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor.

    Example:
        >>> ember.tensor([[1, 2], [3, 4]]).trace()
        tensor(5)
    """
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim "
                           f"{input._data.ndim}")
    return input.diagonal().sum()


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The ``p``-norm of ``input - other`` (broadcast).

    Example:
        >>> ember.dist(ember.tensor([1.0, 2.0]), ember.tensor([4.0, 6.0]))
        tensor(5.)
    """
    return vector_norm(input - other, p)


@autocast_op(FP32)
def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str | None = None) -> Tensor:
    """Pairwise ``p``-norm distances between the rows of ``x1`` (…, P, M) and ``x2`` (…, R, M).

    Computed from broadcast differences (exact, and differentiable with a zero gradient at zero
    distance); memory grows as P * R * M.

    Example:
        >>> ember.cdist(ember.tensor([[0.0, 0.0]]), ember.tensor([[3.0, 4.0]]))
        tensor([[5.]])
    """
    if x1._data.ndim < 2 or x2._data.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1._data.ndim}D")
    if x1._data.shape[-1] != x2._data.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1._data.shape[-1]} X2: {x2._data.shape[-1]}")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return vector_norm(diff, p, -1)


def cov(input: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
        aweights: Tensor | None = None) -> Tensor:
    """Covariance of the variables in the rows of ``input`` (observations in columns).

    Example:
        >>> ember.cov(ember.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
        tensor([[ 1., -1.],
                [-1.,  1.]])
    """
    x = input if input._data.ndim == 2 else input.reshape(1, -1)
    if np_kind(x._data.dtype) not in "fc":
        x = x.to(_dtype.get_default_dtype())
    w = None
    if fweights is not None:
        w = fweights.to(x.dtype)
    if aweights is not None:
        w = aweights.to(x.dtype) if w is None else w * aweights.to(x.dtype)
    n = x._data.shape[1]
    if w is None:
        avg = x.mean(1, keepdim=True)
        norm = n - correction
        xc = x - avg
        out = matmul(xc, _mH(xc)) / norm
    else:
        wsum = w.sum()
        avg = (x * w).sum(1, keepdim=True) / wsum
        if correction == 0:
            norm = wsum
        elif aweights is None:
            norm = wsum - correction
        else:
            norm = wsum - correction * (w * aweights.to(x.dtype)).sum() / wsum
        xc = x - avg
        out = matmul(xc * w, _mH(xc)) / norm
    # one variable (a vector, or a single row) gives a 0-d result, as PyTorch
    return out.reshape(()) if input._data.ndim < 2 or x._data.shape[0] == 1 else out


def corrcoef(input: Tensor) -> Tensor:
    """Pearson correlation coefficients of the variables in the rows of ``input``.

    Example:
        >>> ember.corrcoef(ember.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
        tensor([[ 1., -1.],
                [-1.,  1.]])
    """
    c = cov(input)
    if c._data.ndim == 0:
        return c / c
    d = c.diagonal().sqrt()
    out = c / d.reshape(-1, 1) / d.reshape(1, -1)
    return out.clamp(-1, 1) if np_kind(out._data.dtype) == "f" else out


def _inplace_of(fn: Any, name: str) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return apply_inplace(self, fn(self, *args, **kwargs), name)

    method.__name__ = name
    method.__doc__ = f"In-place ``{fn.__name__}``."
    return method


TENSOR_METHODS.update({
    "addmm_": _inplace_of(addmm, "addmm_"), "addmv_": _inplace_of(addmv, "addmv_"),
    "addr_": _inplace_of(addr, "addr_"), "baddbmm_": _inplace_of(baddbmm, "baddbmm_"),
    "addbmm_": _inplace_of(addbmm, "addbmm_"), "cov": cov, "corrcoef": corrcoef,
    "qr": lambda self, some=True: qr(self, "reduced" if some else "complete"),
    "trace": trace, "dist": dist,
    "det": det, "inverse": inv, "slogdet": slogdet, "logdet": logdet, "pinverse": pinv,
    "matrix_power": matrix_power, "cholesky": cholesky,
})
__all__ += ["det", "inverse", "slogdet", "logdet", "pinverse", "matrix_power", "trace", "dist",
            "cdist", "cov", "corrcoef"]
