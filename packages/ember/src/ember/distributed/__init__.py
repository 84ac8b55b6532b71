"""Data-parallel training over MPI (mpi4py) and NCCL (CuPy): ``ember.distributed``.

The interface is ``torch.distributed``'s. Processes are started and connected by MPI
(``mpirun -n 4 python train.py``); ``init_process_group("mpi")`` runs collectives on host
memory with mpi4py, ``init_process_group("nccl")`` runs them on GPU memory with NCCL through
CuPy, bootstrapped over MPI. Nothing is imported from mpi4py or CuPy until a group is made, so
``import ember.distributed`` always works; install the runtime with ``pip install
'ember[distributed]'``.

Example:
    >>> import ember.distributed as dist
    >>> dist.init_process_group("mpi")                 # doctest: +SKIP
    >>> t = ember.ones(2) * dist.get_rank()              # doctest: +SKIP
    >>> dist.all_reduce(t, op=dist.ReduceOp.SUM)         # doctest: +SKIP
"""

from __future__ import annotations

from ember.distributed._backend import ReduceOp, Work
from ember.distributed._checkpoint import load_after_save, save_on_rank
from ember.distributed._collectives import (
    all_gather,
    all_gather_into_tensor,
    all_gather_object,
    all_reduce,
    broadcast,
    broadcast_object_list,
    gather,
    irecv,
    isend,
    recv,
    reduce,
    reduce_scatter,
    reduce_scatter_tensor,
    scatter,
    send,
)
from ember.distributed._group import (
    GroupMember,
    ProcessGroup,
    barrier,
    destroy_process_group,
    get_backend,
    get_rank,
    get_world_size,
    init_process_group,
    is_available,
    is_initialized,
    is_mpi_available,
    is_nccl_available,
    new_group,
)

group = GroupMember  # torch.distributed.group.WORLD

__all__ = [
    "ReduceOp",
    "Work",
    "ProcessGroup",
    "GroupMember",
    "group",
    "init_process_group",
    "destroy_process_group",
    "is_available",
    "is_initialized",
    "is_mpi_available",
    "is_nccl_available",
    "get_rank",
    "get_world_size",
    "get_backend",
    "new_group",
    "barrier",
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
    "save_on_rank",
    "load_after_save",
]
