"""torchtext's ``get_tokenizer``, the regex-rule tokenizer and a character tokenizer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import regex

from embertext.tokenizers._base import check_text

__all__ = ["get_tokenizer", "basic_english", "RegexTokenizer", "CharTokenizer"]

# torchtext's _basic_english_normalize, as a single translation: its rules run in this order
# (quote removal first, then the apostrophe and dot, then "<br />", then the rest), and none of
# the later ones can build a match for an earlier one, so replacing per character is the same.
_BASIC_TABLE = str.maketrans(
    {
        ",": " , ",
        "(": " ( ",
        ")": " ) ",
        "!": " ! ",
        "?": " ? ",
        ";": " ",
        ":": " ",
    }
)


def basic_english(line: str) -> list[str]:
    """torchtext's ``basic_english``: lower-case, split off punctuation, split on whitespace.

    Args:
        line: the text.

    Returns:
        The tokens.

    Example:
        >>> basic_english("Don't panic, it's <br />OK!")
        ['don', "'", 't', 'panic', ',', 'it', "'", 's', 'ok', '!']
    """
    line = check_text(line).lower().replace('"', "").replace("'", " '  ").replace(".", " . ")
    return line.replace("<br />", " ").translate(_BASIC_TABLE).split()


def _split(line: str) -> list[str]:
    return check_text(line).split()


def get_tokenizer(tokenizer: str | Callable[[str], list[str]] | None, language: str = "en"):
    """A tokenizer function by name, as torchtext's ``get_tokenizer``.

    Args:
        tokenizer: ``"basic_english"``; ``"whitespace"`` or None (``str.split``); or a callable,
            returned as is.
        language: only ``"en"`` is supported by ``basic_english``.

    Returns:
        A function from a string to a list of tokens.

    Example:
        >>> get_tokenizer("basic_english")("Hello, World.")
        ['hello', ',', 'world', '.']
    """
    if callable(tokenizer):
        return tokenizer
    if tokenizer is None or tokenizer == "whitespace":
        return _split
    if tokenizer == "basic_english":
        if language != "en":
            raise ValueError(f"basic_english supports only language='en', got {language!r}")
        return basic_english
    raise ValueError(
        f"unknown tokenizer {tokenizer!r}; expected 'basic_english', 'whitespace', None or a "
        "callable (spaCy, Moses and other third-party tokenizers are not bundled)"
    )


class RegexTokenizer:
    """Apply regex substitutions in order, then split on whitespace (torchtext's RegexTokenizer).

    Args:
        patterns_list: ``(pattern, replacement)`` pairs, applied in order.

    Example:
        >>> tok = RegexTokenizer([(r"\\'", " \\'  "), (r"\\"", "")])
        >>> tok("Basic Regex Tokenization for a Line of Text")
        ['Basic', 'Regex', 'Tokenization', 'for', 'a', 'Line', 'of', 'Text']
    """

    def __init__(self, patterns_list: Sequence[tuple[str, str]]) -> None:
        self.patterns_list = [(p, r) for p, r in patterns_list]
        self._compiled = [(regex.compile(p), r) for p, r in self.patterns_list]

    def __call__(self, line: str) -> list[str]:
        line = check_text(line)
        for pattern, replacement in self._compiled:
            line = pattern.sub(replacement, line)
        return line.split()

    def __repr__(self) -> str:
        return f"RegexTokenizer({self.patterns_list!r})"


class CharTokenizer:
    """Characters as tokens, with the id table of a fitted alphabet (char-rnn, nanoGPT).

    Args:
        chars: the alphabet; ids follow its order. Use :meth:`fit` to take it from texts.

    Example:
        >>> tok = CharTokenizer.fit(["hello"])
        >>> tok("hel"), tok.encode("hel"), tok.decode([1, 0])
        (['h', 'e', 'l'], [1, 0, 2], 'he')
    """

    def __init__(self, chars: Iterable[str]) -> None:
        self.chars = list(dict.fromkeys(chars))
        for c in self.chars:
            if not isinstance(c, str) or len(c) != 1:
                raise ValueError(
                    f"CharTokenizer alphabet entries must be single characters, got {c!r}"
                )
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def fit(cls, texts: Iterable[str]) -> CharTokenizer:
        """The tokenizer over the sorted set of characters in ``texts``."""
        seen: set[str] = set()
        for text in texts:
            seen.update(check_text(text))
        return cls(sorted(seen))

    def __call__(self, text: str) -> list[str]:
        return list(check_text(text))

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def vocab_size(self) -> int:
        """The alphabet's size."""
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        """Ids of the characters of ``text``; an unknown character raises ValueError."""
        stoi = self.stoi
        try:
            return [stoi[c] for c in check_text(text)]
        except KeyError as exc:
            raise ValueError(f"character {exc.args[0]!r} is not in the alphabet") from None

    def decode(self, ids: Iterable[int]) -> str:
        """The characters of ``ids``."""
        chars = self.chars
        return "".join(chars[int(i)] for i in ids)

    def __repr__(self) -> str:
        return f"CharTokenizer(vocab_size={len(self.chars)})"
