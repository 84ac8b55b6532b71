"""Data-parallel MNIST with DistributedDataParallel over MPI.

Each process trains the pytorch/examples MNIST network on its own share of every batch
(``DistributedSampler``), gradients are averaged by ``DistributedDataParallel``, and rank 0
evaluates and saves the weights. Reads the IDX files from $EMBER_DATA/vision/mnist.

Usage (as root, Open MPI also wants OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1):
    mpirun -n 2 python examples/core/ddp_mnist.py [--epochs 1] [--train-limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import ember
import ember.distributed as dist
import ember.nn.functional as F
from ember.nn.parallel import DistributedDataParallel
from ember.utils.data import DataLoader, DistributedSampler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mnist_data import DEFAULT_ROOT, mnist  # noqa: E402
from mnist_cnn import Net  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64, help="global batch, split over ranks")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--train-limit", type=int, default=None)
    p.add_argument("--test-limit", type=int, default=None)
    p.add_argument("--save", type=Path, default=Path("runs/ddp_mnist/model.ember"))
    return p.parse_args(argv)


def evaluate(model: ember.nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct = total = 0
    with ember.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(1) == y).sum())
            total += len(y)
    return correct / max(total, 1)


def main(argv: list[str] | None = None) -> float:
    args = parse_args(argv)
    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    ember.manual_seed(0)
    train = mnist(args.root, True, limit=args.train_limit)
    sampler = DistributedSampler(train, shuffle=True, seed=0)
    loader = DataLoader(train, batch_size=args.batch_size // world, sampler=sampler)
    model = DistributedDataParallel(Net())
    opt = ember.optim.Adam(model.parameters(), lr=args.lr)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        model.train()
        for step, (x, y) in enumerate(loader):
            opt.zero_grad()
            loss = F.nll_loss(model(x), y)
            loss.backward()
            opt.step()
            if rank == 0 and step % 50 == 0:
                print(f"epoch {epoch} step {step}/{len(loader)} loss {loss.item():.4f}", flush=True)
    accuracy = 0.0
    if rank == 0:
        test = DataLoader(mnist(args.root, False, limit=args.test_limit), batch_size=500)
        accuracy = evaluate(model.module, test)
        print(f"{world} ranks, {time.perf_counter() - start:.1f} s: test accuracy {accuracy:.2%}")
    args.save.parent.mkdir(parents=True, exist_ok=True)
    dist.save_on_rank(model.module.state_dict(), args.save)
    dist.destroy_process_group()
    return accuracy


if __name__ == "__main__":
    main()
