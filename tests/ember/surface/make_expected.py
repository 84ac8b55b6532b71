"""Regenerate ``expected.json`` for the operator-surface snippets (``cases.py``) with PyTorch.

Run from the repository root with the reference interpreter (never part of the test suite):

    /work/ref/torch/bin/python tests/ember/surface/make_expected.py
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "diff"))
sys.path.insert(0, str(HERE))

import torch  # noqa: E402
from _harness import run_snippet  # noqa: E402
from cases import all_cases  # noqa: E402


def main() -> None:
    """Run each snippet under torch and write the results keyed by snippet source."""
    warnings.simplefilter("ignore")
    results = {}
    for case in all_cases():
        results.setdefault(case.src, run_snippet(case.src, torch))
        got = results[case.src]
        if case.msg and got.get("kind") == "error" and case.msg.lower() not in got["msg"].lower():
            raise SystemExit(f"{case.id}: torch's message lacks {case.msg!r}")
    out = {"torch_version": torch.__version__, "results": results}
    (HERE / "expected.json").write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(results)} results with torch {torch.__version__}")


if __name__ == "__main__":
    main()
