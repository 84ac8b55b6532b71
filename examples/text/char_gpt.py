"""Character-level GPT on tiny-shakespeare: nanoGPT's CPU configuration, then a sample.

nanoGPT's README trains ``config/train_shakespeare_char.py`` on the CPU with n_layer 4, n_head 4,
n_embd 128, block 64, batch 12, 2,000 iterations, dropout 0 and reports a validation loss of
1.88. This script is that recipe with ember: the first 90% of the characters train, the last 10%
validate; AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on matrices only), 100 warm-up
iterations then cosine decay to 1e-4, gradient clipping at 1.0, no bias in linear/LayerNorm.

Writes into ``--out`` (default ``runs/char_gpt``): ``loss.png``, ``sample.txt``,
``char_gpt.ember`` (state dict), ``alphabet.json`` and ``metrics.json``.

Usage: python examples/text/char_gpt.py [--max-iters 2000] [--root DIR] [--out DIR]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

import ember
from ember import optim

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _text_common as common  # noqa: E402

from embertext.datasets import TinyShakespeare  # noqa: E402
from embertext.models import GPT  # noqa: E402
from embertext.tokenizers import CharTokenizer  # noqa: E402


def get_args():
    p = common.parser("char_gpt", __doc__.splitlines()[0])
    p.add_argument("--max-iters", type=int, default=2000)
    p.add_argument("--eval-interval", type=int, default=250)
    p.add_argument("--eval-iters", type=int, default=50, help="batches per loss estimate")
    p.add_argument("--batch-size", type=int, default=12)
    p.add_argument("--block-size", type=int, default=64)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=1e-4)
    p.add_argument("--warmup-iters", type=int, default=100)
    p.add_argument("--sample-chars", type=int, default=500)
    return p.parse_args()


def lr_at(it: int, args) -> float:
    """nanoGPT's schedule: linear warm-up, cosine decay to ``min_lr`` at ``max_iters``."""
    if it < args.warmup_iters:
        return args.lr * (it + 1) / (args.warmup_iters + 1)
    ratio = min((it - args.warmup_iters) / max(args.max_iters - args.warmup_iters, 1), 1.0)
    return args.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (args.lr - args.min_lr)


def get_batch(data: np.ndarray, args, rng: np.random.Generator):
    ix = rng.integers(0, len(data) - args.block_size - 1, args.batch_size)
    x = np.stack([data[i : i + args.block_size] for i in ix])
    y = np.stack([data[i + 1 : i + 1 + args.block_size] for i in ix])
    return ember.from_numpy(x), ember.from_numpy(y)


@ember.no_grad()
def estimate_loss(model, splits: dict, args, rng: np.random.Generator) -> dict[str, float]:
    model.eval()
    out = {}
    for name, data in splits.items():
        losses = [model(*get_batch(data, args, rng))[1].item() for _ in range(args.eval_iters)]
        out[name] = float(np.mean(losses))
    model.train()
    return out


@ember.no_grad()
def full_loss(model, data: np.ndarray, block: int) -> float:
    """Mean loss over every non-overlapping block of ``data`` (the whole validation split)."""
    model.eval()
    n = (len(data) - 1) // block
    x = data[: n * block].reshape(n, block)
    y = data[1 : n * block + 1].reshape(n, block)
    total = 0.0
    for i in range(0, n, 64):
        _, loss = model(ember.from_numpy(x[i : i + 64]), ember.from_numpy(y[i : i + 64]))
        total += loss.item() * len(x[i : i + 64])
    model.train()
    return total / n


def make_optimizer(model, args):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}]
    return optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.99))


def main() -> None:
    args = get_args()
    common.setup(args)
    root = args.root or common.data_root() / "text" / "tinyshakespeare"
    corpus = common.open_data(
        "char_gpt", lambda: TinyShakespeare(root, "all", download=args.download)
    )
    text = corpus.path.read_text(encoding="utf-8")
    tok = CharTokenizer.fit([text])
    data = np.array(tok.encode(text), dtype=np.int64)
    cut = int(0.9 * len(data))
    splits = {"train": data[:cut], "val": data[cut:]}
    model = GPT(
        vocab_size=tok.vocab_size,
        block_size=args.block_size,
        n_layer=args.n_layer,
        n_head=args.n_head,
        n_embd=args.n_embd,
        dropout=0.0,
        bias=False,
    )
    opt = make_optimizer(model, args)
    rng, eval_rng = np.random.default_rng(args.seed), np.random.default_rng(args.seed + 1)
    clock, history, steps = common.Stopwatch(), [], []
    bar = common.ProgressBar(args.max_iters, "char_gpt", enabled=not args.quiet)
    for it in range(args.max_iters + 1):
        if it % args.eval_interval == 0 or it == args.max_iters:
            history.append({"iter": it, **estimate_loss(model, splits, args, eval_rng)})
        if it == args.max_iters:
            break
        for group in opt.param_groups:
            group["lr"] = lr_at(it, args)
        _, loss = model(*get_batch(splits["train"], args, rng))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        ember.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        steps.append((it, loss.item()))
        bar.update(loss=steps[-1][1], val=history[-1]["val"])
    bar.close()
    train_time = clock.wall
    val_full = full_loss(model, splits["val"], args.block_size)
    prompt = ember.tensor([tok.encode("\n")], dtype=ember.long)
    gen = ember.Generator().manual_seed(args.seed)
    sample = tok.decode(
        model.generate(prompt, args.sample_chars, temperature=0.8, top_k=200, generator=gen)[
            0
        ].tolist()
    )
    (args.out / "sample.txt").write_text(sample, encoding="utf-8")
    ember.save(model.state_dict(), args.out / "char_gpt.ember")
    (args.out / "alphabet.json").write_text(json.dumps("".join(tok.chars)), encoding="utf-8")
    common.plot_curves(
        args.out / "loss.png",
        {
            "train (per iter)": steps,
            "train (estimate)": [(h["iter"], h["train"]) for h in history],
            "val (estimate)": [(h["iter"], h["val"]) for h in history],
        },
        title="char GPT on tiny-shakespeare",
        xlabel="iteration",
        ylabel="loss (nats/char)",
    )
    common.write_metrics(
        args.out,
        {
            "val_loss_estimate": history[-1]["val"],
            "train_loss_estimate": history[-1]["train"],
            "val_loss_full": val_full,
            "iters": args.max_iters,
            "train_seconds": round(train_time, 1),
            "cpu_seconds": round(clock.cpu, 1),
            "history": history,
        },
    )
    print(sample[:300])


if __name__ == "__main__":
    main()
