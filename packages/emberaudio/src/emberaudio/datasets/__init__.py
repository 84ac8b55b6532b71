"""Audio datasets in their original on-disk layouts, with torchaudio's item tuples.

Example:
    >>> from emberaudio import datasets
    >>> test = datasets.FSDD("../shared/data/audio", split="test")
    >>> waveform, sample_rate, digit, speaker, index = test[0]
"""

from __future__ import annotations

from emberaudio.datasets.folder import AudioFolder
from emberaudio.datasets.fsdd import FSDD
from emberaudio.datasets.librispeech import LIBRISPEECH
from emberaudio.datasets.speechcommands import SPEECHCOMMANDS
from emberaudio.datasets.yesno import YESNO

__all__ = ["AudioFolder", "FSDD", "LIBRISPEECH", "SPEECHCOMMANDS", "YESNO"]
