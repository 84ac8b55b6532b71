"""Record PyTorch's exception class for each row of the argument-check table.

    /work/ref/torch/bin/python tests/ember/argcheck/make_expected.py

Writes ``expected.json``: ``{expression: class name or "ok"}`` from PyTorch 2.13 (CPU), plus the
first line of PyTorch's message for reference.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import ROWS  # noqa: E402


def outcome(expr: str) -> dict[str, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(expr, {"torch": torch, "nn": nn, "F": F})  # noqa: S307 - our own table
    except Exception as exc:  # noqa: BLE001 - the class is what we record
        return {"cls": type(exc).__name__, "msg": (str(exc).splitlines() or [""])[0][:160]}
    return {"cls": "ok", "msg": ""}


def main() -> None:
    torch.manual_seed(0)
    out = {expr: outcome(expr) for expr in ROWS}
    (HERE / "expected.json").write_text(json.dumps(out, indent=1) + "\n")
    counts: dict[str, int] = {}
    for v in out.values():
        counts[v["cls"]] = counts.get(v["cls"], 0) + 1
    print(len(out), "rows", counts)


if __name__ == "__main__":
    main()
