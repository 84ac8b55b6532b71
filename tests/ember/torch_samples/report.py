"""Measure ember against PyTorch's OpInfo samples and write the conformance report.

Run from the repository root with the project's interpreter:

    .venv/bin/python -m tests.ember.torch_samples.report [--update-known] [--failures PATH]

Writes ``docs/torch-samples.md`` (pass rate overall, per namespace, per op, the missing
functions ranked by failing samples), the failure list (``--failures``; ops ranked by failing
samples with each one's classes and first error message) and, with ``--update-known``, the
known-failures file and recorded pass figure that ``test_torch_samples.py`` checks against.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from tests.ember.torch_samples.replay import (
    DATA,
    KNOWN,
    Missing,
    Outcome,
    replay_all,
    resolve,
)

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "torch-samples.md"


def rate(n: int, total: int) -> str:
    return f"{100.0 * n / total:.1f}%" if total else "-"


def by_op(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.path].append(o)
    return groups


def failure_rows(outcomes: list[Outcome]) -> list[tuple[str, int, int, Counter, str]]:
    """``(path, failing, total, classes, first message)`` per op, most failing first."""
    rows = []
    for path, group in by_op(outcomes).items():
        bad = [o for o in group if o.status != "pass"]
        if bad:
            rows.append(
                (path, len(bad), len(group), Counter(o.status for o in bad), bad[0].message)
            )
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def summary_lines(outcomes: list[Outcome], manifest: dict) -> list[str]:
    total = len(outcomes)
    passed = sum(o.status == "pass" for o in outcomes)
    classes = Counter(o.status for o in outcomes if o.status != "pass")
    grads = [o for o in outcomes if o.grad_status is not None]
    gpass = sum(o.grad_status == "pass" for o in grads)
    skipped = Counter()
    for tally in manifest["ops"].values():
        for why, n in tally.items():
            if why not in ("ok", "unrepresentable"):  # the bare key repeats the detailed ones
                skipped[why.split(":")[0]] += n
    lines = [
        f"- Samples replayed: **{total}**, passing **{passed}** (**{rate(passed, total)}**).",
        f"- Gradients (vector-Jacobian products of the passing differentiable samples): "
        f"{gpass} of {len(grads)} pass ({rate(gpass, len(grads))}).",
        f"- Reference: torch {manifest['torch']}, up to {manifest['per_op']} samples per op "
        f"and call form; samples not stored (counted, not passing): "
        + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items()))
        + ".",
        "",
        "| failure class | samples |",
        "|---|---|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in classes.most_common()]
    return lines


def namespace_table(outcomes: list[Outcome]) -> list[str]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.namespace].append(o)
    lines = ["| namespace | ops | samples | passing | rate |", "|---|---|---|---|---|"]
    for ns, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        passed = sum(o.status == "pass" for o in group)
        ops = len({o.path for o in group})
        lines.append(f"| `{ns}` | {ops} | {len(group)} | {passed} | {rate(passed, len(group))} |")
    return lines


def missing_table(outcomes: list[Outcome], limit: int = 60) -> list[str]:
    counts = Counter(o.path for o in outcomes if o.status == "missing")
    lines = ["| missing in ember | failing samples |", "|---|---|"]
    lines += [f"| `{p.replace('torch', 'ember', 1)}` | {n} |" for p, n in counts.most_common(limit)]
    return lines


def missing_aliases(outcomes: list[Outcome]) -> list[str]:
    """The public aliases torch's OpInfo lists (``torch.absolute`` for ``torch.abs``, ...)
    that ember lacks, as ``ember.X`` names."""
    names = sorted(
        {a.removeprefix("torch.") for o in outcomes if o.namespace != "Tensor" for a in o.aliases}
    )
    missing = []
    for name in names:
        try:
            resolve("torch." + name)
        except Missing:
            missing.append("ember." + name)
    return missing


def op_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| op | samples | passing | failure classes |", "|---|---|---|---|"]
    for path, group in sorted(by_op(outcomes).items()):
        passed = sum(o.status == "pass" for o in group)
        classes = Counter(o.status for o in group if o.status != "pass")
        text = ", ".join(f"{k} {v}" for k, v in classes.most_common())
        lines.append(f"| `{path}` | {len(group)} | {passed} | {text} |")
    return lines


def write_doc(outcomes: list[Outcome], manifest: dict) -> None:
    parts = [
        "# PyTorch's own sample inputs",
        "",
        "ember replays the sample inputs of PyTorch's operator database (`OpInfo`: every public "
        "torch, Tensor, `nn.functional`, `linalg`, `fft`, `special`, `masked` and "
        "`signal.windows` op) and compares with torch's results. The samples and torch's "
        "outputs are recorded once by `tests/ember/torch_samples/make_samples.py` (pinned in "
        "`requirements-ref.txt`); `tests/ember/torch_samples/test_torch_samples.py` replays "
        "them in the suite and fails when a sample that passed stops passing. This page is "
        "generated by `python -m tests.ember.torch_samples.report`.",
        "",
        "Each sample runs through the public name torch ran it through (`torch.X` becomes "
        "`ember.X`, `Tensor.X` the ember method) and is classed as passing, missing (no such "
        "function, method or dtype), raised (with the exception class), or a wrong value, "
        "dtype, shape or result type. Values are compared NaN-aware with torch.testing-like "
        "tolerances per dtype (float32: rtol 1e-5, atol 1e-5; float64: 1e-7). Samples of "
        "random ops compare shapes and dtypes only; where torch's own float32 result is off "
        "from its float64 result on the same inputs, a match with the latter also passes; the "
        "singular and eigen-vectors of `svd`/`eig`/`eigh` are compared up to their sign or "
        "phase (and their gradients are not replayed); the indices returned by `sort`, `topk`, "
        "`max(dim)`, `mode`, ... are compared for shape and dtype only where the input has "
        "tied values.",
        "",
        "The stored set takes one dtype per op (float32, else float64, else an integer, bool "
        "or complex one) and up to six samples per op and call form, spread over OpInfo's "
        "list. A wider measurement (integer and boolean samples too, more per op) is one "
        "command: `make_samples.py --dtypes float,int,bool --per-op 12 --out DIR`, then "
        "`report --data DIR --failures FILE`.",
        "",
        "## Summary",
        "",
        *summary_lines(outcomes, manifest),
        "",
        "## By namespace",
        "",
        *namespace_table(outcomes),
        "",
        "## Missing functions, by failing samples",
        "",
        *missing_table(outcomes),
        "",
        "## Missing aliases",
        "",
        "Public aliases OpInfo lists for the ops above (not replayed; counted here only): "
        + (", ".join(f"`{a}`" for a in missing_aliases(outcomes)) or "none")
        + ".",
        "",
        "## By op",
        "",
        *op_table(outcomes),
        "",
    ]
    DOC.write_text("\n".join(parts))


def write_failures(outcomes: list[Outcome], path: Path) -> None:
    total = len(outcomes)
    passed = sum(o.status == "pass" for o in outcomes)
    lines = [
        f"# ember vs PyTorch OpInfo samples: {passed}/{total} pass ({rate(passed, total)})",
        "# generated by tests/ember/torch_samples/report.py (branch r13s); ops ranked by",
        "# failing samples. Columns: failing/total, op, classes, first error message.",
    ]
    for p, bad, tot, classes, message in failure_rows(outcomes):
        text = ",".join(f"{k}x{v}" for k, v in classes.most_common())
        lines.append(f"{bad}/{tot}\t{p}\t{text}\t{message}")
    lines.append("# missing public aliases: " + (" ".join(missing_aliases(outcomes)) or "none"))
    grads = [o for o in outcomes if o.grad_status not in (None, "pass")]
    lines.append(f"# gradient failures ({len(grads)} samples): op, class, message")
    for o in sorted(grads, key=lambda o: o.path):
        lines.append(f"grad\t{o.sample_id}\t{o.grad_status}\t{o.grad_message}")
    path.write_text("\n".join(lines) + "\n")


def write_known(outcomes: list[Outcome]) -> None:
    passed = sum(o.status == "pass" for o in outcomes)
    lines = [
        "# Known-failing torch OpInfo samples (id<TAB>class), read by test_torch_samples.py.",
        "# Regenerate: .venv/bin/python -m tests.ember.torch_samples.report --update-known",
        f"# passing {passed} of {len(outcomes)}",
    ]
    for o in outcomes:
        if o.status != "pass":
            lines.append(f"{o.sample_id}\t{o.status}")
        elif o.grad_status not in (None, "pass"):
            lines.append(f"{o.sample_id}\t{o.grad_status}")
    KNOWN.write_text("\n".join(lines) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-known", action="store_true")
    parser.add_argument("--failures", type=Path, default=None)
    parser.add_argument(
        "--data", type=Path, default=DATA, help="another sample set (no doc or known list then)"
    )
    args = parser.parse_args(argv)
    outcomes = replay_all(args.data)
    manifest = json.loads((args.data / "manifest.json").read_text())
    if args.data != DATA:
        args.update_known = False
    else:
        write_doc(outcomes, manifest)
    if args.failures:
        write_failures(outcomes, args.failures)
    if args.update_known:
        write_known(outcomes)
    passed = sum(o.status == "pass" for o in outcomes)
    slow = sorted(outcomes, key=lambda o: -o.seconds)[:5]
    print(
        f"{passed}/{len(outcomes)} pass ({rate(passed, len(outcomes))}); total "
        f"{sum(o.seconds for o in outcomes):.1f} s; slowest "
        + ", ".join(f"{o.sample_id} {o.seconds:.2f}s" for o in slow)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
