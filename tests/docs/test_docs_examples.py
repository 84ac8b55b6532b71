"""Every ```python block on a docs page runs (blocks of one page share a namespace, in order).

A block can opt out with an HTML comment on the line before it: ``<!-- no-run: reason -->``.
Values stated in comments (``x.grad  # tensor([2., 4., 6.])``) are checked (see ``_outputs``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.docs._outputs import instrument, make_checker

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
        where = f"{page.name}[block {i}]"
        compiled, _, comments = instrument(code, where)
        namespace["__check_output__"] = make_checker(comments, where)
        try:
            exec(compiled, namespace)
        except Exception as err:
            raise AssertionError(f"{where} failed: {err!r}\n{code}") from err


def test_stated_outputs_are_found_and_checked():
    total = sum(instrument(code, p.name)[1] for p in PAGES for code in _blocks(p))
    assert total >= 40, f"only {total} stated outputs found; is the comment parser broken?"
    comments = {1: "tensor([2., 4.])"}
    code, n, _ = instrument("x  # tensor([2., 4.])\n", "t")
    assert n == 1
    with pytest.raises(AssertionError, match="states"):
        exec(code, {"x": [2.0, 5.0], "__check_output__": make_checker(comments, "t")})
