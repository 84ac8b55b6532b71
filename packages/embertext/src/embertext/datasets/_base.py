"""The base of the text datasets: ``root``, ``split``, transforms, file checks and errors.

Built on ``ember.utils.data.Dataset`` with the constructor of the platform's ``RootDataset``
(``root``, ``transform``, ``target_transform``); the base class is named in one place below.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ember.utils.data import Dataset as _Base

__all__ = ["TextDataset", "verify_str_arg", "find_file", "read_lines"]


def verify_str_arg(value: Any, arg: str, valid_values: Iterable[str]) -> str:
    """Check that ``value`` is one of ``valid_values``; return it."""
    valid = tuple(valid_values)
    if not isinstance(value, str) or value not in valid:
        choices = ", ".join(repr(v) for v in valid)
        raise ValueError(
            f"Unknown value {value!r} for argument {arg}. Valid values are {{{choices}}}."
        )
    return value


class TextDataset(_Base):
    """Map-style text dataset: ``root``, ``split``, ``transform`` (on the text) and
    ``target_transform`` (on the label); items are what the subclass's ``_items`` holds.

    Args:
        root: the dataset folder.
        transform: applied to the text of each item.
        target_transform: applied to the label of each ``(label, text)`` item.

    Example:
        >>> class Lines(TextDataset):
        ...     def __init__(self): super().__init__(None); self._items = ["a", "b"]
        >>> Lines()[1], len(Lines())
        ('b', 2)
    """

    def __init__(
        self,
        root: str | os.PathLike[str] | None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        self.root = Path(os.path.expanduser(os.fspath(root))) if root is not None else None
        self.transform = transform
        self.target_transform = target_transform
        self._items: list[Any] = []

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> Any:
        item = self._items[index]
        if isinstance(item, tuple):
            label, text = item
            if self.target_transform is not None:
                label = self.target_transform(label)
            if self.transform is not None:
                text = self.transform(text)
            return label, text
        return self.transform(item) if self.transform is not None else item

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def extra_repr(self) -> str:
        split = getattr(self, "split", None)
        return f"Split: {split}" if split is not None else ""

    def __repr__(self) -> str:
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        return "\n".join([f"Dataset {type(self).__name__}"] + ["    " + b for b in body])


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
    # Split on "\n" only: str.splitlines would also cut at \x0b, \x1c, U+2028 ... inside a line.
    parts = text.split("\n")
    if keepends:
        lines = [p + "\n" for p in parts[:-1]]
    else:
        lines = [p.removesuffix("\r") for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines
