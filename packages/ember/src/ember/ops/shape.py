"""Shape ops. Those that PyTorch implements as views return tensors sharing memory (and the
version counter) with their input."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from ember import _creation, _dtype
from ember._tensor import Size, Tensor, _address, _root_array, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops._broadcast import sum_to_shape
from ember.ops._dims import require_dims, wrap_dim
from ember.ops._util import check_same_device, grad_needed
from ember.ops.complex import conj
from ember.ops.indexing import _index, _index_put, _view_result, index_select
from ember.ops.inplace import apply_inplace

__all__ = [
    "reshape", "view", "expand", "expand_as", "transpose", "permute", "contiguous",
    "broadcast_to", "t", "flatten", "unflatten", "squeeze", "unsqueeze", "repeat", "tile", "cat",
    "concat", "concatenate", "stack", "hstack", "vstack", "split", "chunk", "unbind", "narrow",
    "select", "flip", "fliplr", "flipud", "roll", "tril", "triu", "movedim", "moveaxis",
    "swapaxes", "swapdims", "diag", "diagonal", "diag_embed", "diagonal_scatter", "view_as",
    "reshape_as", "meshgrid", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_tensors",
    "broadcast_shapes", "diagflat", "cartesian_prod", "block_diag", "rot90", "dstack",
    "column_stack", "tensor_split", "repeat_interleave", "unfold", "tril_indices",
    "triu_indices", "combinations", "hsplit", "vsplit", "dsplit", "ravel", "adjoint",
    "as_strided", "select_scatter", "slice_scatter", "split_with_sizes", "narrow_copy",
]


def _apply_view(cls: type[Primitive], x: Tensor, *args: Any) -> Tensor:
    out = cls.apply(x, *args)
    return _view_result(x, out)


def _parse_shape(op: str, shape: tuple[Any, ...], numel: int) -> tuple[int, ...]:
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = tuple(shape[0])
    dims = [int(s) for s in shape]
    infer = [i for i, s in enumerate(dims) if s == -1]
    if len(infer) > 1:
        raise RuntimeError(f"{op}: only one dimension can be inferred")
    known = 1
    for s in dims:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"{op}: invalid shape dimension {s}")
            known *= s
    if infer:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(dims)}' is invalid for input of size {numel}")
        dims[infer[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(dims)}' is invalid for input of size {numel}")
    return tuple(dims)


class Reshape(Primitive):
    """Reshape (a view when the layout allows)."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """The same data with a new shape; one dimension may be -1.

    Args:
        input: the tensor.
        shape: the new shape, as ints or one tuple.

    Returns:
        A view when the memory layout allows, otherwise a copy.

    Example:
        >>> ember.arange(6).reshape(2, -1).shape
        ember.Size([2, 3])
    """
    new = _parse_shape("reshape", shape, input._data.size)
    return _apply_view(Reshape, input, new)


def view(input: Tensor, *shape: Any) -> Tensor:
    """A view with a new shape; RuntimeError when the strides don't allow it (use reshape).

    Args:
        input: the tensor.
        shape: the new shape, or a dtype to reinterpret the bytes as.

    Returns:
        A tensor sharing ``input``'s memory.
    """
    if len(shape) == 1 and _is_dtype(shape[0]):
        return _view_dtype(input, shape[0])
    new = _parse_shape("view", shape, input._data.size)
    data = input._data
    if not data.flags.c_contiguous and data.size > 1:
        try:
            test = data.view()
            test.shape = new
        except AttributeError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None
    return _apply_view(Reshape, input, new)


def _is_dtype(x: Any) -> bool:
    return isinstance(x, _dtype.dtype)


def _view_dtype(input: Tensor, dt: Any) -> Tensor:
    """The same bytes read as ``dt`` (not differentiable), as ``Tensor.view(dtype)``."""
    data = input._data
    if dt.itemsize != data.itemsize and (data.ndim == 0 or data.strides[-1] != data.itemsize):
        raise RuntimeError("self.stride(-1) must be 1 to view " + str(input.dtype) + " as "
                           f"{dt} (different element sizes), but got {input.stride()}")
    if not dt.is_floating_point and grad_needed(input):
        raise RuntimeError(f"view(dtype): cannot view a tensor that requires grad as {dt}; "
                           "call .detach() first")
    return _view_result(input, _wrap(data.view(dt.np)), True)


class Expand(Primitive):
    """Broadcast to a larger shape without copying."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return get_xp(x).broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return sum_to_shape(grad, ctx.in_shape), None


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """A broadcast view of ``input`` with the given size; -1 keeps a dimension.

    Args:
        input: the tensor.
        sizes: the target size.

    Returns:
        A read-only view.

    Example:
        >>> ember.tensor([1, 2]).expand(3, -1).shape
        ember.Size([3, 2])
    """
    if len(sizes) == 1 and not isinstance(sizes[0], int):
        sizes = tuple(sizes[0])
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the "
            f"number of dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    target = []
    for i, s in enumerate(sizes):
        s = int(s)
        if s == -1:
            if i < lead:
                raise RuntimeError("expand: -1 is not allowed in a leading, non-existing dimension")
            s = shape[i - lead]
        elif i >= lead and shape[i - lead] not in (1, s):
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size "
                f"({shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                f"{list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        target.append(s)
    target_t = tuple(target)
    if target_t == shape:
        return input
    return _apply_view(Expand, input, target_t)


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.expand(other.shape)``."""
    return expand(input, other._data.shape)


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    """``input.expand(size)``."""
    return expand(input, tuple(size))


class Permute(Primitive):
    """Reorder dimensions (a view)."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        inv = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):
            inv[d] = i
        return grad.permute(tuple(inv)), None


def permute(input: Tensor, *dims: Any) -> Tensor:
    """A view with dimensions reordered.

    Args:
        input: the tensor.
        dims: the new order of dimensions.

    Returns:
        A view.

    Example:
        >>> ember.zeros(2, 3, 4).permute(2, 0, 1).shape
        ember.Size([4, 2, 3])
    """
    if len(dims) == 1 and not isinstance(dims[0], int):
        dims = tuple(dims[0])
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {nd} is not equal "
            f"to len(dims) = {len(dims)}"
        )
    norm = tuple(wrap_dim(int(d), nd, "permute") for d in dims)
    if len(set(norm)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _apply_view(Permute, input, norm)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view with ``dim0`` and ``dim1`` swapped.

    Example:
        >>> ember.zeros(2, 3).transpose(0, 1).shape
        ember.Size([3, 2])
    """
    nd = input._data.ndim
    d0, d1 = wrap_dim(dim0, nd, "transpose"), wrap_dim(dim1, nd, "transpose")
    if nd == 0:
        return input
    if d0 == d1:
        return _apply_view(Permute, input, tuple(range(nd)))
    order = list(range(nd))
    order[d0], order[d1] = d1, d0
    return _apply_view(Permute, input, tuple(order))


class T(Permute):
    """``t()`` of a matrix (prints as ``TBackward0``, as PyTorch)."""


def t(input: Tensor) -> Tensor:
    """Transpose a tensor of at most 2 dimensions."""
    if input._data.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D"
        )
    return _apply_view(T, input, (1, 0)) if input._data.ndim == 2 else input


class Contiguous(Primitive):
    """Copy into row-major order."""

    @staticmethod
    def forward(ctx, x):
        return get_xp(x).ascontiguousarray(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


def contiguous(input: Tensor, memory_format: Any = None) -> Tensor:
    """``input`` itself when already row-major, otherwise a row-major copy."""
    if input._data.flags.c_contiguous:
        return input
    return Contiguous.apply(input)


def _dims_arg(dims: tuple[Any, ...]) -> tuple[Any, ...]:
    """``f(x, 1, 2)`` and ``f(x, (1, 2))`` spell the same thing."""
    if len(dims) == 1 and not isinstance(dims[0], int):
        return tuple(dims[0])
    return dims


# -- reshaping ---------------------------------------------------------------------------------
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim..end_dim`` into one (a view when the layout allows).

    Example:
        >>> ember.zeros(2, 3, 4).flatten(1).shape
        ember.Size([2, 12])
    """
    shape = input._data.shape
    if not shape:  # a 0-d tensor takes dims 0 and -1, as a 1-d one
        wrap_dim(start_dim, 0, "flatten")
        wrap_dim(end_dim, 0, "flatten")
        return reshape(input, (1,))
    s = wrap_dim(start_dim, len(shape), "flatten")
    e = wrap_dim(end_dim, len(shape), "flatten")
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    n = 1
    for d in shape[s:e + 1]:
        n *= d
    return reshape(input, shape[:s] + (n,) + shape[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """Split dimension ``dim`` into ``sizes`` (one of which may be -1).

    Example:
        >>> ember.zeros(2, 12).unflatten(1, (3, -1)).shape
        ember.Size([2, 3, 4])
    """
    shape = input._data.shape
    d = wrap_dim(dim, len(shape), "unflatten")
    require_dims("unflatten", len(shape), dim, kind=RuntimeError)
    sizes = tuple(int(v) for v in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    inner = _parse_shape("unflatten", sizes, shape[d])
    return reshape(input, shape[:d] + inner + shape[d + 1:])


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Remove dimensions of size 1 (all of them, or those among ``dim``); a view.

    Example:
        >>> ember.zeros(2, 1, 3, 1).squeeze().shape
        ember.Size([2, 3])
    """
    shape = input._data.shape
    if dim is None:
        drop = {i for i, s in enumerate(shape) if s == 1}
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        drop = {wrap_dim(int(d), len(shape), "squeeze") for d in dims}
        drop = {d for d in drop if shape and shape[d] == 1}
    new = tuple(s for i, s in enumerate(shape) if i not in drop)
    return input if new == shape else _apply_view(Reshape, input, new)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``; a view.

    Example:
        >>> ember.zeros(2, 3).unsqueeze(-1).shape
        ember.Size([2, 3, 1])
    """
    shape = input._data.shape
    d = wrap_dim(dim, len(shape) + 1, "unsqueeze")
    return _apply_view(Reshape, input, shape[:d] + (1,) + shape[d:])


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.view(other.shape)``."""
    return view(input, other._data.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.reshape(other.shape)``."""
    return reshape(input, other._data.shape)


# -- repeating ---------------------------------------------------------------------------------
def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """Tile ``input`` ``sizes[i]`` times along each dimension (leading sizes add dimensions).

    Composite (reshape, expand, reshape), so the gradient sums the copies.

    Example:
        >>> ember.tensor([1, 2]).repeat(2, 2)
        tensor([[1, 2, 1, 2],
                [1, 2, 1, 2]])
    """
    reps = tuple(int(r) for r in _dims_arg(sizes))
    shape = input._data.shape
    if len(reps) < len(shape):
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(reps) - len(shape)) + shape
    spread = tuple(v for s in shape for v in (1, s))
    grown = tuple(v for r, s in zip(reps, shape) for v in (r, s))
    out = expand(reshape(input, spread), grown)
    return reshape(out, tuple(r * s for r, s in zip(reps, shape)))


def tile(input: Tensor, dims: Any) -> Tensor:
    """``repeat``, with ``dims`` padded with leading ones when shorter than ``input.ndim``.

    Example:
        >>> ember.tensor([[1, 2]]).tile((2,)).shape
        ember.Size([1, 4])
    """
    reps = tuple(dims) if not isinstance(dims, int) else (dims,)
    return repeat(input, (1,) * (input._data.ndim - len(reps)) + reps)


# -- joining -----------------------------------------------------------------------------------
def _promote_all(op: str, tensors: Any) -> list[Tensor]:
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{op}(): expected a non-empty list of Tensors")
    first = tensors[0]
    dt = first.dtype
    for t in tensors[1:]:
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}(): expected a sequence of Tensors, got {type(t).__name__}")
        if type(t._data) is not type(first._data):
            check_same_device(op, first._data, t._data)
        dt = _dtype.promote_types(dt, t.dtype)
    return [t if t.dtype is dt else t.to(dt) for t in tensors]


class Cat(Primitive):
    """Concatenate along ``dim``; backward slices the gradient back apart."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.meta = (dim, [x.shape[dim] for x in xs])
        return get_xp(xs[0]).concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        dim, sizes = ctx.meta
        grads, start = [], 0
        for n, need in zip(sizes, ctx.needs_input_grad[1:]):
            grads.append(narrow(grad, dim, start, n) if need else None)
            start += n
        return (None, *grads)


def _check_cat(tensors: list[Tensor], dim: int) -> None:
    ref = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        shape = t._data.shape
        if not shape:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if len(shape) != len(ref):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(ref)} and "
                               f"{len(shape)}")
        for k, (a, b) in enumerate(zip(ref, shape)):
            if k != dim and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. "
                                   f"Expected size {a} but got size {b} for tensor number {i} "
                                   "in the list.")


def cat(tensors: Any, dim: int = 0) -> Tensor:
    """Concatenate tensors along an existing dimension (dtypes are promoted).

    Example:
        >>> ember.cat([ember.zeros(2, 3), ember.ones(1, 3)]).shape
        ember.Size([3, 3])
    """
    if isinstance(tensors, Tensor):
        raise TypeError("cat(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        "Tensor")
    if isinstance(tensors, (list, tuple)) and not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    ts = _promote_all("cat", tensors)
    ts = [t for t in ts if t._data.shape != (0,)] or ts[:1]  # PyTorch skips legacy empty 1-D
    nd = ts[0]._data.ndim
    d = wrap_dim(dim, nd, "cat") if nd else 0
    _check_cat(ts, d)
    if len(ts) == 1:
        return ts[0].clone()
    return Cat.apply(d, *ts)


def concat(tensors: Any, dim: int = 0) -> Tensor:
    """Alias of ``cat``."""
    return cat(tensors, dim)


def concatenate(tensors: Any, axis: int = 0) -> Tensor:
    """Alias of ``cat`` with NumPy's argument name."""
    return cat(tensors, axis)


def stack(tensors: Any, dim: int = 0) -> Tensor:
    """Join equally-shaped tensors along a new dimension ``dim``.

    Example:
        >>> ember.stack([ember.zeros(3), ember.ones(3)], dim=1).shape
        ember.Size([3, 2])
    """
    ts = _promote_all("stack", tensors)
    ref = ts[0]._data.shape
    for i, t in enumerate(ts):
        if t._data.shape != ref:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(ref)} "
                               f"at entry 0 and {list(t._data.shape)} at entry {i}")
    d = wrap_dim(dim, len(ref) + 1, "stack")
    return Cat.apply(d, *[unsqueeze(t, d) for t in ts])


