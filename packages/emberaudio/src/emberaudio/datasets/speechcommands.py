"""SPEECHCOMMANDS: one-second keyword recordings, a folder per word (Warden, 2018)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ember import Tensor
from ember.utils.data import verify_str_arg
from ember.utils.download import Resource
from emberaudio.datasets._base import AudioDataset, fetch, find_folder

__all__ = ["SPEECHCOMMANDS"]

_NOISE = "_background_noise_"


class SPEECHCOMMANDS(AudioDataset):
    """Speech Commands in its original layout: ``<word>/<speaker>_nohash_<n>.wav``.

    ``validation_list.txt`` and ``testing_list.txt`` (paths relative to the dataset folder)
    define the splits; ``"training"`` is every other recording. ``_background_noise_`` is
    skipped.

    Args:
        root: the folder holding ``SpeechCommands/<url>/``, that folder, or the version folder.
        url: version folder name (``"speech_commands_v0.02"`` or ``"speech_commands_v0.01"``).
        folder_in_archive: the top folder name.
        download: fetch ``<url>.tar.gz`` (2.3 GB for v0.02; sha256-checked) and unpack it into
            ``root/<folder_in_archive>/<url>``, unless that folder exists.
        subset: None (everything), ``"training"``, ``"validation"`` or ``"testing"``.
        transforms: called on each ``(waveform, label)`` pair (instead of the two below).
        transform: called on each waveform.
        target_transform: called on each word label.

    Returns:
        Items ``(waveform, sample_rate, label, speaker_id, utterance_number)``.

    Example:
        >>> ds = SPEECHCOMMANDS("data", subset="testing")
        >>> waveform, sample_rate, label, speaker, n = ds[0]
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        url: str = "speech_commands_v0.02",
        folder_in_archive: str = "SpeechCommands",
        download: bool = False,
        subset: str | None = None,
        *,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        if subset is not None:
            verify_str_arg(subset, "subset", ("training", "validation", "testing"))
        if download:
            _download(Path(self.root), url, folder_in_archive)
        names = [f"{folder_in_archive}/{url}", url, folder_in_archive]
        self.folder = find_folder(Path(self.root), names, _has_words, "SPEECHCOMMANDS")
        self.subset = subset
        self._walker = self._select(subset)

    def _list(self, name: str) -> set[str]:
        path = self.folder / name
        if not path.is_file():
            raise RuntimeError(f"SPEECHCOMMANDS: split file {path} is missing")
        return {line.strip() for line in path.read_text().splitlines() if line.strip()}

    def _select(self, subset: str | None) -> list[str]:
        files = sorted(
            p.relative_to(self.folder).as_posix()
            for p in self.folder.glob("*/*.wav")
            if p.parent.name != _NOISE
        )
        if subset is None:
            return files
        if subset == "validation":
            return [f for f in files if f in self._list("validation_list.txt")]
        if subset == "testing":
            return [f for f in files if f in self._list("testing_list.txt")]
        held_out = self._list("validation_list.txt") | self._list("testing_list.txt")
        return [f for f in files if f not in held_out]

    def __len__(self) -> int:
        return len(self._walker)

    def __getitem__(self, n: int) -> tuple[Tensor, int, str, str, int]:
        rel = self._walker[n]
        label, name = rel.split("/")
        speaker, _, number = Path(name).stem.partition("_nohash_")
        return self._item(self.folder / rel, label, speaker, int(number or 0))  # type: ignore[return-value]


_SHA256 = {
    "speech_commands_v0.01": "743935421bb51cccdb6bdd152e04c5c70274e935c82119ad7faeec31780d811d",
    "speech_commands_v0.02": "af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58",
}


def _download(root: Path, url: str, folder_in_archive: str) -> None:
    target = root / folder_in_archive / url
    if target.is_dir():
        return
    if url not in _SHA256:
        raise ValueError(f"SPEECHCOMMANDS: url must be one of {sorted(_SHA256)}, got {url!r}")
    urls = [f"https://storage.googleapis.com/download.tensorflow.org/data/{url}.tar.gz",
            f"http://download.tensorflow.org/data/{url}.tar.gz"]  # fmt: skip
    fetch(Resource(f"{url}.tar.gz", urls, sha256=_SHA256[url]), target)


def _has_words(folder: Path) -> bool:
    return any(p.parent.name != _NOISE for p in folder.glob("*/*.wav"))
