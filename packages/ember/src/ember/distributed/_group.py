"""Process groups: who takes part in a collective, and the default group of the job."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from ember.distributed._backend import MPIBackend, NCCLBackend, import_mpi

__all__ = [
    "ProcessGroup",
    "GroupMember",
    "init_process_group",
    "destroy_process_group",
    "is_initialized",
    "is_available",
    "is_mpi_available",
    "is_nccl_available",
    "get_rank",
    "get_world_size",
    "get_backend",
    "new_group",
    "barrier",
    "default_group",
]

_BACKENDS = ("mpi", "nccl")
_default: ProcessGroup | None = None
_previous_hook: Any = None


class ProcessGroup:
    """A set of processes that run collectives together, over one backend.

    ``ranks`` lists the members' ranks in the default group (the "global" ranks that
    ``src=``/``dst=`` arguments use); ``rank()``/``size()`` are this process's position in the
    group and the group's size.
    """

    def __init__(self, backend: Any, ranks: Sequence[int]) -> None:
        self.backend = backend
        self.ranks = list(ranks)

    def rank(self) -> int:
        """This process's rank inside the group."""
        return self.backend.rank

    def size(self) -> int:
        """How many processes the group holds."""
        return self.backend.size

    def group_rank(self, global_rank: int) -> int:
        """The in-group rank of the process whose default-group rank is ``global_rank``."""
        try:
            return self.ranks.index(global_rank)
        except ValueError:
            raise ValueError(
                f"rank {global_rank} is not part of this process group (ranks {self.ranks})"
            ) from None

    def __repr__(self) -> str:
        return f"ProcessGroup(backend={self.backend.name!r}, ranks={self.ranks})"


class GroupMember:
    """``GroupMember.WORLD`` is the default group (None until it is initialised)."""

    WORLD: ProcessGroup | None = None
    NON_GROUP_MEMBER = object()


def is_available() -> bool:
    """True: ``ember.distributed`` is always importable (the backends need mpi4py / CuPy)."""
    return True


def is_mpi_available() -> bool:
    """Whether mpi4py (and an MPI library it can load) is installed."""
    try:
        import_mpi()
    except ImportError:
        return False
    return True


def is_nccl_available() -> bool:
    """Whether CuPy with its NCCL bindings is installed."""
    try:
        from cupy.cuda import nccl  # noqa: F401
    except Exception:
        return False
    return True


def is_initialized() -> bool:
    """Whether :func:`init_process_group` has been called (and not destroyed since)."""
    return _default is not None


def default_group() -> ProcessGroup:
    """The default group, or a RuntimeError naming the missing :func:`init_process_group`."""
    if _default is None:
        raise RuntimeError(
            "Default process group has not been initialized, please make sure to call "
            "init_process_group."
        )
    return _default


def _env_int(*names: str) -> int | None:
    for name in names:
        if os.environ.get(name, "").strip().lstrip("-").isdigit():
            return int(os.environ[name])
    return None


def _check_launch(comm: Any, world_size: int, rank: int) -> None:
    """Compare what the caller or launcher says (args, torchrun's env) with MPI's world."""
    size, own = comm.Get_size(), comm.Get_rank()
    want_size = world_size if world_size > 0 else _env_int("WORLD_SIZE")
    want_rank = rank if rank >= 0 else _env_int("RANK")
    if want_size is not None and want_size != size:
        raise RuntimeError(
            f"init_process_group: world_size is {want_size} (argument or WORLD_SIZE) but MPI "
            f"started {size} process(es); launch the job with `mpirun -n {want_size} python "
            "...` (ember's backends use MPI to start and connect the processes)"
        )
    if want_rank is not None and want_rank != own:
        raise RuntimeError(
            f"init_process_group: rank is {want_rank} (argument or RANK) but MPI gave this "
            f"process rank {own}; leave rank unset under mpirun"
        )


