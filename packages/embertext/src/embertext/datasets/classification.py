"""Text classification corpora: AG_NEWS (CSV), IMDB (aclImdb folders) and any CSV file."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ember.utils.download import Resource
from embertext.datasets._base import TextDataset, fetch, find_file, read_lines, verify_str_arg

__all__ = ["AG_NEWS", "IMDB", "CSVTextDataset", "read_csv_rows"]


def read_csv_rows(
    path: Path, *, delimiter: str = ",", skip_header: bool = False
) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file with their 1-based line numbers (quoted fields may span lines)."""
    lines = read_lines(path)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise ValueError(f"{path}: malformed CSV at line {reader.line_num}: {exc}") from None
    return rows[1:] if skip_header else rows


class CSVTextDataset(TextDataset):
    """``(label, text)`` items from a CSV file: one label column, text columns joined by a space.

    Args:
        path: the CSV file.
        text_columns: indices of the text fields, joined with a space.
        label_column: index of the label field (None: items are the text alone).
        label_type: converts the label field (``int`` by default).
        header: the first row is a header (skipped).
        delimiter: the field separator.
        transform: applied to the text.
        target_transform: applied to the label.
        transforms: applied to ``(text, label)`` instead of the two above.

    Example:
        >>> ds = CSVTextDataset("reviews.csv", text_columns=[1], label_column=0)  # doctest: +SKIP
        >>> ds[0]  # doctest: +SKIP
        (1, 'great film')
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        text_columns: Sequence[int] = (1,),
        label_column: int | None = 0,
        label_type: Callable = int,
        header: bool = False,
        delimiter: str = ",",
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        transforms: Callable | None = None,
    ) -> None:
        path = Path(path)
        super().__init__(path.parent, transforms, transform, target_transform)
        if not path.is_file():
            raise FileNotFoundError(f"CSV file {path} does not exist")
        self.path = path
        width = max([*text_columns, -1 if label_column is None else label_column]) + 1
        for line, row in read_csv_rows(path, delimiter=delimiter, skip_header=header):
            if len(row) < width:
                raise ValueError(
                    f"{path} line {line}: expected at least {width} fields, got {len(row)}"
                )
            text = " ".join(row[c] for c in text_columns)
            if label_column is None:
                self._items.append(text)
                continue
            try:
                label = label_type(row[label_column])
            except (TypeError, ValueError):
                raise ValueError(f"{path} line {line}: bad label {row[label_column]!r}") from None
            self._items.append((label, text))


class _SplitCorpus(TextDataset):
    """A labelled corpus with ``train`` and ``test`` splits; subclasses implement ``_load``."""

    download_folder = ""

    def __init__(
        self,
        root: str | os.PathLike[str],
        split: str = "train",
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        download: bool = False,
        transforms: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        self.split = verify_str_arg(split, "split", ("train", "test"))
        if download:
            where = self.root_path / self.download_folder
            fetch(self._resources(split), where, type(self).__name__)
        self._items = self._load(split)

    def _resources(self, split: str) -> list[Resource]:
        raise NotImplementedError

    def _load(self, split: str) -> list[tuple[int, str]]:
        raise NotImplementedError


class AG_NEWS(_SplitCorpus):
    """AG's News topic classification (Zhang et al., 2015), in the original ``ag_news_csv`` files.

    Items are ``(label, title + " " + description)`` with labels 1-4 (World, Sports, Business,
    Sci/Tech), as torchtext gives them; the text is left as in the file (its ``\\n`` escapes
    and HTML remnants included).

    Args:
        root: folder holding ``ag_news_csv/{train,test}.csv`` (or the CSV files themselves).
        split: ``"train"`` or ``"test"``.
        transform: applied to the text.
        target_transform: applied to the label.
        download: fetch the CSV files into ``root/ag_news_csv`` first (checksums verified).

    Example:
        >>> ds = AG_NEWS("../shared/data/text", split="test")  # doctest: +SKIP
        >>> ds[0][0], len(ds)  # doctest: +SKIP
        (3, 7600)
    """

    classes = ["World", "Sports", "Business", "Sci/Tech"]
    # The CSV files of Zhang et al.'s release as torchtext fetches them; the md5s are the ones
    # torchtext lists, the test file's sha256 is that of the complete original test.csv.
    _BASE = "https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/"
    resources = {
        "train": [
            Resource("train.csv", _BASE + "train.csv", md5="b1a00f826fdfbd249f79597b59e1dc12")
        ],
        "test": [
            Resource(
                "test.csv",
                _BASE + "test.csv",
                md5="d52ea96a97a2d943681189a97654912d",
                sha256="d2a2cef4dfeb21ca17b463fd15e9e5a639c05823d03efabb3d28a75bbfe8d915",
            )
        ],
    }

    download_folder = "ag_news_csv"

    def _resources(self, split: str) -> list[Resource]:
        return self.resources[split]

    def _load(self, split: str) -> list[tuple[int, str]]:
        path = find_file(self.root_path, "ag_news_csv", [f"{split}.csv"], "AG_NEWS")
        items = []
        for line, row in read_csv_rows(path):
            if len(row) != 3 or row[0] not in ("1", "2", "3", "4"):
                raise ValueError(
                    f'{path} line {line}: expected 3 fields "class","title","description" '
                    f"with class 1-4, got {row[:3]!r}"
                )
            items.append((int(row[0]), row[1] + " " + row[2]))
        return items


class IMDB(_SplitCorpus):
    """IMDB movie reviews (Maas et al., 2011) from the ``aclImdb`` folder tree.

    Items are ``(label, text)``: label 1 for ``neg`` and 2 for ``pos`` (torchtext's), files
    read in sorted order, negatives first.

    Args:
        root: folder holding ``aclImdb/`` (or ``aclImdb`` itself).
        split: ``"train"`` or ``"test"``.
        transform: applied to the text.
        target_transform: applied to the label.
        download: fetch and extract ``aclImdb_v1.tar.gz`` into ``root`` first (md5 verified).

    Example:
        >>> ds = IMDB("data", split="test")  # doctest: +SKIP
    """

    classes = ["neg", "pos"]
    resources = [
        Resource(
            "aclImdb_v1.tar.gz",
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            md5="7c2ac02c03563afcf9b574c7e56c153a",
        )
    ]

    def _resources(self, split: str) -> list[Resource]:
        return self.resources

    def _load(self, split: str) -> list[tuple[int, str]]:
        root_dir = self.root_path
        base = root_dir / "aclImdb" if (root_dir / "aclImdb").is_dir() else root_dir
        items = []
        for label, name in ((1, "neg"), (2, "pos")):
            folder = base / split / name
            if not folder.is_dir():
                raise FileNotFoundError(
                    f"IMDB: folder {folder} is missing (expected aclImdb/{split}/{name})"
                )
            for path in sorted(folder.glob("*.txt")):
                try:
                    items.append((label, path.read_bytes().decode("utf-8")))
                except UnicodeDecodeError as exc:
                    raise ValueError(f"{path}: not valid UTF-8 ({exc.reason})") from None
        return items
