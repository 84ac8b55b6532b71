"""Shape ops. Those that PyTorch implements as views return tensors sharing memory (and the
version counter) with their input."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._dims import wrap_dim
from ember.ops._util import NULL_CTX

__all__ = ["reshape", "view", "expand", "expand_as", "transpose", "permute", "contiguous",
           "broadcast_to", "t"]


def _view_result(base: Tensor, out: Tensor) -> Tensor:
    """Make ``out`` share ``base``'s version counter when it shares its memory."""
    if out._data.base is not None or out._data is base._data:
        out._vc = base._vc
        out._base = base if base._base is None else base._base
    return out


def _apply_view(cls: type[Primitive], x: Tensor, *args: Any) -> Tensor:
    if _State.enabled and x._requires_grad:
        out = cls.apply(x, *args)
    else:
        out = _wrap(cls.forward(NULL_CTX, x._data, *args))
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
    if new == input._data.shape:
        return _apply_view(Reshape, input, new)
    return _apply_view(Reshape, input, new)


def view(input: Tensor, *shape: Any) -> Tensor:
    """A view with a new shape; RuntimeError when the strides don't allow it (use reshape).

    Args:
        input: the tensor.
        shape: the new shape (or a dtype, which is not supported).

    Returns:
        A tensor sharing ``input``'s memory.
    """
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


class Expand(Primitive):
    """Broadcast to a larger shape without copying."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return get_xp(x).broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        from ember.ops._broadcast import sum_to_shape

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
    if nd == 0:
        return input
    d0, d1 = wrap_dim(dim0, nd, "transpose"), wrap_dim(dim1, nd, "transpose")
    if d0 == d1:
        return _apply_view(Permute, input, tuple(range(nd)))
    order = list(range(nd))
    order[d0], order[d1] = d1, d0
    return _apply_view(Permute, input, tuple(order))


def t(input: Tensor) -> Tensor:
    """Transpose a tensor of at most 2 dimensions."""
    if input._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D")
    return transpose(input, 0, 1) if input._data.ndim == 2 else input


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
    if _State.enabled and input._requires_grad:
        return Contiguous.apply(input)
    return _wrap(get_xp(input._data).ascontiguousarray(input._data))


def _T(self: Tensor) -> Tensor:
    return permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
    return transpose(self, -2, -1)


TENSOR_METHODS = {
    "reshape": reshape, "view": view, "expand": expand, "expand_as": expand_as,
    "transpose": transpose, "permute": permute, "contiguous": contiguous, "t": t,
    "broadcast_to": broadcast_to, "T": property(_T), "mT": property(_mT),
}
