"""DataLoader with worker processes: order, seeding, sharding, errors, dead workers, cleanup."""

from __future__ import annotations

import gc
import os
import time

import numpy as np
import pytest

import ember
from ember.utils.data import DataLoader, TensorDataset
from ember.utils.data._worker import _generate_state

from ._helpers import (
    REFERENCE,
    BigRows,
    FailsAt,
    KillsItself,
    ShardedRange,
    Slow,
    Squares,
    Unpicklable,
    WorkerSeeds,
    child_pids,
    our_segments,
    to_lists,
)

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc") or not os.path.isdir("/dev/shm"),
                                reason="checks processes and segments through /proc, /dev/shm")


@pytest.fixture(autouse=True)
def _no_leaks():
    """Every test must leave no worker processes and no shared-memory segments behind."""
    before = child_pids()
    yield
    gc.collect()
    deadline = time.monotonic() + 5
    while child_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child_pids() - before == set()
    assert our_segments() == []


@pytest.mark.parametrize("shuffle", [False, True])
def test_two_workers_yield_the_batches_of_zero_workers(shuffle):
    ember.manual_seed(4)
    expected = to_lists(DataLoader(BigRows(21), batch_size=4, shuffle=shuffle))
    ember.manual_seed(4)
    got = to_lists(DataLoader(BigRows(21), batch_size=4, shuffle=shuffle, num_workers=2))
    assert got == expected and len(got) == 6


def test_large_batches_travel_through_shared_memory():
    loader = DataLoader(BigRows(8, width=8192), batch_size=4, num_workers=2)
    batch = next(iter(loader))
    assert batch["x"].shape == (4, 8192) and batch["x"].dtype == ember.float32
    base = batch["x"]._data
    while isinstance(base, np.ndarray):
        base = base.base
    assert isinstance(base, memoryview)  # a view of the shared segment, not a copy
    assert batch["y"].tolist() == [0, 1, 2, 3]
    assert batch["x"].tolist() == [[float(i)] * 8192 for i in range(4)]


def test_segments_are_reused_once_batches_are_dropped(monkeypatch):
    from ember.utils.data import _shm

    names = []
    unpack = _shm.unpack

    def spy(msg, on_free=None):
        names.append(getattr(msg, "name", None))
        return unpack(msg, on_free)

    monkeypatch.setattr(_shm, "unpack", spy)
    for i, batch in enumerate(DataLoader(BigRows(80), batch_size=2, num_workers=2)):
        assert batch["y"].tolist() == [2 * i, 2 * i + 1]
        assert float(batch["x"][0, 0].item()) == 2 * i
    assert len(names) == 40 and len(set(names)) <= 12


def test_batches_kept_alive_are_never_overwritten():
    kept = list(DataLoader(BigRows(40), batch_size=2, num_workers=2))
    for i, batch in enumerate(kept):
        x = batch["x"].numpy()
        assert (x[0] == 2 * i).all() and (x[1] == 2 * i + 1).all()


def test_tensor_dataset_with_workers_and_no_batching():
    ds = TensorDataset(ember.from_numpy(np.arange(6.0)))
    assert [b[0].item() for b in DataLoader(ds, batch_size=None, num_workers=2)] == list(
        np.arange(6.0))


def test_workers_run_in_parallel():
    loader = DataLoader(Slow(0.3), batch_size=1, num_workers=2)
    start = time.monotonic()
    assert [b.item() for b in loader] == [0, 1, 2, 3]
    assert time.monotonic() - start < 1.1  # 4 x 0.3 s serially


def test_worker_info_and_seeds():
    ember.manual_seed(11)
    rows = [tuple(c.tolist() if hasattr(c, "tolist") else c for c in b)
            for b in DataLoader(WorkerSeeds(), batch_size=2, num_workers=2)]
    rows = [list(zip(*r)) for r in rows]
    samples = [s for r in rows for s in r]
    ids = {s[0] for s in samples}
    assert ids == {0, 1}
    seeds = {s[0]: s[1] for s in samples}
    assert seeds[1] == seeds[0] + 1  # base_seed + worker id
    by_worker = {w: [s[2:5] for s in samples if s[0] == w] for w in ids}
    assert by_worker[0] != by_worker[1]
    assert len({s[5] for s in samples}) == 2 and os.getpid() not in {s[5] for s in samples}
    ember.manual_seed(11)
    again = [list(zip(*[c.tolist() if hasattr(c, "tolist") else c for c in b]))
             for b in DataLoader(WorkerSeeds(), batch_size=2, num_workers=2)]
    assert [s[:5] for r in again for s in r] == [s[:5] for s in samples]


@pytest.mark.parametrize("case", REFERENCE["generate_state"], ids=str)
def test_numpy_worker_seed_matches_pytorch(case):
    base, wid, expected = case
    assert _generate_state(base, wid) == expected


def test_worker_init_fn_runs_in_each_worker():
    def init(worker_id):
        np.random.seed(1000 + worker_id)

    class Draw(Squares):
        def __getitem__(self, i):
            return float(np.random.randint(1 << 30))

    got = sorted(b.item() for b in DataLoader(Draw(2), num_workers=2, worker_init_fn=init))
    expected = sorted(float(np.random.RandomState(1000 + w).randint(1 << 30)) for w in (0, 1))
    assert got == expected


def test_iterable_dataset_sharded_by_worker_info():
    loader = DataLoader(ShardedRange(10), batch_size=2, num_workers=2)
    batches = [b.tolist() for b in loader]
    assert sorted(sum(batches, [])) == list(range(10))
    assert batches[:2] == [[0, 1], [5, 6]]  # round robin over the workers' shards


