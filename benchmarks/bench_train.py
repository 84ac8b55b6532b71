"""Training-step time (forward + backward + optimizer step, float32) for five workloads.

Each model is written once against a `lib` argument (ember or torch, which share an API), so both
libraries run the same program. When torch is importable the script prints ember/torch ratios.

Run (ember only):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_train.py
Run (with torch, same process):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=packages/ember/src \
        <python with torch> benchmarks/bench_train.py [workload ...]
BENCH_THREADS=n sets both libraries' thread count (default 2). BENCH_CLOCK=cpu times with the
process CPU clock instead of the wall clock: on a shared machine, use it with BENCH_THREADS=1 (the
CPU time of one thread does not count the time other programs hold the core).
Profile ember's steps (cProfile, sorted by own time) with ``--profile``:
    ... benchmarks/bench_train.py --profile resnet
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import try_torch, warn_openblas  # noqa: E402

import ember  # noqa: E402


def mlp(lib):
    nn = lib.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                          nn.Linear(512, 10))
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = lib.randn(128, 784), lib.randint(0, 10, (128,))
    return model, opt, lambda: nn.functional.cross_entropy(model(x), y)


def mnist_net(lib):
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
    return model, opt, lambda: F.nll_loss(model(x), y)


def resnet(lib):
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
                self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                           nn.BatchNorm2d(cout))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            return F.relu(self.bn2(self.conv2(out)) + self.short(x))

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                      nn.ReLU())
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
    return model, opt, lambda: F.cross_entropy(model(x), y)


def lstm_lm(lib):
    nn, F = lib.nn, lib.nn.functional

    class LM(nn.Module):
        def __init__(self, vocab=10000, dim=200):
            super().__init__()
            self.encoder = nn.Embedding(vocab, dim)
            self.rnn = nn.LSTM(dim, dim, 2, dropout=0.2)
            self.decoder = nn.Linear(dim, vocab)

        def forward(self, x):
            out, _ = self.rnn(self.encoder(x))
            return self.decoder(out)

    model = LM()
    opt = lib.optim.SGD(model.parameters(), lr=1.0)
    x, y = lib.randint(0, 10000, (35, 20)), lib.randint(0, 10000, (35 * 20,))
    return model, opt, lambda: F.cross_entropy(model(x).reshape(-1, 10000), y)


def transformer(lib):
    nn = lib.nn
    layer = nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    opt = lib.optim.AdamW(layer.parameters(), lr=1e-4)
    x = lib.randn(16, 128, 256)
    return layer, opt, lambda: layer(x).pow(2).mean()


WORKLOADS = {"mlp": (mlp, 20), "mnist_net": (mnist_net, 5), "resnet": (resnet, 5),
             "lstm": (lstm_lm, 3), "transformer": (transformer, 3)}


def make_step(lib, build):
    """One training step of ``build``'s model under ``lib`` (seeded, in train mode)."""
    lib.manual_seed(0)
    model, opt, loss_fn = build(lib)
    model.train()

    def step():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()

    return step


def _clock():
    return time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter


def interleaved_times(steps, number: int, repeat: int = 5) -> list[float]:
    """Median seconds per step of each callable, timing their rounds alternately.

    The machine is shared, so load changes over seconds; alternating rounds exposes both
    libraries to the same load, which makes the ratio far steadier than two separate runs.
    """
    clock = _clock()
    for step in steps:
        step()
    rounds: list[list[float]] = [[] for _ in steps]
    for _ in range(repeat):
        for i, step in enumerate(steps):
            start = clock()
            for _ in range(number):
                step()
            rounds[i].append((clock() - start) / number)
    return [statistics.median(r) for r in rounds]


def profile(name: str, top: int = 25) -> None:
    """Print ember's cProfile of a few steps of ``name`` (sorted by own time) and op totals."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    build, number = WORKLOADS[name]
    step = make_step(ember, build)
    step()
    prof = cProfile.Profile(_clock())
    prof.enable()
    for _ in range(number):
        step()
    prof.disable()
    print(f"== {name}: {number} ember steps, sorted by own time")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main() -> None:
    warn_openblas()
    args = sys.argv[1:]
    do_profile = "--profile" in args
    names = [a for a in args if not a.startswith("--")] or list(WORKLOADS)
    threads = int(os.environ.get("BENCH_THREADS", "2"))
    ember.set_num_threads(threads)
    if do_profile:
        for name in names:
            profile(name)
        return
    torch = try_torch()
    print(f"threads {threads}, clock {os.environ.get('BENCH_CLOCK', 'wall')}")
    print(f"{'workload':14s} {'ember ms':>10s} {'torch ms':>10s} {'ratio':>7s}")
    for name in names:
        build, number = WORKLOADS[name]
        steps = [make_step(ember, build)] + ([make_step(torch, build)] if torch else [])
        times = [t * 1e3 for t in interleaved_times(steps, number)]
        e, t = times[0], (times[1] if torch else None)
        ratio = f"{e / t:7.2f}" if t else f"{'-':>7s}"
        print(f"{name:14s} {e:10.2f} {t if t is not None else float('nan'):10.2f} {ratio}",
              flush=True)


if __name__ == "__main__":
    main()
