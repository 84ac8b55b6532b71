"""Regenerate ``expected.json`` for the issue-13 conformance snippets (``cases.py``) with PyTorch.

Run from the repository root with the reference interpreter (never part of the test suite):

    /work/ref/torch/bin/python tests/ember/conformance/make_expected.py
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
    # importing torch.compile's machinery turns distribution validation off globally
    write_expected(HERE, all_cases(), torch, before_each=_validate_args)


def _validate_args() -> None:
    torch.distributions.Distribution.set_default_validate_args(True)


if __name__ == "__main__":
    main()
