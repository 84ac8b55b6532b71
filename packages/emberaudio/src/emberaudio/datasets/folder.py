"""AudioFolder: a generic class-per-folder audio dataset."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ember import Tensor
from emberaudio.datasets._base import AUDIO_EXTENSIONS, AudioDataset

__all__ = ["AudioFolder"]


class AudioFolder(AudioDataset):
    """Audio files arranged as ``root/<class>/<file>``; classes are the sorted folder names.

    Args:
        root: the folder holding one subfolder per class.
        extensions: file suffixes to include (case-insensitive).
        transforms: called on each ``(waveform, label)`` pair (instead of the two below).
        transform: called on each waveform.
        target_transform: called on each class index.

    Returns:
        Items ``(waveform, sample_rate, class_index)``; ``classes`` and ``class_to_idx`` name
        them, ``samples`` lists ``(path, class_index)``.

    Example:
        >>> ds = AudioFolder("my_sounds")            # my_sounds/dog/a.wav, my_sounds/cat/b.flac
        >>> ds.classes
        ['cat', 'dog']
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        extensions: Sequence[str] = AUDIO_EXTENSIONS,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        if not Path(self.root).is_dir():
            raise RuntimeError(f"AudioFolder: {self.root} is not a folder")
        exts = tuple(e.lower() for e in extensions)
        self.classes = sorted(d.name for d in Path(self.root).iterdir() if d.is_dir())
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
        self.samples = [
            (p, self.class_to_idx[c])
            for c in self.classes
            for p in sorted((Path(self.root) / c).rglob("*"))
            if p.is_file() and p.suffix.lower() in exts
        ]
        if not self.samples:
            raise RuntimeError(
                f"AudioFolder: no audio files ({', '.join(exts)}) found in class folders of "
                f"{self.root}"
            )

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, n: int) -> tuple[Tensor, int, int]:
        path, target = self.samples[n]
        return self._item(path, target)  # type: ignore[return-value]
