"""Audio signal processing as pure functions, with torchaudio's names and signatures.

Every function works on ember tensors on the CPU (NumPy) or GPU (CuPy) and is differentiable
wherever the maths is (spectrograms, filter banks, decibels, resampling, filters, deltas).

Example:
    >>> from emberaudio import functional as AF
    >>> AF.resample(ember.randn(1, 44100), 44100, 16000).shape
    ember.Size([1, 16000])
"""

from __future__ import annotations

from emberaudio.functional.filtering import *  # noqa: F403
from emberaudio.functional.resample import *  # noqa: F403
from emberaudio.functional.spectral import *  # noqa: F403
