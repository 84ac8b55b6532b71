"""Collectives and point-to-point messages on Tensors, in place, as ``torch.distributed``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.distributed._backend import ReduceOp, Work
from ember.distributed._group import ProcessGroup, _resolve

__all__ = [
    "all_reduce",
    "reduce",
    "broadcast",
    "all_gather",
    "all_gather_into_tensor",
    "reduce_scatter",
    "reduce_scatter_tensor",
    "gather",
    "scatter",
    "send",
    "recv",
    "isend",
    "irecv",
    "all_gather_object",
    "broadcast_object_list",
]


def _check(tensor: Any, op: str) -> None:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(tensor).__name__}")


def _staged(tensor: Tensor, group: ProcessGroup, op: str) -> tuple[Any, Callable[[], None]]:
    """A contiguous buffer the backend can write into, and how to copy it back to ``tensor``."""
    _check(tensor, op)
    arr = tensor._data
    on_gpu = type(arr) is not np.ndarray
    if group.backend.name == "nccl":
        if not on_gpu:
            raise RuntimeError(f"{op}: the nccl backend needs CUDA tensors, got a CPU tensor")
        buf = arr if arr.flags.c_contiguous else arr.copy()
    elif on_gpu:  # MPI without CUDA awareness: stage through host memory
        buf = arr.get()
    else:
        buf = arr if arr.flags.c_contiguous and arr.flags.writeable else arr.copy()
    if buf is arr:
        return buf, lambda: None

    def back() -> None:
        arr[...] = _to_like(buf, arr)

    return buf, back


def _finish(work: Work, *steps: Callable[[], None]) -> Work:
    previous = work._finish

    def finish() -> None:
        if previous is not None:
            previous()
        for step in steps:
            step()

    work._finish = finish
    return work


def _run(work: Work, async_op: bool) -> Work | None:
    if async_op:
        return work
    work.wait()
    return None


def all_reduce(
    tensor: Tensor,
    op: ReduceOp = ReduceOp.SUM,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Combine ``tensor`` across the group with ``op``; every rank gets the result in place.

    Args:
        tensor: input and output; same shape and dtype on every rank.
        op: a :class:`ReduceOp` (SUM, AVG, PRODUCT, MAX, MIN, BAND, BOR, BXOR).
        group: the process group (default: the default group).
        async_op: return a :class:`Work` handle instead of waiting.

    Returns:
        A :class:`Work` handle when ``async_op``, else None.

    Example:
        >>> t = ember.ones(3) * (dist.get_rank() + 1)     # doctest: +SKIP
        >>> dist.all_reduce(t)                              # doctest: +SKIP
        >>> t                                               # on 2 ranks: 1 + 2
        tensor([3., 3., 3.])
    """
    g = _resolve(group)
    buf, back = _staged(tensor, g, "all_reduce")
    return _run(_finish(g.backend.all_reduce(buf, op), back), async_op)


