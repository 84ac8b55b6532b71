"""FSDD: the Free Spoken Digit Dataset, ``{digit}_{speaker}_{index}.wav`` at 8 kHz."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ember import Tensor
from ember.utils.data import verify_str_arg
from emberaudio.datasets._base import AudioDataset, find_folder

__all__ = ["FSDD"]


_CLONE = (
    "clone https://github.com/Jakobovski/free-spoken-digit-dataset (download=True is not "
    "supported: there is no checksummed archive)"
)


class FSDD(AudioDataset):
    """Free Spoken Digit Dataset with its official split (recordings 0-4 of each speaker and
    digit are the test set, 5-49 the training set).

    Args:
        root: the folder holding ``free-spoken-digit-dataset/`` or ``fsdd/`` (each with
            ``recordings/``), one of those folders, or the ``recordings/`` folder itself.
        split: ``"train"`` or ``"test"``.
        download: unsupported (the recordings are published as a GitHub repository, whose
            archives have no stable checksum); clone it and pass its folder.
        transforms: called on each ``(waveform, label)`` pair (instead of the two below).
        transform: called on each waveform.
        target_transform: called on each digit label.

    Returns:
        Items ``(waveform, sample_rate, digit, speaker, index)``, in sorted file-name order.

    Example:
        >>> test = FSDD("../shared/data/audio", split="test")
        >>> waveform, sample_rate, digit, speaker, index = test[0]
        >>> sample_rate, digit, index < 5
        (8000, 0, True)
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        split: str = "train",
        *,
        download: bool = False,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        self.split = verify_str_arg(split, "split", ("train", "test"))
        if download:
            raise RuntimeError(f"FSDD: {_CLONE}")
        names = ["recordings", "fsdd/recordings", "free-spoken-digit-dataset/recordings"]
        self.folder = find_folder(
            Path(self.root), names, _has_digits, "FSDD", fetch_hint="or " + _CLONE
        )
        self._files: list[tuple[str, int, str, int]] = []
        for path in sorted(self.folder.glob("*.wav")):
            parts = path.stem.split("_")
            if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
                continue
            digit, speaker, index = int(parts[0]), parts[1], int(parts[2])
            if (index < 5) == (self.split == "test"):
                self._files.append((path.name, digit, speaker, index))

    def __len__(self) -> int:
        return len(self._files)

    def __getitem__(self, n: int) -> tuple[Tensor, int, int, str, int]:
        name, digit, speaker, index = self._files[n]
        return self._item(self.folder / name, digit, speaker, index)  # type: ignore[return-value]


def _has_digits(folder: Path) -> bool:
    return any(Path(folder).glob("[0-9]_*_*.wav"))
