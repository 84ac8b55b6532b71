"""``python -m ember new-domain NAME``: write a working domain package from the templates.

The templates (``_scaffold/templates``) hold a small but complete domain: a ``RootDataset``
reading CSV files, a transform, a registered model, tests that run ``ember.testing.domain``'s
contract checks, a docs page and an example. ``{{name}}`` and ``{{Name}}`` in file names and
contents are replaced by the domain name.
"""

from __future__ import annotations

import os
import re
import shutil
from importlib import resources
from pathlib import Path

__all__ = ["new_domain"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def new_domain(
    name: str, where: str | os.PathLike[str] = "packages", *, force: bool = False
) -> Path:
    """Create ``where/ember<name>/`` from the templates and return its path.

    Args:
        name: the domain (``"speech"`` gives the package ``emberspeech``, domain ``speech``).
        where: the folder to create the package in.
        force: replace an existing folder.

    Raises:
        ValueError: for a name that is not a lower-case identifier.
        FileExistsError: when the folder exists and ``force`` is False.

    Example:
        >>> new_domain("speech", "/tmp/pkgs")  # doctest: +SKIP
        PosixPath('/tmp/pkgs/emberspeech')
    """
    if not _NAME.match(name):
        raise ValueError(
            f"domain name {name!r} must be lower-case letters, digits and underscores, "
            "starting with a letter (it becomes the package ember<name>)"
        )
    target = Path(where) / f"ember{name}"
    if target.exists():
        if not force:
            raise FileExistsError(f"{target} exists; pass --force to overwrite it")
        shutil.rmtree(target)
    templates = resources.files("ember._scaffold").joinpath("templates")
    _copy(templates, target, {"{{name}}": name, "{{Name}}": name.replace("_", " ").title()})
    return target


def _copy(src, dst: Path, subs: dict[str, str]) -> None:
    for entry in src.iterdir():
        out = dst / _fill(entry.name.removesuffix(".tmpl"), subs)
        if entry.is_dir():
            _copy(entry, out, subs)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(_fill(entry.read_text(encoding="utf-8"), subs), encoding="utf-8")


def _fill(text: str, subs: dict[str, str]) -> str:
    for key, value in subs.items():
        text = text.replace(key, value)
    return text
