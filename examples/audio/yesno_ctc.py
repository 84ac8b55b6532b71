"""YESNO word sequences with a small Conformer trained by CTC (emberaudio.models.ConformerCTC).

    python examples/audio/yesno_ctc.py [--steps 300] [--out runs/yesno_ctc]

Each YESNO file holds 8 spoken words, "yes" or "no"; its name is the transcript. The first 36
files (sorted by name) train the model, the rest test it. Inputs are 40-bin log-mel spectrograms
(10 ms hop at 8 kHz), normalised per file; the model subsamples time by 4, runs two Conformer
layers and predicts blank / "no" / "yes" per frame. Greedy CTC decoding gives the word sequence;
the word error rate is the edit distance to the transcript over the number of words.

36 files are few enough for the model to memorise them whole (training error 0, test error about
35%). So half of each batch is made of new sequences: an energy threshold cuts the training files
into their 8 spoken words (files where it finds a different count are skipped), and random words
with their surrounding silence are strung together with their labels. Writes
``loss.png``, ``wer.png``, ``mel_spectrogram.png``, ``metrics.json`` and the model weights.
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
from emberaudio.datasets import YESNO  # noqa: E402
from emberaudio.models import ConformerCTC, GreedyCTCDecoder, LogMelFeatures  # noqa: E402

LABELS = ["<blank>", "no", "yes"]
TRAIN_FILES = 36


def load(root: Path, download: bool = False) -> tuple[list[ember.Tensor], list[list[int]]]:
    """Per-file normalised log-mel features ``(40, frames)`` and word labels (1 = no, 2 = yes)."""
    frontend = LogMelFeatures(8000, num_samples=None, n_fft=256, hop_length=80, n_mels=40)
    feats, targets = [], []
    hint = "Pass --download to fetch it (sha256-checked) into --root."
    data = common.open_data("yesno_ctc", lambda: YESNO(root, download=download), hint)
    for waveform, _, words in data:
        with ember.no_grad():
            f = frontend(waveform[0])
        feats.append((f - f.mean()) / f.std())
        targets.append([w + 1 for w in words])
    return feats, targets


def word_segments(f: ember.Tensor, gap: int = 5, shortest: int = 5) -> list[tuple[int, int]]:
    """Frame ranges of the loud parts of a (normalised) log-mel spectrogram."""
    energy = f.numpy().mean(0)
    lo, hi = np.percentile(energy, 10), np.percentile(energy, 90)
    active = np.append(energy > (lo + hi) / 2, False)
    runs: list[list[int]] = []
    start = None
    for t, loud in enumerate(active):
        if loud and start is None:
            start = t
        elif not loud and start is not None:
            if runs and start - runs[-1][1] < gap:
                runs[-1][1] = t
            else:
                runs.append([start, t])
            start = None
    return [(a, b) for a, b in runs if b - a >= shortest]


def word_pool(feats, targets) -> list[tuple[ember.Tensor, int, int, int]]:
    """``(features of the file, word start, word end, label)`` from the files cut cleanly."""
    pool = []
    for f, words in zip(feats, targets):
        cuts = word_segments(f)
        if len(cuts) == len(words):
            pool += [(f, a, b, w) for (a, b), w in zip(cuts, words)]
    return pool


def synthetic(pool, rng: np.random.Generator, words: int = 8) -> tuple[ember.Tensor, list[int]]:
    """Random words, each with 2-10 frames of its own file's surroundings on either side."""
    parts, labels = [], []
    for i in rng.integers(0, len(pool), size=words):
        f, a, b, w = pool[i]
        left, right = rng.integers(2, 11, size=2)
        parts.append(f[:, max(0, a - left) : b + right])
        labels.append(w)
    return ember.cat(parts, dim=1), labels


def batch(feats: list[ember.Tensor]) -> tuple[ember.Tensor, ember.Tensor]:
    """Zero-pad to the longest item: ``(batch, 40, frames)`` and the frame counts."""
    longest = max(f.shape[-1] for f in feats)
    padded = [nn.functional.pad(f, (0, longest - f.shape[-1])) for f in feats]
    return ember.stack(padded), ember.tensor([f.shape[-1] for f in feats])


