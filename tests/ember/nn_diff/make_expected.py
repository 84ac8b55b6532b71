"""Regenerate ``expected.json``: run every snippet in ``cases.py`` with real PyTorch.

Run from the repository root with the reference interpreter (never part of the test suite):

    /work/torchref/bin/python tests/ember/nn_diff/make_expected.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent))  # after the stdlib: tests/ember/platform is a folder here

import torch  # noqa: E402
from _harness import run_nn_snippet  # noqa: E402
from cases import all_cases  # noqa: E402
from diff._harness import write_expected  # noqa: E402


def main() -> None:
    """Run each snippet under torch and write the results keyed by snippet source."""
    torch.set_printoptions(profile="default")
    torch.set_num_threads(1)
    write_expected(HERE, all_cases(), torch, run_nn_snippet)


if __name__ == "__main__":
    main()
