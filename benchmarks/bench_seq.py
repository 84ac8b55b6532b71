"""Sequence-model training steps (forward + backward + optimizer step, float32), ember vs torch.

Workloads: the 2-layer LSTM language model (vocab 10k, emb/hidden 200, seq 35, batch 20, SGD), a
GRU of the same shape, one TransformerEncoderLayer (d 256, 4 heads, ff 1024, batch 16 x seq 128,
AdamW), scaled_dot_product_attention forward+backward, and CTC loss forward+backward.

Run (ember only):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_seq.py
Run (with torch, same process, same threads):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=packages/ember/src \\
        /work/torchref/bin/python benchmarks/bench_seq.py [workload ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_time, try_torch, warn_openblas  # noqa: E402

import ember  # noqa: E402


def _lm(lib, cell):
    nn, F = lib.nn, lib.nn.functional

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
    return model, opt, lambda: F.cross_entropy(model(x).reshape(-1, 10000), y)


def lstm_lm(lib):
    return _lm(lib, "LSTM")


def gru_lm(lib):
    return _lm(lib, "GRU")


def lstm_only(lib):
    """The LM's 2-layer LSTM alone (input 35 x 20 x 200), to separate it from the 10k decoder."""
    rnn = lib.nn.LSTM(200, 200, 2, dropout=0.2)
    opt = lib.optim.SGD(rnn.parameters(), lr=1.0)
    x = lib.randn(35, 20, 200)
    return rnn, opt, lambda: rnn(x)[0].pow(2).mean()


def lstm_lm_flat(lib):
    """The LSTM LM with the decoder applied to the flattened (700, 200) output."""
    model, opt, _ = _lm(lib, "LSTM")
    x, y = lib.randint(0, 10000, (35, 20)), lib.randint(0, 10000, (35 * 20,))

    def loss():
        out, _ = model.rnn(model.encoder(x))
        return lib.nn.functional.cross_entropy(model.decoder(out.reshape(-1, 200)), y)

    return model, opt, loss


def transformer_layer(lib):
    layer = lib.nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    opt = lib.optim.AdamW(layer.parameters(), lr=1e-4)
    x = lib.randn(16, 128, 256)
    return layer, opt, lambda: layer(x).pow(2).mean()


def _no_opt(lib, params):
    return lib.optim.SGD(params, lr=0.0)


def sdpa(lib):
    q = lib.randn(16, 4, 128, 64, requires_grad=True)
    model = lib.nn.Module()
    return model, _no_opt(lib, [q]), lambda: lib.nn.functional.scaled_dot_product_attention(
        q, q, q, is_causal=True).sum()


def ctc(lib):
    x = lib.randn(100, 16, 30, requires_grad=True)
    tg = lib.randint(1, 30, (16, 30))
    model = lib.nn.Module()
    return model, _no_opt(lib, [x]), lambda: lib.nn.functional.ctc_loss(
        x.log_softmax(2), tg, [100] * 16, [30] * 16)


WORKLOADS = {"lstm_lm": (lstm_lm, 3), "lstm_lm_flat": (lstm_lm_flat, 3),
             "lstm_only": (lstm_only, 5), "gru_lm": (gru_lm, 3),
             "transformer_layer": (transformer_layer, 3), "sdpa": (sdpa, 5), "ctc": (ctc, 5)}


def step_time(lib, build, number):
    lib.manual_seed(0)
    model, opt, loss_fn = build(lib)
    model.train()

    def step():
        opt.zero_grad()
        loss_fn().backward()
        opt.step()

    return median_time(step, number=number, repeat=5)


def main() -> None:
    warn_openblas()
    torch = try_torch()
    ember.set_num_threads(2)
    names = sys.argv[1:] or list(WORKLOADS)
    print(f"{'workload':18s} {'ember ms':>10s} {'torch ms':>10s} {'ratio':>7s}")
    for name in names:
        build, number = WORKLOADS[name]
        e = step_time(ember, build, number) * 1e3
        t = step_time(torch, build, number) * 1e3 if torch else None
        ratio = f"{e / t:7.2f}" if t else f"{'-':>7s}"
        print(f"{name:18s} {e:10.2f} {t if t is not None else float('nan'):10.2f} {ratio}",
              flush=True)


if __name__ == "__main__":
    main()
