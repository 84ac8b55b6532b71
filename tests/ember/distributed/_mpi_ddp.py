"""Run under mpirun: DistributedDataParallel against single-process training on the whole batch."""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

import ember
import ember.distributed as dist
from ember import nn
from ember.nn.parallel import DistributedDataParallel as DDP
from ember.utils.data import DistributedSampler

R = N = 0


def batch(step: int, rank: int, b: int = 4) -> tuple[ember.Tensor, ember.Tensor]:
    rng = np.random.default_rng(1000 * step + rank)
    return ember.tensor(rng.standard_normal((b, 6))), ember.tensor(rng.standard_normal((b, 2)))


def whole_batch(step: int) -> tuple[ember.Tensor, ember.Tensor]:
    parts = [batch(step, r) for r in range(N)]
    return ember.cat([p[0] for p in parts]), ember.cat([p[1] for p in parts])


class Tied(nn.Module):
    """One Linear applied twice, so its parameters get two gradient deliveries."""

    def __init__(self) -> None:
        super().__init__()
        self.inp = nn.Linear(6, 6)
        self.shared = nn.Linear(6, 6)
        self.out = nn.Linear(6, 2)
        self.branch = nn.Linear(6, 2)

    def forward(self, x: ember.Tensor, use_branch: bool = False) -> ember.Tensor:
        h = self.shared(ember.tanh(self.shared(ember.tanh(self.inp(x)))))
        y = self.out(h)
        return y + self.branch(h) if use_branch else y


def make(seed: int) -> Tied:
    ember.manual_seed(seed)
    return Tied().double()


def close(a: nn.Module, b: nn.Module, what: str) -> None:
    for (name, p), q in zip(a.named_parameters(), b.parameters()):
        np.testing.assert_allclose(
            p.detach().numpy(),
            q.detach().numpy(),
            rtol=1e-10,
            atol=1e-12,
            err_msg=f"{what}: {name}",
        )


def check_training() -> None:
    model = DDP(make(R + 1))  # every rank starts from other weights: rank 0's are broadcast
    close(model.module, make(1), "broadcast from rank 0")
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    ref = make(1)
    ref_opt = ember.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9)
    for step in range(3):
        x, y = batch(step, R)
        opt.zero_grad()
        nn.functional.mse_loss(model(x, True), y).backward()
        opt.step()
        X, Y = whole_batch(step)
        ref_opt.zero_grad()
        nn.functional.mse_loss(ref(X, True), Y).backward()
        ref_opt.step()
        for p, q in zip(model.module.parameters(), ref.parameters()):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10, atol=1e-12)
    close(model.module, ref, "weights after 3 SGD steps")


def check_no_sync() -> None:
    model, ref = DDP(make(1)), make(1)
    with model.no_sync():
        for step in range(2):
            x, y = batch(step, R)
            nn.functional.mse_loss(model(x, True), y).backward()
    x, y = batch(2, R)
    nn.functional.mse_loss(model(x, True), y).backward()
    for step in range(3):
        X, Y = whole_batch(step)
        nn.functional.mse_loss(ref(X, True), Y).backward()
    for p, q in zip(model.module.parameters(), ref.parameters()):
        np.testing.assert_allclose(
            p.grad.numpy(), q.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg="no_sync accumulation"
        )


def check_unused() -> None:
    model, ref = DDP(make(1), find_unused_parameters=True), make(1)
    x, y = batch(0, R)
    nn.functional.mse_loss(model(x, use_branch=R == 0), y).backward()
    losses = [
        nn.functional.mse_loss(ref(*batch(0, r)[:1], use_branch=r == 0), batch(0, r)[1])
        for r in range(N)
    ]
    (sum(losses[1:], losses[0]) / N).backward()
    for (name, p), q in zip(model.module.named_parameters(), ref.parameters()):
        np.testing.assert_allclose(
            p.grad.numpy(),
            q.grad.numpy(),
            rtol=1e-10,
            atol=1e-12,
            err_msg=f"find_unused_parameters: {name}",
        )
    nobody = DDP(make(1), find_unused_parameters=True)
    nn.functional.mse_loss(nobody(x), y).backward()
    assert nobody.module.branch.weight.grad is None, "a parameter no rank used keeps grad=None"
    strict = DDP(make(1))
    nn.functional.mse_loss(strict(x), y).backward()
    try:
        strict(x)
    except RuntimeError as err:
        assert "branch.weight" in str(err) and "find_unused_parameters" in str(err), err
    else:
        raise AssertionError("an unused parameter without find_unused_parameters must raise")


def check_buffers_sampler_checkpoint() -> None:
    ember.manual_seed(R)
    net = DDP(nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3)).double())
    net(ember.randn(5, 3, dtype=ember.float64) + R)  # each rank's statistics differ now
    before: list = [None] * N
    dist.all_gather_object(before, net.module[1].running_mean.numpy().tolist())
    assert before[0] != before[-1], "ranks fed different data should have different stats"
    net.eval()
    net(ember.randn(5, 3, dtype=ember.float64))  # buffers broadcast at the start of forward
    after: list = [None] * N
    dist.all_gather_object(after, net.module[1].running_mean.numpy().tolist())
    assert all(a == before[0] for a in after), "rank 0's buffers are broadcast in forward"
    sampler = DistributedSampler(range(10), shuffle=False)
    padded = list(range(10)) + list(range(10))[: (-10) % N]
    assert list(sampler) == padded[R::N], list(sampler)
    path = os.path.join(sys.argv[1], "ckpt.ember")
    dist.save_on_rank(net.module.state_dict(), path)
    state = dist.load_after_save(path)
    np.testing.assert_allclose(state["0.weight"].numpy(), net.module[0].weight.detach().numpy())


def main() -> None:
    global R, N
    dist.init_process_group("mpi")
    R, N = dist.get_rank(), dist.get_world_size()
    if len(sys.argv) < 2:
        sys.argv.append(tempfile.gettempdir())
    check_training()
    check_no_sync()
    check_unused()
    check_buffers_sampler_checkpoint()
    dist.destroy_process_group()
    print(f"rank {R}/{N}: ddp OK", flush=True)


if __name__ == "__main__":
    main()