def hstack(tensors: Any) -> Tensor:
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    ts = atleast_1d(*tensors) if len(tensors) > 1 else (atleast_1d(tensors[0]),)
    return cat(ts, 0 if ts[0]._data.ndim == 1 else 1)


def vstack(tensors: Any) -> Tensor:
    """Concatenate along dim 0 after making every tensor at least 2-D."""
    ts = atleast_2d(*tensors) if len(tensors) > 1 else (atleast_2d(tensors[0]),)
    return cat(ts, 0)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor as is when it has >= 1 dimension, else reshaped to (1,)."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dimensions (1-D ``(n,)`` becomes ``(1, n)``)."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dimensions, as NumPy's ``atleast_3d``."""
    return _atleast(tensors, 3)


def _atleast(tensors: tuple[Any, ...], n: int) -> Any:
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        tensors = tuple(tensors[0])
        return tuple(_atleast((t,), n) for t in tensors)
    out = []
    for t in tensors:
        shape = t._data.shape
        if len(shape) < n:
            # NumPy's (and PyTorch's) placement: (n,) -> (1, n) or (1, n, 1); (m, n) -> (m, n, 1)
            new = {0: (1,) * n, 1: ((1,) + shape + (1,))[:n], 2: shape + (1,)}[len(shape)]
            t = reshape(t, new)
        out.append(t)
    return out[0] if len(out) == 1 else tuple(out)