def test_worker_exception_is_reraised_with_traceback():
    loader = DataLoader(FailsAt(5), batch_size=2, num_workers=2)
    it = iter(loader)
    assert next(it).tolist() == [0, 1] and next(it).tolist() == [2, 3]
    with pytest.raises(ValueError) as info:
        next(it)
    msg = str(info.value)
    assert "Caught ValueError in DataLoader worker process 0" in msg
    assert "Traceback" in msg and "bad sample 5" in msg and "__getitem__" in msg
    assert next(it).tolist() == [6, 7]  # the loader goes on, as PyTorch's does
    del it


def test_worker_init_fn_error_is_reraised():
    def init(worker_id):
        raise KeyError("no config")

    with pytest.raises(KeyError, match="no config"):
        list(DataLoader(Squares(4), num_workers=2, worker_init_fn=init))


def test_killed_worker_raises_instead_of_hanging():
    loader = DataLoader(KillsItself(), batch_size=1, num_workers=2)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader worker 1 \(pid \d+\) exited unexpectedly "
                       r"\(killed by signal 9 \(SIGKILL\)\)"):
        list(loader)
    assert time.monotonic() - start < 10


def test_timeout_raises():
    it = iter(DataLoader(Slow(1.0), num_workers=1, timeout=0.3))
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.3 seconds"):
        next(it)
    assert time.monotonic() - start < 0.9
    del it


def test_break_shuts_workers_down():
    before = child_pids()
    for i, _ in enumerate(DataLoader(BigRows(40), batch_size=2, num_workers=2)):
        if i == 0:
            assert len(child_pids() - before) == 2
        if i == 2:
            break
    gc.collect()
    deadline = time.monotonic() + 5
    while child_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child_pids() - before == set() and our_segments() == []


def test_del_loader_with_persistent_workers_shuts_down():
    before = child_pids()
    loader = DataLoader(BigRows(12), batch_size=2, num_workers=2, persistent_workers=True)
    next(iter(loader))
    assert len(child_pids() - before) == 2
    del loader
    gc.collect()
    deadline = time.monotonic() + 5
    while child_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child_pids() - before == set() and our_segments() == []


def test_persistent_workers_are_reused_across_epochs():
    loader = DataLoader(WorkerSeeds(), batch_size=2, num_workers=2, persistent_workers=True)
    pids = [{p for b in loader for p in b[5].tolist()} for _ in range(3)]
    assert pids[0] == pids[1] == pids[2] and len(pids[0]) == 2
    it = iter(loader)
    next(it)  # an epoch left half way ...
    assert len(list(loader)) == 4  # ... does not leak stale batches into the next
    del loader, it


def test_persistent_iterable_workers_restart_their_stream():
    loader = DataLoader(ShardedRange(6), batch_size=2, num_workers=2, persistent_workers=True)
    first = sorted(sum((b.tolist() for b in loader), []))
    second = sorted(sum((b.tolist() for b in loader), []))
    assert first == second == list(range(6))
    del loader


def test_in_order_false_yields_every_batch():
    got = list(DataLoader(Squares(10), batch_size=None, num_workers=2, in_order=False,
                          collate_fn=lambda s: s[1]))
    assert sorted(got) == list(range(10))


@pytest.mark.parametrize("stop", [1, 3])
def test_resume_with_workers(stop):
    ember.manual_seed(2)
    loader = DataLoader(BigRows(21), batch_size=4, shuffle=True, num_workers=2)
    it = iter(loader)
    for _ in range(stop):
        next(it)
    state = it.state_dict()
    tail = to_lists(it)
    fresh = DataLoader(BigRows(21), batch_size=4, shuffle=True, num_workers=2)
    fresh.load_state_dict(state)
    assert to_lists(fresh) == tail and len(tail) == 6 - stop


def test_resume_iterable_with_workers():
    loader = DataLoader(ShardedRange(12), batch_size=2, num_workers=2)
    it = iter(loader)
    head = [next(it).tolist() for _ in range(3)]
    state = it.state_dict()
    tail = [b.tolist() for b in it]
    fresh = DataLoader(ShardedRange(12), batch_size=2, num_workers=2)
    fresh.load_state_dict(state)
    assert [b.tolist() for b in fresh] == tail
    assert sorted(sum(head + tail, [])) == list(range(12))


@pytest.mark.slow
def test_spawn_context_works():
    loader = DataLoader(Squares(6), batch_size=2, num_workers=2, multiprocessing_context="spawn")
    assert [b[1].tolist() for b in loader] == [[0, 1], [2, 3], [4, 5]]


def test_unpicklable_dataset_with_spawn_fails_clearly():
    loader = DataLoader(Unpicklable(), num_workers=2, multiprocessing_context="spawn")
    with pytest.raises(Exception, match="must be picklable") as info:
        iter(loader)
    assert "lambda" in str(info.value) or "pickle" in str(info.value)


_ORPHAN_SCRIPT = """
import os, sys
sys.path.insert(0, {root!r})
from tests.ember.data._helpers import BigRows
from ember.utils.data import DataLoader
it = iter(DataLoader(BigRows(400), batch_size=2, num_workers=2, prefetch_factor=8))
next(it)
print(os.getpid(), *[w.pid for w in it._pool.workers], flush=True)
os.kill(os.getpid(), 9)
"""


def test_workers_exit_and_free_segments_when_the_main_process_dies(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[3])
    out = subprocess.run([sys.executable, "-c", _ORPHAN_SCRIPT.format(root=root)],
                         capture_output=True, text=True, timeout=60)
    main_pid, *workers = (int(p) for p in out.stdout.split())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{p}").exists() for p in workers)
    assert [n for n in os.listdir("/dev/shm") if n.startswith(f"emb{main_pid:x}_")] == []
