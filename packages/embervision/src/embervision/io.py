"""Read, decode, encode and write images as uint8 tensors, with torchvision.io's names.

Decoding and encoding go through Pillow with its decompression-bomb guard left on: an image
whose header claims more than twice ``PIL.Image.MAX_IMAGE_PIXELS`` pixels raises
``PIL.Image.DecompressionBombError`` before any pixel is decoded.

Example:
    >>> import ember
    >>> from embervision.io import decode_png, encode_png
    >>> image = ember.zeros(3, 4, 5, dtype=ember.uint8)
    >>> decode_png(encode_png(image)).shape
    ember.Size([3, 4, 5])
"""

from __future__ import annotations

import enum
import io as _io
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

import ember

__all__ = [
    "ImageReadMode",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "encode_jpeg",
    "encode_png",
    "read_file",
    "read_image",
    "write_file",
    "write_jpeg",
    "write_png",
]


class ImageReadMode(enum.Enum):
    """How many channels a decoded image gets.

    ``UNCHANGED`` keeps the file's own channels (palette images are expanded to RGB, or RGBA
    when they have a transparent colour); the others convert with Pillow.
    """

    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4


_PIL_MODE = {
    ImageReadMode.GRAY: "L",
    ImageReadMode.GRAY_ALPHA: "LA",
    ImageReadMode.RGB: "RGB",
    ImageReadMode.RGB_ALPHA: "RGBA",
}
_KEEP = {"L", "LA", "RGB", "RGBA"}


def _mode(mode: ImageReadMode | str) -> ImageReadMode:
    if isinstance(mode, ImageReadMode):
        return mode
    try:
        return ImageReadMode[str(mode).upper()]
    except KeyError:
        names = ", ".join(m.name for m in ImageReadMode)
        raise ValueError(f"unknown image read mode {mode!r}; expected one of {names}") from None


def _raw_bytes(data: Any, op: str) -> bytes:
    """The bytes held by a 1-D uint8 tensor, with errors naming the op."""
    if not isinstance(data, ember.Tensor):
        raise TypeError(
            f"{op}: expected a 1-D uint8 ember.Tensor of encoded bytes, "
            f"got {type(data).__name__}; use read_file(path) to get one"
        )
    if data.dtype != ember.uint8 or data.ndim != 1:
        raise RuntimeError(
            f"{op}: expected a 1-D uint8 tensor of encoded bytes, got dtype "
            f"{data.dtype} with shape {tuple(data.shape)}"
        )
    return data.detach().cpu().numpy().tobytes()


def _image_array(image: Any, op: str, channels: Sequence[int]) -> np.ndarray:
    """A (C, H, W) uint8 tensor as an (H, W) or (H, W, C) array Pillow can take."""
    if not isinstance(image, ember.Tensor):
        kind = type(image).__name__
        raise TypeError(f"{op}: expected a (C, H, W) uint8 ember.Tensor, got {kind}")
    if image.dtype != ember.uint8 or image.ndim != 3 or image.shape[0] not in channels:
        allowed = " or ".join(str(c) for c in channels)
        raise RuntimeError(
            f"{op}: expected a uint8 tensor of shape (C, H, W) with C = {allowed}, "
            f"got dtype {image.dtype} with shape {tuple(image.shape)}"
        )
    array = image.detach().cpu().numpy()
    return array[0] if array.shape[0] == 1 else np.ascontiguousarray(array.transpose(1, 2, 0))


def _to_tensor(array: np.ndarray) -> ember.Tensor:
    chw = array[None] if array.ndim == 2 else array.transpose(2, 0, 1)
    return ember.from_numpy(np.ascontiguousarray(chw, dtype=np.uint8))


def _unchanged(image: Image.Image) -> Image.Image:
    """The image in the closest of L, LA, RGB, RGBA to its stored channels."""
    if image.mode in _KEEP:
        return image
    if image.mode in ("I;16", "I;16B", "I;16L"):  # 16-bit PNG: keep the high byte
        return Image.fromarray((np.asarray(image, np.uint16) >> 8).astype(np.uint8))
    if image.mode == "1":
        return image.convert("L")
    if image.mode == "PA" or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _frame_array(image: Image.Image, mode: ImageReadMode) -> np.ndarray:
    image = _unchanged(image)
    if mode is not ImageReadMode.UNCHANGED:
        image = image.convert(_PIL_MODE[mode])
    return np.asarray(image)


def _open(data: bytes, op: str, expect: tuple[str, ...] | None) -> Image.Image:
    try:
        image = Image.open(_io.BytesIO(data))
    except UnidentifiedImageError as err:
        raise RuntimeError(
            f"{op}: the {len(data)} bytes are not an image format Pillow can decode"
        ) from err
    if expect is not None and image.format not in expect:
        raise RuntimeError(
            f"{op}: the data is a {image.format} image, not {expect[0]}; "
            "use decode_image to accept any format"
        )
    return image


