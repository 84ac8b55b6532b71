"""embervision.io: decode/encode round trips, modes vs torchvision's stored outputs, errors."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ember
from embervision import io as vio

FIXTURE = Path(__file__).parent / "fixtures" / "io_reference.npz"


def _u8(data: bytes) -> ember.Tensor:
    return ember.from_numpy(np.frombuffer(data, np.uint8).copy())


def _smooth(c: int, h: int = 16, w: int = 20) -> ember.Tensor:
    y, x = np.mgrid[0:h, 0:w]
    planes = [x * 6 + y * 3 + 20 * i for i in range(c)]  # smooth, so JPEG is nearly exact
    return ember.from_numpy(np.stack(planes).astype(np.uint8))


def _reference_cases() -> list[str]:
    keys = np.load(FIXTURE).files
    # torchvision 0.29 returns one odd channel for a palette PNG in UNCHANGED mode; we expand
    # the palette (to RGBA here, the file has a transparent colour), as Pillow and libpng do.
    return [k for k in keys if "|" in k and k != "palette_trns.png|UNCHANGED"]


@pytest.mark.parametrize("key", _reference_cases())
def test_decode_matches_torchvision(key: str):
    ref = np.load(FIXTURE)
    name, mode = key.split("|")
    out = vio.decode_image(_u8(ref[name].tobytes()), vio.ImageReadMode[mode])
    expected = ref[key]
    assert out.dtype == ember.uint8 and tuple(out.shape) == expected.shape
    # JPEG is bit-exact; Pillow rounds the RGB -> grey formula differently from libpng by <= 1.
    tol = 1 if name.endswith(".png") and mode.startswith("GRAY") else 0
    assert np.abs(out.numpy().astype(int) - expected).max() <= tol


def test_palette_png_unchanged_expands_to_rgba_with_transparency():
    ref = np.load(FIXTURE)
    out = vio.decode_png(_u8(ref["palette_trns.png"].tobytes()))
    assert tuple(out.shape) == (4, 24, 32)
    np.testing.assert_array_equal(out.numpy()[:3], ref["palette_trns.png|RGB"])


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip_is_lossless(channels: int, tmp_path: Path):
    image = _smooth(channels)
    np.testing.assert_array_equal(vio.decode_png(vio.encode_png(image)).numpy(), image.numpy())
    vio.write_png(image, tmp_path / "x.png", compression_level=9)
    np.testing.assert_array_equal(vio.read_image(tmp_path / "x.png").numpy(), image.numpy())


@pytest.mark.parametrize("channels", [1, 3])
def test_jpeg_round_trip_close_and_quality_matters(channels: int, tmp_path: Path):
    image = _smooth(channels)
    high = vio.encode_jpeg(image, quality=95)
    low = vio.encode_jpeg(image, quality=10)
    assert high.shape[0] > low.shape[0]
    decoded = vio.decode_jpeg(high)
    assert tuple(decoded.shape) == tuple(image.shape)
    assert np.abs(decoded.numpy().astype(int) - image.numpy()).mean() < 4
    vio.write_jpeg(image, tmp_path / "x.jpg", quality=95)
    assert vio.read_file(tmp_path / "x.jpg").numpy().tobytes() == high.numpy().tobytes()


def test_encode_matches_pillow_bytes():
    image = _smooth(3)
    buffer = io.BytesIO()
    Image.fromarray(image.numpy().transpose(1, 2, 0)).save(buffer, format="JPEG", quality=75)
    assert vio.encode_jpeg(image).numpy().tobytes() == buffer.getvalue()


def test_encode_and_decode_jpeg_lists():
    images = [_smooth(3), _smooth(1)]
    encoded = vio.encode_jpeg(images)
    assert isinstance(encoded, list) and len(encoded) == 2
    decoded = vio.decode_jpeg(encoded, mode=vio.ImageReadMode.RGB)
    assert [tuple(d.shape) for d in decoded] == [(3, 16, 20), (3, 16, 20)]


def test_read_write_file_round_trip(tmp_path: Path):
    data = _u8(bytes(range(256)))
    vio.write_file(tmp_path / "b.bin", data)
    assert (tmp_path / "b.bin").read_bytes() == bytes(range(256))
    back = vio.read_file(tmp_path / "b.bin")
    assert back.dtype == ember.uint8 and back.numpy().tobytes() == bytes(range(256))


def test_modes_by_name_and_decode_image_from_path(tmp_path: Path):
    vio.write_png(_smooth(3), tmp_path / "c.png")
    assert tuple(vio.decode_image(tmp_path / "c.png", "gray").shape) == (1, 16, 20)
    assert tuple(vio.read_image(tmp_path / "c.png", "RGB_ALPHA").shape) == (4, 16, 20)
    with pytest.raises(ValueError, match="unknown image read mode"):
        vio.read_image(tmp_path / "c.png", "CMYK")


def test_animated_gif_decodes_to_frames():
    frames = [Image.new("RGB", (5, 4), (i * 100, 50, 0)) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    out = vio.decode_gif(_u8(buffer.getvalue()))
    assert tuple(out.shape) == (3, 3, 4, 5)


def test_exif_orientation_is_applied_on_request():
    image = Image.fromarray(np.zeros((4, 6, 3), np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = _u8(buffer.getvalue())
    assert tuple(vio.decode_jpeg(data).shape) == (3, 4, 6)
    assert tuple(vio.decode_jpeg(data, apply_exif_orientation=True).shape) == (3, 6, 4)


def test_decode_errors_name_the_problem(tmp_path: Path):
    png = vio.encode_png(_smooth(3))
    with pytest.raises(RuntimeError, match="PNG image, not JPEG"):
        vio.decode_jpeg(png)
    with pytest.raises(RuntimeError, match="not an image format"):
        vio.decode_image(_u8(b"hello world"))
    with pytest.raises(RuntimeError, match="could not decode"):
        vio.decode_png(_u8(png.numpy().tobytes()[:60]))
    with pytest.raises(RuntimeError, match="1-D uint8"):
        vio.decode_png(png.to(ember.int32))
    with pytest.raises(TypeError, match="ember.Tensor"):
        vio.decode_png(png.numpy().tobytes())
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG garbage")
    with pytest.raises(RuntimeError, match="broken.png"):
        vio.read_image(bad)


def test_encode_argument_checks():
    with pytest.raises(RuntimeError, match=r"C = 1 or 3"):
        vio.encode_jpeg(_smooth(4))
    with pytest.raises(RuntimeError, match=r"shape \(C, H, W\)"):
        vio.encode_png(ember.zeros(4, 4, dtype=ember.uint8))
    with pytest.raises(RuntimeError, match="uint8"):
        vio.encode_png(ember.zeros(3, 4, 4))
    with pytest.raises(ValueError, match="quality"):
        vio.encode_jpeg(_smooth(3), quality=0)
    with pytest.raises(ValueError, match="compression_level"):
        vio.encode_png(_smooth(3), compression_level=10)


def _png_with_header_size(width: int, height: int) -> bytes:
    """A tiny 1x1 PNG whose IHDR claims ``width`` x ``height`` (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_decompression_bomb_guard_stays_on(tmp_path: Path):
    assert Image.MAX_IMAGE_PIXELS is not None
    side = int((3 * Image.MAX_IMAGE_PIXELS) ** 0.5)
    bomb = _png_with_header_size(side, side)
    with pytest.raises(Image.DecompressionBombError):
        vio.decode_png(_u8(bomb))
    (tmp_path / "bomb.png").write_bytes(bomb)
    with pytest.raises(Image.DecompressionBombError):
        vio.read_image(tmp_path / "bomb.png")