def _abort_on_exception(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """Print the traceback, then abort every rank: one failing process never hangs the job."""
    group = _default
    rank = group.rank() if group is not None else "?"
    sys.stderr.write(f"[ember.distributed rank {rank}] uncaught exception, aborting the job:\n")
    sys.stderr.write("".join(traceback.format_exception(kind, value, tb)))
    sys.stderr.flush()
    if group is not None and not issubclass(kind, SystemExit):
        group.backend.abort(1)
    if _previous_hook is not None:
        _previous_hook(kind, value, tb)


def init_process_group(
    backend: str | None = None,
    init_method: str | None = None,
    timeout: Any = None,
    world_size: int = -1,
    rank: int = -1,
    store: Any = None,
    group_name: str = "",
    pg_options: Any = None,
    device_id: Any = None,
) -> None:
    """Join the job's default process group.

    The processes are started by MPI (``mpirun -n 4 python train.py``): rank and world size
    come from MPI, and where ``world_size``/``rank`` or torchrun's ``WORLD_SIZE``/``RANK``
    environment variables are given they must agree with it. ``"mpi"`` runs the collectives
    with mpi4py on host memory; ``"nccl"`` runs them with NCCL through CuPy on GPU memory,
    bootstrapped over MPI. After this call an uncaught exception on any rank prints its
    traceback and aborts every rank, so a failing job exits instead of hanging.

    Args:
        backend: ``"mpi"`` (default) or ``"nccl"``; ``"gloo"`` is taken as ``"mpi"``.
        init_method: accepted for compatibility (``"env://"``); MPI does the rendezvous.
        timeout: accepted for compatibility.
        world_size: the expected number of processes (-1: take MPI's).
        rank: the expected rank of this process (-1: take MPI's).
        store, group_name, pg_options, device_id: accepted for compatibility; unused.

    Example:
        >>> import ember.distributed as dist
        >>> dist.init_process_group("mpi")          # doctest: +SKIP
        >>> dist.get_rank(), dist.get_world_size()   # doctest: +SKIP
        (0, 2)
    """
    global _default, _previous_hook
    if _default is not None:
        raise RuntimeError("trying to initialize the default process group twice!")
    name = "mpi" if backend in (None, "gloo", "cpu:gloo") else str(backend).lower()
    if name not in _BACKENDS:
        raise ValueError(f"Invalid backend {backend!r}: ember supports {', '.join(_BACKENDS)}")
    MPI = import_mpi()
    comm = MPI.COMM_WORLD
    _check_launch(comm, world_size, rank)
    impl = MPIBackend(comm) if name == "mpi" else NCCLBackend(comm)
    _default = ProcessGroup(impl, range(impl.size))
    GroupMember.WORLD = _default
    if sys.excepthook is not _abort_on_exception:
        _previous_hook, sys.excepthook = sys.excepthook, _abort_on_exception


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Leave the default group (or forget ``group``); MPI itself is finalised at exit."""
    global _default, _previous_hook
    if group is not None and group is not _default:
        group.backend = None
        return
    if _default is None:
        return
    _default.backend.barrier()
    _default = None
    GroupMember.WORLD = None
    if sys.excepthook is _abort_on_exception:
        sys.excepthook, _previous_hook = _previous_hook or sys.__excepthook__, None


def _resolve(group: ProcessGroup | None) -> ProcessGroup:
    return default_group() if group is None else group


def get_rank(group: ProcessGroup | None = None) -> int:
    """This process's rank in ``group`` (default: the default group)."""
    return _resolve(group).rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    """The number of processes in ``group`` (default: the default group)."""
    return _resolve(group).size()


def get_backend(group: ProcessGroup | None = None) -> str:
    """The backend name (``"mpi"`` or ``"nccl"``) of ``group``."""
    return _resolve(group).backend.name


def new_group(
    ranks: Sequence[int] | None = None,
    timeout: Any = None,
    backend: str | None = None,
    pg_options: Any = None,
) -> ProcessGroup | object:
    """A group of the given default-group ranks (all of them when None).

    Every process of the default group must call it, members or not, as in PyTorch; a
    process outside ``ranks`` gets ``GroupMember.NON_GROUP_MEMBER``.
    """
    world = default_group()
    members = sorted(range(world.size())) if ranks is None else sorted(set(ranks))
    if any(r < 0 or r >= world.size() for r in members):
        raise ValueError(f"new_group: ranks {members} are not all in [0, {world.size() - 1}]")
    base = world.backend.mpi if isinstance(world.backend, NCCLBackend) else world.backend
    sub = base.comm.Create_group(base.comm.Get_group().Incl(members))
    if world.rank() not in members:
        return GroupMember.NON_GROUP_MEMBER
    name = backend or world.backend.name
    impl = MPIBackend(sub) if name in ("mpi", "gloo") else NCCLBackend(sub)
    return ProcessGroup(impl, members)


def barrier(
    group: ProcessGroup | None = None, async_op: bool = False, device_ids: Any = None
) -> None:
    """Block until every process of ``group`` has reached this call."""
    _resolve(group).backend.barrier()