# -- splitting ---------------------------------------------------------------------------------
class Split(Primitive):
    """Views of consecutive pieces along ``dim``; backward concatenates the pieces' gradients."""

    @staticmethod
    def forward(ctx, x, dim, sizes):
        ctx.dim = dim
        pieces, start = [], 0
        pre = (slice(None),) * dim
        for n in sizes:
            pieces.append(x[pre + (slice(start, start + n),)])
            start += n
        return tuple(pieces)

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim), None, None


def _split_sizes(op: str, n: int, split: Any) -> list[int]:
    if isinstance(split, int):
        if split <= 0 and n:
            raise RuntimeError(
                f"{op} expects split_size be non-negative, but got split_size={split}"
            )
        return [min(split, n - i) for i in range(0, n, split)] if n else [0]
    sizes = [int(s) for s in split]
    if sum(sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                           f"tensor's size at dimension), but got split_sizes={sizes}")
    return sizes


def _split(x: Tensor, d: int, sizes: list[int]) -> tuple[Tensor, ...]:
    outs = Split.apply(x, d, sizes)
    return tuple(_view_result(x, o, True) for o in outs)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into views of ``split_size`` along ``dim`` (the last may be smaller), or of the
    listed sizes.

    Example:
        >>> [p.shape[0] for p in ember.zeros(5).split(2)]
        [2, 2, 1]
    """
    nd = tensor._data.ndim
    require_dims("split", nd, dim, kind=RuntimeError, msg="expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, nd, "split")
    return _split(tensor, d, _split_sizes("split", tensor._data.shape[d], split_size_or_sections))


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``chunks`` views of equal size (the last may be smaller; maybe fewer chunks).

    Example:
        >>> [p.shape[0] for p in ember.zeros(5).chunk(3)]
        [2, 2, 1]
    """
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    nd = input._data.ndim
    require_dims("chunk", nd, dim, kind=RuntimeError, msg="expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, nd, "chunk")
    n = input._data.shape[d]
    return split(input, max(-(-n // chunks), 1) if n else 1, d) if n else _split(input, d, [0])


class Unbind(Primitive):
    """Views of every slice along ``dim``; backward stacks the slices' gradients."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        pre = (slice(None),) * dim
        return tuple(x[pre + (i, Ellipsis)] for i in range(x.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return stack(grads, ctx.dim), None


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """Remove dimension ``dim``, returning a tuple of views of every slice along it.

    Example:
        >>> len(ember.zeros(3, 2).unbind())
        3
    """
    d = wrap_dim(dim, input._data.ndim, "unbind")
    outs = Unbind.apply(input, d)
    outs = outs if type(outs) is tuple else (outs,)
    return tuple(_view_result(input, o, True) for o in outs)


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """The view ``input[..., start:start + length, ...]`` along ``dim``.

    Example:
        >>> ember.arange(5).narrow(0, 1, 3)
        tensor([1, 2, 3])
    """
    nd = input._data.ndim
    require_dims("narrow", nd, dim, kind=RuntimeError, msg="cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, nd, "narrow")
    n = input._data.shape[d]
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _basic(input, (slice(None),) * d + (slice(start, start + length),))


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The view ``input[..., index, ...]`` with dimension ``dim`` removed.

    Example:
        >>> ember.arange(6).reshape(2, 3).select(1, -1)
        tensor([2, 5])
    """
    nd = input._data.ndim
    d = wrap_dim(dim, nd, "select")
    n = input._data.shape[d]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input._data.shape)} at dimension {d}")
    return _basic(input, (slice(None),) * d + (index,))


def _basic(x: Tensor, key: tuple[Any, ...]) -> Tensor:
    return _view_result(x, _index(x, key, True), True)


# -- reordering ----------------------------------------------------------------------------------
def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Move dimensions ``source`` to positions ``destination`` (a view).

    Example:
        >>> ember.zeros(2, 3, 4).movedim(0, -1).shape
        ember.Size([3, 4, 2])
    """
    nd = input._data.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    src = [wrap_dim(int(s), nd, "movedim") for s in src]
    dst = [wrap_dim(int(s), nd, "movedim") for s in dst]
    if nd == 0:
        return input
    order = [d for d in range(nd) if d not in src]
    for s, t in sorted(zip(dst, src)):
        order.insert(s, t)
    return permute(input, tuple(order))


def moveaxis(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Alias of ``movedim``."""
    return movedim(input, source, destination)


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """Alias of ``transpose``."""
    return transpose(input, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Alias of ``transpose``."""
    return transpose(input, dim0, dim1)


class Flip(Primitive):
    """Reverse the order along ``dims`` (a copy, as PyTorch); its own inverse."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return get_xp(x).flip(x, axis=dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return flip(grad, ctx.dims), None


def flip(input: Tensor, dims: Any) -> Tensor:
    """Reverse the order of elements along ``dims`` (a copy).

    Example:
        >>> ember.tensor([1, 2, 3]).flip(0)
        tensor([3, 2, 1])
    """
    nd = input._data.ndim
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    norm = tuple(wrap_dim(int(d), nd, "flip") for d in dims)
    if nd == 0:
        return input.clone()  # dim 0 / -1 of a 0-d tensor: nothing to reverse
    return Flip.apply(input, norm)


def fliplr(input: Tensor) -> Tensor:
    """Flip along dimension 1 (needs at least 2 dimensions)."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """Flip along dimension 0 (needs at least 1 dimension)."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


class Roll(Primitive):
    """Rotate elements along ``dims``; backward rolls the gradient back."""

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.meta = (shifts, dims)
        return get_xp(x).roll(x, shifts, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        shifts, dims = ctx.meta
        back = tuple(-s for s in shifts) if isinstance(shifts, tuple) else -shifts
        return _roll(grad, back, dims), None, None


def _roll(x: Tensor, shifts: Any, dims: Any) -> Tensor:
    return Roll.apply(x, shifts, dims)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Rotate elements by ``shifts`` along ``dims`` (over the flattened tensor when None).

    Example:
        >>> ember.tensor([1, 2, 3]).roll(1)
        tensor([3, 1, 2])
    """
    if dims is None:
        if not isinstance(shifts, int) and len(shifts) != 1:
            raise RuntimeError("roll: shifts must be a single value when dims is not given")
        s = shifts if isinstance(shifts, int) else int(shifts[0])
        return reshape(_roll(flatten(input), s, 0), input._data.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:"
                           f"{len(dims)}")
    nd = input._data.ndim
    require_dims("roll", nd, dims[0])
    return _roll(input, shifts, tuple(wrap_dim(int(d), nd, "roll") for d in dims))


# -- triangles and diagonals -----------------------------------------------------------------
class Triangle(Primitive):
    """Keep the lower (``tril``) or upper (``triu``) triangle of the last two dimensions."""

    @staticmethod
    def forward(ctx, x, k, upper):
        ctx.meta = (k, upper)
        xp = get_xp(x)
        return xp.triu(x, k) if upper else xp.tril(x, k)

    @staticmethod
    def backward(ctx, grad):
        k, upper = ctx.meta
        return _triangle(grad, k, upper), None, None


def _triangle(x: Tensor, k: int, upper: bool) -> Tensor:
    if x._data.ndim < 2:
        name = "triu" if upper else "tril"
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return Triangle.apply(x, int(k), upper)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements above the ``diagonal``-th diagonal of the last two dimensions.

    Example:
        >>> ember.ones(2, 2).tril()
        tensor([[1., 0.],
                [1., 1.]])
    """
    return _triangle(input, diagonal, False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements below the ``diagonal``-th diagonal of the last two dimensions.

    Example:
        >>> ember.ones(2, 2).triu(1)
        tensor([[0., 1.],
                [0., 0.]])
    """
    return _triangle(input, diagonal, True)


def _diag_view(x: Any, offset: int, d1: int, d2: int) -> Any:
    """A writable strided view of a diagonal, moved to the last dimension (as PyTorch)."""
    xp = get_xp(x)
    order = [d for d in range(x.ndim) if d not in (d1, d2)] + [d1, d2]
    y = x.transpose(order)
    y = y[..., :, offset:] if offset >= 0 else y[..., -offset:, :]
    n = max(min(y.shape[-2], y.shape[-1]), 0)
    strides = y.strides[:-2] + (y.strides[-2] + y.strides[-1],)
    return xp.lib.stride_tricks.as_strided(y, y.shape[:-2] + (n,), strides)


class Diagonal(Primitive):
    """A diagonal as a view; backward writes the gradient onto a zero matrix's diagonal."""

    @staticmethod
    def forward(ctx, x, offset, d1, d2):
        ctx.meta = (x.shape, offset, d1, d2)
        return _diag_view(x, offset, d1, d2)

    @staticmethod
    def backward(ctx, grad):
        shape, offset, d1, d2 = ctx.meta
        zeros = _wrap(get_xp(grad._data).zeros(shape, grad._data.dtype))
        return diagonal_scatter(zeros, grad, offset, d1, d2), None, None, None


class DiagonalScatter(Primitive):
    """A copy of ``x`` with a diagonal replaced by ``src``; backward splits the gradient."""

    @staticmethod
    def forward(ctx, x, src, offset, d1, d2):
        ctx.meta = (offset, d1, d2)
        out = x.copy()
        _diag_view(out, offset, d1, d2)[...] = src
        return out

    @staticmethod
    def backward(ctx, grad):
        offset, d1, d2 = ctx.meta
        gx = gs = None
        if ctx.needs_input_grad[0]:
            gx = diagonal_scatter(grad, zeros_like_diag(grad, offset, d1, d2), offset, d1, d2)
        if ctx.needs_input_grad[1]:
            gs = diagonal(grad, offset, d1, d2)
        return gx, gs, None, None, None


def zeros_like_diag(x: Tensor, offset: int, d1: int, d2: int) -> Tensor:
    """Zeros shaped like ``x.diagonal(offset, d1, d2)``."""
    shape = _diag_view(x._data, offset, d1, d2).shape
    return _wrap(get_xp(x._data).zeros(shape, x._data.dtype))


def _diag_dims(x: Tensor, dim1: int, dim2: int, op: str) -> tuple[int, int]:
    nd = x._data.ndim
    d1, d2 = wrap_dim(dim1, nd, op), wrap_dim(dim2, nd, op)
    if d1 == d2:
        raise RuntimeError(f"{op}: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset``-th diagonal over ``dim1`` and ``dim2``, appended as the last dimension.

    Returns a view: writing into it writes into ``input``.

    Example:
        >>> ember.arange(4).reshape(2, 2).diagonal()
        tensor([0, 3])
    """
    d1, d2 = _diag_dims(input, dim1, dim2, "diagonal")
    return _view_result(input, Diagonal.apply(input, int(offset), d1, d2), True)


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0,
                     dim2: int = 1) -> Tensor:
    """A copy of ``input`` with its ``offset``-th diagonal over ``dim1``/``dim2`` set to ``src``.

    Example:
        >>> ember.diagonal_scatter(ember.zeros(2, 2), ember.ones(2))
        tensor([[1., 0.],
                [0., 1.]])
    """
    d1, d2 = _diag_dims(input, dim1, dim2, "diagonal_scatter")
    expect = _diag_view(input._data, int(offset), d1, d2).shape
    if src._data.shape != expect:
        raise RuntimeError(f"diagonal_scatter: expected src to have a size equal to the slice of "
                           f"self. src size = {list(src._data.shape)}, slice size = {list(expect)}")
    if src._data.dtype != input._data.dtype:
        src = src.to(input.dtype)
    return DiagonalScatter.apply(input, src, int(offset), d1, d2)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Tensors whose ``offset``-th diagonals over ``dim1``/``dim2`` hold ``input``'s last dim.

    Example:
        >>> ember.diag_embed(ember.tensor([1.0, 2.0]))
        tensor([[1., 0.],
                [0., 2.]])
    """
    shape = input._data.shape
    nd = len(shape) + 1
    d1, d2 = wrap_dim(dim1, nd, "diag_embed"), wrap_dim(dim2, nd, "diag_embed")
    if d1 == d2:
        raise RuntimeError(f"diag_embed: diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = shape[-1] + abs(int(offset))
    rest = list(shape[:-1])
    out_shape = []
    for d in range(nd):
        out_shape.append(n if d in (d1, d2) else rest.pop(0))
    zeros = _wrap(get_xp(input._data).zeros(tuple(out_shape), input._data.dtype))
    return diagonal_scatter(zeros, input, offset, d1, d2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor as a square matrix with it on the ``diagonal``-th diagonal, or a 2-D
    tensor's ``diagonal``-th diagonal (a copy).

    Example:
        >>> ember.diag(ember.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    nd = input._data.ndim
    if nd == 1:
        return diag_embed(input, diagonal, 0, 1)
    if nd == 2:
        return globals()["diagonal"](input, diagonal, 0, 1).clone()
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


# -- grids -------------------------------------------------------------------------------------
def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors (expanded views).

    Args:
        tensors: 1-D (or 0-D) tensors, or one sequence of them.
        indexing: ``"ij"`` (matrix, the default) or ``"xy"`` (Cartesian: first two swapped).

    Example:
        >>> gx, gy = ember.meshgrid(ember.arange(3), ember.arange(2), indexing="ij")
        >>> gx.shape
        ember.Size([3, 2])
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"torch.meshgrid: indexing must be one of 'xy' or 'ij', got {indexing}")
    ts = [reshape(t, (-1,)) if t._data.ndim == 0 else t for t in tensors]
    for t in ts:
        if t._data.ndim != 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list")
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t._data.shape[0] for t in ts)
    n = len(ts)
    grids = [expand(reshape(t, (1,) * i + (-1,) + (1,) * (n - i - 1)), shape)
             for i, t in enumerate(ts)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


# -- broadcasting, assembling and splitting helpers ------------------------------------------------
def broadcast_shapes(*shapes: Any) -> Any:
    """The shape that tensors of ``shapes`` broadcast to, as ``torch.broadcast_shapes``.

    Example:
        >>> ember.broadcast_shapes((2, 1), (1, 3))
        ember.Size([2, 3])
    """
    result: list[int] = []
    for i, shape in enumerate(shapes):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        if len(shape) > len(result):
            result = [1] * (len(shape) - len(result)) + result
        for k in range(1, len(shape) + 1):
            have, want = result[-k], shape[-k]
            if want != 1 and have != 1 and have != want:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {want} at {-k}! Mismatching "
                    f"argument at index {i} had {shape}; but expected shape should be "
                    f"broadcastable to {result}"
                )
            if have == 1:
                result[-k] = want
    return Size(result)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Expanded views of ``tensors`` that all have their common broadcast shape.

    Example:
        >>> [t.shape for t in ember.broadcast_tensors(ember.ones(2, 1), ember.ones(3))]
        [ember.Size([2, 3]), ember.Size([2, 3])]
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        tensors = tuple(tensors[0])
    shape = broadcast_shapes(*(t.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """A square matrix with the flattened ``input`` on its ``offset``-th diagonal.

    Example:
        >>> ember.diagflat(ember.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    return diag_embed(reshape(input, -1), offset, 0, 1)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All combinations of the elements of 1-D tensors, one per row (as itertools.product).

    Example:
        >>> ember.cartesian_prod(ember.tensor([1, 2]), ember.tensor([3, 4])).tolist()
        [[1, 3], [1, 4], [2, 3], [2, 4]]
    """
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, -1) for g in grids], 1)


def block_diag(*tensors: Tensor) -> Tensor:
    """A block-diagonal matrix of the given matrices (0-D and 1-D inputs count as one row).

    Example:
        >>> ember.block_diag(ember.ones(1, 1), 2 * ember.ones(2, 2)).shape
        ember.Size([3, 3])
    """
    mats = [reshape(t, 1, -1) if t._data.ndim < 2 else t for t in tensors]
    for i, m in enumerate(mats):
        if m._data.ndim != 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {m._data.ndim} dimensions")
    dt = mats[0].dtype
    for m in mats[1:]:
        dt = _dtype.promote_types(dt, m.dtype)
    width = sum(m._data.shape[1] for m in mats)
    xp = get_xp(mats[0]._data)
    rows, left = [], 0
    for m in mats:
        r, c = m._data.shape
        parts = [_wrap(xp.zeros((r, left), dt.np)), m.to(dt),
                 _wrap(xp.zeros((r, width - left - c), dt.np))]
        rows.append(cat(parts, 1))
        left += c
    return cat(rows, 0)


def rot90(input: Tensor, k: int = 1, dims: Any = (0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims`` (from the first toward the second).

    Example:
        >>> ember.rot90(ember.arange(4).view(2, 2)).tolist()
        [[1, 3], [0, 2]]
    """
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    d0, d1 = (wrap_dim(d, input._data.ndim, "rot90") for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and "
                           f"dim1 = {d1}")
    k = k % 4
    if k == 1:
        return transpose(flip(input, [d1]), d0, d1)
    if k == 2:
        return flip(input, [d0, d1])
    if k == 3:
        return transpose(flip(input, [d0]), d0, d1)
    return input.clone()


def dstack(tensors: Any) -> Tensor:
    """Concatenate along dim 2 after making every tensor at least 3-D."""
    return cat(list(atleast_3d(*tensors)), 2)


def column_stack(tensors: Any) -> Tensor:
    """Stack 0-D/1-D tensors as columns (and 2-D ones as they are) side by side."""
    cols = [reshape(t, -1, 1) if t._data.ndim < 2 else t for t in tensors]
    return cat(cols, 1)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``n`` nearly equal views (the first ones one longer), or at the given indices.

    Example:
        >>> [p.tolist() for p in ember.arange(5).tensor_split(2)]
        [[0, 1, 2], [3, 4]]
    """
    nd = input._data.ndim
    msg = "expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
    require_dims("tensor_split", nd, dim, kind=RuntimeError, msg=msg)
    d = wrap_dim(dim, nd, "tensor_split")
    n = input._data.shape[d]
    spec = indices_or_sections
    if isinstance(spec, Tensor) and spec._data.ndim == 0:
        spec = int(spec.item())
    if isinstance(spec, int):
        if spec <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {spec}")
        sizes = [n // spec + (1 if i < n % spec else 0) for i in range(spec)]
    else:
        bounds = [min(max(int(i) + (n if int(i) < 0 else 0), 0), n) for i in spec]
        starts = [0, *bounds]
        ends = [*bounds, n]
        sizes = [max(e - b, 0) for b, e in zip(starts, ends)]
        pieces = [narrow(input, d, min(b, n), sz) for b, sz in zip(starts, sizes)]
        return tuple(pieces)
    return _split(input, d, sizes)


def _split_along(op: str, input: Tensor, spec: Any, dim: int, min_dims: int) -> tuple[Tensor, ...]:
    if input._data.ndim < min_dims:
        raise RuntimeError(f"torch.{op} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {input._data.ndim} dimensions!")
    if isinstance(spec, int) and input._data.shape[dim] % spec:
        raise RuntimeError(f"torch.{op} attempted to split along dimension {dim}, but the size "
                           f"of the dimension {input._data.shape[dim]} is not divisible by the "
                           f"split_size {spec}!")
    return tensor_split(input, spec, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 1 (dim 0 for 1-D tensors); an int must divide evenly."""
    dim = 0 if input._data.ndim == 1 else 1
    return _split_along("hsplit", input, indices_or_sections, dim, 1)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 0 of a tensor with at least 2 dimensions."""
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 2 of a tensor with at least 3 dimensions."""
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def _tri_indices(row: int, col: int, offset: int, upper: bool, dtype: Any, device: Any) -> Tensor:
    r, c = np.tril_indices(row, offset, col) if not upper else np.triu_indices(row, offset, col)
    out = np.stack([r, c]).astype(_dtype.as_dtype(dtype or _dtype.int64).np)
    return _creation.tensor(out, device=device)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None, layout: Any = None) -> Tensor:
    """The (2, N) coordinates of the lower triangle of a ``row`` x ``col`` matrix.

    Example:
        >>> ember.tril_indices(2, 2).tolist()
        [[0, 1, 1], [0, 0, 1]]
    """
    return _tri_indices(row, col, offset, False, dtype, device)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None, layout: Any = None) -> Tensor:
    """The (2, N) coordinates of the upper triangle of a ``row`` x ``col`` matrix."""
    return _tri_indices(row, col, offset, True, dtype, device)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """All length-``r`` combinations of a 1-D tensor's elements, one per row (differentiable).

    Example:
        >>> ember.combinations(ember.tensor([1, 2, 3])).tolist()
        [[1, 2], [1, 3], [2, 3]]
    """
    if input._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input._data.shape)}")
    n = input._data.shape[0]
    pick = (itertools.combinations_with_replacement if with_replacement
            else itertools.combinations)(range(n), r)
    idx = np.array(list(pick), dtype=np.int64)
    if r == 0 or idx.size == 0:
        return _wrap(get_xp(input._data).empty((0,) if r == 0 else (0, r), input._data.dtype))
    flat = index_select(input, 0, _wrap(get_xp(input._data).asarray(idx.reshape(-1))))
    return reshape(flat, idx.shape)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times along ``dim`` (over the flattened input if None).

    With only a tensor of counts, returns the indices repeated by those counts.

    Example:
        >>> ember.tensor([1, 2]).repeat_interleave(2).tolist()
        [1, 1, 2, 2]
    """
    if repeats is None:
        counts = np.asarray(input.__array__())
        idx = np.repeat(np.arange(counts.shape[0]), counts)
        return _wrap(get_xp(input._data).asarray(idx))
    if dim is None:
        input, d = reshape(input, -1), 0
    else:
        d = wrap_dim(dim, input._data.ndim, "repeat_interleave")
    reps = repeats.__array__() if isinstance(repeats, Tensor) else repeats
    idx = np.repeat(np.arange(input._data.shape[d]), reps)
    return index_select(input, d, _wrap(get_xp(input._data).asarray(idx)))


def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """All windows of ``size`` elements, ``step`` apart, along ``dimension`` (a new last dim).

    Unlike PyTorch this returns a copy, not a view.

    Example:
        >>> ember.arange(5).unfold(0, 2, 2).tolist()
        [[0, 1], [2, 3]]
    """
    nd = input._data.ndim
    d = wrap_dim(dimension, max(nd, 1), "unfold")
    n = input._data.shape[d] if nd else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if nd == 0:
        return reshape(input, 1)
    starts = np.arange(0, n - size + 1, step)
    idx = (starts[:, None] + np.arange(size)[None, :]).reshape(-1)
    picked = index_select(input, d, _wrap(get_xp(input._data).asarray(idx)))
    shape = list(input._data.shape)
    shape[d:d + 1] = [len(starts), size]
    return movedim(reshape(picked, shape), d + 1, -1)


def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-D tensor (a view when the layout allows)."""
    return reshape(input, -1)


def adjoint(input: Tensor) -> Tensor:
    """Conjugate transpose of the last two dimensions (a view for real tensors)."""
    out = transpose(input, -2, -1)
    return conj(out) if input._data.dtype.kind == "c" else out


def split_with_sizes(input: Tensor, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``split`` with a list of sizes that must sum to the dimension's length."""
    return split(input, list(split_sizes), dim)


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``narrow``, as a copy."""
    return narrow(input, dim, start, length).clone()


def _storage_positions(x: Any, size: tuple[int, ...], stride: tuple[int, ...],
                       offset: int) -> Any:
    idx = np.full((), offset, dtype=np.int64)
    for d, (n, st) in enumerate(zip(size, stride)):
        idx = idx + (np.arange(n, dtype=np.int64) * st).reshape(
            (1,) * d + (n,) + (1,) * (len(size) - d - 1))
    return np.broadcast_to(idx, size)


def as_strided(input: Tensor, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
    """A view of ``input``'s storage with the given sizes and strides (in elements).

    Without autograd this is a true view (writes show through). When ``input`` requires grad
    the result is gathered from a contiguous copy, so it is differentiable but not a view.

    Example:
        >>> ember.arange(6).as_strided((2, 2), (1, 2)).tolist()
        [[0, 2], [1, 3]]
    """

    size, stride = tuple(int(v) for v in size), tuple(int(v) for v in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape ({len(stride)} vs "
                           f"{len(size)})")
    data = input._data
    root = _root_array(data)
    own = (_address(data) - _address(root)) // data.itemsize if root.size else 0
    offset = own if storage_offset is None else int(storage_offset)
    pos = _storage_positions(data, size, stride, offset)
    if pos.size and (int(pos.min()) < 0 or int(pos.max()) >= root.size):
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset} are out of bounds for storage of {root.size} "
                           "elements")
    if grad_needed(input):
        if not data.flags.c_contiguous or own:
            raise RuntimeError("as_strided of a tensor that requires grad needs a contiguous "
                               "tensor that starts its storage; call .contiguous() first")
        flat = reshape(input, -1)
        return _index(flat, (get_xp(data).asarray(pos),))
    xp = get_xp(data)
    flat_root = root.reshape(-1)
    strides = tuple(st * data.itemsize for st in stride)
    base = flat_root[offset:] if offset < flat_root.size else flat_root[:0]
    out = xp.lib.stride_tricks.as_strided(base, size, strides)
    return _view_result(input, _wrap(out), True)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    d = wrap_dim(dim, input._data.ndim, "select_scatter")
    key = (slice(None),) * d + (int(index),)
    return _index_put(input, key, src, False)


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None,
                  end: int | None = None, step: int = 1) -> Tensor:
    """A copy of ``input`` with ``input[..., start:end:step, ...]`` (along ``dim``) set to
    ``src``."""
    d = wrap_dim(dim, input._data.ndim, "slice_scatter")
    key = (slice(None),) * d + (slice(start, end, step),)
    return _index_put(input, key, src, False)


def _tril_(self: Tensor, diagonal: int = 0) -> Tensor:
    return apply_inplace(self, tril(self, diagonal), "tril_")


def _triu_(self: Tensor, diagonal: int = 0) -> Tensor:
    return apply_inplace(self, triu(self, diagonal), "triu_")


def _swapdims_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    return _in_place_view(self, transpose(self.detach(), dim0, dim1))


def _resize_as_(self: Tensor, other: Tensor, memory_format: Any = None) -> Tensor:
    return _resize_(self, tuple(other._data.shape))


def _sum_to_size(self: Tensor, *size: Any) -> Tensor:
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
    return sum_to_shape(self, tuple(int(s) for s in shape))


def _unsafe_chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    return chunk(self, chunks, dim)


def _is_same_size(self: Tensor, other: Tensor) -> bool:
    return self._data.shape == other._data.shape


def _squeeze_(self: Tensor, dim: Any = None) -> Tensor:
    return _in_place_view(self, squeeze(self.detach(), dim))


def _unsqueeze_(self: Tensor, dim: int) -> Tensor:
    return _in_place_view(self, unsqueeze(self.detach(), dim))


def _t_(self: Tensor) -> Tensor:
    return _in_place_view(self, t(self.detach()))


def _transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    return _in_place_view(self, transpose(self.detach(), dim0, dim1))


def _resize_(self: Tensor, *sizes: Any, memory_format: Any = None) -> Tensor:
    """Change the shape in place, keeping the leading elements (new ones are zero)."""
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = tuple(int(s) for s in (sizes[0] if len(sizes) == 1 and not isinstance(
        sizes[0], int) else sizes))
    data = self._data
    n = 1
    for s in shape:
        n *= s
    if n == data.size:
        self._data = data.reshape(shape)
        return self
    xp = get_xp(data)
    flat = xp.zeros(n, data.dtype)
    keep = min(n, data.size)
    flat[:keep] = data.reshape(-1)[:keep]
    self._data = flat.reshape(shape)
    return self


def _set_(self: Tensor, source: Tensor | None = None, *args: Any) -> Tensor:
    """Make this tensor use ``source``'s memory (an empty tensor when None)."""
    if source is None:
        self._data = get_xp(self._data).empty((0,), self._data.dtype)
        return self
    self._data = source._data
    self._vc = source._vc
    return self


def _in_place_view(self: Tensor, new: Tensor) -> Tensor:
    """Shape-only in-place ops (``squeeze_``...) swap the array view; not for graph tensors."""
    if grad_needed(self):
        raise RuntimeError("in-place shape changes of tensors that require grad are not supported"
                           "; use the out-of-place form (x = x.squeeze())")
    self._data = new._data
    return self


def _T(self: Tensor) -> Tensor:
    return permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           "Got 1-D tensor.")
    return transpose(self, -2, -1)


_NOT_METHODS = {"cat", "concat", "concatenate", "stack", "hstack", "vstack", "meshgrid",
                "atleast_1d", "atleast_2d", "atleast_3d", "diagonal_scatter", "broadcast_tensors",
                "broadcast_shapes", "cartesian_prod", "block_diag", "dstack", "column_stack",
                "tril_indices", "triu_indices", "combinations", "select_scatter"}

TENSOR_METHODS = {
    **{name: globals()[name] for name in __all__ if name not in _NOT_METHODS},
    "repeat": repeat, "view": view, "T": property(_T), "mT": property(_mT),
    "squeeze_": _squeeze_, "unsqueeze_": _unsqueeze_, "t_": _t_, "transpose_": _transpose_,
    "resize_": _resize_, "set_": _set_, "tril_": _tril_, "triu_": _triu_,
    "swapdims_": _swapdims_, "swapaxes_": _swapdims_, "resize_as_": _resize_as_,
    "sum_to_size": _sum_to_size, "unsafe_chunk": _unsafe_chunk, "unsafe_split": split,
    "unsafe_split_with_sizes": split_with_sizes, "is_same_size": _is_same_size,
    "mH": property(adjoint), "H": property(adjoint),
    "diagonal_scatter": diagonal_scatter, "select_scatter": select_scatter,
}