def _decode(
    data: bytes,
    mode: ImageReadMode | str,
    op: str,
    *,
    expect: tuple[str, ...] | None = None,
    exif: bool = False,
) -> ember.Tensor:
    mode = _mode(mode)
    image = _open(data, op, expect)
    if image.format == "JPEG" and mode in (ImageReadMode.GRAY, ImageReadMode.GRAY_ALPHA):
        # Decode the luma plane directly, as libjpeg (and so torchvision) does for grey.
        image.draft("L", image.size)
    try:
        if image.format == "GIF" and getattr(image, "n_frames", 1) > 1:
            return _decode_frames(image, mode)
        if exif:
            image = ImageOps.exif_transpose(image)
        return _to_tensor(_frame_array(image, mode))
    except (OSError, SyntaxError, ValueError) as err:
        raise RuntimeError(f"{op}: could not decode the {image.format} data ({err})") from err


def _decode_frames(image: Image.Image, mode: ImageReadMode) -> ember.Tensor:
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(_to_tensor(_frame_array(image.convert("RGB"), mode)).numpy())
    return ember.from_numpy(np.stack(frames))


def read_file(path: str | os.PathLike) -> ember.Tensor:
    """Read a file's bytes into a 1-D uint8 tensor.

    Args:
        path: the file.

    Returns:
        The bytes as a uint8 tensor of shape ``(size,)``.

    Example:
        >>> read_file("cat.jpg")[:3]  # doctest: +SKIP
        tensor([255, 216, 255], dtype=ember.uint8)
    """
    return ember.from_numpy(np.fromfile(os.fspath(path), dtype=np.uint8))


def write_file(filename: str | os.PathLike, data: ember.Tensor) -> None:
    """Write the bytes of a 1-D uint8 tensor to a file.

    Args:
        filename: the file to (over)write.
        data: the bytes, as returned by :func:`encode_png` or :func:`read_file`.

    Example:
        >>> write_file("copy.jpg", read_file("cat.jpg"))  # doctest: +SKIP
    """
    payload = _raw_bytes(data, "write_file")
    with open(filename, "wb") as f:
        f.write(payload)


def decode_image(
    input: ember.Tensor | str | os.PathLike,
    mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
    apply_exif_orientation: bool = False,
) -> ember.Tensor:
    """Decode a JPEG, PNG, GIF, BMP, WebP or TIFF image into a uint8 ``(C, H, W)`` tensor.

    Args:
        input: the encoded bytes as a 1-D uint8 tensor, or a path to read them from.
        mode: the channels wanted (:class:`ImageReadMode` or its name).
        apply_exif_orientation: rotate/flip as the EXIF orientation tag says.

    Returns:
        ``(C, H, W)`` uint8, or ``(N, C, H, W)`` for an animated GIF.

    Raises:
        RuntimeError: when the bytes are not a decodable image.
        PIL.Image.DecompressionBombError: when the image is implausibly large.

    Example:
        >>> decode_image(read_file("cat.png"), mode=ImageReadMode.GRAY).shape  # doctest: +SKIP
        ember.Size([1, 240, 320])
    """
    if isinstance(input, (str, os.PathLike)):
        input = read_file(input)
    return _decode(
        _raw_bytes(input, "decode_image"), mode, "decode_image", exif=apply_exif_orientation
    )


def read_image(
    path: str | os.PathLike,
    mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
    apply_exif_orientation: bool = False,
) -> ember.Tensor:
    """Read an image file into a uint8 ``(C, H, W)`` tensor.

    Args:
        path: the image file.
        mode: the channels wanted (:class:`ImageReadMode` or its name).
        apply_exif_orientation: rotate/flip as the EXIF orientation tag says.

    Returns:
        ``(C, H, W)`` uint8 (``(N, C, H, W)`` for an animated GIF).

    Example:
        >>> read_image("cat.jpg", ImageReadMode.RGB).dtype  # doctest: +SKIP
        ember.uint8
    """
    data = read_file(path).numpy().tobytes()
    try:
        return _decode(data, mode, "read_image", exif=apply_exif_orientation)
    except RuntimeError as err:
        raise RuntimeError(f"{os.fspath(path)}: {err}") from err


def _per_item(input: Any, fn: Any, **kwargs: Any) -> Any:
    if isinstance(input, (list, tuple)):
        return [fn(item, **kwargs) for item in input]
    return fn(input, **kwargs)


def _decode_jpeg_one(
    input: ember.Tensor, *, mode: ImageReadMode | str, device: str, exif: bool
) -> ember.Tensor:
    out = _decode(
        _raw_bytes(input, "decode_jpeg"), mode, "decode_jpeg", expect=("JPEG", "MPO"), exif=exif
    )
    return out if str(device) == "cpu" else out.to(device)