def edit_distance(a: list[int], b: list[int]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def word_error_rate(model: nn.Module, feats, targets) -> tuple[float, list[str]]:
    model.eval()
    decoder = GreedyCTCDecoder(LABELS, separator=" ")
    x, lengths = batch(feats)
    with ember.no_grad():
        logp, out_lengths = model(x, lengths)
    errors, texts = 0, []
    for i, target in enumerate(targets):
        text = decoder(logp[i, : int(out_lengths[i])])[0]
        hyp = [LABELS.index(w) for w in text.split()]
        errors += edit_distance(hyp, target)
        texts.append(text)
    return 100.0 * errors / sum(len(t) for t in targets), texts


def train_step(model, opt, x, lengths, targets) -> float:
    model.train()
    logp, out_lengths = model(x, lengths)
    flat = ember.tensor([w for t in targets for w in t])
    loss = nn.functional.ctc_loss(logp.transpose(0, 1), flat, out_lengths,
                                  ember.tensor([len(t) for t in targets]))  # fmt: skip
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    return float(loss)


def parse_args(argv: list[str] | None):
    p = common.parser("yesno_ctc", __doc__.splitlines()[0], epochs=1, lr=3e-3, batch_size=12)
    p.add_argument("--steps", type=int, default=300, help="optimizer steps")
    p.add_argument("--eval-every", type=int, default=25)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    common.setup(args)
    t0 = time.perf_counter()
    feats, targets = load(args.root, args.download)
    n_train = min(TRAIN_FILES, len(feats) - 1) if args.limit is None else args.limit
    train_x, train_y = feats[:n_train], targets[:n_train]
    test_x, test_y = feats[TRAIN_FILES:], targets[TRAIN_FILES:]
    model = ConformerCTC(40, num_classes=3, d_model=64, num_heads=4, ffn_dim=128, num_layers=2,
                         kernel_size=15, dropout=0.1)  # fmt: skip
    opt = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps)
    rng = np.random.default_rng(args.seed)
    pool = word_pool(train_x, train_y)
    bar = common.Progress(args.steps, "train", args.quiet)
    losses, wers = [], []
    for step in range(1, args.steps + 1):
        half = min(args.batch_size // 2, len(train_x))
        idx = rng.choice(len(train_x), size=half, replace=False)
        made = [synthetic(pool, rng) for _ in range(args.batch_size - half)] if pool else []
        x, lengths = batch([train_x[i] for i in idx] + [m[0] for m in made])
        ys = [train_y[i] for i in idx] + [m[1] for m in made]
        losses.append(train_step(model, opt, x, lengths, ys))
        sched.step()
        bar.step(loss=losses[-1])
        if step % args.eval_every == 0 or step == args.steps:
            wers.append((step, word_error_rate(model, test_x, test_y)[0]))
    wer, texts = word_error_rate(model, test_x, test_y)
    seconds = time.perf_counter() - t0
    print(f"test word error rate: {wer:.2f}% ({len(test_y)} files, "
          f"{sum(map(len, test_y))} words) in {seconds:.0f} s")  # fmt: skip
    print("first test transcript:", texts[0])
    ember.save(model.state_dict(), args.out / "conformer_ctc_yesno.ember")
    common.save_curves(args.out / "loss.png", {"CTC loss": losses}, title="YESNO: CTC loss")
    common.save_curves(args.out / "wer.png", {"test WER %": [w for _, w in wers]},
                       title=f"YESNO: test WER every {args.eval_every} steps")  # fmt: skip
    common.save_heatmap(args.out / "mel_spectrogram.png", test_x[0].numpy(), scale=2,
                        title="normalised log-mel spectrogram of a test file")  # fmt: skip
    metrics = {"test_wer": wer, "train_files": len(train_x), "test_files": len(test_y),
               "word_pool": len(pool),
               "steps": args.steps, "seconds": seconds, "wer_curve": wers}  # fmt: skip
    common.save_metrics(args.out, metrics)
    return metrics


if __name__ == "__main__":
    main()
