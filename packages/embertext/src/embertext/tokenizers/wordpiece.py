"""BERT's WordPiece: basic tokenisation, then greedy longest-match-first subwords with ``##``."""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache, partial
from pathlib import Path

from embertext.tokenizers._base import SubwordTokenizer, read_text
from embertext.tokenizers._bpe_trainer import train_bpe
from embertext.tokenizers._encoding import Encoding

__all__ = ["WordPieceTokenizer", "bert_pretokenize"]

_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
_WS = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


@lru_cache(maxsize=65536)
def _kind(ch: str) -> str:
    """'drop' (control, NUL, U+FFFD), 'space', 'split' (punctuation, CJK) or 'keep'.

    The order is Hugging Face's BertNormalizer: control characters go first, so the C0/C1
    separators that are also Unicode whitespace (U+0085, U+000B ...) are dropped.
    """
    if ch in "\t\n\r":
        return "space"
    cp = ord(ch)
    if cp == 0 or cp == 0xFFFD or unicodedata.category(ch).startswith("C"):
        return "drop"
    if ch in _WS:
        return "space"
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return "split"
    if unicodedata.category(ch).startswith("P") or any(lo <= cp <= hi for lo, hi in _CJK):
        return "split"
    return "keep"


def bert_pretokenize(text: str) -> list[tuple[str, int, int]]:
    """BERT's basic split: drop control characters, split on whitespace, isolate punctuation
    and CJK ideographs.

    Args:
        text: the text.

    Returns:
        ``(word, start, end)`` with character offsets into ``text`` (before normalisation);
        control characters inside a word are left out of it, as BERT's cleaning does.

    Example:
        >>> bert_pretokenize("Hi, you")
        [('Hi', 0, 2), (',', 2, 3), ('you', 4, 7)]
    """
    words, start, dropped = [], -1, False
    for i, ch in enumerate(text):
        kind = _kind(ch)
        if kind == "keep":
            if start < 0:
                start, dropped = i, False
        elif kind == "drop":
            dropped = dropped or start >= 0
        else:
            if start >= 0:
                words.append(_word(text, start, i, dropped))
                start = -1
            if kind == "split":
                words.append((ch, i, i + 1))
    if start >= 0:
        words.append(_word(text, start, len(text), dropped))
    return words


def _word(text: str, start: int, end: int, dropped: bool) -> tuple[str, int, int]:
    word = text[start:end]
    if dropped:
        word = "".join(c for c in word if _kind(c) == "keep")
    return word, start, end


def _normalize(word: str, lowercase: bool, strip_accents: bool) -> str:
    if strip_accents:
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
    return word.lower() if lowercase else word


