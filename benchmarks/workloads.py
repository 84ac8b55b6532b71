"""The workloads of ``make bench``, each written once against ``lib`` (ember or torch).

Every function takes the library module and returns ``(step, number)``: the zero-argument
callable to time and how many calls make one timed round. Nothing here imports ember or torch
at module level, so the same file runs under either interpreter (see ``_harness.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

# -- training steps (forward + backward + optimizer step, float32) ------------------------------


def _train_step(lib, model, opt, loss_fn):
    lib.manual_seed(0)
    model.train()

    def step():
        opt.zero_grad()
        loss_fn().backward()
        opt.step()

    return step


def mlp(lib):
    """MLP 784-512-512-10, batch 128, SGD with momentum."""
    lib.manual_seed(0)
    nn = lib.nn
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
    )
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = lib.randn(128, 784), lib.randint(0, 10, (128,))
    return _train_step(lib, model, opt, lambda: nn.functional.cross_entropy(model(x), y)), 20


def mnist_net(lib):
    """The pytorch/examples MNIST net (2 convolutions, max pool, dropout), batch 64, Adam."""
    lib.manual_seed(0)
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 32, 3, 1)
            self.conv2 = nn.Conv2d(32, 64, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.dropout2 = nn.Dropout(0.5)
            self.fc1 = nn.Linear(9216, 128)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x):
            x = F.relu(self.conv1(x))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = lib.flatten(self.dropout1(x), 1)
            x = self.dropout2(F.relu(self.fc1(x)))
            return F.log_softmax(self.fc2(x), dim=1)

    model = Net()
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
    x, y = lib.randn(64, 1, 28, 28), lib.randint(0, 10, (64,))
    return _train_step(lib, model, opt, lambda: F.nll_loss(model(x), y)), 3


def resnet(lib):
    """CIFAR-style ResNet, 3 stages of 2 BasicBlocks (16/32/64), batch 32, SGD momentum."""
    lib.manual_seed(0)
    nn, F = lib.nn, lib.nn.functional

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.short = nn.Sequential()
            if stride != 1 or cin != cout:
                self.short = nn.Sequential(
                    nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)
                )

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            return F.relu(self.bn2(self.conv2(out)) + self.short(x))

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(
                nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()
            )
            layers, cin = [], 16
            for cout, stride in ((16, 1), (32, 2), (64, 2)):
                layers += [Block(cin, cout, stride), Block(cout, cout, 1)]
                cin = cout
            self.layers = nn.Sequential(*layers)
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            x = self.layers(self.stem(x))
            return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

    model = ResNet()
    opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x, y = lib.randn(32, 3, 32, 32), lib.randint(0, 10, (32,))
    return _train_step(lib, model, opt, lambda: F.cross_entropy(model(x), y)), 3


def lm_parts(lib, cell: str = "LSTM"):
    """The word language model (vocab 10k, 2 x 200 ``cell``), its SGD and one batch ``(x, y)``."""
    lib.manual_seed(0)
    nn = lib.nn

    class LM(nn.Module):
        def __init__(self, vocab=10000, dim=200):
            super().__init__()
            self.encoder = nn.Embedding(vocab, dim)
            self.rnn = getattr(nn, cell)(dim, dim, 2, dropout=0.2)
            self.decoder = nn.Linear(dim, vocab)

        def forward(self, x):
            out, _ = self.rnn(self.encoder(x))
            return self.decoder(out)

    model = LM()
    opt = lib.optim.SGD(model.parameters(), lr=1.0)
    x, y = lib.randint(0, 10000, (35, 20)), lib.randint(0, 10000, (35 * 20,))
    return model, opt, x, y


def lstm(lib, cell: str = "LSTM"):
    """2-layer LSTM language model: vocab 10k, 200 units, seq 35, batch 20, SGD."""
    model, opt, x, y = lm_parts(lib, cell)
    loss = lambda: lib.nn.functional.cross_entropy(model(x).reshape(-1, 10000), y)  # noqa: E731
    return _train_step(lib, model, opt, loss), 3


def transformer(lib):
    """One TransformerEncoderLayer (d 256, 4 heads, ff 1024), batch 16 x seq 128, AdamW."""
    lib.manual_seed(0)
    layer = lib.nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    opt = lib.optim.AdamW(layer.parameters(), lr=1e-4)
    x = lib.randn(16, 128, 256)
    return _train_step(lib, layer, opt, lambda: layer(x).pow(2).mean()), 3


# -- kernels -------------------------------------------------------------------------------------


def _conv_inputs(lib):
    lib.manual_seed(0)
    x = lib.randn(32, 64, 32, 32)
    w = lib.randn(64, 64, 3, 3) * 0.05
    return x, w


def conv_fwd(lib):
    """Conv2d 64 -> 64, 3x3, padding 1 on 32x64x32x32, forward without grad."""
    x, w = _conv_inputs(lib)

    def step():
        with lib.no_grad():
            lib.nn.functional.conv2d(x, w, padding=1)

    return step, 3


def conv_fwd_bwd(lib):
    """The same convolution, forward then gradients of input and weight."""
    x, w = _conv_inputs(lib)
    x.requires_grad_(True)
    w.requires_grad_(True)
    g = lib.ones(32, 64, 32, 32)

    def step():
        y = lib.nn.functional.conv2d(x, w, padding=1)
        lib.autograd.grad(y, (x, w), g)

    return step, 2


def maxpool_fwd_bwd(lib):
    """2x2 max pooling on 32x64x32x32, forward then input gradient."""
    lib.manual_seed(0)
    x = lib.randn(32, 64, 32, 32, requires_grad=True)
    g = lib.ones(32, 64, 16, 16)

    def step():
        lib.autograd.grad(lib.nn.functional.max_pool2d(x, 2), (x,), g)

    return step, 10


def _mlp_params(lib):
    lib.manual_seed(0)
    shapes = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]
    params = [lib.randn(*s, requires_grad=True) for s in shapes]
    for p in params:
        p.grad = lib.randn(*p.shape)
    return params


def sgd_step(lib):
    """One SGD-momentum step over the MLP's 670k parameters (six tensors)."""
    return lib.optim.SGD(_mlp_params(lib), lr=1e-3, momentum=0.9).step, 50


