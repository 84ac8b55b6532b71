"""emberaudio: audio I/O, signal processing, transforms, datasets and models for ember.

Names and signatures follow torchaudio: :func:`load`, :func:`save` and :func:`info` read and
write audio over soundfile; :mod:`emberaudio.functional` and :mod:`emberaudio.transforms` hold
the signal processing (differentiable where the maths is); :mod:`emberaudio.datasets` reads
the usual corpora in their original layouts; :mod:`emberaudio.models` registers its models in
:mod:`ember.hub` under the ``"audio"`` domain.

Example:
    >>> import emberaudio
    >>> waveform, sample_rate = emberaudio.load("speech.wav")
    >>> mel = emberaudio.transforms.MelSpectrogram(sample_rate)(waveform)
"""

from __future__ import annotations

from emberaudio import datasets, functional, models, transforms
from emberaudio._version import __version__
from emberaudio.io import AudioMetaData, info, load, save

__all__ = [
    "AudioMetaData",
    "__version__",
    "datasets",
    "functional",
    "info",
    "load",
    "models",
    "save",
    "transforms",
]
