"""Run under mpirun: every collective of ember.distributed against NumPy on the same data."""

from __future__ import annotations

import numpy as np

import ember
import ember.distributed as dist


def data(rank: int, shape=(3, 4), dtype=np.float64) -> np.ndarray:
    return np.random.default_rng(100 + rank).standard_normal(shape).astype(dtype)


def check(name: str, got, want) -> None:
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12, err_msg=name)


def main() -> None:
    dist.init_process_group("mpi")
    r, n = dist.get_rank(), dist.get_world_size()
    every = np.stack([data(i) for i in range(n)])
    reducers = {
        dist.ReduceOp.SUM: every.sum(0),
        dist.ReduceOp.AVG: every.mean(0),
        dist.ReduceOp.MAX: every.max(0),
        dist.ReduceOp.MIN: every.min(0),
        dist.ReduceOp.PRODUCT: every.prod(0),
    }
    for op, want in reducers.items():
        t = ember.tensor(data(r))
        dist.all_reduce(t, op=op)
        check(f"all_reduce {op}", t.numpy(), want)
    t = ember.tensor(data(r)).t()  # a non-contiguous view is reduced in place too
    work = dist.all_reduce(t, async_op=True)
    work.wait()
    check("async all_reduce of a transposed view", t.numpy(), every.sum(0).T)
    ints = ember.tensor(np.arange(6) * (r + 1))
    dist.all_reduce(ints, op=dist.ReduceOp.BOR)
    check(
        "BOR",
        ints.numpy(),
        np.bitwise_or.reduce(np.stack([np.arange(6) * (i + 1) for i in range(n)]), 0),
    )
    t = ember.tensor(data(r))
    dist.reduce(t, dst=n - 1)
    check("reduce", t.numpy(), every.sum(0) if r == n - 1 else data(r))
    t = ember.tensor(data(r))
    dist.broadcast(t, src=1)
    check("broadcast", t.numpy(), data(1))
    out = [ember.zeros(3, 4, dtype=ember.float64) for _ in range(n)]
    dist.all_gather(out, ember.tensor(data(r)))
    for i in range(n):
        check(f"all_gather[{i}]", out[i].numpy(), data(i))
    cat = ember.zeros(3 * n, 4, dtype=ember.float64)
    dist.all_gather_into_tensor(cat, ember.tensor(data(r)))
    check("all_gather_into_tensor", cat.numpy(), every.reshape(3 * n, 4))
    chunks = [ember.tensor(data(r) * (k + 1)) for k in range(n)]
    res = ember.zeros(3, 4, dtype=ember.float64)
    dist.reduce_scatter(res, chunks)
    check("reduce_scatter", res.numpy(), every.sum(0) * (r + 1))
    res2 = ember.zeros(3, 4, dtype=ember.float64)
    dist.reduce_scatter_tensor(res2, ember.cat(chunks), op=dist.ReduceOp.AVG)
    check("reduce_scatter_tensor AVG", res2.numpy(), every.mean(0) * (r + 1))
    got = [ember.zeros(3, 4, dtype=ember.float64) for _ in range(n)] if r == 0 else None
    dist.gather(ember.tensor(data(r)), got, dst=0)
    if r == 0:
        for i in range(n):
            check(f"gather[{i}]", got[i].numpy(), data(i))
    recvd = ember.zeros(3, 4, dtype=ember.float64)
    src_list = [ember.tensor(data(k) + 10) for k in range(n)] if r == 0 else None
    dist.scatter(recvd, src_list, src=0)
    check("scatter", recvd.numpy(), data(r) + 10)
    # ring of point-to-point messages; recv from any source reports the sender
    nxt, prv = (r + 1) % n, (r - 1) % n
    handle = dist.isend(ember.tensor(data(r)), dst=nxt)
    box = ember.zeros(3, 4, dtype=ember.float64)
    sender = dist.recv(box, src=None)
    handle.wait()
    assert sender == prv, (sender, prv)
    check("send/recv", box.numpy(), data(prv))
    objs: list = [None] * n
    dist.all_gather_object(objs, {"rank": r})
    assert objs == [{"rank": i} for i in range(n)], objs
    lst = [r, "x"] if r == 0 else [None, None]
    dist.broadcast_object_list(lst, src=0)
    assert lst == [0, "x"], lst
    if n >= 4:  # a sub-group of the odd ranks; src/dst are default-group ranks
        odd = dist.new_group([1, 3])
        if r in (1, 3):
            t = ember.tensor(data(r))
            dist.all_reduce(t, group=odd)
            check("sub-group all_reduce", t.numpy(), data(1) + data(3))
            t = ember.tensor(data(r))
            dist.broadcast(t, src=3, group=odd)
            check("sub-group broadcast", t.numpy(), data(3))
        else:
            assert odd is dist.GroupMember.NON_GROUP_MEMBER
    dist.barrier()
    dist.destroy_process_group()
    print(f"rank {r}/{n}: collectives OK", flush=True)


if __name__ == "__main__":
    main()
