"""Shared pieces of the audio datasets: root resolution, loading with clear errors, transforms."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ember.utils.data import Dataset
from emberaudio.io import load

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg")


def verify_str_arg(value: str, arg: str, valid: Sequence[str]) -> str:
    """``value`` if it is one of ``valid``, else a ValueError listing them.

    Stand-in for ``ember.utils.data.verify_str_arg`` until the platform base lands.
    """
    if value not in valid:
        raise ValueError(
            f"unknown value {value!r} for argument {arg}; valid values are {list(valid)}"
        )
    return value


def find_folder(root: str | os.PathLike[str], names: Sequence[str], probe: Callable[[Path], bool],
                dataset: str) -> Path:  # fmt: skip
    """``root`` itself if ``probe(root)``, else the first ``root/<name>`` that passes ``probe``."""
    base = Path(root).expanduser()
    for candidate in (base, *(base / n for n in names)):
        if candidate.is_dir() and probe(candidate):
            return candidate
    tried = ", ".join(str(base / n) for n in names)
    raise RuntimeError(
        f"{dataset}: dataset not found in {base} (also tried {tried}); give the folder that holds "
        "the dataset or the dataset folder itself, or pass download=True"
    )


class AudioDataset(Dataset):
    """Base of the audio datasets: ``root``, ``transform`` on the waveform, ``target_transform``.

    Items are tuples ``(waveform, sample_rate, label, *extras)`` like torchaudio's;
    ``transform`` is applied to the waveform and ``target_transform`` to the label.

    Args:
        root: where the dataset lives (the folder holding it, or the dataset folder itself).
        transform: called on each waveform tensor.
        target_transform: called on each label.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        self.root = Path(root).expanduser()
        self.transform = transform
        self.target_transform = target_transform

    def _item(self, path: Path, label: Any, *extras: Any) -> tuple[Any, ...]:
        waveform, sample_rate = load(path)
        if self.transform is not None:
            waveform = self.transform(waveform)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return (waveform, sample_rate, label, *extras)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(root={str(self.root)!r}, items={len(self)})"
