"""Vocabularies: torchtext's ``Vocab`` and ``build_vocab_from_iterator``, saved as JSON."""

from __future__ import annotations

import json
import os
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ember import nn

__all__ = ["Vocab", "vocab", "build_vocab_from_iterator"]

_FORMAT = "embertext.vocab"


class Vocab(nn.Module):
    """A token <-> index table with an optional default index for unknown tokens (torchtext's).

    Args:
        tokens: the tokens in index order (no duplicates).

    Example:
        >>> v = Vocab(["<unk>", "a", "b"])
        >>> v.set_default_index(v["<unk>"])
        >>> v(["a", "zzz"]), v.lookup_tokens([2, 1]), "b" in v, len(v)
        ([1, 0], ['b', 'a'], True, 3)
    """

    def __init__(self, tokens: Iterable[str] = ()) -> None:
        super().__init__()
        self._itos: list[str] = []
        self._stoi: dict[str, int] = {}
        self._default: int | None = None
        for token in tokens:
            self.append_token(token)

    # torchtext's API -------------------------------------------------------------
    def forward(self, tokens: list[str]) -> list[int]:
        """The indices of ``tokens`` (same as :meth:`lookup_indices`)."""
        return self.lookup_indices(tokens)

    def __len__(self) -> int:
        return len(self._itos)

    def __contains__(self, token: object) -> bool:
        return token in self._stoi

    def __getitem__(self, token: str) -> int:
        index = self._stoi.get(token)
        if index is not None:
            return index
        if self._default is None:
            raise RuntimeError(f"token {token!r} not found and the default index is not set")
        return self._default

    def set_default_index(self, index: int | None) -> None:
        """Index returned for unknown tokens (None: unknown tokens raise RuntimeError)."""
        if index is not None and not 0 <= index < max(len(self), 1):
            raise ValueError(f"default index {index} is outside the vocabulary (size {len(self)})")
        self._default = index

    def get_default_index(self) -> int | None:
        """The default index, or None."""
        return self._default

    def insert_token(self, token: str, index: int) -> None:
        """Insert ``token`` at ``index``, shifting the tokens after it."""
        if token in self._stoi:
            raise RuntimeError(
                f"token {token!r} already exists in the vocab at index {self._stoi[token]}"
            )
        if not 0 <= index <= len(self):
            raise RuntimeError(f"index {index} is outside [0, {len(self)}]")
        self._itos.insert(index, token)
        self._stoi = {t: i for i, t in enumerate(self._itos)}

    def append_token(self, token: str) -> None:
        """Add ``token`` at the end."""
        if not isinstance(token, str):
            raise TypeError(f"tokens must be str, got {type(token).__name__}")
        if token in self._stoi:
            raise RuntimeError(
                f"token {token!r} already exists in the vocab at index {self._stoi[token]}"
            )
        self._stoi[token] = len(self._itos)
        self._itos.append(token)

    def lookup_token(self, index: int) -> str:
        """The token at ``index``."""
        if not 0 <= index < len(self._itos):
            raise RuntimeError(f"index {index} is out of range [0, {len(self._itos)})")
        return self._itos[index]

    def lookup_tokens(self, indices: Iterable[int]) -> list[str]:
        """The tokens at ``indices``."""
        return [self.lookup_token(int(i)) for i in indices]

    def lookup_indices(self, tokens: Iterable[str]) -> list[int]:
        """The indices of ``tokens`` (unknown ones: the default index)."""
        stoi, default = self._stoi, self._default
        if default is None:
            return [self[t] for t in tokens]
        get = stoi.get
        return [get(t, default) for t in tokens]

    def get_stoi(self) -> dict[str, int]:
        """Token to index."""
        return dict(self._stoi)

    def get_itos(self) -> list[str]:
        """Tokens in index order."""
        return list(self._itos)

    def extra_repr(self) -> str:
        return f"size={len(self)}, default_index={self._default}"

    # files -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the vocabulary as JSON (tokens in order and the default index)."""
        data = {"format": _FORMAT, "version": 1, "default_index": self._default, "itos": self._itos}
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Vocab:
        """Read a vocabulary written by :meth:`save`; a corrupt file raises ValueError naming it."""
        try:
            data = json.loads(Path(path).read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"vocab file {path} does not exist") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"vocab file {path} is corrupt (not UTF-8 JSON): {exc}") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"vocab file {path} is not an embertext vocabulary (no 'format' tag)")
        itos, default = data.get("itos"), data.get("default_index")
        if not isinstance(itos, list) or not all(isinstance(t, str) for t in itos):
            raise ValueError(f"vocab file {path}: 'itos' must be a list of strings")
        if len(set(itos)) != len(itos):
            raise ValueError(f"vocab file {path}: 'itos' holds duplicate tokens")
        if default is not None and (not isinstance(default, int) or not 0 <= default < len(itos)):
            raise ValueError(f"vocab file {path}: bad default_index {default!r}")
        out = cls(itos)
        out._default = default
        return out


def vocab(
    ordered_dict: Mapping[str, int],
    min_freq: int = 1,
    specials: list[str] | None = None,
    special_first: bool = True,
) -> Vocab:
    """A :class:`Vocab` from an ordered token -> frequency mapping (torchtext's ``vocab``).

    Args:
        ordered_dict: tokens in the order they get indices, with their frequencies.
        min_freq: tokens rarer than this are left out.
        specials: tokens added at the start (``special_first``) or the end.
        special_first: where the specials go.

    Returns:
        The vocabulary.

    Example:
        >>> vocab(OrderedDict([("b", 3), ("a", 1)]), specials=["<unk>"]).get_itos()
        ['<unk>', 'b', 'a']
    """
    specials = list(specials or [])
    ordered = OrderedDict(ordered_dict)
    for token in specials:
        ordered.pop(token, None)
    tokens = [t for t, freq in ordered.items() if freq >= min_freq]
    tokens = specials + tokens if special_first else tokens + specials
    return Vocab(tokens)


def build_vocab_from_iterator(
    iterator: Iterable[Iterable[str]],
    min_freq: int = 1,
    specials: list[str] | None = None,
    special_first: bool = True,
    max_tokens: int | None = None,
) -> Vocab:
    """Count tokens and build a :class:`Vocab` (torchtext's function, same order).

    Tokens are ordered by descending frequency, ties by the token's lexicographic order;
    ``max_tokens`` keeps that many entries including the specials.

    Args:
        iterator: yields lists of tokens.
        min_freq: tokens rarer than this are left out.
        specials: special tokens (``["<unk>"]``...).
        special_first: put the specials first.
        max_tokens: the largest vocabulary size.

    Returns:
        The vocabulary (no default index: call ``set_default_index``).

    Example:
        >>> v = build_vocab_from_iterator([["b", "a", "b"], ["c", "a"]], specials=["<unk>"])
        >>> v.get_itos()
        ['<unk>', 'a', 'b', 'c']
    """
    counter: Counter[str] = Counter()
    for tokens in iterator:
        counter.update(tokens)
    specials = list(specials or [])
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if max_tokens is not None:
        if len(specials) >= max_tokens:
            raise ValueError(
                f"max_tokens ({max_tokens}) must exceed the number of specials ({len(specials)})"
            )
        ordered = ordered[: max_tokens - len(specials)]
    return vocab(
        OrderedDict(ordered), min_freq=min_freq, specials=specials, special_first=special_first
    )


def _as_vocab(obj: Any) -> Vocab:
    if not isinstance(obj, Vocab):
        raise TypeError(f"expected a Vocab, got {type(obj).__name__}")
    return obj
