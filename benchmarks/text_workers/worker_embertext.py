"""embertext's side of bench_text.py (see _job.py for the protocol)."""

from __future__ import annotations

import csv
import time

from _job import emit, encode_figures, load_job, timed

from embertext.tokenizers import ByteLevelBPETokenizer, get_tokenizer
from embertext.vocab import build_vocab_from_iterator


def main() -> None:
    job = load_job()
    if job["task"] == "train":
        lines = open(job["corpus"], encoding="utf-8").read().splitlines(keepends=True)
        start = time.perf_counter()
        tok = ByteLevelBPETokenizer().train(lines, vocab_size=job["vocab_size"], min_frequency=2)
        seconds = time.perf_counter() - start
        tok.save(job["save"])
        emit({"seconds": seconds})
    elif job["task"] == "encode":
        fresh = ByteLevelBPETokenizer.from_file(job["tokenizer"])
        tok = ByteLevelBPETokenizer.from_file(job["tokenizer"])
        start = time.perf_counter()
        fresh.encode_ids(open(job["corpus"], encoding="utf-8").read())
        cold = time.perf_counter() - start
        out = encode_figures(
            job,
            tok.encode_ids,
            tok.encode_batch,
            lambda r: len(r) if isinstance(r[0], int) else sum(len(e.ids) for e in r),
        )
        out["cold_whole_s"] = cold
        emit(out)
    else:  # basic_english + vocab lookup on AG_NEWS rows
        with open(job["corpus"], encoding="utf-8", newline="") as f:
            rows = [r[1] + " " + r[2] for r in csv.reader(f)]
        tokenizer = get_tokenizer("basic_english")
        vocab = build_vocab_from_iterator(map(tokenizer, rows), specials=["<unk>"])
        vocab.set_default_index(0)
        figures = timed(lambda: [vocab(tokenizer(r)) for r in rows], job["repeat"])
        figures["lines_s"] = len(rows) / figures["median_s"]
        emit(figures)


if __name__ == "__main__":
    main()
