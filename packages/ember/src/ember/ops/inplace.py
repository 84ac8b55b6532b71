"""In-place ops: computed out of place, then written into the target's memory.

Writing through keeps every alias (views, ``.data``) in step; the target's version counter is bumped
so a backward that saved the old value raises, and the target takes over the result's ``grad_fn``.
"""

from __future__ import annotations

from ember import _dtype
from ember._tensor import Tensor
from ember.autograd.grad_mode import _State
from ember.backends import get_xp

__all__ = ["apply_inplace", "check_inplace_allowed"]


def check_inplace_allowed(target: Tensor, op: str) -> None:
    """RuntimeError for an in-place change to a leaf that requires grad, while recording."""
    if _State.enabled and target._requires_grad and target.grad_fn is None:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation. "
            "Wrap the update in `with ember.no_grad():`, or operate on `.data`."
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
    get_xp(tdata).copyto(tdata, rdata, casting="unsafe")
    target._vc[0] += 1
    if node is not None and result._requires_grad:
        target.grad_fn = node
        target._output_nr = result._output_nr
        target._requires_grad = True
    return target


def _snapshot_saved_target(node: object, target: Tensor) -> None:
    """The op that produced ``result`` may have saved ``target`` itself: keep a copy instead."""
    saved = getattr(node, "_saved", None)
    if not saved:
        return
    from ember._tensor import _wrap
    from ember.autograd.function import _SAVED_OTHER

    fixed = []
    for entry in saved:
        if entry[1] is target:
            copy = _wrap(target._data.copy())
            entry = (_SAVED_OTHER, copy, copy._vc, 0)
        fixed.append(entry)
    node._saved = tuple(fixed)
