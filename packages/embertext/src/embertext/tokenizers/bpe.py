"""Byte-level BPE (GPT-2, RoBERTa): train, encode, decode, and Hugging Face / GPT-2 files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Any

from embertext.tokenizers import _bytelevel as bl
from embertext.tokenizers._base import SubwordTokenizer, read_json, read_text
from embertext.tokenizers._bpe_trainer import count_words, train_bpe
from embertext.tokenizers._encoding import Encoding

__all__ = ["ByteLevelBPETokenizer"]

_CACHE_LIMIT = 1 << 20  # chunks kept before the cache starts over (bounded memory)


class _ChunkCache(dict):
    """chunk -> tuple of ids; a miss runs pre-tokenisation and BPE once for that chunk."""

    def __init__(self, tokenizer: ByteLevelBPETokenizer) -> None:
        super().__init__()
        self.tokenizer = tokenizer

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        ids = self.tokenizer._chunk_ids(chunk)
        self[chunk] = ids
        return ids


class ByteLevelBPETokenizer(SubwordTokenizer):
    """Byte-level byte-pair encoding, as GPT-2 and Hugging Face's ``ByteLevelBPETokenizer``.

    Text is split with GPT-2's pre-tokenisation pattern, each piece is spelt in the 256-symbol
    byte alphabet, and merges are applied by rank. Any string round-trips through ``encode``
    and ``decode`` (lone surrogates included). Each distinct chunk of text is encoded once and
    cached, so encoding runs at the speed of a regular-expression scan plus dictionary lookups.

    Args:
        vocab: token to id (byte-alphabet spelling, as in GPT-2's ``vocab.json``).
        merges: merges in rank order, as pairs of tokens.
        special_tokens: tokens that are never split (added to the vocabulary when missing).
        add_prefix_space: prepend a space to the text when it does not start with one, so the
            first word is encoded like the others.

    Example:
        >>> tok = ByteLevelBPETokenizer()
        >>> tok.train(["low lower lowest"] * 10, vocab_size=262, min_frequency=1)
        ByteLevelBPETokenizer(vocab_size=262, merges=6, special_tokens=[])
        >>> tok.decode(tok.encode("lowest 😀").ids)
        'lowest 😀'
    """

    def __init__(
        self,
        vocab: dict[str, int] | None = None,
        merges: Iterable[tuple[str, str]] | None = None,
        *,
        special_tokens: Iterable[str] = (),
        add_prefix_space: bool = False,
    ) -> None:
        super().__init__()
        self.add_prefix_space = add_prefix_space
        if vocab is None:
            vocab = {c: i for i, c in enumerate(bl.ALPHABET)}
        self._set_model(vocab, list(merges or ()), "vocab")
        self.add_special_tokens(special_tokens)

    # --------------------------------------------------------------------- model ---
    def _set_model(self, vocab: dict[str, int], merges: list[tuple[str, str]], where: str) -> None:
        itos = {}
        for token, i in vocab.items():
            if not isinstance(i, int) or isinstance(i, bool) or i < 0:
                raise ValueError(f"{where}: id of token {token!r} must be a non-negative int")
            if i in itos:
                raise ValueError(f"{where}: tokens {itos[i]!r} and {token!r} share id {i}")
            itos[i] = token
        ranks = {}
        for rank, (a, b) in enumerate(merges):
            for part in (a, b, a + b):
                if part not in vocab:
                    raise ValueError(
                        f"{where}: merge {rank} ({a!r} {b!r}) uses {part!r}, not in the vocabulary"
                    )
            ranks.setdefault((a, b), rank)
        self._vocab, self._itos = dict(vocab), itos
        self._merges = list(merges)
        self._ranks = ranks
        self._bytes_of = {
            i: bytes(bl.CHAR_TO_BYTE.get(c, 0x3F) for c in t) for i, t in itos.items()
        }
        self._special = {}
        self._special_re = None
        self._cache = _ChunkCache(self)
        self._word_cache: dict[str, tuple[int, ...]] = {}

    @property
    def merges(self) -> list[tuple[str, str]]:
        """The merges in rank order."""
        return list(self._merges)

    def __repr__(self) -> str:
        return (
            f"ByteLevelBPETokenizer(vocab_size={self.vocab_size}, merges={len(self._merges)}, "
            f"special_tokens={self.special_tokens})"
        )

    # ------------------------------------------------------------------ training ---
    def train(
        self,
        iterator: Iterable[str],
        vocab_size: int = 30000,
        special_tokens: Iterable[str] = (),
        min_frequency: int = 2,
    ) -> ByteLevelBPETokenizer:
        """Learn a vocabulary from texts, replacing the current one (Hugging Face's trainer).

        Args:
            iterator: texts (lines or documents).
            vocab_size: final size, special tokens and the 256 byte symbols included.
            special_tokens: tokens given the first ids.
            min_frequency: pairs seen fewer times are not merged.

        Returns:
            ``self``, trained.
        """
        special_tokens = list(special_tokens)
        for token in special_tokens:
            if not isinstance(token, str) or not token:
                raise ValueError(f"special tokens must be non-empty strings, got {token!r}")
        words = count_words(iterator)
        vocab, merges = train_bpe(words, vocab_size, min_frequency, special_tokens)
        self._set_model(vocab, merges, "trained vocabulary")
        self.add_special_tokens(special_tokens)
        return self

    # ------------------------------------------------------------------ encoding ---
    def _bpe(self, word: str) -> list[str]:
        """Apply merges by rank to one byte-alphabet word (GPT-2's loop)."""
        parts = list(word)
        ranks = self._ranks
        while len(parts) > 1:
            best, best_rank = -1, len(ranks)
            for i in range(len(parts) - 1):
                r = ranks.get((parts[i], parts[i + 1]), best_rank)
                if r < best_rank:
                    best, best_rank = i, r
            if best < 0:
                break
            a, b = parts[best], parts[best + 1]
            merged, i = parts[:best], best
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    merged.append(a + b)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def _word_ids(self, word: str) -> tuple[int, ...]:
        ids = self._word_cache.get(word)
        if ids is None:
            vocab = self._vocab
            # Symbols outside the vocabulary are dropped, as Hugging Face's BPE does without
            # an unknown token (a byte-level vocabulary always holds the 256 symbols).
            ids = tuple(vocab[t] for t in self._bpe(word) if t in vocab)
            if len(self._word_cache) >= _CACHE_LIMIT:
                self._word_cache.clear()
            self._word_cache[word] = ids
        return ids

    def _chunk_ids(self, chunk: str) -> tuple[int, ...]:
        return tuple(
            chain.from_iterable(self._word_ids(bl.to_byte_chars(p)) for p in bl.pretokenize(chunk))
        )

    def _prefixed(self, text: str) -> tuple[str, int]:
        if self.add_prefix_space and text and not text.startswith(" "):
            return " " + text, 1
        return text, 0

    def _plain_ids(self, text: str) -> list[int]:
        return list(chain.from_iterable(map(self._cache.__getitem__, bl.chunks(text))))

    def _encode_one(self, text: str) -> Encoding:
        text, shift = self._prefixed(text)
        if self._special_re is None or self._special_re.search(text) is None:
            return Encoding(self._plain_ids(text), source=(self, text, shift))
        ids, mask = [], []
        for piece, special in self._split_special(text):
            new = [self._special[piece]] if special else self._plain_ids(piece)
            ids += new
            mask += [int(special)] * len(new)
        return Encoding(ids, None, None, mask, source=(self, text, shift))

    def _encode_many(self, texts: list[str]) -> list[Encoding]:
        """``_encode_one`` over a batch, with the per-text lookups hoisted out of the loop."""
        if self.add_prefix_space:
            return list(map(self._encode_one, texts))
        lookup, split, flat, special = (
            self._cache.__getitem__,
            bl.chunks,
            chain.from_iterable,
            self._special_re,
        )
        out = []
        for text in texts:
            if special is not None and special.search(text) is not None:
                out.append(self._encode_one(text))
            else:
                out.append(Encoding(list(flat(map(lookup, split(text)))), source=(self, text, 0)))
        return out

    def _tokens_list(self, ids: list[int]) -> list[str]:
        itos = self._itos
        return [itos[i] for i in ids]

    def _offsets(self, text: str, shift: int) -> list[tuple[int, int]]:
        """Character span of each token; a token inside a multi-byte character spans it."""
        out: list[tuple[int, int]] = []
        pos = 0
        for piece, special in self._split_special(text):
            if special:
                out.append((pos, pos + len(piece)))
            else:
                for m in bl._PRETOKEN_RE.finditer(piece):
                    out += self._word_offsets(m.group(), pos + m.start())
            pos += len(piece)
        return [(max(s - shift, 0), max(e - shift, 0)) for s, e in out]

    def _word_offsets(self, word: str, start: int) -> list[tuple[int, int]]:
        char_of_byte = []
        for k, ch in enumerate(word):
            char_of_byte += [k] * len(ch.encode("utf-8", "surrogatepass"))
        spans, b = [], 0
        for i in self._word_ids(bl.to_byte_chars(word)):
            n = len(self._bytes_of[i])
            spans.append((start + char_of_byte[b], start + char_of_byte[b + n - 1] + 1))
            b += n
        return spans

    def encode_ids(self, text: str) -> list[int]:
        """Just the ids of ``text`` (no Encoding, truncation or padding): the fastest path."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        text, _ = self._prefixed(text)
        if self._special_re is None or self._special_re.search(text) is None:
            return self._plain_ids(text)
        return self._encode_one(text).ids

    def _decode_tokens(self, tokens: list[str]) -> str:
        data = "".join(tokens).translate(bl.char_to_latin1()).encode("latin-1", "replace")
        return bl.decode_bytes(data)

    def decode(self, ids: Iterable[int], *, skip_special_tokens: bool = True) -> str:
        """Turn ids back into text (bytes joined, then UTF-8 decoded).

        Args:
            ids: token ids.
            skip_special_tokens: leave special tokens out (Hugging Face's default).

        Returns:
            The text. Byte sequences that are not UTF-8 (a cut inside a character) give U+FFFD.
        """
        special = self._special
        parts = []
        for token in self._tokens_of(ids, skip_special_tokens):
            if token in special:
                parts.append(token.encode("utf-8", "surrogatepass"))
            else:
                parts.append(self._bytes_of[self._vocab[token]])
        return bl.decode_bytes(b"".join(parts))

    # --------------------------------------------------------------------- files ---
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a Hugging Face ``tokenizer.json`` (``tokenizers.Tokenizer.from_file`` reads it)."""
        Path(path).write_text(json.dumps(self._to_json(), ensure_ascii=False), encoding="utf-8")

    def save_model(self, directory: str | os.PathLike[str], prefix: str | None = None) -> list[str]:
        """Write GPT-2's ``vocab.json`` and ``merges.txt`` into ``directory``.

        Returns:
            The two paths written.
        """
        stem = f"{prefix}-" if prefix else ""
        vocab_path = Path(directory) / f"{stem}vocab.json"
        merges_path = Path(directory) / f"{stem}merges.txt"
        vocab_path.write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
        lines = ["#version: 0.2"] + [f"{a} {b}" for a, b in self._merges]
        merges_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [str(vocab_path), str(merges_path)]

    def _to_json(self) -> dict[str, Any]:
        byte_level = {
            "type": "ByteLevel",
            "add_prefix_space": self.add_prefix_space,
            "trim_offsets": True,
            "use_regex": True,
        }
        added = [
            {
                "id": i,
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for t, i in sorted(self._special.items(), key=lambda kv: kv[1])
        ]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": byte_level,
            "post_processor": {**byte_level, "add_prefix_space": True, "trim_offsets": False},
            "decoder": {**byte_level, "add_prefix_space": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": self._vocab,
                "merges": [list(m) for m in self._merges],
            },
        }

    @classmethod
    def from_file(
        cls, path: str | os.PathLike[str], merges: str | os.PathLike[str] | None = None
    ) -> ByteLevelBPETokenizer:
        """Load ``tokenizer.json`` (Hugging Face), or ``vocab.json`` + ``merges.txt`` (GPT-2).

        Args:
            path: a ``tokenizer.json``, or a ``vocab.json`` when ``merges`` is given.
            merges: GPT-2's ``merges.txt``.

        Returns:
            The tokenizer. A missing, truncated or malformed file raises an error naming it.
        """
        if merges is not None:
            return cls._from_gpt2(path, merges)
        data = read_json(path, "tokenizer.json")
        model = _require(data, "model", dict, path)
        if model.get("type", "BPE") != "BPE":
            raise ValueError(f"{path}: model type {model.get('type')!r} is not BPE")
        _check_byte_level(data, path)
        vocab = _require(model, "vocab", dict, path)
        merge_list = [
            _merge_pair(m, path, k) for k, m in enumerate(_require(model, "merges", list, path))
        ]
        pre = data.get("pre_tokenizer") or {}
        tok = cls.__new__(cls)
        SubwordTokenizer.__init__(tok)
        tok.add_prefix_space = bool(pre.get("add_prefix_space", False))
        tok._set_model(vocab, merge_list, str(path))
        for entry in data.get("added_tokens") or []:
            tok._add_listed_token(entry, path)
        tok._compile_special()
        return tok

    def _add_listed_token(self, entry: Any, path: Any) -> None:
        if not isinstance(entry, dict) or not isinstance(entry.get("content"), str):
            raise ValueError(f"{path}: malformed added_tokens entry {entry!r}")
        token, i = entry["content"], entry.get("id")
        if not isinstance(i, int):
            raise ValueError(f"{path}: added token {token!r} has no integer id")
        if self._itos.get(i, token) != token:
            raise ValueError(f"{path}: added token {token!r} id {i} is {self._itos[i]!r}")
        self._vocab[token], self._itos[i] = i, token
        self._bytes_of.setdefault(i, token.encode("utf-8", "surrogatepass"))
        if entry.get("special", True):
            self._special[token] = i

    @classmethod
    def _from_gpt2(
        cls, vocab_path: str | os.PathLike[str], merges_path: str | os.PathLike[str]
    ) -> ByteLevelBPETokenizer:
        vocab = read_json(vocab_path, "vocab.json")
        if not isinstance(vocab, dict):
            raise ValueError(f"vocab.json file {vocab_path} must hold a JSON object token -> id")
        merges = []
        for lineno, line in enumerate(read_text(merges_path, "merges.txt").splitlines(), 1):
            if (lineno == 1 and line.startswith("#version")) or not line.strip():
                continue
            parts = line.split(" ")
            if len(parts) != 2 or not all(parts):
                raise ValueError(
                    f"merges.txt file {merges_path} line {lineno}: expected two tokens "
                    f"separated by one space, got {line!r}"
                )
            merges.append((parts[0], parts[1]))
        tok = cls.__new__(cls)
        SubwordTokenizer.__init__(tok)
        tok.add_prefix_space = False
        tok._set_model(vocab, merges, f"{vocab_path} + {merges_path}")
        return tok


def _require(data: Any, key: str, kind: type, path: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        raise ValueError(f"tokenizer.json file {path}: missing or malformed {key!r}")
    return data[key]


def _merge_pair(entry: Any, path: Any, k: int) -> tuple[str, str]:
    """A merge as ``["a", "b"]`` (tokenizers >= 0.20) or ``"a b"`` (older files)."""
    if isinstance(entry, str):
        entry = entry.split(" ")
    if not isinstance(entry, list) or len(entry) != 2 or not all(isinstance(p, str) for p in entry):
        raise ValueError(f"tokenizer.json file {path}: merge {k} is malformed: {entry!r}")
    return entry[0], entry[1]


def _check_byte_level(data: dict[str, Any], path: Any) -> None:
    pre = data.get("pre_tokenizer")
    if pre is not None and pre.get("type") != "ByteLevel":
        raise ValueError(
            f"tokenizer.json file {path}: pre_tokenizer {pre.get('type')!r} is not ByteLevel; "
            "only byte-level BPE files are supported"
        )
    if data.get("normalizer") is not None:
        raise ValueError(
            f"tokenizer.json file {path}: normalizer {data['normalizer'].get('type')!r} is "
            "not supported by ByteLevelBPETokenizer"
        )
