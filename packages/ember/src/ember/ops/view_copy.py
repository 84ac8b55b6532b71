"""The ``*_copy`` variants of the view ops (``view_copy``, ``permute_copy``, ...).

PyTorch keeps one for every view op (functionalisation uses them): the same values as the view,
in memory of their own, so writing into the result never reaches the input. Each is the view
followed by ``clone``, so gradients flow back to the input exactly as through the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember._tensor import Tensor
from ember.ops._dims import wrap_dim
from ember.ops.complex import view_as_complex, view_as_real
from ember.ops.conversion import clone
from ember.ops.shape import (
    as_strided,
    diagonal,
    expand,
    permute,
    select,
    split,
    split_with_sizes,
    squeeze,
    t,
    transpose,
    unbind,
    unfold,
    unsqueeze,
    view,
)

__all__ = [
    "alias_copy",
    "as_strided_copy",
    "detach_copy",
    "diagonal_copy",
    "expand_copy",
    "permute_copy",
    "select_copy",
    "slice_copy",
    "split_copy",
    "split_with_sizes_copy",
    "squeeze_copy",
    "t_copy",
    "transpose_copy",
    "unbind_copy",
    "unfold_copy",
    "unsqueeze_copy",
    "view_as_complex_copy",
    "view_as_real_copy",
    "view_copy",
]


def _copying(view_fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``view_fn`` followed by ``clone`` (of each result, for the ops returning several views)."""

    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        out = view_fn(input, *args, **kwargs)
        return tuple(clone(o) for o in out) if isinstance(out, (tuple, list)) else clone(out)

    view_name = getattr(view_fn, "__name__", name[:-5])
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Like ``{view_name}``, but the result is a copy with memory of its own (PyTorch's "
        f"``torch.{name}``); gradients flow back to ``input`` as through the view.\n\n"
        "Example:\n    >>> x = ember.arange(6.0).reshape(2, 3)\n"
        "    >>> y = ember.transpose_copy(x, 0, 1)\n    >>> y[0, 0] = 9.0\n"
        "    >>> x[0, 0]\n    tensor(0.)\n"
    )
    return fn


def _slice(
    input: Tensor, dim: int = 0, start: int | None = None, end: int | None = None, step: int = 1
) -> Tensor:
    """``input[..., start:end:step, ...]`` along ``dim``."""
    d = wrap_dim(dim, input._data.ndim, "slice_copy")
    return input[(slice(None),) * d + (slice(start, end, step),)]


def _detach(input: Tensor) -> Tensor:
    return input.detach()


def _alias(input: Tensor) -> Tensor:
    return input.view(input.shape)


alias_copy = _copying(_alias, "alias_copy")
as_strided_copy = _copying(as_strided, "as_strided_copy")
detach_copy = _copying(_detach, "detach_copy")
diagonal_copy = _copying(diagonal, "diagonal_copy")
expand_copy = _copying(expand, "expand_copy")
permute_copy = _copying(permute, "permute_copy")
select_copy = _copying(select, "select_copy")
slice_copy = _copying(_slice, "slice_copy")
split_copy = _copying(split, "split_copy")
split_with_sizes_copy = _copying(split_with_sizes, "split_with_sizes_copy")
squeeze_copy = _copying(squeeze, "squeeze_copy")
t_copy = _copying(t, "t_copy")
transpose_copy = _copying(transpose, "transpose_copy")
unbind_copy = _copying(unbind, "unbind_copy")
unfold_copy = _copying(unfold, "unfold_copy")
unsqueeze_copy = _copying(unsqueeze, "unsqueeze_copy")
view_as_complex_copy = _copying(view_as_complex, "view_as_complex_copy")
view_as_real_copy = _copying(view_as_real, "view_as_real_copy")
view_copy = _copying(view, "view_copy")

TENSOR_METHODS: dict[str, Any] = {}
