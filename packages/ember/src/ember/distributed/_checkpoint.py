"""Rank-0 checkpointing: one process writes, every process can read once it is written."""

from __future__ import annotations

from typing import Any

import ember
from ember.distributed._group import ProcessGroup, _resolve

__all__ = ["save_on_rank", "load_after_save"]


def save_on_rank(obj: Any, f: Any, src: int = 0, group: ProcessGroup | None = None) -> None:
    """``ember.save(obj, f)`` on rank ``src`` only, then a barrier so every rank may read it.

    With data-parallel training every rank holds the same weights; writing them once avoids
    several processes replacing the same file. The write itself is atomic (``ember.save``).

    Args:
        obj: what to save (a ``state_dict``, or a dict of them).
        f: the path (or binary file object, used on ``src`` only).
        src: the rank that writes.
        group: the process group (default: the default group).

    Example:
        >>> dist.save_on_rank(ddp.module.state_dict(), "model.ember")   # doctest: +SKIP
    """
    g = _resolve(group)
    if g.rank() == g.group_rank(src):
        ember.save(obj, f)
    g.backend.barrier()


def load_after_save(
    f: Any, map_location: Any = None, group: ProcessGroup | None = None, **kwargs: Any
) -> Any:
    """Wait at a barrier (so a pending :func:`save_on_rank` has finished), then ``ember.load``.

    Every rank reads the file itself, so it must be on storage all ranks see.
    """
    _resolve(group).backend.barrier()
    return ember.load(f, map_location=map_location, **kwargs)
