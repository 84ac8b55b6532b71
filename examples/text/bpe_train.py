"""Train a byte-level BPE tokenizer on a corpus; report bytes per token; save ``tokenizer.json``.

The first 90% of the lines train (Hugging Face's trainer algorithm, so ``tokenizers`` learns the
same merges from the same lines), the last 10% measure compression (UTF-8 bytes per token). The
saved ``tokenizer.json`` loads in Hugging Face ``tokenizers`` and back in embertext.

Writes into ``--out`` (default ``runs/bpe_train``): ``tokenizer.json``, ``vocab.json`` +
``merges.txt`` (GPT-2 layout) and ``metrics.json``.

Usage: python examples/text/bpe_train.py [--corpus FILE] [--vocab-size 2000] [--out DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _text_common as common  # noqa: E402

from embertext.tokenizers import ByteLevelBPETokenizer  # noqa: E402


def main() -> None:
    p = common.parser("bpe_train", __doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=None, help="UTF-8 text file")
    p.add_argument("--vocab-size", type=int, default=2000)
    p.add_argument("--min-frequency", type=int, default=2)
    args = p.parse_args()
    common.setup(args)
    corpus = args.corpus or common.data_root() / "text" / "tinyshakespeare" / "input.txt"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = int(0.9 * len(lines))
    tok = ByteLevelBPETokenizer()
    t0 = time.perf_counter()
    tok.train(
        lines[:cut],
        vocab_size=args.vocab_size,
        min_frequency=args.min_frequency,
        special_tokens=["<|endoftext|>"],
    )
    train_s = time.perf_counter() - t0
    held_out = "".join(lines[cut:])
    t0 = time.perf_counter()
    ids = tok.encode_ids(held_out)
    encode_s = time.perf_counter() - t0
    assert tok.decode(ids) == held_out, "round trip failed"
    tok.save(args.out / "tokenizer.json")
    tok.save_model(args.out)
    nbytes = len(held_out.encode("utf-8"))
    common.write_metrics(
        args.out,
        {
            "corpus": str(corpus),
            "vocab_size": tok.vocab_size,
            "merges": len(tok.merges),
            "train_seconds": round(train_s, 3),
            "held_out_bytes": nbytes,
            "held_out_tokens": len(ids),
            "bytes_per_token": round(nbytes / max(len(ids), 1), 3),
            "encode_mb_per_s": round(nbytes / encode_s / 1e6, 2),
        },
    )


if __name__ == "__main__":
    main()
