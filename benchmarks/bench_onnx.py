"""Inference latency: ember vs onnxruntime running the graph ``ember.onnx.export`` wrote.

Cases: ResNet-18 (embervision, 3x224x224) at batch 1 and 8, and one
``nn.TransformerEncoderLayer(512, 8, 2048)`` on a (128, 8, 512) sequence. The parent process
builds each model once, saves its weights and exports it to ONNX in a temporary folder; then,
round after round, it starts one process per (case, library) in alternating order, each of which
loads its model, warms up and reports the median of its timed calls. The table shows the median
over rounds of those medians, in milliseconds, and the largest output difference.

Run:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_onnx.py
BENCH_THREADS=n sets both libraries' thread count (default 2); ``--rounds`` and ``--number``
shorten the run.
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

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import median_time, warn_openblas  # noqa: E402

CASES = {
    "resnet18_b1": ("resnet18", (1, 3, 224, 224)),
    "resnet18_b8": ("resnet18", (8, 3, 224, 224)),
    "transformer_layer": ("transformer", (128, 8, 512)),
}


def build(kind: str):
    """The model of a case, in eval mode (weights come from the saved file in the workers)."""
    import ember

    if kind == "resnet18":
        from embervision.models import resnet18

        return resnet18().eval()
    return ember.nn.TransformerEncoderLayer(512, 8, 2048, dropout=0.0).eval()


def prepare(folder: Path) -> None:
    """Build, save and export every model once; save the inputs."""
    import ember

    ember.manual_seed(0)
    for kind in sorted({k for k, _ in CASES.values()}):
        model = build(kind)
        ember.save(model.state_dict(), folder / f"{kind}.ember")
        shape = next(s for k, s in CASES.values() if k == kind)
        axes = {0: "batch"} if kind == "resnet18" else {0: "seq", 1: "batch"}
        ember.onnx.export(
            model,
            ember.randn(*shape),
            folder / f"{kind}.onnx",
            input_names=["x"],
            dynamic_axes={"x": axes},
        )
    for case, (_, shape) in CASES.items():
        np.save(folder / f"{case}.npy", np.random.default_rng(1).standard_normal(shape, np.float32))


def worker(lib: str, case: str, folder: Path, number: int, threads: int) -> dict:
    """Time one case in this process; returns the median ms and the output."""
    kind, _ = CASES[case]
    x = np.load(folder / f"{case}.npy")
    if lib == "ember":
        import ember

        ember.set_num_threads(threads)
        model = build(kind)
        model.load_state_dict(ember.load(folder / f"{kind}.ember"))
        xt = ember.from_numpy(x)

        def run():
            with ember.no_grad():
                return model(xt).numpy()
    else:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(
            str(folder / f"{kind}.onnx"), opts, providers=["CPUExecutionProvider"]
        )

        def run():
            return sess.run(None, {"x": x})[0]

    seconds = median_time(run, number=number, repeat=5)
    out = run()
    np.save(folder / f"{case}.{lib}.out.npy", out)
    return {"ms": seconds * 1e3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--number", type=int, default=3)
    parser.add_argument("--worker", nargs=3, metavar=("LIB", "CASE", "FOLDER"))
    args = parser.parse_args()
    threads = int(os.environ.get("BENCH_THREADS", "2"))
    if args.worker:
        lib, case, folder = args.worker
        print(json.dumps(worker(lib, case, Path(folder), args.number, threads)))
        return
    warn_openblas()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder)
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(args.rounds):
            libs = ("ember", "onnxruntime") if r % 2 == 0 else ("onnxruntime", "ember")
            for case in CASES:
                for lib in libs:
                    cmd = [
                        sys.executable,
                        __file__,
                        "--number",
                        str(args.number),
                        "--worker",
                        lib,
                        case,
                        str(folder),
                    ]
                    res = json.loads(subprocess.check_output(cmd).decode().strip().split("\n")[-1])
                    times.setdefault((case, lib), []).append(res["ms"])
        report(folder, times, threads, load_before)


def report(
    folder: Path, times: dict[tuple[str, str], list[float]], threads: int, load_before: float
) -> None:
    after = os.getloadavg()[0]
    print(f"threads={threads}, load average (1 min) {load_before:.1f} before, {after:.1f} after")
    print(f"{'case':<20}{'ember ms':>11}{'onnxruntime ms':>16}{'ratio':>8}{'max |diff|':>12}")
    for case in CASES:
        e = statistics.median(times[(case, "ember")])
        o = statistics.median(times[(case, "onnxruntime")])
        diff = np.abs(
            np.load(folder / f"{case}.ember.out.npy")
            - np.load(folder / f"{case}.onnxruntime.out.npy")
        ).max()
        print(f"{case:<20}{e:>11.1f}{o:>16.1f}{e / o:>8.2f}{diff:>12.2e}")


if __name__ == "__main__":
    main()
