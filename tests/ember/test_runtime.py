"""Process-wide switches, accelerator queries and shared-memory tensors across processes."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.multiprocessing as emp


def test_num_threads_round_trip():
    before = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        assert ember.get_num_threads() == 1
    finally:
        ember.set_num_threads(before)
    with pytest.raises(ValueError):
        ember.set_num_threads(0)


def test_flags_report_truthfully():
    assert ember.accelerator.is_available() == ember.cuda.is_available()
    assert ember.backends.mps.is_available() is False
    assert ember.backends.cudnn.is_available() is False
    ember.use_deterministic_algorithms(True)
    assert ember.are_deterministic_algorithms_enabled()
    ember.use_deterministic_algorithms(False)
    assert ember.compile(abs) is abs


def test_new_factories_follow_the_tensor():
    t = ember.ones(2, dtype=ember.float64)
    assert t.new_zeros(3).dtype is ember.float64
    assert t.new_ones((2, 2)).shape == (2, 2)
    assert t.new_full((2,), 3).tolist() == [3.0, 3.0]
    assert t.new_tensor([1, 2]).dtype is ember.float64
    assert t.new_empty(4).shape == (4,)


def _add_in_child(t, n):
    for _ in range(n):
        t.add_(1)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_shared_tensor_updates_are_seen_by_the_parent(method):
    t = ember.zeros(4).share_memory_()
    assert t.is_shared()
    ctx = emp.get_context(method)
    procs = [ctx.Process(target=_add_in_child, args=(t, 5)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    np.testing.assert_allclose(t.numpy(), np.full(4, 10.0))


def _fail(rank):
    raise ValueError(f"boom in {rank}")


def test_spawn_reraises_child_errors():
    with pytest.raises(emp.ProcessRaisedException, match="boom in 0"):
        emp.spawn(_fail, nprocs=1, start_method="fork")
