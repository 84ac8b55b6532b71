"""``make bench``: every workload, ember and PyTorch each in its own process, rounds alternating.

Writes ``benchmarks/results/<UTC timestamp>.json`` and ``.md`` (commit, versions, BLAS, threads,
clock, load average) and prints the markdown table. Ratios are ember / reference (lower is
better), except the DataLoader row, which is the reference's time / ember's (higher is better).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/run_all.py
    ... run_all.py --rounds 5 mlp resnet        # chosen rows, more rounds
    BENCH_THREADS=1 BENCH_CLOCK=cpu ... run_all.py   # steadier ratios on a busy machine

See ``_harness.py`` for the method and the environment variables.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass

from _harness import BASELINE_SRC, BASELINE_SUFFIX, EMBER_SRC, HERE, compare, threads, torch_python


@dataclass(frozen=True)
class Row:
    """One line of the table: a workload, its reference, unit and target."""

    key: str
    label: str
    reference: str = "torch"  # "torch" or "numpy" (measured in the ember child)
    unit: str = "ms"  # "ms" per call, or "us" per inner op (workloads that loop 1000 times)
    target: float | None = None
    higher_is_better: bool = False

    def value(self, seconds: float) -> float:
        """Seconds per call in the row's unit (``us`` rows loop 1000 times per call)."""
        return seconds * 1e3

    def ratio(self, ember: float, ref: float) -> float:
        """ember/ref, or ref/ember for higher-is-better rows."""
        return ref / ember if self.higher_is_better else ember / ref


ROWS = [
    Row("mlp", "MLP 784-512-512-10, b128, SGD momentum", target=1.0),
    Row("transformer", "Transformer encoder layer d256, b16x128, AdamW", target=1.0),
    Row("lstm", "LSTM LM 2x200, seq 35, b20, vocab 10k, SGD", target=1.3),
    Row("mnist_net", "MNIST CNN (pytorch/examples), b64, Adam", target=1.5),
    Row("resnet", "CIFAR ResNet 3x2 blocks, b32, SGD momentum", target=2.5),
    Row("conv_fwd", "Conv2d 64->64 3x3 on 32x64x32x32, forward", target=2.0),
    Row("conv_fwd_bwd", "Conv2d 64->64 3x3 on 32x64x32x32, forward+backward", target=1.8),
    Row("maxpool_fwd_bwd", "max_pool2d 2x2 on 32x64x32x32, forward+backward"),
    Row("sgd_step", "SGD momentum step, 670k params (6 tensors)"),
    Row("adamw_step", "AdamW step, 670k params (6 tensors)"),
    Row("chain", "10-op autograd chain on 1x1 tensors, per op", unit="us", target=1.3),
    Row("add", "no-grad 1-element add", unit="us", target=1.0),
    Row(
        "matmul",
        "matmul 1024x1024 f32 vs NumPy in the same process",
        reference="numpy",
        target=1.02,
    ),
    Row(
        "dataloader",
        "DataLoader epoch, TensorDataset 60k x 784, b64 (higher is better)",
        target=2.0,
        higher_is_better=True,
    ),
    Row(
        "dataloader_batched",
        "DataLoader epoch as above, torch with a BatchSampler (higher is better)",
        higher_is_better=True,
    ),
]


def git_commit() -> str:
    """``<sha>`` plus ``-dirty`` when the working tree has changes."""

    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], capture_output=True, text=True, cwd=HERE, check=False)
        return out.stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return sha + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def measure(rows: list[Row], rounds: int, torch_py: str | None) -> list[dict]:
    """Run every row's children; one result dict per row."""
    results = []
    for row in rows:
        res = compare(f"workloads:{row.key}", rounds=rounds, torch_py=torch_py)
        med = res["median"]
        ember, ref = med.get("ember"), med.get(row.reference)
        before = med.get("ember" + BASELINE_SUFFIX)
        entry = {
            "key": row.key,
            "label": row.label,
            "unit": row.unit,
            "reference": row.reference,
            "ember": row.value(ember) if ember else None,
            "ref": row.value(ref) if ref else None,
            "ratio": row.ratio(ember, ref) if ember and ref else None,
            "ember_before": row.value(before) if before else None,
            "ratio_before": row.ratio(before, ref) if before and ref else None,
            "target": row.target,
            "higher_is_better": row.higher_is_better,
            "rounds": {k: [row.value(s) for s in v] for k, v in res["rounds"].items()},
            "load": res["load"],
            "versions": res["versions"],
            "errors": res["errors"],
        }
        results.append(entry)
        print(_md_line(entry), flush=True)
    return results


