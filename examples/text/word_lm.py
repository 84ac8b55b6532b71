"""Word-level LSTM language model on WikiText-2 (PyTorch's word_language_model recipe), perplexity.

Reads ``wiki.{train,valid,test}.tokens`` (or PyTorch examples' ``{split}.txt``) from ``--root``
(default ``$EMBER_DATA/text``). When the train file is absent (the shared data has only the test
file) it trains on the first 90% of the test file's lines and reports perplexity on the last
10%. Each line's words plus ``<eos>`` form the stream; ``batchify`` cuts it into columns and BPTT
windows feed an ``RNNLanguageModel`` (LSTM, tied weights) trained with SGD and gradient clipping.

Writes into ``--out`` (default ``runs/word_lm``): ``loss.png``, ``word_lm.ember`` and
``metrics.json``; with ``--onnx-export PATH`` also the trained model as an ONNX graph (as
PyTorch's example: ids ``(seq, batch)`` and the LSTM state in, logits and the new state out,
sequence and batch sizes free).

Usage: python examples/text/word_lm.py [--epochs 2] [--max-batches N] [--root DIR] [--out DIR]
       [--onnx-export model.onnx]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import ember
import ember.nn.functional as F
import ember.onnx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _text_common as common  # noqa: E402

from embertext.datasets import WikiText2, batchify, bptt_batches  # noqa: E402
from embertext.models import RNNLanguageModel  # noqa: E402
from embertext.vocab import build_vocab_from_iterator  # noqa: E402


def get_args():
    p = common.parser("word_lm", __doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--emsize", type=int, default=128)
    p.add_argument("--nlayers", type=int, default=2)
    p.add_argument("--lr", type=float, default=20.0)
    p.add_argument("--clip", type=float, default=0.25)
    p.add_argument("--bptt", type=int, default=35)
    p.add_argument("--batch-size", type=int, default=20)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--max-batches", type=int, default=None, help="stop each epoch after N batches")
    p.add_argument("--eval-batches", type=int, default=None, help="evaluate on N windows only")
    p.add_argument("--onnx-export", default="", help="also export the model to this ONNX file")
    return p.parse_args()


def load_lines(root: Path, download: bool = False) -> tuple[list[str], list[str], str]:
    if download:
        common.open_data("word_lm", lambda: WikiText2(root, "test", download=True))
    try:
        return list(WikiText2(root, "train")), list(WikiText2(root, "valid")), "train -> valid"
    except FileNotFoundError:
        lines = list(common.open_data("word_lm", lambda: WikiText2(root, "test")))
        cut = int(0.9 * len(lines))
        return lines[:cut], lines[cut:], "test lines 90% -> last 10%"


def stream(lines: list[str], vocab) -> ember.Tensor:
    ids = [i for line in lines for i in vocab(line.split() + ["<eos>"])]
    return ember.tensor(ids, dtype=ember.long)


def evaluate(model, data: ember.Tensor, args) -> float:
    model.eval()
    hidden, total, count = model.init_hidden(data.shape[1]), 0.0, 0
    with ember.no_grad():
        for b, (x, y) in enumerate(bptt_batches(data, args.bptt)):
            if args.eval_batches is not None and b >= args.eval_batches:
                break
            out, hidden = model(x, hidden)
            total += F.cross_entropy(out.reshape(-1, out.shape[-1]), y, reduction="sum").item()
            count += y.shape[0]
    model.train()
    return total / max(count, 1)


def export_onnx(model, path: str, bptt: int) -> None:
    """The trained model as an ONNX graph (needs ``pip install 'ember[onnx]'``)."""
    model.eval()
    ids = ember.zeros(bptt, 1, dtype=ember.int64)
    free = {0: "seq", 1: "batch"}
    state = {"h0": {1: "batch"}, "c0": {1: "batch"}, "hn": {1: "batch"}, "cn": {1: "batch"}}
    ember.onnx.export(
        model,
        (ids, model.init_hidden(1)),
        path,
        input_names=["input", "h0", "c0"],
        output_names=["output", "hn", "cn"],
        dynamic_axes={"input": free, "output": free, **state},
    )
    print(f"The model is also exported in ONNX format at {Path(path).resolve()}.")


def detach(hidden):
    return tuple(h.detach() for h in hidden) if isinstance(hidden, tuple) else hidden.detach()


def main() -> None:
    args = get_args()
    common.setup(args)
    root = args.root or common.data_root() / "text"
    clock = common.Stopwatch()
    train_lines, valid_lines, rule = load_lines(root, args.download)
    vocab = build_vocab_from_iterator(
        (ln.split() + ["<eos>"] for ln in train_lines), specials=["<unk>"]
    )
    vocab.set_default_index(vocab["<unk>"])
    train = batchify(stream(train_lines, vocab), args.batch_size)
    valid = batchify(stream(valid_lines, vocab), 10)
    model = RNNLanguageModel(
        len(vocab), args.emsize, args.emsize, args.nlayers, dropout=args.dropout, tie_weights=True
    )
    opt = ember.optim.SGD(model.parameters(), lr=args.lr)
    batches = (train.shape[0] - 1 + args.bptt - 1) // args.bptt
    per_epoch = min(batches, args.max_batches or batches)
    bar = common.ProgressBar(args.epochs * per_epoch, "word_lm", enabled=not args.quiet)
    steps, history = [], []
    for epoch in range(1, args.epochs + 1):
        hidden = model.init_hidden(args.batch_size)
        for b, (x, y) in enumerate(bptt_batches(train, args.bptt)):
            if b >= per_epoch:
                break
            hidden = detach(hidden)
            out, hidden = model(x, hidden)
            loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            ember.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            opt.step()
            steps.append((epoch - 1 + b / per_epoch, loss.item()))
            bar.update(loss=steps[-1][1])
        val = evaluate(model, valid, args)
        history.append({"epoch": epoch, "valid_loss": val, "valid_ppl": math.exp(val)})
        for group in opt.param_groups:
            group["lr"] /= 4.0
    bar.close()
    ember.save(model.state_dict(), args.out / "word_lm.ember")
    if args.onnx_export:
        export_onnx(model, args.onnx_export, args.bptt)
    common.plot_curves(
        args.out / "loss.png",
        {"train (per batch)": steps, "valid": [(h["epoch"], h["valid_loss"]) for h in history]},
        title="WikiText-2 word LM",
        xlabel="epoch",
        ylabel="cross-entropy (nats/word)",
    )
    common.write_metrics(
        args.out,
        {
            "split": rule,
            "vocab_size": len(vocab),
            "train_tokens": train.numel(),
            "valid_ppl": history[-1]["valid_ppl"],
            "seconds": round(clock.wall, 1),
            "cpu_seconds": round(clock.cpu, 1),
            "history": history,
        },
    )


if __name__ == "__main__":
    main()
