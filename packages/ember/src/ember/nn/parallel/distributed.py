"""``DistributedDataParallel``: one model replica per process, gradients averaged in buckets.

Each process runs the whole model on its own share of the batch. At construction rank 0's
parameters and buffers are broadcast, so every replica starts equal. During ``backward`` a hook
on each parameter notes when its gradient is complete; as soon as every parameter of a bucket
(about ``bucket_cap_mb`` of gradients, in reverse registration order, which is roughly the order
backward produces them) is complete, the bucket is flattened and an asynchronous all-reduce is
started, so communication overlaps the rest of backward. When the last bucket has been started
the reductions are awaited and the averaged gradients written back into ``param.grad``.

Because a parameter used several times in a graph has its gradient delivered several times,
``forward`` counts, from the outputs' graph, how many deliveries each parameter will get; that
walk also finds the parameters the forward did not use.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.autograd.grad_mode import is_grad_enabled
from ember.backends import get_xp
from ember.distributed import (
    ProcessGroup,
    ReduceOp,
    all_gather_object,
    all_reduce,
    broadcast,
)
from ember.distributed._group import _resolve
from ember.nn.modules.module import Module

__all__ = ["DistributedDataParallel"]

_FIRST_BUCKET_BYTES = 1 << 20  # as PyTorch: a small first bucket starts communication early


def _tensors_in(obj: Any) -> Iterator[Tensor]:
    if isinstance(obj, Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _tensors_in(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _tensors_in(item)


def _delivery_counts(outputs: Any, wanted: set[int]) -> dict[int, int]:
    """How many gradient deliveries each wanted leaf gets when backward runs from ``outputs``."""
    counts: dict[int, int] = {}
    stack = [t.grad_fn for t in _tensors_in(outputs) if t.grad_fn is not None]
    seen = {id(n) for n in stack}
    while stack:
        node = stack.pop()
        for edge in node.next_functions:
            if edge is None:
                continue
            nxt = edge[0]
            if isinstance(nxt, Tensor):
                if id(nxt) in wanted:
                    counts[id(nxt)] = counts.get(id(nxt), 0) + 1
            elif id(nxt) not in seen:
                seen.add(id(nxt))
                stack.append(nxt)
    return counts


class _Bucket:
    """Parameters whose gradients travel in one all-reduce."""

    def __init__(self, params: list[Tensor]) -> None:
        self.params = params
        self.sizes = [p.numel() for p in params]
        self.remaining = len(params)
        self.buffer: Any = None
        self.work: Any = None


class _Iteration:
    """The reduction state of one forward/backward."""

    def __init__(self, buckets: list[_Bucket], counts: dict[int, int]) -> None:
        self.buckets = buckets
        self.counts = counts
        self.delivered: dict[int, int] = {}
        self.launched = 0
        self.started = False
        self.finished = False
        for b in buckets:
            b.remaining, b.buffer, b.work = len(b.params), None, None


class DistributedDataParallel(Module):
    """Data parallelism across processes: same model everywhere, gradients averaged.

    Args:
        module: the model to replicate (already on this process's device).
        device_ids: accepted for compatibility; the module's own device is used.
        output_device: accepted for compatibility.
        dim: accepted for compatibility (each process feeds its own batch).
        broadcast_buffers: copy rank 0's buffers (BatchNorm statistics, ...) to every rank at
            the start of each forward.
        process_group: the group to average over (default: the default group).
        bucket_cap_mb: gradient bucket size in MiB (default 25; the first bucket is 1 MiB).
        find_unused_parameters: parameters the forward did not use are reduced with zeros and
            keep ``grad=None`` when no rank used them; without it they make the next forward
            raise, as in PyTorch.
        check_reduction, gradient_as_bucket_view, static_graph: accepted for compatibility.

    Example:
        >>> dist.init_process_group("mpi")                          # doctest: +SKIP
        >>> model = nn.parallel.DistributedDataParallel(nn.Linear(4, 2))  # doctest: +SKIP
        >>> model(ember.randn(8, 4)).sum().backward()   # doctest: +SKIP
    """

    def __init__(
        self,
        module: Module,
        device_ids: Any = None,
        output_device: Any = None,
        dim: int = 0,
        broadcast_buffers: bool = True,
        process_group: ProcessGroup | None = None,
        bucket_cap_mb: float | None = None,
        find_unused_parameters: bool = False,
        check_reduction: bool = False,
        gradient_as_bucket_view: bool = False,
        static_graph: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.module = module
        self.process_group = _resolve(process_group)
        self.dim = dim
        self.device_ids = device_ids
        self.output_device = output_device
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.static_graph = static_graph
        self.require_backward_grad_sync = True
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * (1 << 20))
        self._names = {id(p): n for n, p in module.named_parameters()}
        self._params = [p for p in module.parameters() if p.requires_grad]
        self._check_same_model()
        self._sync_module_states()
        self._buckets = self._make_buckets()
        self._bucket_of = {id(p): b for b in self._buckets for p in b.params}
        self._iteration: _Iteration | None = None
        self._hooks = [p.register_post_accumulate_grad_hook(self._on_grad) for p in self._params]

    # ------------------------------------------------------------------------- set-up ---

    def _check_same_model(self) -> None:
        mine = [(n, tuple(p.shape), str(p.dtype)) for n, p in self.module.named_parameters()]
        everyone: list[Any] = [None] * self.process_group.size()
        all_gather_object(everyone, mine, group=self.process_group)
        for rank, theirs in enumerate(everyone):
            if theirs != mine:
                raise RuntimeError(
                    "DistributedDataParallel: the model differs between ranks (parameter names, "
                    f"shapes or dtypes); rank {rank} has a different one from rank "
                    f"{self.process_group.rank()}"
                )

    def _sync_module_states(self) -> None:
        tensors = itertools.chain(self.module.parameters(), self.module.buffers())
        for t in tensors:
            broadcast(t.detach(), src=self.process_group.ranks[0], group=self.process_group)

    def _make_buckets(self) -> list[_Bucket]:
        buckets: list[_Bucket] = []
        cap, current, size, key = _FIRST_BUCKET_BYTES, [], 0, None
        for p in reversed(self._params):
            pkey = (p.dtype, p.device)
            if current and (size + p.nbytes > cap or pkey != key):
                buckets.append(_Bucket(current))
                cap, current, size = self.bucket_bytes_cap, [], 0
            current.append(p)
            size += p.nbytes
            key = pkey
        if current:
            buckets.append(_Bucket(current))
        return buckets

    # ------------------------------------------------------------------------ forward ---

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        self._check_previous_reduction()
        if self.broadcast_buffers and self.process_group.size() > 1:
            for buf in self.module.buffers():
                broadcast(buf, src=self.process_group.ranks[0], group=self.process_group)
        out = self.module(*inputs, **kwargs)
        self._iteration = None
        if self.require_backward_grad_sync and is_grad_enabled() and self._params:
            wanted = {id(p) for p in self._params}
            counts = _delivery_counts(out, wanted)
            if counts:
                self._iteration = _Iteration(self._buckets, counts)
                if self.find_unused_parameters:
                    self._mark_unused_ready()
        return out

    def _check_previous_reduction(self) -> None:
        it = self._iteration
        if it is None or it.finished or not it.started:
            return
        missing = [
            self._names.get(id(p), "?")
            for p in self._params
            if it.delivered.get(id(p), 0) < it.counts.get(id(p), 0) or id(p) not in it.counts
        ]
        self._iteration = None
        raise RuntimeError(
            "Expected to have finished reduction in the prior iteration before starting a new "
            "one. This error indicates that your module has parameters that were not used in "
            "producing loss. You can enable unused parameter detection by passing the keyword "
            "argument `find_unused_parameters=True` to "
            "`ember.nn.parallel.DistributedDataParallel`. Parameters which did not receive grad "
            f"for rank {self.process_group.rank()}: {', '.join(missing)}"
        )

    def _mark_unused_ready(self) -> None:
        it = self._iteration
        assert it is not None
        for p in self._params:
            if id(p) not in it.counts:
                self._ready(p, it)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Inside this block gradients accumulate locally; the next synced backward averages
        the accumulated sum."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    # ----------------------------------------------------------------------- backward ---

    def _on_grad(self, param: Tensor) -> None:
        it = self._iteration
        if it is None or it.finished:
            return
        it.started = True
        key = id(param)
        it.delivered[key] = it.delivered.get(key, 0) + 1
        if it.delivered[key] == it.counts.get(key, -1):
            self._ready(param, it)

    def _ready(self, param: Tensor, it: _Iteration) -> None:
        bucket = self._bucket_of[id(param)]
        bucket.remaining -= 1
        if bucket.remaining == 0:
            self._launch(bucket)
            it.launched += 1
            if it.launched == len(it.buckets):
                self._finalize(it)

    def _launch(self, bucket: _Bucket) -> None:
        parts = []
        for p in bucket.params:
            g = p.grad
            parts.append(g._data.reshape(-1) if g is not None else None)
        xp = get_xp(bucket.params[0]._data)
        dtype = bucket.params[0]._data.dtype
        flat = xp.concatenate(
            [a if a is not None else xp.zeros(n, dtype=dtype) for a, n in zip(parts, bucket.sizes)]
        )
        if self.process_group.backend.name == "mpi" and xp is not np:
            flat = flat.get()  # host staging for MPI
        bucket.buffer = flat
        bucket.work = self.process_group.backend.all_reduce(flat, ReduceOp.SUM)

    def _finalize(self, it: _Iteration) -> None:
        it.finished = True
        size = self.process_group.size()
        used = self._globally_used(it) if self.find_unused_parameters else None
        for bucket in it.buckets:
            bucket.work.wait()
            flat = bucket.buffer
            flat /= size
            offset = 0
            for p, n in zip(bucket.params, bucket.sizes):
                chunk = flat[offset : offset + n].reshape(p._data.shape)
                offset += n
                if used is not None and not used[id(p)]:
                    continue
                self._write_grad(p, chunk)
            bucket.buffer = bucket.work = None

    def _globally_used(self, it: _Iteration) -> dict[int, bool]:
        local = np.array([id(p) in it.counts for p in self._params], dtype=np.uint8)
        flags = _wrap(local)
        all_reduce(flags, op=ReduceOp.MAX, group=self.process_group)
        return {id(p): bool(f) for p, f in zip(self._params, flags._data)}

    @staticmethod
    def _write_grad(p: Tensor, chunk: Any) -> None:
        g = p.grad
        target = p._data
        if type(chunk) is not type(target):
            chunk = get_xp(target).asarray(chunk)
        if g is None:
            p.grad = _wrap(chunk.astype(target.dtype, copy=True))
        else:
            g._data[...] = chunk

    def extra_repr(self) -> str:
        return f"world_size={self.process_group.size()}, buckets={len(self._buckets)}"
