"""Audio transforms as ``nn.Module`` classes, with torchaudio's names, arguments and defaults.

Each class stores its arguments (and windows, filter banks or kernels as buffers) and calls
:mod:`emberaudio.functional`; compose them with ``ember.nn.Sequential``.

Example:
    >>> from emberaudio import transforms as T
    >>> features = ember.nn.Sequential(T.MelSpectrogram(16000, n_mels=64), T.AmplitudeToDB())
    >>> features(ember.randn(1, 16000)).shape
    ember.Size([1, 64, 81])
"""

from __future__ import annotations

from emberaudio.transforms._transforms import *  # noqa: F403
from emberaudio.transforms._transforms import __all__  # noqa: F401
