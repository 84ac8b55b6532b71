"""LIBRISPEECH: read English audiobooks, ``*.flac`` with ``*.trans.txt`` transcripts."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ember import Tensor
from emberaudio.datasets._base import AudioDataset, find_folder

__all__ = ["LIBRISPEECH"]


class LIBRISPEECH(AudioDataset):
    """LibriSpeech in its original layout: ``<speaker>/<chapter>/<speaker>-<chapter>-<n>.flac``
    beside ``<speaker>-<chapter>.trans.txt`` (one ``<utterance-id> <TRANSCRIPT>`` per line).

    Args:
        root: the folder holding ``LibriSpeech/<url>/``, that folder, or the subset folder.
        url: subset name (``"train-clean-100"``, ``"dev-clean"``, ``"test-clean"``, ...).
        folder_in_archive: the top folder name.
        download: unsupported here (the archives are GBs).
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
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        if download:
            raise RuntimeError("LIBRISPEECH: download is not supported; unpack the archive")
        names = [f"{folder_in_archive}/{url}", url]
        self.folder = find_folder(self.root, names, _has_flac, "LIBRISPEECH")
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


def _has_flac(folder: Path) -> bool:
    return any(folder.glob("*/*/*.flac"))
