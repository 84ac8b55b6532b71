"""LIBRISPEECH: read English audiobooks, ``*.flac`` with ``*.trans.txt`` transcripts."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ember import Tensor
from ember.utils.download import Resource
from emberaudio.datasets._base import AudioDataset, fetch, find_folder

__all__ = ["LIBRISPEECH"]


class LIBRISPEECH(AudioDataset):
    """LibriSpeech in its original layout: ``<speaker>/<chapter>/<speaker>-<chapter>-<n>.flac``
    beside ``<speaker>-<chapter>.trans.txt`` (one ``<utterance-id> <TRANSCRIPT>`` per line).

    Args:
        root: the folder holding ``LibriSpeech/<url>/``, that folder, or the subset folder.
        url: subset name (``"train-clean-100"``, ``"dev-clean"``, ``"test-clean"``, ...).
        folder_in_archive: the top folder name.
        download: fetch ``<url>.tar.gz`` from OpenSLR (sha256-checked, with its mirrors) and
            unpack it into ``root``, unless ``root/<folder_in_archive>/<url>`` exists.
        transforms: called on each ``(waveform, label)`` pair (instead of the two below).
        transform: called on each waveform.
        target_transform: called on each transcript.

    Returns:
        Items ``(waveform, sample_rate, transcript, speaker_id, chapter_id, utterance_id)``.

    Example:
        >>> ds = LIBRISPEECH("data", url="dev-clean")
        >>> waveform, sample_rate, text, speaker, chapter, utterance = ds[0]
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        url: str = "train-clean-100",
        folder_in_archive: str = "LibriSpeech",
        download: bool = False,
        *,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        if download:
            _download(Path(self.root), url, folder_in_archive)
        names = [f"{folder_in_archive}/{url}", url]
        self.folder = find_folder(Path(self.root), names, _has_flac, "LIBRISPEECH")
        self._walker = sorted(p.stem for p in self.folder.glob("*/*/*.flac"))
        self._transcripts: dict[tuple[str, str], dict[str, str]] = {}

    def _transcript(self, speaker: str, chapter: str, utterance_id: str) -> str:
        key = (speaker, chapter)
        if key not in self._transcripts:
            path = self.folder / speaker / chapter / f"{speaker}-{chapter}.trans.txt"
            if not path.is_file():
                raise RuntimeError(f"LIBRISPEECH: transcript file {path} is missing")
            lines = (line.split(" ", 1) for line in path.read_text().splitlines() if line.strip())
            self._transcripts[key] = {
                parts[0]: parts[1] if len(parts) > 1 else "" for parts in lines
            }
        table = self._transcripts[key]
        if utterance_id not in table:
            raise RuntimeError(
                f"LIBRISPEECH: no transcript for {utterance_id} in {speaker}-{chapter}.trans.txt"
            )
        return table[utterance_id]

    def __len__(self) -> int:
        return len(self._walker)

    def __getitem__(self, n: int) -> tuple[Tensor, int, str, int, int, int]:
        file_id = self._walker[n]
        speaker, chapter, utterance = file_id.split("-")
        path = self.folder / speaker / chapter / f"{file_id}.flac"
        text = self._transcript(speaker, chapter, file_id)
        return self._item(path, text, int(speaker), int(chapter), int(utterance))  # type: ignore[return-value]


_SHA256 = {
    "dev-clean": "76f87d090650617fca0cac8f88b9416e0ebf80350acb97b343a85fa903728ab3",
    "dev-other": "12661c48e8c3fe1de2c1caa4c3e135193bfb1811584f11f569dd12645aa84365",
    "test-clean": "39fde525e59672dc6d1551919b1478f724438a95aa55f874b576be21967e6c23",
    "test-other": "d09c181bba5cf717b3dee7d4d592af11a3ee3a09e08ae025c5506f6ebe961c29",
    "train-clean-100": "d4ddd1d5a6ab303066f14971d768ee43278a5f2a0aa43dc716b0e64ecbbbf6e2",
    "train-clean-360": "146a56496217e96c14334a160df97fffedd6e0a04e66b9c5af0d40be3c792ecf",
}
_HOSTS = ("https://www.openslr.org", "https://us.openslr.org", "https://openslr.elda.org")


def _download(root: Path, url: str, folder_in_archive: str) -> None:
    if (root / folder_in_archive / url).is_dir():
        return
    if url not in _SHA256:
        raise ValueError(f"LIBRISPEECH: download supports {sorted(_SHA256)}, got {url!r}")
    urls = [f"{host}/resources/12/{url}.tar.gz" for host in _HOSTS]
    fetch(Resource(f"{url}.tar.gz", urls, sha256=_SHA256[url]), root)


def _has_flac(folder: Path) -> bool:
    return any(folder.glob("*/*/*.flac"))