def adamw_step(lib):
    """One AdamW step over the MLP's 670k parameters (six tensors)."""
    return lib.optim.AdamW(_mlp_params(lib), lr=1e-3).step, 50


# -- per-op overhead ----------------------------------------------------------------------------

CHAIN_OPS = 10


def chain(lib):
    """10 ops (alternating mul and add with leaf operands) on 1x1 tensors and backward, per op."""
    x = lib.ones(1, 1, requires_grad=True)
    w = lib.full((1, 1), 1.0001, requires_grad=True)
    c = lib.full((1, 1), 0.5, requires_grad=True)

    def run():
        for _ in range(100):
            y = x
            for i in range(CHAIN_OPS - 1):
                y = y * w if i % 2 == 0 else y + c
            y.sum().backward()
            x.grad = w.grad = c.grad = None

    return run, 5  # per call: 100 chains of 10 ops; the table divides by 1000


def add(lib):
    """No-grad add of two 1-element tensors (per-call overhead)."""
    a, b = lib.ones(1), lib.ones(1)

    def run():
        for _ in range(1000):
            a + b

    return run, 5  # per call: 1000 adds; the table divides by 1000


def matmul(lib) -> dict[str, float]:
    """1024x1024 float32 matmul; the ember child also times plain NumPy, alternating."""
    from _harness import median_per_call

    rng = np.random.default_rng(0)
    an = rng.standard_normal((1024, 1024), dtype=np.float32)
    bn = rng.standard_normal((1024, 1024), dtype=np.float32)
    a, b = lib.from_numpy(an), lib.from_numpy(bn)
    name = lib.__name__
    if name != "ember":
        return {name: median_per_call(lambda: a @ b, 5)}
    times: dict[str, list[float]] = {"ember": [], "numpy": []}
    for _ in range(5):  # alternate so both see the same load
        times["ember"].append(median_per_call(lambda: a @ b, 3, repeat=1))
        times["numpy"].append(median_per_call(lambda: an @ bn, 3, repeat=1))
    return {k: float(np.median(v)) for k, v in times.items()}


# -- data loading -------------------------------------------------------------------------------


def dataloader(lib, *, batched_sampler: bool = False) -> Any:
    """One shuffled epoch of a TensorDataset of 60,000 x 784 float32 (+ int64 labels), batch 64.

    Both DataLoaders run in the main process (``num_workers=0``) and yield the same batches:
    a (64, 784) float32 tensor and a (64,) int64 tensor. Written the plain way, torch fetches
    sample by sample and stacks (its TensorDataset has no ``__getitems__``) while ember's
    TensorDataset fetches a batch with one fancy index per tensor. ``batched_sampler`` gives
    torch the same one-index-per-batch path (a BatchSampler as sampler, ``batch_size=None``).
    """
    rng = np.random.default_rng(0)
    images = rng.random((60_000, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 60_000)
    data = lib.utils.data
    ds = data.TensorDataset(lib.from_numpy(images), lib.from_numpy(labels))
    if batched_sampler and lib.__name__ == "torch":
        batches = data.BatchSampler(data.RandomSampler(ds), 64, drop_last=False)
        loader = data.DataLoader(ds, sampler=batches, batch_size=None)
    else:
        loader = data.DataLoader(ds, batch_size=64, shuffle=True)

    def epoch():
        for _batch in loader:
            pass

    return epoch, 1


def dataloader_batched(lib) -> Any:
    """``dataloader``, with torch given one fancy index per batch as well."""
    return dataloader(lib, batched_sampler=True)
