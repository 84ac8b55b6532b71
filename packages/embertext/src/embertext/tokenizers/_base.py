"""What the subword tokenizers share: vocabulary, special tokens, truncation, padding, batches."""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from embertext.tokenizers._encoding import (
    Encoding,
    Padding,
    Truncation,
    check_direction,
    finish_batch,
)

__all__ = ["SubwordTokenizer", "read_json", "check_text"]


def check_text(text: Any, what: str = "text") -> str:
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, got {type(text).__name__}")
    return text


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """A UTF-8 file's text; an error naming the file when it is missing or not UTF-8."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{what} file {path} is not valid UTF-8 (byte {exc.start}: {exc.reason})"
        ) from None


def read_json(path: str | os.PathLike[str], what: str) -> Any:
    """Parse a JSON file; a truncated or malformed one raises ValueError naming it."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{what} file {path} is not valid JSON (truncated or malformed): {exc.msg} at line "
            f"{exc.lineno}, column {exc.colno}"
        ) from None


class SubwordTokenizer:
    """Base of the BPE and WordPiece tokenizers: vocabulary lookups and batch handling.

    Subclasses fill ``_vocab`` (token to id), ``_itos`` (id to token) and implement
    ``_encode_one(text) -> Encoding`` and ``_decode_tokens(tokens) -> str``.
    """

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._itos: dict[int, str] = {}
        self._special: dict[str, int] = {}
        self._special_re: re.Pattern[str] | None = None
        self._truncation: Truncation | None = None
        self._padding: Padding | None = None

    # ------------------------------------------------------------------ vocabulary ---
    def get_vocab(self) -> dict[str, int]:
        """Token to id, special tokens included."""
        return dict(self._vocab)

    def get_vocab_size(self) -> int:
        """The number of tokens, special tokens included."""
        return len(self._itos)

    @property
    def vocab_size(self) -> int:
        """The number of tokens, special tokens included."""
        return len(self._itos)

    @property
    def special_tokens(self) -> list[str]:
        """The special tokens, in id order."""
        return sorted(self._special, key=self._special.__getitem__)

    def token_to_id(self, token: str) -> int | None:
        """The id of ``token``, or None when it is not in the vocabulary."""
        return self._vocab.get(token)

    def id_to_token(self, id: int) -> str | None:
        """The token of ``id``, or None when no token has it."""
        return self._itos.get(id)

    def add_special_tokens(self, tokens: Iterable[str]) -> int:
        """Add special tokens (new ones get the next ids); they are never split.

        Returns:
            The number of tokens that were not in the vocabulary yet.
        """
        added = 0
        for token in tokens:
            check_text(token, "a special token")
            if not token:
                raise ValueError("a special token cannot be empty")
            if token not in self._vocab:
                self._vocab[token] = len(self._itos)
                self._itos[len(self._itos)] = token
                added += 1
            self._special[token] = self._vocab[token]
        self._compile_special()
        return added

    def _compile_special(self) -> None:
        names = sorted(self._special, key=len, reverse=True)
        self._special_re = re.compile("|".join(map(re.escape, names))) if names else None

    def _split_special(self, text: str) -> list[tuple[str, bool]]:
        """``text`` as (piece, is_special) in order; special tokens are matched exactly."""
        if self._special_re is None:
            return [(text, False)]
        out, start = [], 0
        for m in self._special_re.finditer(text):
            if m.start() > start:
                out.append((text[start : m.start()], False))
            out.append((m.group(), True))
            start = m.end()
        if start < len(text):
            out.append((text[start:], False))
        return out

    # ---------------------------------------------------------- truncation, padding ---
    def enable_truncation(self, max_length: int, *, direction: str = "right") -> None:
        """Cut every encoding to at most ``max_length`` ids (from ``direction``)."""
        if max_length < 1:
            raise ValueError(f"max_length must be positive, got {max_length}")
        self._truncation = Truncation(max_length, check_direction(direction))

    def no_truncation(self) -> None:
        """Stop truncating."""
        self._truncation = None

    def enable_padding(
        self,
        *,
        pad_id: int | None = None,
        pad_token: str = "<pad>",
        length: int | None = None,
        direction: str = "right",
    ) -> None:
        """Pad encodings to ``length`` (None: each batch's longest) with ``pad_token``.

        Args:
            pad_id: the padding id; by default the id of ``pad_token``, which must exist.
            pad_token: the padding token's string.
            length: a fixed length, or None to pad to the longest of each batch.
            direction: ``"right"`` or ``"left"``.
        """
        if pad_id is None:
            pad_id = self.token_to_id(pad_token)
            if pad_id is None:
                raise ValueError(
                    f"pad_token {pad_token!r} is not in the vocabulary; add it with "
                    "add_special_tokens or pass pad_id"
                )
        self._padding = Padding(pad_id, pad_token, length, check_direction(direction))

    def no_padding(self) -> None:
        """Stop padding."""
        self._padding = None

    @property
    def truncation(self) -> Truncation | None:
        """The truncation settings, or None."""
        return self._truncation

    @property
    def padding(self) -> Padding | None:
        """The padding settings, or None."""
        return self._padding

    # ------------------------------------------------------------ encode, decode ---
    def _encode_one(self, text: str) -> Encoding:
        raise NotImplementedError

    def _decode_tokens(self, tokens: list[str]) -> str:
        raise NotImplementedError

    def _encode_many(self, texts: list[str]) -> list[Encoding]:
        return list(map(self._encode_one, texts))

    def encode(self, text: str) -> Encoding:
        """Encode one text (truncated and padded as configured).

        Args:
            text: the text; special tokens in it are kept whole.

        Returns:
            An :class:`Encoding` with ``ids``, ``tokens``, ``offsets``.
        """
        enc = self._encode_one(check_text(text))
        if self._truncation is None and self._padding is None:
            return enc
        return finish_batch([enc], self._truncation, self._padding)[0]

    def encode_batch(self, texts: Sequence[str]) -> list[Encoding]:
        """Encode many texts; with padding enabled they share one length.

        Args:
            texts: the texts.

        Returns:
            One :class:`Encoding` per text.
        """
        if isinstance(texts, str):
            raise TypeError("encode_batch takes a list of texts; use encode for one text")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be a str, got {type(text).__name__}")
        # Each text leaves a few small objects that all survive; pausing the cyclic garbage
        # collector while they are made halves the time of a batch of short lines (measured).
        paused = gc.isenabled()
        gc.disable()
        try:
            encs = self._encode_many(texts)
        finally:
            if paused:
                gc.enable()
        return finish_batch(encs, self._truncation, self._padding)

    def _tokens_of(self, ids: Iterable[int], skip_special_tokens: bool) -> list[str]:
        itos, special = self._itos, self._special
        tokens = []
        for i in ids:
            token = itos.get(int(i))
            if token is None:
                raise ValueError(f"id {i} is not in the vocabulary (size {len(itos)})")
            if not (skip_special_tokens and token in special):
                tokens.append(token)
        return tokens

    def decode(self, ids: Iterable[int], *, skip_special_tokens: bool = True) -> str:
        """Turn ids back into text.

        Args:
            ids: token ids.
            skip_special_tokens: leave special tokens out (Hugging Face's default).

        Returns:
            The text.
        """
        return self._decode_tokens(self._tokens_of(ids, skip_special_tokens))

    def decode_batch(
        self, sequences: Iterable[Iterable[int]], *, skip_special_tokens: bool = True
    ) -> list[str]:
        """:meth:`decode` for each sequence of ids."""
        return [self.decode(s, skip_special_tokens=skip_special_tokens) for s in sequences]

    def __len__(self) -> int:
        return len(self._itos)
