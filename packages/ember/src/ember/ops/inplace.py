"""In-place ops: computed out of place, then written into the target's memory.

Writing through keeps every alias (views, ``.data``) in step; the target's version counter is bumped
so a backward that saved the old value raises, and the target takes over the result's ``grad_fn``.
When the target is a view, its base's history is rebased too (PyTorch's ``CopySlices``): the base
becomes "old base with the view's elements replaced by the result", so gradients that flow into
the base reach the in-place op. The ``Index``/``IndexPut`` primitives that rebase views are looked
up in the registry at call time: ``ember.ops.indexing`` imports this module.
"""

from __future__ import annotations

from typing import Any

from ember import _dtype
from ember._tensor import Tensor, _root_array, _wrap
from ember.autograd.function import _SAVED_OTHER
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops import registry
from ember.ops._util import grad_needed

__all__ = ["apply_inplace", "check_inplace_allowed"]


def check_inplace_allowed(target: Tensor, op: str) -> None:
    """RuntimeError for an in-place change to a leaf that requires grad, while recording."""
    if not _State.enabled:
        return
    if target._requires_grad and target.grad_fn is None:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation. "
            "Wrap the update in `with ember.no_grad():`, or operate on `.data`."
        )
    base = target._base
    if base is not None and base._requires_grad and base.grad_fn is None:
        raise RuntimeError(
            f"{op}: a view of a leaf Variable that requires grad is being used in an in-place "
            "operation. Wrap the update in `with ember.no_grad():`, or operate on `.data`."
        )


def apply_inplace(target: Tensor, result: Tensor, op: str) -> Tensor:
    """Write ``result`` into ``target`` and move ``result``'s autograd history onto it.

    Args:
        target: the tensor modified in place.
        result: the out-of-place result, of ``target``'s shape and a dtype castable to it.
        op: the op's name, for error messages.

    Returns:
        ``target``.
    """
    check_inplace_allowed(target, op)
    tdata, rdata = target._data, result._data
    if rdata.shape != tdata.shape:
        raise RuntimeError(
            f"{op}: output with shape {list(tdata.shape)} doesn't match the broadcast shape "
            f"{list(rdata.shape)}"
        )
    if rdata.dtype != tdata.dtype:
        rt, tt = _dtype.from_numpy_dtype(rdata.dtype), _dtype.from_numpy_dtype(tdata.dtype)
        if _dtype.promote_types(rt, tt) is not tt:
            raise RuntimeError(
                f"{op}: result type {rt} can't be cast to the desired output type {tt}"
            )
    node = result.grad_fn
    if node is not None:
        _snapshot_saved_target(node, target)
    try:
        get_xp(tdata).copyto(tdata, rdata, casting="unsafe")
    except ValueError as err:
        if "read-only" not in str(err):
            raise
        raise RuntimeError(
            f"{op}: unsupported operation: more than one element of the written-to tensor refers "
            "to a single memory location. Please clone() the tensor before performing the "
            "operation."
        ) from None
    target._vc[0] += 1
    if node is not None and result._requires_grad:
        target.grad_fn = node
        target._output_nr = result._output_nr
        target._requires_grad = True
    base = target._base
    if base is not None and grad_needed(result, base):
        _rebase_base_history(base, target, result)
    elif base is None and node is not None and result._requires_grad:
        _regraft_views(target, None)
    return target


def _rebase_base_history(base: Tensor, view: Tensor, result: Tensor) -> None:
    """After an in-place write into ``view``, record it on ``base`` as an out-of-place put."""
    pos = _positions_in_base(base._data, view._data)
    if pos is None:
        return
    xp = get_xp(base._data)
    key = tuple(xp.unravel_index(pos, base._data.shape)) if base._data.ndim else ()
    old = _wrap(base._data)
    old.grad_fn, old._output_nr = base.grad_fn, base._output_nr
    old._requires_grad = base._requires_grad
    values = result if result._data.dtype == base._data.dtype else result.to(base.dtype)
    new = registry.get("IndexPut").apply(old, values, key, False)
    base.grad_fn, base._output_nr = new.grad_fn, new._output_nr
    base._requires_grad = True
    _regraft_views(base, view)


def _regraft_views(base: Tensor, skip: Tensor | None) -> None:
    """Point the recorded views of ``base`` (but ``skip``) at its new history."""
    for ref in list(base.__dict__.get("_views", ())):
        other = ref()
        if other is not None and other is not skip:
            _regraft_view(base, other)


def _regraft_view(new_base: Tensor, view: Tensor) -> None:
    """Point a sibling view's history at the rebased base (PyTorch regenerates it lazily)."""
    pos = _positions_in_base(new_base._data, view._data)
    if pos is None:
        return
    xp = get_xp(new_base._data)
    key = tuple(xp.unravel_index(pos, new_base._data.shape)) if new_base._data.ndim else ()
    node = registry.get("Index").apply(new_base, key, False)
    view.grad_fn, view._output_nr = node.grad_fn, node._output_nr
    view._requires_grad = True


def _positions_in_base(base: Any, view: Any) -> Any:
    """For each element of ``view``, its flat (row-major) position in ``base`` (None if unknown)."""
    xp = get_xp(base)
    isz = base.itemsize
    if view.itemsize != isz or any(s % isz for s in base.strides + view.strides):
        return None
    root = _root_array(base)
    start = _addr(root)
    span = max(int(root.nbytes) // isz, 1)
    where = xp.full(span, -1, dtype=xp.int64)
    where[_memory_index(base, start, xp)] = xp.arange(base.size).reshape(base.shape)
    pos = where[_memory_index(view, start, xp)]
    if pos.size and int(pos.min()) < 0:
        return None
    return pos


def _memory_index(arr: Any, start: int, xp: Any) -> Any:
    """Element offsets from ``start`` of every element of ``arr`` (an array of ``arr``'s shape)."""
    isz = arr.itemsize
    idx = xp.asarray((_addr(arr) - start) // isz, dtype=xp.int64)
    nd = arr.ndim
    for d, (n, st) in enumerate(zip(arr.shape, arr.strides)):
        step = xp.arange(n, dtype=xp.int64) * (st // isz)
        idx = idx + step.reshape((1,) * d + (n,) + (1,) * (nd - d - 1))
    return xp.broadcast_to(idx, arr.shape)


def _addr(arr: Any) -> int:
    if hasattr(arr, "__array_interface__"):
        return int(arr.__array_interface__["data"][0])
    return int(arr.data.ptr)


_SNAPSHOT_SEARCH = 64  # nodes; a composite in-place op (hardswish_, elu_) spans a handful


def _snapshot_saved_target(node: object, target: Tensor) -> None:
    """The ops that computed the result may have saved ``target`` itself (``x * relu6(x + 3)``
    saves ``x``): give them a copy of its current value before it is overwritten.

    The search walks back from the result's node and stops at ``target``'s own history, so it
    covers the ops of one (composite) in-place call.
    """
    stop = target.grad_fn
    stack, seen, copy = [node], set(), None
    while stack and len(seen) < _SNAPSHOT_SEARCH:
        current = stack.pop()
        if current is None or current is stop or id(current) in seen:
            continue
        seen.add(id(current))
        saved = getattr(current, "_saved", None)
        if saved and any(entry[1] is target for entry in saved):
            if copy is None:
                copy = _wrap(target._data.copy())
            current._saved = tuple(
                (_SAVED_OTHER, copy, copy._vc, 0) if entry[1] is target else entry
                for entry in saved
            )
        for edge in getattr(current, "next_functions", ()):
            if edge is not None and not isinstance(edge[0], Tensor):
                stack.append(edge[0])
