"""Shared pieces of the audio datasets: root resolution, downloads, loading with transforms."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ember.utils.data import RootDataset
from ember.utils.download import Resource, download_resource
from emberaudio.io import load

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg")


def find_folder(root: str | os.PathLike[str], names: Sequence[str], probe: Callable[[Path], bool],
                dataset: str, *, fetch_hint: str = "or pass download=True") -> Path:  # fmt: skip
    """``root`` itself if ``probe(root)``, else the first ``root/<name>`` that passes ``probe``;
    the error ends with ``fetch_hint`` (how to get the data)."""
    base = Path(root).expanduser()
    for candidate in (base, *(base / n for n in names)):
        if candidate.is_dir() and probe(candidate):
            return candidate
    tried = ", ".join(str(base / n) for n in names)
    raise RuntimeError(
        f"{dataset}: dataset not found in {base} (also tried {tried}); give the folder that holds "
        f"the dataset or the dataset folder itself, {fetch_hint}"
    )


def fetch(resource: Resource, root: str | os.PathLike[str]) -> None:
    """Download ``resource`` into ``root`` (checked against its sha256) and unpack it there."""
    Path(root).expanduser().mkdir(parents=True, exist_ok=True)
    download_resource(resource, os.fspath(Path(root).expanduser()), extract=True)


class AudioDataset(RootDataset):
    """Base of the audio datasets: a :class:`ember.utils.data.RootDataset` whose items are
    ``(waveform, sample_rate, label, *extras)`` like torchaudio's.

    ``transform`` is applied to the waveform and ``target_transform`` to the label (or
    ``transforms`` to the pair), through :meth:`RootDataset.apply_transforms`.

    Args:
        root: where the dataset lives (the folder holding it, or the dataset folder itself).
        transforms: called on ``(waveform, label)``.
        transform: called on each waveform tensor.
        target_transform: called on each label.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)

    def _item(self, path: Path, label: Any, *extras: Any) -> tuple[Any, ...]:
        waveform, sample_rate = load(path)
        waveform, label = self.apply_transforms(waveform, label)
        return (waveform, sample_rate, label, *extras)
