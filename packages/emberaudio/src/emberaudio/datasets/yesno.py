"""YESNO: 8-word yes/no sequences from one speaker (OpenSLR SLR1)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ember import Tensor
from ember.utils.download import Resource
from emberaudio.datasets._base import AudioDataset, fetch, find_folder

__all__ = ["YESNO"]


class YESNO(AudioDataset):
    """The YESNO corpus: each file's name is its transcript (8 digits, 1 = yes, 0 = no).

    Args:
        root: the folder holding ``waves_yesno/``, or ``waves_yesno/`` itself.
        url: archive URL used by ``download``.
        folder_in_archive: name of the dataset folder.
        download: fetch the archive (sha256-checked, with OpenSLR's mirrors) into ``root`` and
            unpack it, unless ``root/waves_yesno`` exists.
        transforms: called on each ``(waveform, label)`` pair (instead of the two below).
        transform: called on each waveform.
        target_transform: called on each label list.

    Returns:
        Items ``(waveform, sample_rate, labels)``: ``(1, frames)`` float32, 8000, 8 ints,
        in sorted file-name order.

    Example:
        >>> ds = YESNO("../shared/data/audio")
        >>> waveform, sample_rate, labels = ds[0]
        >>> sample_rate, labels
        (8000, [0, 0, 0, 0, 1, 1, 1, 1])
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        url: str = "http://www.openslr.org/resources/1/waves_yesno.tar.gz",
        folder_in_archive: str = "waves_yesno",
        download: bool = False,
        *,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        if download:
            _download_yesno(Path(self.root), url)
        self.folder = find_folder(
            Path(self.root), [folder_in_archive], lambda p: any(p.glob("*.wav")), "YESNO"
        )
        self._walker = sorted(p.stem for p in self.folder.glob("*.wav"))

    def __len__(self) -> int:
        return len(self._walker)

    def __getitem__(self, n: int) -> tuple[Tensor, int, list[int]]:
        stem = self._walker[n]
        labels = [int(c) for c in stem.split("_")]
        return self._item(self.folder / f"{stem}.wav", labels)  # type: ignore[return-value]


_SHA256 = "c3f49e0cca421f96b75b41640749167b52118f232498667ca7a5f9416aef8e73"
_MIRRORS = (
    "https://us.openslr.org/resources/1/waves_yesno.tar.gz",
    "https://openslr.elda.org/resources/1/waves_yesno.tar.gz",
)


def _download_yesno(root: Path, url: str) -> None:
    if (root / "waves_yesno").is_dir():
        return
    urls = [url, *(m for m in _MIRRORS if m != url)]
    fetch(Resource("waves_yesno.tar.gz", urls, sha256=_SHA256), root)
