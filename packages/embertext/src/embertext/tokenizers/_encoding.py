"""The result of encoding one text: ids, tokens, offsets and masks (Hugging Face's ``Encoding``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Encoding", "Truncation", "Padding"]


@dataclass(frozen=True)
class Truncation:
    """Truncation settings: keep at most ``max_length`` ids, cutting on ``direction``."""

    max_length: int
    direction: str = "right"


@dataclass(frozen=True)
class Padding:
    """Padding settings: pad with ``pad_id`` to ``length`` (None: the batch's longest)."""

    pad_id: int
    pad_token: str
    length: int | None = None
    direction: str = "right"


class Encoding:
    """Token ids of one text, with its tokens, character offsets and masks on demand.

    ``tokens`` and ``offsets`` are computed the first time they are read, so encoding many
    texts only pays for the ids.

    Attributes:
        ids: the token ids.
        tokens: the token strings.
        offsets: ``(start, end)`` character offsets of each token in the text (``(0, 0)``
            for padding and tokens not in the text).
        attention_mask: 1 for real tokens, 0 for padding.
        special_tokens_mask: 1 for special and padding tokens.

    Example:
        >>> enc = Encoding([5, 6], lambda: ["a", "b"], lambda: [(0, 1), (1, 2)], [0, 0])
        >>> enc.ids, enc.tokens, len(enc)
        ([5, 6], ['a', 'b'], 2)
    """

    __slots__ = ("ids", "_special_mask", "_attention_mask", "_tokens", "_offsets", "_source")

    def __init__(
        self,
        ids: list[int],
        tokens: Callable[[], list[str]] | list[str] | None = None,
        offsets: Callable[[], list[tuple[int, int]]] | list[tuple[int, int]] | None = None,
        special_tokens_mask: list[int] | None = None,
        attention_mask: list[int] | None = None,
        *,
        source: tuple | None = None,
    ) -> None:
        self.ids = ids
        self._tokens = tokens
        self._offsets = offsets
        self._special_mask = special_tokens_mask
        self._attention_mask = attention_mask
        # (tokenizer, text, shift): tokens and offsets are worked out from it when read, which
        # costs one tuple per text instead of two closures (measured on batches of short lines).
        self._source = source

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None and self._source is not None:
            self._tokens = self._source[0]._tokens_list(self.ids)
        elif callable(self._tokens):
            self._tokens = self._tokens()
        return self._tokens

    @property
    def offsets(self) -> list[tuple[int, int]]:
        if self._offsets is None and self._source is not None:
            owner, text, shift = self._source
            self._offsets = owner._offsets(text, shift)
        elif callable(self._offsets):
            self._offsets = self._offsets()
        return self._offsets

    @property
    def special_tokens_mask(self) -> list[int]:
        if self._special_mask is None:
            self._special_mask = [0] * len(self.ids)
        return self._special_mask

    @property
    def attention_mask(self) -> list[int]:
        if self._attention_mask is None:
            self._attention_mask = [1] * len(self.ids)
        return self._attention_mask

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        more = "..." if len(self) > 8 else ""
        return f"Encoding(num_tokens={len(self.ids)}, ids={self.ids[:8]}{more})"

    def truncate(self, setting: Truncation) -> Encoding:
        """A copy holding at most ``setting.max_length`` tokens."""
        n = setting.max_length
        if len(self.ids) <= n:
            return self
        cut = slice(len(self.ids) - n, None) if setting.direction == "left" else slice(0, n)
        return Encoding(
            self.ids[cut],
            lambda: self.tokens[cut],
            lambda: self.offsets[cut],
            self.special_tokens_mask[cut],
            self.attention_mask[cut],
        )

    def pad(self, length: int, setting: Padding) -> Encoding:
        """A copy padded with ``setting.pad_id`` to ``length`` tokens."""
        extra = length - len(self.ids)
        if extra <= 0:
            return self

        def side(real: Sequence, fill: object) -> list:
            pad = [fill] * extra
            return pad + list(real) if setting.direction == "left" else list(real) + pad

        return Encoding(
            side(self.ids, setting.pad_id),
            lambda: side(self.tokens, setting.pad_token),
            lambda: side(self.offsets, (0, 0)),
            side(self.special_tokens_mask, 1),
            side(self.attention_mask, 0),
        )


def check_direction(direction: str) -> str:
    if direction not in ("left", "right"):
        raise ValueError(f"direction must be 'left' or 'right', got {direction!r}")
    return direction


def finish_batch(
    encodings: list[Encoding], truncation: Truncation | None, padding: Padding | None
) -> list[Encoding]:
    """Apply truncation, then padding to the fixed length or the batch's longest."""
    if truncation is not None:
        encodings = [e.truncate(truncation) for e in encodings]
    if padding is not None and encodings:
        length = padding.length or max(len(e) for e in encodings)
        encodings = [e.pad(length, padding) for e in encodings]
    return encodings
