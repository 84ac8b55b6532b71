# ruff: noqa: UP008, UP032  (kept in the PyTorch example's own style on purpose)
"""pytorch/examples ``mnist_hogwild`` (main.py, train.py) with ``torch`` renamed to ``ember``:
one model in shared memory (``model.share_memory()``), two processes training it at once
(Hogwild), under both the ``fork`` and the ``spawn`` start methods, on real MNIST digits.

Each process also reports the updates its own optimizer applied; the parent checks that the
shared parameters moved by the sum of both processes' updates."""

from __future__ import annotations

import argparse
import os

import numpy as np
import pytest

import ember
import ember.multiprocessing as mp
import ember.nn as nn
import ember.nn.functional as F
import ember.optim as optim
from tests.compat._data import MNIST

# ---------------------------------------------------------------------------------- train.py


def train(rank, args, model, device, dataset, dataloader_kwargs):
    ember.manual_seed(args.seed + rank)

    train_loader = ember.utils.data.DataLoader(dataset, **dataloader_kwargs)

    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    for epoch in range(1, args.epochs + 1):
        train_epoch(epoch, args, model, device, train_loader, optimizer)
    return optimizer


def test(args, model, device, dataset, dataloader_kwargs):
    ember.manual_seed(args.seed)

    test_loader = ember.utils.data.DataLoader(dataset, **dataloader_kwargs)

    return test_epoch(model, device, test_loader)


def train_epoch(epoch, args, model, device, data_loader, optimizer):
    model.train()
    pid = os.getpid()
    for batch_idx, (data, target) in enumerate(data_loader):
        optimizer.zero_grad()
        output = model(data.to(device))
        loss = F.nll_loss(output, target.to(device))
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('{}\tTrain Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                pid, epoch, batch_idx * len(data), len(data_loader.dataset),
                100. * batch_idx / len(data_loader), loss.item()))
            if args.dry_run:
                break


def test_epoch(model, device, data_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with ember.no_grad():
        for data, target in data_loader:
            output = model(data.to(device))
            test_loss += F.nll_loss(output, target.to(device), reduction='sum').item()  # sum up batch loss
            pred = output.max(1)[1]  # get the index of the max log-probability
            correct += pred.eq(target.to(device)).sum().item()

    test_loss /= len(data_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        test_loss, correct, len(data_loader.dataset),
        100. * correct / len(data_loader.dataset)))
    return test_loss, correct / len(data_loader.dataset)


test.__test__ = False  # the example's names; not pytest tests
test_epoch.__test__ = False

# ----------------------------------------------------------------------------------- main.py


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def train_and_report(rank, args, model, device, dataset, dataloader_kwargs, queue):
    """``train`` as the example runs it, then the sum of this process's own SGD updates
    (``-lr * momentum_buffer`` after every step) sent back to the parent. Each process uses
    one thread, as PyTorch's multiprocessing notes advise against CPU oversubscription."""
    ember.set_num_threads(1)
    applied = {name: np.zeros(p.shape, np.float32) for name, p in model.named_parameters()}
    original_step = optim.SGD.step

    def recording_step(self, closure=None):
        loss = original_step(self, closure)
        for name, p in model.named_parameters():
            applied[name] -= args.lr * self.state[p]['momentum_buffer'].numpy()
        return loss

    optim.SGD.step = recording_step  # in this child process only
    try:
        train(rank, args, model, device, dataset, dataloader_kwargs)
    finally:
        optim.SGD.step = original_step
    queue.put((rank, applied))


def main(root, argv, start_method):
    parser = argparse.ArgumentParser(description='PyTorch MNIST Hogwild Example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N')
    parser.add_argument('--epochs', type=int, default=10, metavar='N')
    parser.add_argument('--lr', type=float, default=0.01, metavar='LR')
    parser.add_argument('--momentum', type=float, default=0.5, metavar='M')
    parser.add_argument('--seed', type=int, default=1, metavar='S')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N')
    parser.add_argument('--num-processes', type=int, default=2, metavar='N')
    parser.add_argument('--cuda', action='store_true', default=False)
    parser.add_argument('--mps', action='store_true', default=False)
    parser.add_argument('--save_model', action='store_true', default=False)
    parser.add_argument('--dry-run', action='store_true', default=False)
    parser.add_argument('--train-size', type=int, default=None)
    parser.add_argument('--test-size', type=int, default=None)
    args = parser.parse_args(argv)

    use_cuda = args.cuda and ember.cuda.is_available()
    use_mps = args.mps and ember.backends.mps.is_available()
    if use_cuda:
        device = ember.device("cuda")
    elif use_mps:
        device = ember.device("mps")
    else:
        device = ember.device("cpu")

    dataset1 = MNIST(root, train=True, limit=args.train_size)
    dataset2 = MNIST(root, train=False, limit=args.test_size)
    kwargs = {'batch_size': args.batch_size,
              'shuffle': True}
    if use_cuda:
        kwargs.update({'num_workers': 1,
                       'pin_memory': True,
                       })

    ember.manual_seed(args.seed)
    ctx = mp.get_context(start_method)  # the example: mp.set_start_method('spawn', force=True)

    model = Net().to(device)
    model.share_memory()  # gradients are allocated lazily, so they are not shared here
    before = {name: p.detach().numpy().copy() for name, p in model.named_parameters()}
    initial = test(args, model, device, dataset2, kwargs)
    queue = ctx.Queue()

    processes = []
    for rank in range(args.num_processes):
        p = ctx.Process(target=train_and_report,
                        args=(rank, args, model, device, dataset1, kwargs, queue))
        # We first train the model across `num_processes` processes
        p.start()
        processes.append(p)
    reports = dict(queue.get(timeout=300) for _ in processes)
    for p in processes:
        p.join()
    assert [p.exitcode for p in processes] == [0] * args.num_processes

    # Once training is complete, we can test the model
    result = test(args, model, device, dataset2, kwargs)
    return model, before, reports, initial, result


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_mnist_hogwild(shared_data, start_method):
    model, before, reports, initial, (test_loss, accuracy) = main(shared_data, [
        '--epochs', '2', '--train-size', '640', '--test-size', '300', '--batch-size', '32',
        '--test-batch-size', '300', '--lr', '0.05'], start_method)
    assert sorted(reports) == [0, 1]
    for name, p in model.named_parameters():
        moved = p.detach().numpy() - before[name]
        mine, theirs = reports[0][name], reports[1][name]
        assert np.linalg.norm(mine) > 0 and np.linalg.norm(theirs) > 0
        # Both processes' updates landed in the parent's parameters. Hogwild may lose an
        # update when two in-place adds race, hence the tolerance (one step is far smaller).
        residual = np.linalg.norm(moved - (mine + theirs))
        assert residual < 0.25 * min(np.linalg.norm(mine), np.linalg.norm(theirs)), name
    # 40 steps per process under heavy dropout: the loss falls, accuracy leaves chance (0.1).
    assert test_loss < initial[0] - 0.1 and accuracy > 0.2, (initial, test_loss, accuracy)
