"""Spoken digit recognition on FSDD with a log-mel CNN (emberaudio.models.ConvClassifier).

    python examples/audio/spoken_digits.py [--epochs 12] [--out runs/spoken_digits]

Uses the Free Spoken Digit Dataset's official split (recordings 0-4 of each speaker and digit are
the test set). Each waveform is centred in one second at 8 kHz, shifted by up to 0.1 s at random
during training, and turned into a 40-bin log-mel spectrogram (the ``LogMelFeatures`` transform
that the published weights carry); time and frequency masks add SpecAugment-style noise. Writes
``loss.png``, ``accuracy.png``, ``mel_spectrogram.png``, ``confusion.png``, ``metrics.json`` and
the weights ``conv_classifier_fsdd.ember`` to ``--out``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _audio_common as common  # noqa: E402

import ember  # noqa: E402
from ember import nn, optim  # noqa: E402
from emberaudio import functional as AF  # noqa: E402
from emberaudio.datasets import FSDD  # noqa: E402
from emberaudio.models import ConvClassifier, ConvClassifier_Weights, fit_length  # noqa: E402

SAMPLES = 8000  # one second at 8 kHz
SHIFT = 800


def load_split(
    root: Path, split: str, limit: int | None, download: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """All waveforms of a split, centred in one second, as ``(N, 8000)`` plus labels."""
    ds = common.open_data("spoken_digits", lambda: FSDD(root, split=split, download=download))
    n = len(ds) if limit is None else min(limit, len(ds))
    order = np.random.default_rng(0).permutation(len(ds))[:n] if limit else np.arange(n)
    waves = np.zeros((n, SAMPLES), np.float32)
    labels = np.zeros(n, np.int64)
    for row, i in enumerate(order):
        waveform, sample_rate, digit, _, _ = ds[int(i)]
        if sample_rate != 8000:
            waveform = AF.resample(waveform, sample_rate, 8000)
        waves[row] = fit_length(waveform[0], SAMPLES).numpy()
        labels[row] = digit
    return waves, labels


def augment(waves: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random shifts of up to 0.1 s (zero fill) and gains of +-6 dB."""
    out = np.zeros_like(waves)
    shifts = rng.integers(-SHIFT, SHIFT + 1, size=len(waves))
    for i, s in enumerate(shifts):
        if s >= 0:
            out[i, s:] = waves[i, : SAMPLES - s]
        else:
            out[i, :s] = waves[i, -s:]
    gains = 10 ** (rng.uniform(-6, 6, size=(len(waves), 1)) / 20)
    return (out * gains).astype(np.float32)


def features(frontend: nn.Module, waves: np.ndarray) -> ember.Tensor:
    with ember.no_grad():
        return frontend(ember.from_numpy(waves))


def evaluate(model: nn.Module, x: ember.Tensor, y: np.ndarray) -> tuple[float, np.ndarray]:
    model.eval()
    with ember.no_grad():
        pred = np.concatenate(
            [model(x[i : i + 200]).argmax(1).numpy() for i in range(0, len(y), 200)]
        )
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (y, pred), 1)
    return 100.0 * float((pred == y).mean()), confusion


def train_epoch(model, opt, sched, frontend, waves, labels, args, rng, epoch) -> float:
    model.train()
    x = features(frontend, augment(waves, rng))
    x = AF.mask_along_axis_iid(x[:, None], 8, float(x.mean()), 2)
    x = AF.mask_along_axis_iid(x, 15, float(x.mean()), 3)[:, 0]
    order = rng.permutation(len(labels))
    steps = range(0, len(order), args.batch_size)
    bar = common.Progress(len(steps), f"epoch {epoch}", args.quiet)
    total = 0.0
    for start in steps:
        idx = order[start : start + args.batch_size]
        loss = nn.functional.cross_entropy(model(x[ember.from_numpy(idx)]),
                                           ember.from_numpy(labels[idx]))  # fmt: skip
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += float(loss) * len(idx)
        bar.step(loss=float(loss))
    return total / len(labels)


def parse_args(argv: list[str] | None):
    p = common.parser("spoken_digits", __doc__.splitlines()[0], epochs=12, lr=3e-3, batch_size=32)
    p.add_argument("--test-limit", type=int, default=None, help="evaluate on N test items")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    common.setup(args)
    t0 = time.perf_counter()
    xtr, ytr = load_split(args.root, "train", args.limit, args.download)
    xte, yte = load_split(args.root, "test", args.test_limit)
    frontend = ConvClassifier_Weights.DEFAULT.transforms()
    test_x = features(frontend, xte)
    model = ConvClassifier(num_classes=10)
    opt = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    total_steps = args.epochs * -(-len(ytr) // args.batch_size)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total_steps)
    rng = np.random.default_rng(args.seed)
    history = []
    for epoch in range(1, args.epochs + 1):
        loss = train_epoch(model, opt, sched, frontend, xtr, ytr, args, rng, epoch)
        acc, confusion = evaluate(model, test_x, yte)
        history.append({"epoch": epoch, "train_loss": loss, "test_acc": acc})
        print(f"epoch {epoch}: train loss {loss:.4f}  test accuracy {acc:.2f}%", flush=True)
    seconds = time.perf_counter() - t0
    print(f"test accuracy: {acc:.2f}% ({len(yte)} recordings) in {seconds:.0f} s")
    save_outputs(args.out, model, history, confusion, test_x[0].numpy(), yte[0])
    metrics = {"test_acc": acc, "train_size": len(ytr), "test_size": len(yte),
               "seconds": seconds, "history": history}  # fmt: skip
    common.save_metrics(args.out, metrics)
    return metrics


def save_outputs(out: Path, model, history, confusion, mel: np.ndarray, label: int) -> None:
    ember.save(model.state_dict(), out / "conv_classifier_fsdd.ember")
    common.save_curves(out / "loss.png", {"train loss": [h["train_loss"] for h in history]},
                       title="FSDD: training loss per epoch")  # fmt: skip
    common.save_curves(out / "accuracy.png", {"test accuracy %": [h["test_acc"] for h in history]},
                       title="FSDD: test accuracy per epoch")  # fmt: skip
    common.save_heatmap(out / "mel_spectrogram.png", mel, scale=4,
                        title=f"log-mel spectrogram of a test '{label}'")  # fmt: skip
    digits = [str(i) for i in range(10)]
    common.save_heatmap(out / "confusion.png", confusion, scale=24, flip=False,
                        title="confusion (rows: true digit)", labels=digits)  # fmt: skip


if __name__ == "__main__":
    main()
