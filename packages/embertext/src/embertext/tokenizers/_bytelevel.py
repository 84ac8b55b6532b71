"""GPT-2's byte-level alphabet and pre-tokenisation, shared by the BPE encoder and trainer.

Text becomes UTF-8 bytes, and each byte becomes one printable character (GPT-2's
``bytes_to_unicode`` table: printable Latin-1 bytes map to themselves, the others to U+0100
and up), so every string, control characters included, has a lossless spelling in 256 symbols.
Lone surrogates, which UTF-8 cannot encode, are written with ``surrogatepass`` (three bytes each)
and restored by :func:`decode_bytes`.

Pre-tokenisation splits text with GPT-2's pattern (contractions, letters, digits, other
symbols, each with one optional leading space, then whitespace runs). That pattern never joins
a non-space character with a whitespace character other than one leading U+0020, so text can be
cut first into *chunks* (a non-space run with its leading space, or a whitespace run) with a
stdlib ``re`` pattern that needs no Unicode property tables; chunks are the cache keys of the
encoder, and only a chunk seen for the first time goes through the ``regex`` pattern.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

import regex

__all__ = [
    "GPT2_PATTERN",
    "BYTE_TO_CHAR",
    "CHAR_TO_BYTE",
    "ALPHABET",
    "chunks",
    "pretokenize",
    "to_byte_chars",
    "decode_bytes",
]

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

# The Unicode White_Space property (what ``regex``'s and Hugging Face's ``\s`` match). The
# stdlib's ``\s`` would also match U+001C..U+001F, which GPT-2's pattern treats as symbols.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

_PRETOKEN_RE = regex.compile(GPT2_PATTERN)
_CHUNK_RE = re.compile(f" ?[^{WHITESPACE}]+|[{WHITESPACE}]+(?![^{WHITESPACE}])|[{WHITESPACE}]+")
chunks = _CHUNK_RE.findall
"""Cut text into chunks whose pre-tokenisation does not depend on their neighbours."""

pretokenize = _PRETOKEN_RE.findall
"""Split text (or a chunk) into GPT-2 pre-tokens."""


def _bytes_to_unicode() -> dict[int, str]:
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


BYTE_TO_CHAR: dict[int, str] = _bytes_to_unicode()
CHAR_TO_BYTE: dict[str, int] = {c: b for b, c in BYTE_TO_CHAR.items()}
ALPHABET: list[str] = sorted(BYTE_TO_CHAR.values())
"""The 256 byte characters in code-point order (the initial alphabet of a trainer)."""

_LATIN1_TO_CHAR = {b: c for b, c in BYTE_TO_CHAR.items()}


def to_byte_chars(text: str) -> str:
    """Spell ``text`` in the byte alphabet (lone surrogates pass through as 3 bytes)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1").translate(_LATIN1_TO_CHAR)


def _lenient(err: UnicodeError) -> tuple[str, int]:
    """Decode error handler: encoded lone surrogates come back, other bad bytes give U+FFFD."""
    assert isinstance(err, UnicodeDecodeError)
    data, start = err.object, err.start
    if start + 3 <= len(data) and data[start] == 0xED and 0xA0 <= data[start + 1] <= 0xBF:
        if 0x80 <= data[start + 2] <= 0xBF:
            code = ((data[start + 1] & 0x3F) << 6) | (data[start + 2] & 0x3F) | 0xD000
            return chr(code), start + 3
    return "\ufffd", start + 1


codecs.register_error("embertext.lenient", _lenient)


def decode_bytes(data: bytes) -> str:
    """UTF-8 to text; lone surrogates round-trip, invalid bytes become U+FFFD."""
    return data.decode("utf-8", "embertext.lenient")


@lru_cache(maxsize=1)
def char_to_latin1() -> dict[int, int]:
    """``str.translate`` table from byte characters back to Latin-1 characters."""
    return {ord(c): b for c, b in CHAR_TO_BYTE.items()}
