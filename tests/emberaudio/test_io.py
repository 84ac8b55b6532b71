"""emberaudio.load / save / info: formats, round trips, file objects and errors."""

from __future__ import annotations

import io

import numpy as np
import pytest

import ember
import emberaudio


def tone(channels: int = 2, frames: int = 4000) -> ember.Tensor:
    t = np.arange(frames) / 8000
    data = np.stack([0.5 * np.sin(2 * np.pi * (220 + 110 * c) * t) for c in range(channels)])
    return ember.tensor(data.astype(np.float32))


@pytest.mark.parametrize(
    "encoding, bits, dtype",
    [("PCM_S", 16, "int16"), ("PCM_S", 24, "int32"), ("PCM_S", 32, "int32"),
     ("PCM_U", 8, "uint8"), ("PCM_16", None, "int16")],
)  # fmt: skip
def test_pcm_save_load_is_bit_exact(tmp_path, encoding, bits, dtype):
    path = tmp_path / "a.wav"
    emberaudio.save(path, tone(), 8000, encoding=encoding, bits_per_sample=bits)
    first, sr = emberaudio.load(path)
    assert sr == 8000 and first.shape == (2, 4000) and first.dtype == ember.float32
    assert float(first.abs().max()) <= 1.0
    np.testing.assert_allclose(first.numpy(), tone().numpy(), atol=2.0 ** (1 - (bits or 16)))
    emberaudio.save(tmp_path / "b.wav", first, 8000, encoding=encoding, bits_per_sample=bits)
    second, _ = emberaudio.load(tmp_path / "b.wav")
    assert np.array_equal(first.numpy(), second.numpy())
    raw, _ = emberaudio.load(path, normalize=False)
    assert str(raw.dtype) == f"ember.{dtype}"
    emberaudio.save(tmp_path / "c.wav", raw, 8000, encoding=encoding, bits_per_sample=bits)
    again, _ = emberaudio.load(tmp_path / "c.wav", normalize=False)
    assert np.array_equal(raw.numpy(), again.numpy())


def test_int16_tensor_round_trip_and_info(tmp_path):
    data = ember.tensor(np.arange(-600, 600, dtype=np.int16).reshape(1, -1) * 50)
    emberaudio.save(tmp_path / "i.wav", data, 16000)
    meta = emberaudio.info(tmp_path / "i.wav")
    assert (meta.sample_rate, meta.num_frames, meta.num_channels) == (16000, 1200, 1)
    assert (meta.bits_per_sample, meta.encoding) == (16, "PCM_S")
    back, _ = emberaudio.load(tmp_path / "i.wav", normalize=False)
    assert np.array_equal(back.numpy(), data.numpy())
    scaled, _ = emberaudio.load(tmp_path / "i.wav")
    np.testing.assert_array_equal(scaled.numpy(), data.numpy() / np.float32(32768))


def test_float_flac_ogg(tmp_path):
    x = tone()
    emberaudio.save(tmp_path / "f.wav", x, 8000)
    assert emberaudio.info(tmp_path / "f.wav").encoding == "PCM_F"
    assert np.array_equal(emberaudio.load(tmp_path / "f.wav")[0].numpy(), x.numpy())
    emberaudio.save(tmp_path / "f.flac", x, 8000, bits_per_sample=24)
    meta = emberaudio.info(tmp_path / "f.flac")
    assert (meta.encoding, meta.bits_per_sample, meta.num_frames) == ("FLAC", 24, 4000)
    y, _ = emberaudio.load(tmp_path / "f.flac")
    assert float((y - x).abs().max()) < 2.0**-22
    emberaudio.save(tmp_path / "f.ogg", x, 8000)
    meta = emberaudio.info(tmp_path / "f.ogg")
    assert meta.encoding == "VORBIS" and meta.num_channels == 2
    z, _ = emberaudio.load(tmp_path / "f.ogg")
    assert z.shape == (2, 4000) and float((z - x).abs().mean()) < 0.05  # lossy


def test_offsets_channels_last_and_file_objects(tmp_path):
    x = tone(frames=1000)
    buf = io.BytesIO()
    emberaudio.save(buf, x, 8000, format="wav", encoding="PCM_S", bits_per_sample=16)
    buf.seek(0)
    part, sr = emberaudio.load(buf, frame_offset=100, num_frames=50, channels_first=False)
    assert part.shape == (50, 2) and sr == 8000
    buf.seek(0)
    full, _ = emberaudio.load(buf)
    np.testing.assert_array_equal(part.numpy(), full.numpy()[:, 100:150].T)
    buf.seek(0)
    assert emberaudio.info(buf).num_frames == 1000
    emberaudio.save(tmp_path / "m.wav", x[0], 8000, channels_first=True)
    assert emberaudio.load(tmp_path / "m.wav")[0].shape == (1, 1000)


def test_errors_name_the_file(tmp_path):
    good = tmp_path / "good.wav"
    emberaudio.save(good, tone(), 8000, encoding="PCM_S", bits_per_sample=16)
    data = good.read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 2])
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "text.wav").write_bytes(b"this is plain text, not a RIFF file\n" * 20)
    for name, match in (("cut.wav", "truncated"), ("empty.wav", "empty"), ("text.wav", "cannot")):
        with pytest.raises(RuntimeError, match=match) as info:
            emberaudio.load(tmp_path / name)
        assert name in str(info.value)
    with pytest.raises(RuntimeError, match="cut.wav"):
        emberaudio.info(tmp_path / "cut.wav")
    with pytest.raises(FileNotFoundError, match="missing.wav"):
        emberaudio.load(tmp_path / "missing.wav")
    with pytest.raises(TypeError, match="bad.wav.*int64"):
        emberaudio.save(tmp_path / "bad.wav", ember.zeros(1, 10, dtype=ember.int64), 8000)
    with pytest.raises(TypeError, match="Tensor"):
        emberaudio.save(tmp_path / "bad.wav", np.zeros((1, 10), np.float32), 8000)
    with pytest.raises(ValueError, match="x.mp3.*format"):
        emberaudio.save(tmp_path / "x.mp3", tone(), 8000)
    with pytest.raises(ValueError, match="encoding"):
        emberaudio.save(tmp_path / "e.wav", tone(), 8000, encoding="PCM_S", bits_per_sample=12)
    with pytest.raises(ValueError, match="FLAC"):
        emberaudio.save(tmp_path / "e.flac", tone(), 8000, bits_per_sample=32)
