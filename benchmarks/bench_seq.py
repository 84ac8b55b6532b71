"""Sequence-model training steps (forward + backward + optimizer step, float32), ember vs torch.

Workloads: the LSTM language model of ``workloads.py`` (vocab 10k, 2 x 200, seq 35, batch 20,
SGD) and variants (a GRU of the same shape, the LSTM alone, the decoder on flattened rows), the
TransformerEncoderLayer row, scaled_dot_product_attention forward+backward and CTC loss
forward+backward. Each library runs in its own process per round, rounds alternating (see
``_harness.py``); ``BENCH_THREADS`` (default 2) sets both libraries' threads.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_seq.py
    ... bench_seq.py --rounds 5 gru_lm sdpa
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _harness import compare, threads, torch_python  # noqa: E402
from workloads import _train_step, lm_parts, lstm  # noqa: E402


def gru_lm(lib):
    """The LSTM LM with a GRU in place of the LSTM."""
    return lstm(lib, "GRU")


def lstm_only(lib):
    """The LM's 2-layer LSTM alone (input 35 x 20 x 200), to separate it from the 10k decoder."""
    lib.manual_seed(0)
    rnn = lib.nn.LSTM(200, 200, 2, dropout=0.2)
    opt = lib.optim.SGD(rnn.parameters(), lr=1.0)
    x = lib.randn(35, 20, 200)
    return _train_step(lib, rnn, opt, lambda: rnn(x)[0].pow(2).mean()), 5


def lstm_lm_flat(lib):
    """The LSTM LM with the decoder applied to the flattened (700, 200) output."""
    model, opt, x, y = lm_parts(lib)

    def loss():
        out, _ = model.rnn(model.encoder(x))
        return lib.nn.functional.cross_entropy(model.decoder(out.reshape(-1, 200)), y)

    return _train_step(lib, model, opt, loss), 3


def _grad_only(lib, loss_fn, leaf):
    def step():
        leaf.grad = None
        loss_fn().backward()

    return step


def sdpa(lib):
    """Causal scaled_dot_product_attention, 16 x 4 heads x 128 x 64, forward + backward."""
    lib.manual_seed(0)
    q = lib.randn(16, 4, 128, 64, requires_grad=True)
    attn = lib.nn.functional.scaled_dot_product_attention
    return _grad_only(lib, lambda: attn(q, q, q, is_causal=True).sum(), q), 5


def ctc(lib):
    """CTC loss, 100 steps x batch 16 x 30 classes, targets of 30, forward + backward."""
    lib.manual_seed(0)
    x = lib.randn(100, 16, 30, requires_grad=True)
    tg = lib.randint(1, 30, (16, 30))
    ctc_loss = lib.nn.functional.ctc_loss
    loss = lambda: ctc_loss(x.log_softmax(2), tg, [100] * 16, [30] * 16)  # noqa: E731
    return _grad_only(lib, loss, x), 5


WORKLOADS = {
    "lstm_lm": "workloads:lstm",
    "lstm_lm_flat": "bench_seq:lstm_lm_flat",
    "lstm_only": "bench_seq:lstm_only",
    "gru_lm": "bench_seq:gru_lm",
    "transformer_layer": "workloads:transformer",
    "sdpa": "bench_seq:sdpa",
    "ctc": "bench_seq:ctc",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"workloads (default: all of {list(WORKLOADS)})")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    unknown = set(args.names) - set(WORKLOADS)
    if unknown:
        sys.exit(f"unknown workloads {sorted(unknown)}; choose from {list(WORKLOADS)}")
    torch_py = torch_python()
    print(f"threads {threads()}, torch: {torch_py or 'none'}")
    print(f"{'workload':18s} {'ember ms':>10s} {'torch ms':>10s} {'ratio':>7s} {'load':>5s}")
    for name in args.names or list(WORKLOADS):
        res = compare(WORKLOADS[name], rounds=args.rounds, torch_py=torch_py)
        e, t = res["median"].get("ember"), res["median"].get("torch")
        ratio = f"{e / t:7.2f}" if e and t else f"{'-':>7s}"
        load = max(res["load"])
        print(
            f"{name:18s} {(e or 0) * 1e3:10.2f} {(t or 0) * 1e3:10.2f} {ratio} {load:5.1f}",
            *res["errors"],
            flush=True,
        )


if __name__ == "__main__":
    main()
