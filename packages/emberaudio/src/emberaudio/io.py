"""Audio file I/O over soundfile: :func:`load`, :func:`save` and :func:`info`.

libsndfile (shipped inside the ``soundfile`` wheel) reads and writes WAV, FLAC and OGG/Vorbis,
from paths or file objects, with no FFmpeg on the system. Signatures follow torchaudio's:
``load`` returns ``(Tensor[channels, frames], sample_rate)``, float32 in [-1, 1) when
``normalize=True``. Errors name the file and what was wrong with it.

Example:
    >>> waveform, sample_rate = emberaudio.load("speech.wav")
    >>> emberaudio.save("copy.flac", waveform, sample_rate, bits_per_sample=16)
    >>> emberaudio.info("copy.flac").encoding
    'FLAC'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import IO, Any, Union

import numpy as np
import soundfile as sf

import ember
from ember import Tensor

__all__ = ["AudioMetaData", "info", "load", "save"]

FileLike = Union[str, "os.PathLike[str]", IO[bytes]]

# soundfile subtype -> (torchaudio encoding, bits per sample)
_ENCODING_OF = {
    "PCM_S8": ("PCM_S", 8),
    "PCM_U8": ("PCM_U", 8),
    "PCM_16": ("PCM_S", 16),
    "PCM_24": ("PCM_S", 24),
    "PCM_32": ("PCM_S", 32),
    "FLOAT": ("PCM_F", 32),
    "DOUBLE": ("PCM_F", 64),
    "ULAW": ("ULAW", 8),
    "ALAW": ("ALAW", 8),
    "VORBIS": ("VORBIS", 0),
    "OPUS": ("OPUS", 0),
}
# integer subtypes and the dtype soundfile reads them into with normalize=False
_INT_READ = {
    "PCM_U8": "int16",
    "PCM_S8": "int16",
    "PCM_16": "int16",
    "PCM_24": "int32",
    "PCM_32": "int32",
}
_FORMAT_OF_EXT = {"wav": "WAV", "flac": "FLAC", "ogg": "OGG", "oga": "OGG", "vorbis": "OGG"}
_SAVE_DTYPES = ("float32", "float64", "int16", "int32", "uint8")
_TRUNCATED = re.compile(r"data\s*:\s*(\d+)\s*\(should be (\d+)\)")


@dataclass
class AudioMetaData:
    """What :func:`info` reports about an audio file (torchaudio's fields).

    Args:
        sample_rate: frames per second.
        num_frames: frames per channel.
        num_channels: channels.
        bits_per_sample: bits of one sample (0 for lossy formats such as Vorbis).
        encoding: ``"PCM_S"``, ``"PCM_U"``, ``"PCM_F"``, ``"FLAC"``, ``"VORBIS"``, ``"ULAW"``
            or ``"ALAW"``.
    """

    sample_rate: int
    num_frames: int
    num_channels: int
    bits_per_sample: int
    encoding: str


def _name(uri: Any) -> str:
    if isinstance(uri, (str, os.PathLike)):
        return os.fspath(uri)
    return str(getattr(uri, "name", None) or f"<{type(uri).__name__} object>")


def _open(uri: Any, mode: str = "r", **kwargs: Any) -> sf.SoundFile:
    try:
        return sf.SoundFile(uri, mode, **kwargs)
    except (sf.LibsndfileError, RuntimeError) as err:
        name = _name(uri)
        if isinstance(uri, (str, os.PathLike)) and mode == "r":
            if not os.path.exists(uri):
                raise FileNotFoundError(f"{name}: no such audio file") from None
            if os.path.getsize(uri) == 0:
                raise RuntimeError(f"{name}: the file is empty, not audio") from None
        detail = getattr(err, "error_string", None) or str(err)
        raise RuntimeError(
            f"{name}: cannot {'read' if mode == 'r' else 'write'} audio ({detail}); "
            "supported formats are WAV, FLAC and OGG/Vorbis"
        ) from None


def _check_complete(f: sf.SoundFile, name: str) -> None:
    """libsndfile reads a WAV cut short without complaint; its header log tells.

    Only WAV-family logs have a ``data : N (should be M)`` line, so the format is not asked
    for (soundfile's ``format``/``subtype`` cost about 30 us each, more than decoding a short
    file).
    """
    m = _TRUNCATED.search(f.extra_info)
    if m and int(m.group(2)) < int(m.group(1)):
        raise RuntimeError(
            f"{name}: truncated audio file: the header announces {m.group(1)} bytes of samples "
            f"but only {m.group(2)} are present"
        )


def info(uri: FileLike, format: str | None = None) -> AudioMetaData:
    """Read an audio file's header: sample rate, length, channels, bit depth and encoding.

    Args:
        uri: a path or a binary file object.
        format: the container (``"WAV"``, ``"FLAC"``, ``"OGG"``) for headerless input; usually
            None (detected from the file).

    Returns:
        An :class:`AudioMetaData`.

    Example:
        >>> meta = emberaudio.info("speech.wav")
        >>> meta.sample_rate, meta.num_channels, meta.encoding
        (16000, 1, 'PCM_S')
    """
    with _open(uri, format=format) as f:
        _check_complete(f, _name(uri))
        encoding, bits = _ENCODING_OF.get(f.subtype, (f.subtype, 0))
        if f.format == "FLAC":
            encoding = "FLAC"
        return AudioMetaData(f.samplerate, f.frames, f.channels, bits, encoding)


def load(
    uri: FileLike,
    frame_offset: int = 0,
    num_frames: int = -1,
    normalize: bool = True,
    channels_first: bool = True,
    format: str | None = None,
) -> tuple[Tensor, int]:
    """Read audio into a tensor, as ``torchaudio.load``.

    Args:
        uri: a path or a binary file object (WAV, FLAC, OGG/Vorbis).
        frame_offset: frames to skip at the start.
        num_frames: frames to read; -1 reads to the end.
        normalize: if True (default), float32 samples in [-1, 1) (integer PCM is divided by
            its full scale, ``2**(bits-1)``). If False, integer WAV files give integers:
            ``uint8`` for 8-bit unsigned, ``int16`` for 16-bit, and ``int32`` scaled to the full
            32-bit range for 24- and 32-bit (as torchaudio); other files are float32 anyway.
        channels_first: shape ``(channels, frames)`` if True, else ``(frames, channels)``.
        format: the container for headerless input; usually None.

    Returns:
        ``(waveform, sample_rate)``.

    Raises:
        FileNotFoundError: the path does not exist.
        RuntimeError: the file is empty, truncated, not audio, or in an unsupported format;
            the message names the file.

    Example:
        >>> waveform, sr = emberaudio.load("speech.wav", frame_offset=sr, num_frames=sr)
        >>> waveform.shape, waveform.dtype
        (ember.Size([1, 16000]), ember.float32)
    """
    if frame_offset < 0:
        raise ValueError(f"frame_offset must be >= 0, got {frame_offset}")
    name = _name(uri)
    with _open(uri, format=format) as f:
        _check_complete(f, name)
        if frame_offset:
            f.seek(min(frame_offset, f.frames))
        data = _read(f, num_frames, normalize, name)
        sample_rate = f.samplerate
    if channels_first:
        data = data.T
    return ember.from_numpy(np.ascontiguousarray(data)), sample_rate


def _read(f: sf.SoundFile, num_frames: int, normalize: bool, name: str) -> np.ndarray:
    int_read = None if normalize else _INT_READ.get(f.subtype)
    try:
        if normalize or int_read is None:
            # libsndfile scales integer PCM by 1 / 2**(bits-1), torchaudio's normalisation
            # (checked bit for bit in the tests), and save() inverts it exactly
            return f.read(num_frames, dtype="float32", always_2d=True)
        raw = f.read(num_frames, dtype=int_read, always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as err:
        raise RuntimeError(f"{name}: cannot decode audio ({err}); is the file cut short?") from None
    if f.subtype == "PCM_U8":
        return ((raw >> 8) + 128).astype(np.uint8)
    return raw


def _subtype(fmt: str, dtype: str, encoding: str | None, bits: int | None, name: str) -> str:
    if encoding is not None and encoding.upper() in sf.available_subtypes():
        return encoding.upper()
    enc = None if encoding is None else encoding.upper()
    if fmt == "OGG":
        return "VORBIS"
    if fmt == "FLAC" or enc == "FLAC":
        if bits not in (None, 16, 24):
            raise ValueError(f"{name}: FLAC supports bits_per_sample 16 or 24, got {bits}")
        return f"PCM_{bits or 16}"
    if enc is None:
        enc, bits = _default_encoding(dtype, bits)
    table = {
        ("PCM_S", 8): "PCM_S8",
        ("PCM_U", 8): "PCM_U8",
        ("PCM_S", 16): "PCM_16",
        ("PCM_S", 24): "PCM_24",
        ("PCM_S", 32): "PCM_32",
        ("PCM_F", 32): "FLOAT",
        ("PCM_F", 64): "DOUBLE",
        ("ULAW", 8): "ULAW",
        ("ALAW", 8): "ALAW",
    }
    default_bits = {"PCM_S": 16, "PCM_U": 8, "PCM_F": 32, "ULAW": 8, "ALAW": 8}
    key = (enc, bits or default_bits.get(enc, 0))
    if key not in table:
        raise ValueError(
            f"{name}: unsupported encoding {encoding!r} with bits_per_sample={bits}; use one of "
            "PCM_S (8/16/24/32), PCM_U (8), PCM_F (32/64), ULAW, ALAW, FLAC, VORBIS or a "
            "soundfile subtype such as 'PCM_16'"
        )
    return table[key]


def _default_encoding(dtype: str, bits: int | None) -> tuple[str, int | None]:
    if bits is not None:
        return ("PCM_F" if bits == 64 else "PCM_S" if bits != 8 else "PCM_U"), bits
    return {
        "float32": ("PCM_F", 32),
        "float64": ("PCM_F", 64),
        "int16": ("PCM_S", 16),
        "int32": ("PCM_S", 32),
        "uint8": ("PCM_U", 8),
    }[dtype]


def _to_writable(data: np.ndarray, subtype: str) -> np.ndarray:
    """Quantise floats ourselves for integer PCM so that load -> save -> load is bit-exact."""
    if data.dtype == np.uint8:
        data = (data.astype(np.int16) - 128) << 8
    if subtype not in _INT_READ or data.dtype.kind != "f":
        return data
    bits = {"PCM_U8": 8, "PCM_S8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32}[subtype]
    scale = 2.0 ** (bits - 1)
    q = np.clip(np.round(data.astype(np.float64) * scale), -scale, scale - 1)
    shift = (16 if bits <= 16 else 32) - bits
    return (q.astype(np.int64) << shift).astype(np.int16 if bits <= 16 else np.int32)


def save(
    uri: FileLike,
    src: Tensor,
    sample_rate: int,
    channels_first: bool = True,
    format: str | None = None,
    encoding: str | None = None,
    bits_per_sample: int | None = None,
) -> None:
    """Write a tensor to an audio file, as ``torchaudio.save``.

    Args:
        uri: a path (the extension picks the format) or a binary file object (give ``format``).
        src: ``(channels, frames)`` (or ``(frames, channels)`` with ``channels_first=False``),
            or 1-D for mono; float32/float64 in [-1, 1], or int16/int32/uint8 samples.
        sample_rate: frames per second.
        channels_first: layout of ``src``.
        format: ``"wav"``, ``"flac"`` or ``"ogg"``; None to infer from the file name.
        encoding: torchaudio's ``"PCM_S"``, ``"PCM_U"``, ``"PCM_F"``, ``"ULAW"``, ``"ALAW"``,
            ``"FLAC"``, ``"VORBIS"``, or a soundfile subtype (``"PCM_16"``, ``"FLOAT"``, ...).
            None picks it from the dtype for WAV (float32 -> 32-bit float, int16 -> 16-bit PCM),
            16-bit for FLAC and Vorbis for OGG.
        bits_per_sample: 8, 16, 24, 32 or 64, with ``encoding``.

    Raises:
        TypeError: ``src`` is not a tensor or has an unsupported dtype (names the file).
        ValueError: unknown format or encoding, or a tensor that is not 1-D or 2-D.

    Example:
        >>> emberaudio.save("tone.wav", ember.sin(ember.arange(8000) * 0.1)[None], 8000,
        ...                 encoding="PCM_S", bits_per_sample=16)
    """
    name = _name(uri)
    data = _as_array(src, name)
    if data.ndim == 1:
        data = data[None] if channels_first else data[:, None]
    if data.ndim != 2:
        raise ValueError(f"{name}: expected a 1-D or 2-D waveform, got shape {tuple(data.shape)}")
    if channels_first:
        data = data.T
    fmt = _container(uri, format, name)
    subtype = _subtype(fmt, str(data.dtype), encoding, bits_per_sample, name)
    if not sf.check_format(fmt, subtype):
        raise ValueError(f"{name}: the {fmt} format cannot hold {subtype} samples")
    data = _to_writable(np.ascontiguousarray(data), subtype)
    with _open(uri, "w", samplerate=int(sample_rate), channels=data.shape[1], format=fmt,
               subtype=subtype) as f:  # fmt: skip
        f.write(data)


def _as_array(src: Any, name: str) -> np.ndarray:
    if not isinstance(src, Tensor):
        raise TypeError(f"{name}: save() expects an ember Tensor, got {type(src).__name__}")
    data = src.detach().cpu().numpy()
    if str(data.dtype) not in _SAVE_DTYPES:
        raise TypeError(
            f"{name}: cannot save a tensor of dtype {src.dtype}; use float32, float64, int16, "
            "int32 or uint8"
        )
    return data


def _container(uri: Any, format: str | None, name: str) -> str:
    ext = format or (os.path.splitext(name)[1].lstrip(".") if name else "")
    fmt = _FORMAT_OF_EXT.get(ext.lower()) if ext else None
    if fmt is None:
        raise ValueError(
            f"{name}: unknown audio format {ext!r}; give format='wav', 'flac' or 'ogg'"
        )
    return fmt
