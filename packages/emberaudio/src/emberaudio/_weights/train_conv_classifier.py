"""Recipe of ``ConvClassifier_Weights.FSDD_V1``: train the log-mel ConvClassifier on FSDD.

    python packages/emberaudio/src/emberaudio/_weights/train_conv_classifier.py [AUDIO_DIR]

AUDIO_DIR holds ``fsdd/recordings`` (default: $EMBER_DATA/audio, else ../shared/data/audio
beside the repository). It runs the spoken-digit example pipeline
(``examples/audio/spoken_digits.py``) with its defaults: the FSDD official split (recordings 5-49
of each speaker and digit train, 0-4 test), one-second 8 kHz waveforms shifted by up to 0.1 s
and scaled by +-6 dB at random, 40-bin log-mel features (n_fft 256, hop 80), SpecAugment-style
masks, AdamW (lr 3e-3, weight decay 1e-4, batch 32) with a one-cycle schedule over 12 epochs,
seed 0. It prints the test accuracy, copies the weights to
``conv_classifier_fsdd-<sha256[:8]>.ember`` beside this file and prints what to put in
``ConvClassifier_Weights.FSDD_V1``.
"""

from __future__ import annotations

import hashlib
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[5]


def main() -> None:
    example = runpy.run_path(str(REPO / "examples" / "audio" / "spoken_digits.py"))
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["--out", tmp, "--quiet"] + (["--root", sys.argv[1]] if len(sys.argv) > 1 else [])
        metrics = example["main"](argv)
        weights = Path(tmp) / "conv_classifier_fsdd.ember"
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
        target = Path(__file__).with_name(f"conv_classifier_fsdd-{digest[:8]}.ember")
        shutil.copyfile(weights, target)
    print(f"wrote {target.name}")
    print(f'file="emberaudio/_weights/{target.name}", sha256="{digest}"')
    acc, seconds = metrics["test_acc"], metrics["seconds"]
    print(f'"_metrics": {{"FSDD": {{"acc@1": {acc:.2f}}}}}  ({seconds:.0f} s)')


if __name__ == "__main__":
    main()
