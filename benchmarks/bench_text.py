"""embertext tokenizers against Hugging Face tokenizers and tiktoken, each in its own process.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_text.py \\
        --ref-python /work/ref/i11-hf/bin/python [--rounds 3]

``--ref-python`` is an interpreter with ``tokenizers`` and ``tiktoken`` (requirements-ref.txt);
without it only embertext's figures are measured. For tiny-shakespeare and the WikiText-2 test
file: byte-level BPE training time to vocabulary 2,000 (embertext and Hugging Face, and whether
the merges are identical), then one-thread encode throughput (MB/s) with tokenizers trained to
2,000 and 8,000 tokens, on the whole text and line by line (``encode_batch``); and torchtext's
``basic_english`` + vocabulary lookup in lines/s on AG_NEWS. Libraries alternate within each
round; the figures are medians over rounds (each worker itself reports the median of its
repeats after one warm-up call, plus the first, cold call).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKERS = HERE / "text_workers"
DATA = Path(os.environ.get("EMBER_DATA", HERE.parents[1] / "shared" / "data")) / "text"
CORPORA = {
    "tinyshakespeare": DATA / "tinyshakespeare" / "input.txt",
    "wikitext2-test": DATA / "wikitext-2" / "test.txt",
}


def run(python: str, lib: str, job: dict, tmp: Path) -> dict:
    path = tmp / "job.json"
    path.write_text(json.dumps(job), encoding="utf-8")
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "RAYON_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    out = subprocess.run(
        [python, str(WORKERS / f"worker_{lib}.py"), str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"worker {lib} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(results: list[dict], *keys: str) -> float:
    values = []
    for r in results:
        for k in keys:
            r = r[k]
        values.append(r)
    return statistics.median(values)


def merges_of(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["model"]["merges"]


def bench_training(pythons: dict, rounds: int, tmp: Path) -> dict:
    table = {}
    for corpus, path in CORPORA.items():
        times: dict[str, list] = {lib: [] for lib in pythons if lib != "tiktoken"}
        for _ in range(rounds):
            for lib in times:
                save = tmp / f"train-{lib}-{corpus}.json"
                job = {"task": "train", "corpus": str(path), "vocab_size": 2000, "save": str(save)}
                times[lib].append(run(pythons[lib], lib, job, tmp)["seconds"])
        row = {lib: statistics.median(t) for lib, t in times.items()}
        if "hf_tokenizers" in times:
            row["identical_merges"] = merges_of(
                tmp / f"train-embertext-{corpus}.json"
            ) == merges_of(tmp / f"train-hf_tokenizers-{corpus}.json")
        table[corpus] = row
    return table


def bench_encode(pythons: dict, rounds: int, repeat: int, tmp: Path) -> dict:
    table = {}
    for corpus, path in CORPORA.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for vocab_size in (2000, 8000):
            tok = tmp / f"tok-{corpus}-{vocab_size}.json"
            job = {"task": "train", "corpus": str(path), "vocab_size": vocab_size, "save": str(tok)}
            run(pythons["embertext"], "embertext", job, tmp)
            assert lines
            results: dict[str, list] = {lib: [] for lib in pythons}
            for _ in range(rounds):
                for lib in pythons:
                    job = {
                        "task": "encode",
                        "corpus": str(path),
                        "tokenizer": str(tok),
                        "repeat": repeat,
                    }
                    results[lib].append(run(pythons[lib], lib, job, tmp))
            table[f"{corpus}/{vocab_size}"] = {
                lib: {
                    "whole_mb_s": median_of(r, "whole", "mb_s"),
                    "lines_mb_s": median_of(r, "lines", "mb_s"),
                    "whole_tokens": r[0]["whole"]["tokens"],
                    "lines_tokens": r[0]["lines"]["tokens"],
                    **(
                        {"cold_whole_mb_s": r[0]["bytes"] / median_of(r, "cold_whole_s") / 1e6}
                        if lib == "embertext"
                        else {}
                    ),
                }
                for lib, r in results.items()
            }
    return table


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ref-python", default=None, help="interpreter with tokenizers and tiktoken")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = p.parse_args()
    pythons = {"embertext": sys.executable}
    if args.ref_python:
        pythons.update(hf_tokenizers=args.ref_python, tiktoken=args.ref_python)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {
            "load_average": os.getloadavg(),
            "training_seconds_vocab2000": bench_training(pythons, args.rounds, tmp),
            "encode": bench_encode(pythons, args.rounds, args.repeat, tmp),
            "basic_english_vocab_ag_news": run(
                sys.executable,
                "embertext",
                {
                    "task": "basic_english",
                    "corpus": str(DATA / "ag_news_csv" / "test.csv"),
                    "repeat": args.repeat,
                },
                tmp,
            ),
        }
        results["load_average_end"] = os.getloadavg()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def report(results: dict) -> None:
    print(f"load average at start {results['load_average']}, end {results['load_average_end']}")
    print("\ntraining to vocab 2000 (s, median):")
    for corpus, row in results["training_seconds_vocab2000"].items():
        print(
            f"  {corpus:18s} "
            + "  ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()
            )
        )
    print("\nencode MB/s, one thread (whole text | lines via encode_batch):")
    for key, row in results["encode"].items():
        cells = [f"{lib} {r['whole_mb_s']:.2f} | {r['lines_mb_s']:.2f}" for lib, r in row.items()]
        print(f"  {key:22s} " + "   ".join(cells))
        tik = row.get("tiktoken")
        if tik:
            ours = row["embertext"]
            whole = ours["whole_mb_s"] / tik["whole_mb_s"]
            print(
                f"  {'':22s} embertext / tiktoken: whole {whole:.2f}x,"
                f" lines {ours['lines_mb_s'] / tik['lines_mb_s']:.2f}x; "
                f"cold first call {ours['cold_whole_mb_s']:.2f} MB/s"
            )
    be = results["basic_english_vocab_ag_news"]
    print(f"\nbasic_english + vocab lookup on AG_NEWS test.csv: {be['lines_s']:.0f} lines/s")


if __name__ == "__main__":
    main()
