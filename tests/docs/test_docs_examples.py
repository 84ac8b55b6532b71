"""Every ```python block on a docs page runs (blocks of one page share a namespace, in order).

A block can opt out with an HTML comment on the line before it: ``<!-- no-run: reason -->``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"(?:<!--\s*no-run:[^>]*-->\s*\n)?```python\n(.*?)```", re.S)


def _blocks(page: Path) -> list[str]:
    text = page.read_text()
    return [m.group(1) for m in BLOCK.finditer(text) if not m.group(0).startswith("<!--")]


PAGES = sorted(p for p in DOCS.glob("*.md") if _blocks(p))


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_examples_run(page, tmp_path, monkeypatch, shared_data):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EMBER_DATA", os.environ.get("EMBER_DATA", str(shared_data)))
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    for i, code in enumerate(_blocks(page)):
        try:
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
        except Exception as err:
            raise AssertionError(f"{page.name} block {i} failed: {err!r}\n{code}") from err
