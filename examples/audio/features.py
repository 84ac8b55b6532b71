"""Save spectrogram, mel spectrogram and MFCC images of any audio file.

    python examples/audio/features.py path/to/audio.wav [--out runs/features] [--n-mels 64]

Reads WAV, FLAC or OGG/Vorbis with ``emberaudio.load`` (the channels are averaged), then writes
``spectrogram.png`` (power in dB), ``mel_spectrogram.png`` (log-mel, dB) and ``mfcc.png``,
plus ``features.json`` with the shapes and the file's metadata. Window and hop are 25 ms and
10 ms at the file's own sample rate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

import ember  # noqa: E402
import emberaudio  # noqa: E402
from emberaudio import transforms as T  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("audio", type=Path, help="an audio file (WAV, FLAC, OGG)")
    p.add_argument("--out", type=Path, default=Path("runs") / "features")
    p.add_argument("--n-mels", type=int, default=64)
    p.add_argument("--n-mfcc", type=int, default=20)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = emberaudio.info(args.audio)
    waveform, sr = emberaudio.load(args.audio)
    mono = waveform.mean(0)
    n_fft = 1 << (int(0.025 * sr) - 1).bit_length()  # next power of two above 25 ms
    win, hop = int(0.025 * sr), max(1, int(0.010 * sr))
    kw = {"n_fft": n_fft, "win_length": win, "hop_length": hop}
    to_db = T.AmplitudeToDB(top_db=80.0)
    with ember.no_grad():
        spec = to_db(T.Spectrogram(**kw)(mono))
        mel = to_db(T.MelSpectrogram(sr, n_mels=args.n_mels, **kw)(mono))
        mfcc = T.MFCC(sr, n_mfcc=args.n_mfcc, melkwargs={"n_mels": args.n_mels, **kw})(mono)
    name = args.audio.name
    common.save_heatmap(args.out / "spectrogram.png", spec.numpy(), scale=1,
                        title=f"{name}: power spectrogram (dB)")  # fmt: skip
    common.save_heatmap(args.out / "mel_spectrogram.png", mel.numpy(), scale=2,
                        title=f"{name}: {args.n_mels}-bin mel spectrogram (dB)")  # fmt: skip
    common.save_heatmap(args.out / "mfcc.png", mfcc.numpy(), scale=4,
                        title=f"{name}: {args.n_mfcc} MFCCs")  # fmt: skip
    summary = {
        "file": str(args.audio),
        "sample_rate": sr,
        "channels": meta.num_channels,
        "frames": meta.num_frames,
        "encoding": meta.encoding,
        "bits_per_sample": meta.bits_per_sample,
        "spectrogram": list(spec.shape),
        "mel_spectrogram": list(mel.shape),
        "mfcc": list(mfcc.shape),
    }
    (args.out / "features.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
