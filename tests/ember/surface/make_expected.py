"""Regenerate ``expected.json`` for the operator-surface snippets (``cases.py``) with PyTorch.

Run from the repository root with the reference interpreter (never part of the test suite):

    /work/ref/torch/bin/python tests/ember/surface/make_expected.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "diff"))
sys.path.insert(0, str(HERE))

import torch  # noqa: E402
from _harness import write_expected  # noqa: E402
from cases import all_cases  # noqa: E402


def main() -> None:
    """Run each snippet under torch and write the results keyed by snippet source."""
    write_expected(HERE, all_cases(), torch)


if __name__ == "__main__":
    main()