def _fmt(v: float | None, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _md_line(e: dict) -> str:
    ratio = _fmt(e["ratio"])
    if e["ratio"] is not None and e["target"] is not None:
        met = e["ratio"] >= e["target"] if e["higher_is_better"] else e["ratio"] <= e["target"]
        ratio += "" if met else " (miss)"
    sign = ">=" if e["higher_is_better"] else "<="
    target = f"{sign} {e['target']}" if e["target"] is not None else ""
    rounds = max((len(v) for v in e["rounds"].values()), default=0)
    load = f"{min(e['load']):.1f}-{max(e['load']):.1f}" if e["load"] else "-"
    note = "; ".join(e["errors"])
    return (
        f"| {e['label']} | {_fmt(e['ember'])} | {_fmt(e['ref'])} {e['reference']} | "
        f"{ratio} | {_fmt(e.get('ember_before'))} | {_fmt(e.get('ratio_before'))} | "
        f"{target} | {rounds} | {load} | {note} |"
    )


HEADER = (
    "| workload | ember | reference | ratio | ember before | ratio before | target | rounds "
    "| load avg | notes |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def meta(torch_py: str | None, rounds: int, results: list[dict]) -> dict:
    """Where and how the figures were taken."""
    versions: dict = {}
    for e in results:
        versions.update(e["versions"])
    return {
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "ember_src": str(EMBER_SRC),
        "baseline_src": str(BASELINE_SRC) if BASELINE_SRC else None,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {platform.processor()}".strip(),
        "cpus": os.cpu_count(),
        "threads": threads(),
        "clock": os.environ.get("BENCH_CLOCK", "wall"),
        "rounds": rounds,
        "torch_python": torch_py,
        "versions": versions,
        "load_end": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(info: dict, results: list[dict]) -> str:
    """The results page: set-up lines, then the table."""
    blas = [
        p
        for p in info["versions"].get("ember", {}).get("threadpools", [])
        if p.get("user_api") == "blas"
    ]
    blas_txt = (
        ", ".join(f"{p['internal_api']} {p['version']} ({p['architecture']})" for p in blas) or "?"
    )
    torch_v = info["versions"].get("torch", {}).get("torch", "not run")
    lines = [
        f"# Benchmarks {info['timestamp']}",
        "",
        f"- commit `{info['commit']}` (ember from `{info['ember_src']}`; "
        f"'before' columns from `{info['baseline_src']}`)",
        f"- Python {info['python']}, {info['cpus']} CPUs, "
        f"threads {info['threads']}, clock {info['clock']}, {info['rounds']} rounds",
        f"- ember {info['versions'].get('ember', {}).get('ember', '?')}, "
        f"NumPy {info['versions'].get('ember', {}).get('numpy', '?')}, BLAS {blas_txt}; "
        f"torch {torch_v}",
        f"- load average at the end: {info['load_end']}",
        "- each library in its own process per round, alternating; medians of per-process "
        "medians; ms per call, us per op for the chain and add rows",
        "",
        HEADER,
        *(_md_line(e) for e in results),
        "",
    ]
    if not info["torch_python"]:
        lines.insert(6, "- no python with torch found (BENCH_TORCH_PYTHON): torch columns skipped")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", help="row keys (default: all)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per row (default 3)")
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    known = {r.key: r for r in ROWS}
    unknown = [k for k in args.rows if k not in known]
    if unknown:
        sys.exit(f"unknown rows {unknown}; choose from {list(known)}")
    rows = [known[k] for k in args.rows] if args.rows else ROWS
    torch_py = torch_python()
    print(
        f"threads {threads()}, clock {os.environ.get('BENCH_CLOCK', 'wall')}, "
        f"torch: {torch_py or 'none (torch columns skipped)'}\n{HEADER}",
        flush=True,
    )
    results = measure(rows, args.rounds, torch_py)
    info = meta(torch_py, args.rounds, results)
    text = markdown(info, results)
    if not args.no_save:
        out = HERE / "results"
        out.mkdir(exist_ok=True)
        stamp = info["timestamp"].replace(":", "").replace("+0000", "Z")
        (out / f"{stamp}.json").write_text(json.dumps({"meta": info, "rows": results}, indent=1))
        (out / f"{stamp}.md").write_text(text)
        print(f"wrote {out / stamp}.json and .md")
    loads = [x for e in results for x in e["load"]]
    print(f"median load average during the run: {statistics.median(loads):.1f}")


if __name__ == "__main__":
    main()
