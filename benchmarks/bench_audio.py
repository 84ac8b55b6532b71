"""Audio speed: emberaudio against librosa, torchaudio and plain soundfile, each in its own process.

Cases (the same maths in every library that has it):

* ``mel``: MelSpectrogram of a 16 x 10 s batch at 16 kHz (n_fft 400, hop 160, 80 mels, power 2).
* ``mfcc``: 40 MFCCs of the same batch (mel as above, dB with top_db 80, orthonormal DCT-II).
* ``stft``: STFT magnitude of the same batch (n_fft 400, hop 160, Hann, reflect padding).
* ``resample``: 60 s of audio from 44.1 to 16 kHz. emberaudio and torchaudio use torchaudio's
  windowed-sinc kernel (width 6, rolloff 0.99, cached); librosa's figure is its default
  ``soxr_hq``, different maths, shown for reference only.
* ``decode``: read 2,000 short WAVs (the FSDD recordings) to float32 arrays/tensors;
  ``soundfile`` is a plain ``soundfile.read(path, dtype="float32")`` loop in its own process.
  ``decode_sf`` is that same loop run inside the ember worker (after ``import ember``), which
  separates emberaudio's own overhead from the cost of a larger interpreter.

Run::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_audio.py \\
        --librosa-python /work/ref/i12-librosa/bin/python [--torchaudio-python PY] [--rounds 3]

Each library runs in a separate interpreter (``--worker NAME``), one after the other, for
``--rounds`` alternating rounds; a worker reports the median of its repeats and the table shows
the median over rounds. ``BENCH_THREADS`` (default 1) sets the BLAS threads of every worker.
Neither librosa nor torchaudio is a dependency; a library whose interpreter is not given is
left out of the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
DATA = Path(os.environ.get("EMBER_DATA", REPO.parent / "shared" / "data"))
CASES = ("mel", "mfcc", "stft", "resample", "decode", "decode_sf")
SR = 16000


def median_time(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def inputs() -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(0)
    batch = (0.1 * rng.standard_normal((16, 10 * SR))).astype(np.float32)
    long = (0.1 * rng.standard_normal(60 * 44100)).astype(np.float32)
    files = sorted(str(p) for p in (DATA / "audio" / "fsdd" / "recordings").glob("*.wav"))
    return batch, long, files[:2000]


def ember_cases(batch, long, files) -> dict:
    import soundfile

    import ember
    import emberaudio
    from emberaudio import transforms as T

    x, y = ember.from_numpy(batch), ember.from_numpy(long)
    mel = T.MelSpectrogram(SR, n_fft=400, hop_length=160, n_mels=80)
    mfcc = T.MFCC(SR, n_mfcc=40, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 80})
    stft = T.Spectrogram(n_fft=400, hop_length=160, power=1.0)
    resample = T.Resample(44100, 16000)
    with ember.no_grad():
        return {
            "mel": lambda: mel(x),
            "mfcc": lambda: mfcc(x),
            "stft": lambda: stft(x),
            "resample": lambda: resample(y),
            "decode": lambda: [emberaudio.load(f) for f in files],
            # plain soundfile.read inside the ember process: the same interpreter state
            "decode_sf": lambda: [soundfile.read(f, dtype="float32") for f in files],
        }


def librosa_cases(batch, long, files) -> dict:
    import librosa

    kw = dict(sr=SR, n_fft=400, hop_length=160, n_mels=80, htk=True, norm=None, pad_mode="reflect")
    return {
        "mel": lambda: librosa.feature.melspectrogram(y=batch, **kw),
        "mfcc": lambda: librosa.feature.mfcc(
            S=librosa.power_to_db(librosa.feature.melspectrogram(y=batch, **kw), top_db=80.0),
            n_mfcc=40,
        ),
        "stft": lambda: np.abs(librosa.stft(batch, n_fft=400, hop_length=160, pad_mode="reflect")),
        "resample": lambda: librosa.resample(long, orig_sr=44100, target_sr=16000),
        "decode": lambda: [librosa.load(f, sr=None) for f in files],
    }


def torchaudio_cases(batch, long, files) -> dict:
    import torch
    import torchaudio
    import torchaudio.transforms as T

    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
    x, y = torch.from_numpy(batch), torch.from_numpy(long)
    mel = T.MelSpectrogram(SR, n_fft=400, hop_length=160, n_mels=80)
    mfcc = T.MFCC(SR, n_mfcc=40, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 80})
    stft = T.Spectrogram(n_fft=400, hop_length=160, power=1.0)
    resample = T.Resample(44100, 16000)
    with torch.no_grad():
        return {
            "mel": lambda: mel(x),
            "mfcc": lambda: mfcc(x),
            "stft": lambda: stft(x),
            "resample": lambda: resample(y),
            "decode": lambda: [torchaudio.load(f) for f in files],
        }


def soundfile_cases(batch, long, files) -> dict:
    import soundfile

    return {"decode": lambda: [soundfile.read(f, dtype="float32") for f in files]}


WORKERS = {
    "ember": ember_cases,
    "librosa": librosa_cases,
    "torchaudio": torchaudio_cases,
    "soundfile": soundfile_cases,
}


def worker(name: str, repeat: int) -> None:
    batch, long, files = inputs()
    out = {}
    for case, fn in WORKERS[name](batch, long, files).items():
        if case.startswith("decode") and not files:
            continue
        out[case] = median_time(fn, 2 if case.startswith("decode") else repeat)
    print(json.dumps(out))


def run_worker(python: str, name: str, repeat: int, threads: str) -> dict:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads,
           "MKL_NUM_THREADS": threads, "BENCH_THREADS": threads}  # fmt: skip
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    cmd = [python, str(HERE), "--worker", name, "--repeat", str(repeat)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        print(f"{name} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: dict[str, list[dict]]) -> None:
    libs = [lib for lib in WORKERS if results.get(lib)]
    print(f"| case | {' | '.join(libs)} | ember speed-up vs others |")
    print("|---" * (len(libs) + 2) + "|")
    for case in CASES:
        med = {}
        for lib in libs:
            values = [r[case] for r in results[lib] if case in r]
            if values:
                med[lib] = statistics.median(values)
        cells = [f"{med[lib] * 1e3:.1f} ms" if lib in med else "-" for lib in libs]
        ratios = [f"{lib} {med[lib] / med['ember']:.2f}x" for lib in med if lib != "ember"]
        shown = ", ".join(ratios) if "ember" in med else "-"
        print(f"| {case} | {' | '.join(cells)} | {shown} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", choices=sorted(WORKERS))
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--librosa-python", default=None, help="interpreter with librosa installed")
    p.add_argument("--torchaudio-python", default=None, help="interpreter with torchaudio")
    args = p.parse_args()
    if args.worker:
        worker(args.worker, args.repeat)
        return
    threads = os.environ.get("BENCH_THREADS", "1")
    pythons = {"ember": sys.executable, "soundfile": sys.executable,
               "librosa": args.librosa_python, "torchaudio": args.torchaudio_python}  # fmt: skip
    results: dict[str, list[dict]] = {name: [] for name in WORKERS}
    for r in range(args.rounds):
        for name, python in pythons.items():
            if python:
                results[name].append(run_worker(python, name, args.repeat, threads))
        print(f"round {r + 1}/{args.rounds} done (load average {os.getloadavg()[0]:.1f})",
              file=sys.stderr)  # fmt: skip
    print(f"threads per library: {threads}; load average {os.getloadavg()}")
    table(results)


if __name__ == "__main__":
    main()
