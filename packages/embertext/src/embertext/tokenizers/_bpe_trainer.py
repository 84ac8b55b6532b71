"""Byte-level BPE training with Hugging Face tokenizers' merge order, in plain Python.

The algorithm is the one of ``tokenizers``' ``BpeTrainer`` (so both give the same merges on the
same input): the vocabulary starts with the special tokens, then the alphabet in code-point
order; pairs are counted over the distinct pre-tokenised words weighted by their frequency; a
max-heap pops the most frequent pair (ties: the smaller pair of ids), stale heap entries are
re-pushed with their current count, and merging a pair updates only the words that held it,
pushing the pairs it created with the set of words where they appeared.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable

from embertext.tokenizers._bytelevel import ALPHABET, chunks, pretokenize, to_byte_chars

__all__ = ["count_words", "train_bpe"]


def count_words(texts: Iterable[str]) -> dict[str, int]:
    """Frequencies of the byte-level pre-tokens of ``texts`` (GPT-2 pattern).

    Args:
        texts: an iterable of strings (lines, documents, ...).

    Returns:
        ``{word in the byte alphabet: count}``.
    """
    chunk_counts: Counter[str] = Counter()
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"training text {i} is {type(text).__name__}, expected str")
        chunk_counts.update(chunks(text))
    words: dict[str, int] = defaultdict(int)
    for chunk, count in chunk_counts.items():
        for piece in pretokenize(chunk):
            words[to_byte_chars(piece)] += count
    return dict(words)


def _initial_vocab(
    words: dict[str, int], special_tokens: list[str], alphabet: list[str], prefix: str
) -> list[str]:
    id_to_word = list(dict.fromkeys(special_tokens))
    letters, inner = set(alphabet), set()
    for word in filter(None, words):
        letters.add(word[0])
        inner.update(word[1:])
    if not prefix:
        letters |= inner
    known = set(id_to_word)
    id_to_word += [c for c in sorted(letters) if c not in known]
    if prefix:
        id_to_word += [prefix + c for c in sorted(inner) if prefix + c not in known]
    return id_to_word


def _symbols(word: str, prefix: str) -> list[str]:
    return [word[0], *(prefix + c for c in word[1:])] if prefix else list(word)


def _count_pairs(
    words: list[list[int]], counts: list[int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], set[int]]]:
    pair_counts: dict[tuple[int, int], int] = defaultdict(int)
    where: dict[tuple[int, int], set[int]] = defaultdict(set)
    for i, word in enumerate(words):
        count = counts[i]
        for pair in zip(word, word[1:]):
            pair_counts[pair] += count
            where[pair].add(i)
    return pair_counts, where


def _merge_words(
    pair: tuple[int, int],
    new: int,
    pos: set[int],
    words: list[list[int]],
    counts: list[int],
    pair_counts: dict[tuple[int, int], int],
) -> dict[tuple[int, int], set[int]]:
    """Merge ``pair`` into ``new`` in the words at ``pos``; returns where new pairs appeared."""
    a, b = pair
    grown: dict[tuple[int, int], set[int]] = defaultdict(set)
    for iw in pos:
        word = words[iw]
        count = counts[iw]
        i = 0
        n = len(word)
        while i < n - 1:
            if word[i] == a and word[i + 1] == b:
                if i > 0:
                    left = word[i - 1]
                    pair_counts[(left, a)] -= count
                    pair_counts[(left, new)] += count
                    grown[(left, new)].add(iw)
                word[i : i + 2] = [new]
                n -= 1
                if i < n - 1:
                    right = word[i + 1]
                    pair_counts[(b, right)] -= count
                    pair_counts[(new, right)] += count
                    grown[(new, right)].add(iw)
            i += 1
    return grown


def train_bpe(
    words: dict[str, int],
    vocab_size: int,
    min_frequency: int,
    special_tokens: list[str],
    *,
    alphabet: list[str] = ALPHABET,
    prefix: str = "",
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Learn merges over word counts until the vocabulary holds ``vocab_size`` tokens.

    Args:
        words: ``{word in the byte alphabet: count}`` (see :func:`count_words`).
        vocab_size: the final vocabulary size, special tokens and alphabet included.
        min_frequency: pairs seen fewer times than this are not merged.
        special_tokens: tokens given the first ids, in order.
        alphabet: symbols always in the vocabulary (the 256 byte symbols for byte-level BPE).
        prefix: marks a symbol that continues a word (``"##"`` for WordPiece; none for BPE).

    Returns:
        ``(vocab, merges)``: token to id, and the merges in rank order.
    """
    id_to_word = _initial_vocab(words, special_tokens, alphabet, prefix)
    word_to_id = {w: i for i, w in enumerate(id_to_word)}
    symbols = [[word_to_id[c] for c in _symbols(w, prefix)] for w in words if w]
    counts = [c for w, c in words.items() if w]
    pair_counts, where = _count_pairs(symbols, counts)
    serial = 0
    heap = []
    for pair, pos in where.items():
        if pair_counts[pair] > 0:
            heap.append((-pair_counts[pair], pair, serial, pos))
            serial += 1
    heapq.heapify(heap)
    merges: list[tuple[int, int]] = []
    while len(id_to_word) < vocab_size and heap:
        neg, pair, _, pos = heapq.heappop(heap)
        count = pair_counts[pair]
        if -neg != count:
            heapq.heappush(heap, (-count, pair, serial, pos))
            serial += 1
            continue
        if count < 1 or min_frequency > count:
            break
        token = id_to_word[pair[0]] + id_to_word[pair[1]].removeprefix(prefix)
        new = word_to_id.get(token)
        if new is None:
            new = word_to_id[token] = len(id_to_word)
            id_to_word.append(token)
        merges.append(pair)
        grown = _merge_words(pair, new, pos, symbols, counts, pair_counts)
        for p, positions in grown.items():
            if pair_counts[p] > 0:
                heapq.heappush(heap, (-pair_counts[p], p, serial, positions))
                serial += 1
    return word_to_id, [(id_to_word[a], id_to_word[b]) for a, b in merges]
