"""The base of the text datasets: ember's ``RootDataset`` with torchtext's item order.

torchtext's classification corpora yield ``(label, text)``; embertext keeps that order, and
applies ``transform`` to the text and ``target_transform`` to the label (``transforms`` gets
``(text, label)``, as ``RootDataset.apply_transforms`` takes ``(input, target)``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ember.utils.data import RootDataset, verify_str_arg
from ember.utils.download import Resource, download_resource

__all__ = ["TextDataset", "verify_str_arg", "find_file", "read_lines", "split_lines", "fetch"]


class TextDataset(RootDataset):
    """Map-style text dataset: items are ``(label, text)`` pairs or lines of text.

    Args:
        root: the dataset folder.
        transforms: applied to ``(text, label)`` (instead of the two below).
        transform: applied to the text of each item.
        target_transform: applied to the label of each ``(label, text)`` item.

    Example:
        >>> class Lines(TextDataset):
        ...     def __init__(self, **kw): super().__init__(None, **kw); self._items = ["a", "b"]
        >>> Lines(transform=str.upper)[1], len(Lines())
        ('B', 2)
    """

    def __init__(
        self,
        root: str | os.PathLike[str] | None,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        self._items: list[Any] = []

    @property
    def root_path(self) -> Path:
        """``root`` as a Path."""
        return Path(os.path.expanduser(os.fspath(self.root)))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> Any:
        item = self._items[index]
        if isinstance(item, tuple):
            text, label = self.apply_transforms(item[1], item[0])
            return label, text
        return self.transform(item) if self.transform is not None else item

    def extra_repr(self) -> str:
        split = getattr(self, "split", None)
        return f"Split: {split}" if split is not None else ""


def fetch(resources: Iterable[Resource], root: Path, name: str) -> None:
    """Download ``resources`` into ``root`` (checksums verified, mirrors tried in order)."""
    resources = list(resources)
    if not resources:
        raise RuntimeError(
            f"{name}: download=True is not available (no checksummed source is recorded); "
            "place the original files under root"
        )
    for res in resources:
        download_resource(res, root, extract=res.filename.endswith((".zip", ".tar.gz")))


def find_file(root: Path, folder: str, names: Iterable[str], dataset: str) -> Path:
    """The first of ``names`` found in ``root/folder`` or ``root``; a clear error otherwise."""
    names = list(names)
    for base in (root / folder, root):
        for name in names:
            if (base / name).is_file():
                return base / name
    raise FileNotFoundError(
        f"{dataset}: none of {names} found in {root / folder} or {root}; place the original "
        "files there (download=True fetches them where a checksummed mirror is known)"
    )


def read_lines(path: Path, *, keepends: bool = True) -> list[str]:
    """The lines of a UTF-8 file; a file that is not UTF-8 raises ValueError naming it."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path}: line {line} is not valid UTF-8 ({exc.reason})") from None
    return split_lines(text, keepends=keepends)


def split_lines(text: str, *, keepends: bool = True) -> list[str]:
    """``text`` cut after each ``"\n"`` only (``str.splitlines`` would also cut at ``\x0b``,
    ``\x1c``, U+2028 ... inside a line); without ``keepends`` a trailing ``"\r"`` goes too."""
    parts = text.split("\n")
    if keepends:
        lines = [p + "\n" for p in parts[:-1]]
    else:
        lines = [p.removesuffix("\r") for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