def reduce(
    tensor: Tensor,
    dst: int,
    op: ReduceOp = ReduceOp.SUM,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Combine ``tensor`` across the group; only rank ``dst`` receives the result in place."""
    g = _resolve(group)
    buf, back = _staged(tensor, g, "reduce")
    return _run(_finish(g.backend.reduce(buf, g.group_rank(dst), op), back), async_op)


def broadcast(
    tensor: Tensor, src: int, group: ProcessGroup | None = None, async_op: bool = False
) -> Work | None:
    """Copy rank ``src``'s ``tensor`` into ``tensor`` on every other rank of the group."""
    g = _resolve(group)
    buf, back = _staged(tensor, g, "broadcast")
    return _run(_finish(g.backend.broadcast(buf, g.group_rank(src)), back), async_op)


def _stack_like(tensor: Tensor, n: int, g: ProcessGroup) -> Any:
    """An empty ``(n, *tensor.shape)`` buffer where the backend works (host for MPI)."""
    arr = tensor._data
    xp = get_xp(arr) if g.backend.name == "nccl" else np
    return xp.empty((n, *arr.shape), dtype=arr.dtype)


def _check_list(tensors: Sequence[Any], n: int, like: Tensor, op: str) -> None:
    if len(tensors) != n:
        raise ValueError(
            f"{op}: expected a list of {n} tensors (the group's size), got {len(tensors)}"
        )
    for t in tensors:
        _check(t, op)
        if t.shape != like.shape or t.dtype != like.dtype:
            raise ValueError(
                f"{op}: every tensor must have shape {tuple(like.shape)} and dtype "
                f"{like.dtype}; got {tuple(t.shape)} {t.dtype}"
            )


def _to_like(src: Any, like: Any) -> Any:
    """``src`` moved to the array module of ``like`` (host <-> GPU staging)."""
    if type(src) is type(like):
        return src
    return src.get() if type(like) is np.ndarray else get_xp(like).asarray(src)


def _scatter_rows(stacked: Any, tensors: Sequence[Tensor]) -> Callable[[], None]:
    def copy() -> None:
        for i, t in enumerate(tensors):
            t._data[...] = _to_like(stacked[i], t._data)

    return copy


def all_gather(
    tensor_list: list[Tensor],
    tensor: Tensor,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Fill ``tensor_list[i]`` with rank ``i``'s ``tensor`` on every rank of the group."""
    g = _resolve(group)
    _check_list(tensor_list, g.size(), tensor, "all_gather")
    buf, _ = _staged(tensor, g, "all_gather")
    out = _stack_like(tensor, g.size(), g)
    work = g.backend.all_gather(out, buf)
    return _run(_finish(work, _scatter_rows(out, tensor_list)), async_op)


def all_gather_into_tensor(
    output_tensor: Tensor,
    input_tensor: Tensor,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Gather every rank's ``input_tensor`` into ``output_tensor``, concatenated along dim 0."""
    g = _resolve(group)
    want = (
        input_tensor.shape[0] * g.size() if input_tensor.ndim else g.size(),
        *input_tensor.shape[1:],
    )
    if tuple(output_tensor.shape) not in (want, (g.size(), *input_tensor.shape)):
        raise ValueError(
            f"all_gather_into_tensor: output shape {tuple(output_tensor.shape)} "
            f"does not fit {g.size()} inputs of shape {tuple(input_tensor.shape)}"
        )
    out, back = _staged(output_tensor, g, "all_gather_into_tensor")
    buf, _ = _staged(input_tensor, g, "all_gather_into_tensor")
    return _run(_finish(g.backend.all_gather(out, buf), back), async_op)


def reduce_scatter(
    output: Tensor,
    input_list: list[Tensor],
    op: ReduceOp = ReduceOp.SUM,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Reduce ``input_list[i]`` over the group with ``op`` and give the result to rank ``i``."""
    g = _resolve(group)
    _check_list(input_list, g.size(), output, "reduce_scatter")
    out, back = _staged(output, g, "reduce_scatter")
    stacked = _stack_like(output, g.size(), g)
    for i, t in enumerate(input_list):
        stacked[i] = _to_like(t._data, stacked)
    return _run(_finish(g.backend.reduce_scatter(out, stacked, op), back), async_op)


def reduce_scatter_tensor(
    output: Tensor,
    input: Tensor,
    op: ReduceOp = ReduceOp.SUM,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Like :func:`reduce_scatter` with the inputs concatenated along dim 0 in one tensor."""
    g = _resolve(group)
    if input.numel() != output.numel() * g.size():
        raise ValueError(
            f"reduce_scatter_tensor: input has {input.numel()} elements, expected "
            f"{output.numel() * g.size()} (output size x group size)"
        )
    out, back = _staged(output, g, "reduce_scatter_tensor")
    stacked, _ = _staged(input, g, "reduce_scatter_tensor")
    return _run(_finish(g.backend.reduce_scatter(out, stacked, op), back), async_op)


def gather(
    tensor: Tensor,
    gather_list: list[Tensor] | None = None,
    dst: int = 0,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Collect every rank's ``tensor`` into ``gather_list`` on rank ``dst`` (None elsewhere)."""
    g = _resolve(group)
    root = g.group_rank(dst)
    buf, _ = _staged(tensor, g, "gather")
    if g.rank() != root:
        if gather_list:
            raise ValueError("gather: gather_list must be None (or empty) on non-destination ranks")
        return _run(g.backend.gather(None, buf, root), async_op)
    if gather_list is None:
        raise ValueError("gather: the destination rank needs a gather_list")
    _check_list(gather_list, g.size(), tensor, "gather")
    out = _stack_like(tensor, g.size(), g)
    work = g.backend.gather(out, buf, root)
    return _run(_finish(work, _scatter_rows(out, gather_list)), async_op)


def scatter(
    tensor: Tensor,
    scatter_list: list[Tensor] | None = None,
    src: int = 0,
    group: ProcessGroup | None = None,
    async_op: bool = False,
) -> Work | None:
    """Give ``scatter_list[i]`` on rank ``src`` to rank ``i``, written into its ``tensor``."""
    g = _resolve(group)
    root = g.group_rank(src)
    out, back = _staged(tensor, g, "scatter")
    stacked = None
    if g.rank() == root:
        if scatter_list is None:
            raise ValueError("scatter: the source rank needs a scatter_list")
        _check_list(scatter_list, g.size(), tensor, "scatter")
        stacked = _stack_like(tensor, g.size(), g)
        for i, t in enumerate(scatter_list):
            stacked[i] = _to_like(t._data, stacked)
    elif scatter_list:
        raise ValueError("scatter: scatter_list must be None (or empty) on non-source ranks")
    return _run(_finish(g.backend.scatter(out, stacked, root), back), async_op)


def isend(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> Work:
    """Start sending ``tensor`` to rank ``dst``; returns a :class:`Work` handle."""
    g = _resolve(group)
    buf, _ = _staged(tensor, g, "isend")
    if buf is not tensor._data:
        buf = buf.copy()  # the message must not change if the caller reuses the tensor
    return g.backend.send(buf, g.group_rank(dst), tag)


def irecv(
    tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0
) -> Work:
    """Start receiving into ``tensor`` from rank ``src`` (any rank when None)."""
    g = _resolve(group)
    buf, back = _staged(tensor, g, "irecv")
    source = None if src is None else g.group_rank(src)
    work = g.backend.recv(buf, source, tag)
    if source is None:
        inner = work._value
        work._value = lambda: g.ranks[inner()]
    return _finish(work, back)


def send(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> None:
    """Send ``tensor`` to rank ``dst`` and wait until the buffer may be reused."""
    isend(tensor, dst, group, tag).wait()


def recv(
    tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0
) -> int:
    """Receive into ``tensor`` from rank ``src`` (any rank when None); returns the sender."""
    return int(irecv(tensor, src, group, tag).result())


def _object_comm(group: ProcessGroup | None) -> Any:
    g = _resolve(group)
    backend = g.backend.mpi if g.backend.name == "nccl" else g.backend
    return g, backend.comm


def all_gather_object(object_list: list[Any], obj: Any, group: ProcessGroup | None = None) -> None:
    """Fill ``object_list[i]`` with rank ``i``'s picklable ``obj``.

    As in PyTorch the objects travel pickled: only use it between ranks of your own job.
    """
    g, comm = _object_comm(group)
    if len(object_list) != g.size():
        raise ValueError(f"all_gather_object: object_list must have {g.size()} entries")
    object_list[:] = comm.allgather(obj)


def broadcast_object_list(
    object_list: list[Any], src: int = 0, group: ProcessGroup | None = None, device: Any = None
) -> None:
    """Replace ``object_list``'s entries with rank ``src``'s (pickled, as in PyTorch)."""
    g, comm = _object_comm(group)
    object_list[:] = comm.bcast(list(object_list), root=g.group_rank(src))
