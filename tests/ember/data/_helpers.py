"""Datasets and helpers shared by the data tests (top level, so 'spawn' workers can import them)."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import numpy as np

import ember
from ember.utils.data import Dataset, IterableDataset, get_worker_info

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "torch_reference.json").read_text())


class Squares(Dataset):
    """Sample i is (float64 array [i, i*i], int i)."""

    def __init__(self, n: int = 20) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return np.array([i, i * i], dtype=np.float64), i


class BigRows(Dataset):
    """Rows large enough that batches travel through shared memory."""

    def __init__(self, n: int = 16, width: int = 4096) -> None:
        self.n, self.width = n, width

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        return {"x": np.full(self.width, i, dtype=np.float32), "y": i}


class WorkerSeeds(Dataset):
    """Each sample reports the worker id and a draw from each RNG."""

    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int):
        info = get_worker_info()
        return (info.id, info.seed, random.random(), float(np.random.rand()),
                float(ember.rand(1).item()), os.getpid())


class FailsAt(Dataset):
    def __init__(self, bad: int, n: int = 10) -> None:
        self.bad, self.n = bad, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        if i == self.bad:
            raise ValueError(f"bad sample {i}")
        return i


class KillsItself(Dataset):
    """Sample ``bad`` kills its worker with SIGKILL."""

    def __len__(self) -> int:
        return 10

    def __getitem__(self, i: int):
        if i == 5:
            os.kill(os.getpid(), 9)
        return i


class Slow(Dataset):
    def __init__(self, delay: float) -> None:
        self.delay = delay

    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int):
        time.sleep(self.delay)
        return i


class ShardedRange(IterableDataset):
    """range(n), each worker taking a contiguous shard (the get_worker_info recipe)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        per = -(-self.n // info.num_workers)
        start = info.id * per
        return iter(range(start, min(start + per, self.n)))

    def __len__(self) -> int:
        return self.n


class Unpicklable(Dataset):
    def __init__(self) -> None:
        self.fn = lambda i: i

    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int):
        return self.fn(i)


def child_pids() -> set[int]:
    """Live (non-zombie) children of this process, except the multiprocessing resource tracker."""
    me = os.getpid()
    from multiprocessing import resource_tracker

    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and fields[0] != "Z" and int(entry) != tracker:
            pids.add(int(entry))
    return pids


def our_segments() -> list[str]:
    """Shared-memory segments created by DataLoaders of this process."""
    prefix = f"emb{os.getpid():x}_"
    return [n for n in os.listdir("/dev/shm") if n.startswith(prefix)]


def to_lists(batches):
    """Batches as nested Python lists, for exact comparison."""
    out = []
    for b in batches:
        if isinstance(b, (list, tuple)):
            out.append([x.tolist() if hasattr(x, "tolist") else x for x in b])
        elif isinstance(b, dict):
            out.append({k: v.tolist() if hasattr(v, "tolist") else v for k, v in b.items()})
        else:
            out.append(b.tolist() if hasattr(b, "tolist") else b)
    return out