def decode_jpeg(
    input: ember.Tensor | list[ember.Tensor],
    mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
    device: str = "cpu",
    apply_exif_orientation: bool = False,
) -> ember.Tensor | list[ember.Tensor]:
    """Decode JPEG bytes into a uint8 ``(C, H, W)`` tensor (or a list of them for a list).

    Args:
        input: a 1-D uint8 tensor of JPEG bytes, or a list of them.
        mode: the channels wanted.
        device: where to put the result (decoding runs on the CPU).
        apply_exif_orientation: rotate/flip as the EXIF orientation tag says.

    Returns:
        The decoded image(s).

    Raises:
        RuntimeError: when the bytes are not a JPEG (for example a PNG).

    Example:
        >>> decode_jpeg(encode_jpeg(ember.zeros(3, 8, 8, dtype=ember.uint8))).shape
        ember.Size([3, 8, 8])
    """
    return _per_item(input, _decode_jpeg_one, mode=mode, device=device, exif=apply_exif_orientation)


def decode_png(
    input: ember.Tensor,
    mode: ImageReadMode | str = ImageReadMode.UNCHANGED,
    apply_exif_orientation: bool = False,
) -> ember.Tensor:
    """Decode PNG bytes into a uint8 ``(C, H, W)`` tensor.

    16-bit PNGs are reduced to 8 bits (the high byte), since ember has no uint16.

    Args:
        input: a 1-D uint8 tensor of PNG bytes.
        mode: the channels wanted.
        apply_exif_orientation: rotate/flip as the EXIF orientation tag says.

    Returns:
        The decoded image.

    Example:
        >>> decode_png(encode_png(ember.zeros(1, 2, 2, dtype=ember.uint8))).shape
        ember.Size([1, 2, 2])
    """
    return _decode(
        _raw_bytes(input, "decode_png"),
        mode,
        "decode_png",
        expect=("PNG",),
        exif=apply_exif_orientation,
    )


def decode_gif(input: ember.Tensor) -> ember.Tensor:
    """Decode GIF bytes: ``(3, H, W)`` for one frame, ``(N, 3, H, W)`` for an animation.

    Example:
        >>> decode_gif(read_file("spinner.gif")).ndim  # doctest: +SKIP
        4
    """
    return _decode(
        _raw_bytes(input, "decode_gif"), ImageReadMode.RGB, "decode_gif", expect=("GIF",)
    )


def _encode(array: np.ndarray, fmt: str, **options: Any) -> ember.Tensor:
    buffer = _io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt, **options)
    return ember.from_numpy(np.frombuffer(buffer.getvalue(), np.uint8).copy())


def encode_png(input: ember.Tensor, compression_level: int = 6) -> ember.Tensor:
    """Encode a uint8 ``(C, H, W)`` tensor (C = 1, 2, 3 or 4) as PNG bytes.

    Args:
        input: the image.
        compression_level: zlib level, 0 (none) to 9 (smallest).

    Returns:
        The PNG file's bytes as a 1-D uint8 tensor.

    Example:
        >>> encode_png(ember.zeros(3, 2, 2, dtype=ember.uint8))[:4].tolist()
        [137, 80, 78, 71]
    """
    if not 0 <= compression_level <= 9:
        raise ValueError(
            f"encode_png: compression_level must be between 0 and 9, got {compression_level}"
        )
    array = _image_array(input, "encode_png", (1, 2, 3, 4))
    return _encode(array, "PNG", compress_level=compression_level)


def _encode_jpeg_one(input: ember.Tensor, *, quality: int) -> ember.Tensor:
    return _encode(_image_array(input, "encode_jpeg", (1, 3)), "JPEG", quality=quality)


def encode_jpeg(
    input: ember.Tensor | list[ember.Tensor], quality: int = 75
) -> ember.Tensor | list[ember.Tensor]:
    """Encode a uint8 ``(C, H, W)`` tensor (C = 1 or 3), or a list of them, as JPEG bytes.

    Args:
        input: the image or images.
        quality: 1 (smallest) to 100 (best).

    Returns:
        The JPEG bytes as a 1-D uint8 tensor (a list for a list).

    Example:
        >>> encode_jpeg(ember.zeros(3, 8, 8, dtype=ember.uint8))[:2].tolist()
        [255, 216]
    """
    if not 1 <= quality <= 100:
        raise ValueError(f"encode_jpeg: quality must be between 1 and 100, got {quality}")
    return _per_item(input, _encode_jpeg_one, quality=quality)


def write_png(input: ember.Tensor, filename: str | os.PathLike, compression_level: int = 6) -> None:
    """Encode a uint8 ``(C, H, W)`` tensor as PNG and write it to ``filename``.

    Example:
        >>> write_png(ember.zeros(3, 4, 4, dtype=ember.uint8), "black.png")  # doctest: +SKIP
    """
    write_file(filename, encode_png(input, compression_level))


def write_jpeg(input: ember.Tensor, filename: str | os.PathLike, quality: int = 75) -> None:
    """Encode a uint8 ``(C, H, W)`` tensor as JPEG and write it to ``filename``.

    Example:
        >>> write_jpeg(ember.zeros(3, 4, 4, dtype=ember.uint8), "black.jpg")  # doctest: +SKIP
    """
    write_file(filename, encode_jpeg(input, quality))
