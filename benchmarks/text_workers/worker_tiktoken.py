"""tiktoken's side of bench_text.py: an Encoding built from the same tokenizer.json ranks."""

from __future__ import annotations

import json

import tiktoken
from _job import emit, encode_figures, load_job

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def byte_decoder() -> dict[str, int]:
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table, extra = {b: chr(b) for b in printable}, 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return {c: b for b, c in table.items()}


def main() -> None:
    job = load_job()
    model = json.load(open(job["tokenizer"], encoding="utf-8"))["model"]
    dec = byte_decoder()
    # Ranks in merge order: the 256 bytes, then each merge's result (tiktoken's convention).
    ranks = {bytes([b]): i for i, b in enumerate(sorted(dec.values()))}
    for a, b in model["merges"]:
        ranks.setdefault(bytes(dec[c] for c in a + b), len(ranks))
    enc = tiktoken.Encoding("bench", pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens={})

    def lines(batch: list[str]) -> list[list[int]]:
        # One thread: a plain loop (measured faster here than encode_ordinary_batch with
        # num_threads=1, which still goes through a thread pool).
        return [enc.encode_ordinary(line) for line in batch]

    emit(
        encode_figures(
            job,
            enc.encode_ordinary,
            lines,
            lambda r: len(r) if isinstance(r[0], int) else sum(map(len, r)),
        )
    )


if __name__ == "__main__":
    main()
