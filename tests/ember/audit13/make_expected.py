"""Regenerate ``expected.json`` for the issue-13 audit snippets (``cases.py``) with PyTorch.

Run from the repository root with the reference interpreter (never part of the test suite):

    /work/ref/torch/bin/python tests/ember/audit13/make_expected.py

It is the conformance generator (``tests/ember/conformance/make_expected.py``) pointed at this
folder's cases and fixture.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "conformance" / "make_expected.py"


def main() -> None:
    """Load the conformance generator, swap in this folder's cases and output path, run it."""
    spec = importlib.util.spec_from_file_location("_conformance_make_expected", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    sys.path.insert(0, str(HERE))
    sys.modules.pop("cases", None)
    from cases import all_cases

    gen.all_cases, gen.HERE = all_cases, HERE
    gen.main()


if __name__ == "__main__":
    main()
