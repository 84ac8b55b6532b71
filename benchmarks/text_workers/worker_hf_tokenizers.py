"""Hugging Face tokenizers' side of bench_text.py (a reference, never a dependency)."""

from __future__ import annotations

import os
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from _job import emit, encode_figures, load_job  # noqa: E402
from tokenizers import ByteLevelBPETokenizer, Tokenizer  # noqa: E402


def main() -> None:
    job = load_job()
    if job["task"] == "train":
        lines = open(job["corpus"], encoding="utf-8").read().splitlines(keepends=True)
        tok = ByteLevelBPETokenizer()
        start = time.perf_counter()
        tok.train_from_iterator(
            lines, vocab_size=job["vocab_size"], min_frequency=2, show_progress=False
        )
        seconds = time.perf_counter() - start
        tok.save(job["save"])
        emit({"seconds": seconds})
    else:
        tok = Tokenizer.from_file(job["tokenizer"])
        out = encode_figures(
            job,
            lambda s: tok.encode(s).ids,
            tok.encode_batch,
            lambda r: len(r) if isinstance(r[0], int) else sum(len(e.ids) for e in r),
        )
        emit(out)


if __name__ == "__main__":
    main()