class WordPieceTokenizer(SubwordTokenizer):
    """BERT's WordPiece tokenizer (ids identical to Hugging Face's on the same ``vocab.txt``).

    Text is cleaned (control characters dropped, whitespace unified), split on whitespace,
    punctuation and CJK ideographs, lower-cased and stripped of accents (optional), then each
    word becomes the longest vocabulary entries from its start, continuations spelt ``##...``;
    a word with no such split becomes ``unk_token``.

    Args:
        vocab: token to id (``vocab.txt``'s line numbers).
        unk_token: the token for words that cannot be split.
        lowercase: lower-case the text.
        strip_accents: remove combining accents (default: same as ``lowercase``).
        max_input_chars_per_word: longer words become ``unk_token``.
        special_tokens: tokens kept whole (default: those of BERT found in ``vocab``).

    Example:
        >>> tokens = ["[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able"]
        >>> vocab = {t: i for i, t in enumerate(tokens)}
        >>> WordPieceTokenizer(vocab).encode("Unaffable").tokens
        ['un', '##aff', '##able']
    """

    BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

    def __init__(
        self,
        vocab: dict[str, int] | None = None,
        *,
        unk_token: str = "[UNK]",
        lowercase: bool = True,
        strip_accents: bool | None = None,
        max_input_chars_per_word: int = 100,
        special_tokens: Iterable[str] | None = None,
    ) -> None:
        super().__init__()
        self.unk_token = unk_token
        self.lowercase = lowercase
        self.strip_accents = lowercase if strip_accents is None else strip_accents
        self.max_input_chars_per_word = max_input_chars_per_word
        self._set_vocab(dict(vocab) if vocab else {unk_token: 0}, "vocab")
        if special_tokens is None:
            special_tokens = [t for t in self.BERT_SPECIALS if t in self._vocab]
        self.add_special_tokens(special_tokens)

    def _set_vocab(self, vocab: dict[str, int], where: str) -> None:
        if self.unk_token not in vocab:
            raise ValueError(
                f"{where}: the unknown token {self.unk_token!r} is not in the vocabulary"
            )
        self._vocab = vocab
        self._itos = {i: t for t, i in vocab.items()}
        if len(self._itos) != len(vocab):
            raise ValueError(f"{where}: two tokens share an id")
        self._word_cache: dict[str, tuple[int, ...]] = {}

    def __repr__(self) -> str:
        return f"WordPieceTokenizer(vocab_size={self.vocab_size}, lowercase={self.lowercase})"

    # -------------------------------------------------------------------- files ---
    @classmethod
    def from_file(
        cls,
        vocab_txt: str | os.PathLike[str],
        lowercase: bool = True,
        strip_accents: bool | None = None,
        **kwargs,
    ) -> WordPieceTokenizer:
        """Load BERT's ``vocab.txt`` (one token per line; the line number is the id).

        Args:
            vocab_txt: the file.
            lowercase: lower-case the text (``bert-base-uncased``: True).
            strip_accents: remove accents (default: same as ``lowercase``).
            **kwargs: other :class:`WordPieceTokenizer` options.

        Returns:
            The tokenizer.
        """
        lines = read_text(vocab_txt, "vocab.txt").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        vocab: dict[str, int] = {}
        for i, line in enumerate(lines):
            token = line.rstrip("\r")
            if not token:
                raise ValueError(f"vocab.txt file {vocab_txt} line {i + 1} is empty")
            vocab.setdefault(token, i)
        unk = kwargs.get("unk_token", "[UNK]")
        if unk not in vocab:
            raise ValueError(f"vocab.txt file {vocab_txt} has no {unk!r} line")
        return cls(vocab, lowercase=lowercase, strip_accents=strip_accents, **kwargs)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write ``vocab.txt`` (tokens in id order, one per line)."""
        tokens = [self._itos[i] for i in sorted(self._itos)]
        Path(path).write_text("\n".join(tokens) + "\n", encoding="utf-8")

    # ----------------------------------------------------------------- training ---
    def train(
        self,
        iterator: Iterable[str],
        vocab_size: int = 30000,
        special_tokens: Iterable[str] = BERT_SPECIALS,
        min_frequency: int = 2,
    ) -> WordPieceTokenizer:
        """Learn a vocabulary from texts (BPE merges over ``##`` continuations, as Hugging
        Face's WordPiece trainer does), replacing the current one.

        Args:
            iterator: texts.
            vocab_size: final size, special tokens included.
            special_tokens: tokens given the first ids (``unk_token`` among them).
            min_frequency: pairs seen fewer times are not merged.

        Returns:
            ``self``, trained.
        """
        special_tokens = list(special_tokens)
        if self.unk_token not in special_tokens:
            special_tokens.insert(0, self.unk_token)
        counts: Counter[str] = Counter()
        for text in iterator:
            counts.update(self._words(text))
        vocab, _ = train_bpe(
            dict(counts), vocab_size, min_frequency, special_tokens, alphabet=[], prefix="##"
        )
        self._set_vocab(vocab, "trained vocabulary")
        self._special = {}
        self.add_special_tokens(special_tokens)
        return self

    # ----------------------------------------------------------------- encoding ---
    def _words(self, text: str) -> list[str]:
        return [
            _normalize(w, self.lowercase, self.strip_accents) for w, _, _ in bert_pretokenize(text)
        ]

    def _wordpiece(self, word: str) -> tuple[int, ...]:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        vocab, unk = self._vocab, self._vocab[self.unk_token]
        ids: list[int] = []
        if len(word) > self.max_input_chars_per_word:
            ids = [unk]
        start = 0 if not ids else len(word)
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    ids.append(vocab[piece])
                    break
                end -= 1
            if end == start:
                ids = [unk]
                break
            start = end
        result = tuple(ids)
        if len(self._word_cache) < 1 << 20:
            self._word_cache[word] = result
        return result

    def _encode_plain(self, text: str, base: int, ids: list[int], spans: list) -> None:
        for raw, s, e in bert_pretokenize(text):
            word = _normalize(raw, self.lowercase, self.strip_accents)
            if not word:
                continue
            pieces = self._wordpiece(word)
            ids += pieces
            spans.append((base + s, base + e, len(pieces), raw))

    def _encode_one(self, text: str, add_special_tokens: bool = False) -> Encoding:
        ids: list[int] = []
        spans: list = []
        mask: list[int] = []
        pos = 0
        for piece, special in self._split_special(text):
            before = len(ids)
            if special:
                ids.append(self._special[piece])
                spans.append((pos, pos + len(piece), 1, None))
            else:
                self._encode_plain(piece, pos, ids, spans)
            mask += [int(special)] * (len(ids) - before)
            pos += len(piece)
        if add_special_tokens:
            ids, mask, spans = self._wrap(ids, mask, spans)
        itos = self._itos
        return Encoding(
            ids, lambda: [itos[i] for i in ids], partial(self._offsets, ids, spans), mask
        )

    def _wrap(self, ids: list[int], mask: list[int], spans: list) -> tuple[list, list, list]:
        cls_id, sep_id = self._vocab.get("[CLS]"), self._vocab.get("[SEP]")
        if cls_id is None or sep_id is None:
            raise ValueError("add_special_tokens needs '[CLS]' and '[SEP]' in the vocabulary")
        edge = [(0, 0, 1, None)]
        return [cls_id, *ids, sep_id], [1, *mask, 1], edge + spans + edge

    def _offsets(self, ids: list[int], spans: list) -> list[tuple[int, int]]:
        """Offsets of each piece, mapped back through normalisation character by character."""
        out: list[tuple[int, int]] = []
        unk = self._vocab[self.unk_token]
        for start, end, count, raw in spans:
            whole = raw is None or (count == 1 and ids[len(out)] == unk)
            align = None if whole else self._alignment(raw, start)
            if align is None:
                out += [(start, end)] * count
                continue
            pos = 0
            for i in ids[len(out) : len(out) + count]:
                n = max(len(self._itos[i].removeprefix("##")), 1)
                out.append((align[pos], align[min(pos + n, len(align)) - 1] + 1))
                pos += n
        return out

    def _alignment(self, raw: str, start: int) -> list[int] | None:
        """For each normalised character of ``raw``, the index of the original one."""
        align: list[int] = []
        for k, ch in enumerate(raw):
            align += [start + k] * len(_normalize(ch, self.lowercase, self.strip_accents))
        return (
            align
            if len(align) == len(_normalize(raw, self.lowercase, self.strip_accents))
            else None
        )

    def encode(self, text: str, *, add_special_tokens: bool = False) -> Encoding:
        """Encode one text.

        Args:
            text: the text.
            add_special_tokens: wrap the ids in ``[CLS]`` ... ``[SEP]`` (BERT's input).

        Returns:
            An :class:`Encoding`.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        enc = self._encode_one(text, add_special_tokens)
        if self._truncation is None and self._padding is None:
            return enc
        from embertext.tokenizers._encoding import finish_batch

        return finish_batch([enc], self._truncation, self._padding)[0]

    def _decode_tokens(self, tokens: list[str]) -> str:
        text = " ".join(tokens).replace(" ##", "")
        for p in ".,!?;:'\")]}":
            text = text.replace(" " + p, p)
        return text
