"""Image grids and drawing, as ``torchvision.utils``: ``make_grid``, ``save_image``,
``draw_bounding_boxes``, ``draw_segmentation_masks``, ``draw_keypoints``.

Drawing functions take one ``(C, H, W)`` image, uint8 in [0, 255] or float in [0, 1], and
return a new image of the same dtype; the pixels are drawn by Pillow exactly as torchvision
does, so the results are the same pixel for pixel.

Example:
    >>> import ember
    >>> from embervision.utils import draw_bounding_boxes, make_grid
    >>> make_grid(ember.zeros(4, 3, 8, 8), nrow=2).shape
    (3, 20, 20)
    >>> img = ember.zeros(3, 16, 16, dtype=ember.uint8)
    >>> draw_bounding_boxes(img, ember.tensor([[2, 2, 10, 10]]), colors="red")[0, 2, 2].item()
    255
"""

from __future__ import annotations

import math
import os
import warnings
from typing import IO, Any

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

import ember
from ember import Tensor

__all__ = [
    "make_grid",
    "save_image",
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "draw_keypoints",
]

Color = str | tuple[int, int, int]


def _as_batch(images: Tensor | list[Tensor]) -> Tensor:
    if isinstance(images, list):
        if not all(isinstance(t, Tensor) for t in images):
            raise TypeError("make_grid: expected a tensor or a list of tensors")
        tensor = ember.stack(images, dim=0)
    elif isinstance(images, Tensor):
        tensor = images
    else:
        raise TypeError(f"make_grid: expected a tensor or a list of tensors, got {type(images)}")
    if tensor.ndim == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.ndim == 3:
        if tensor.shape[0] == 1:
            tensor = ember.cat([tensor, tensor, tensor], 0)
        tensor = tensor.unsqueeze(0)
    if tensor.ndim == 4 and tensor.shape[1] == 1:
        tensor = ember.cat([tensor, tensor, tensor], 1)
    return tensor


def _norm_range(t: Tensor, value_range: tuple[float, float] | None) -> Tensor:
    low, high = value_range if value_range is not None else (t.min().item(), t.max().item())
    return (t.clamp(min=low, max=high) - low) / max(high - low, 1e-5)


def make_grid(
    tensor: Tensor | list[Tensor],
    nrow: int = 8,
    padding: int = 2,
    normalize: bool = False,
    value_range: tuple[float, float] | None = None,
    scale_each: bool = False,
    pad_value: float = 0.0,
) -> Tensor:
    """Tile a batch of images ``(B, C, H, W)`` into one ``(C, H', W')`` image.

    Args:
        tensor: a 4-D batch, a 3-D or 2-D image, or a list of same-sized images.
        nrow: images per row.
        padding: pixels between and around images.
        normalize: shift and scale to [0, 1] using ``value_range`` (default: min and max).
        value_range: ``(low, high)`` for ``normalize``.
        scale_each: normalise every image by its own range.
        pad_value: value of the padding pixels.

    Returns:
        The grid; single-channel inputs become 3 channels.

    Example:
        >>> make_grid(ember.ones(3, 1, 4, 4), nrow=3, padding=1).shape
        (3, 6, 16)
    """
    batch = _as_batch(tensor).detach()
    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise TypeError("make_grid: value_range has to be a tuple (min, max)")
        if scale_each:
            batch = ember.stack([_norm_range(t, value_range) for t in batch])
        else:
            batch = _norm_range(batch, value_range)
    if batch.shape[0] == 1:
        return batch.squeeze(0)
    n, c, h, w = batch.shape
    xmaps = min(nrow, n)
    ymaps = int(math.ceil(n / xmaps))
    height, width = h + padding, w + padding
    grid = ember.full(
        (c, height * ymaps + padding, width * xmaps + padding),
        pad_value,
        dtype=batch.dtype,
        device=batch.device,
    )
    for k in range(n):
        y, x = divmod(k, xmaps)
        top, left = y * height + padding, x * width + padding
        grid[:, top : top + h, left : left + w] = batch[k]
    return grid


def save_image(
    tensor: Tensor | list[Tensor],
    fp: str | os.PathLike[str] | IO[bytes],
    format: str | None = None,
    **kwargs: Any,
) -> None:
    """Save an image or a grid of images (values in [0, 1]) to a file with Pillow.

    Args:
        tensor: what :func:`make_grid` accepts.
        fp: file name or binary file object.
        format: image format; inferred from the file name when None.
        **kwargs: passed to :func:`make_grid`.

    Example:
        >>> save_image(ember.rand(4, 3, 8, 8), "grid.png", nrow=2)
    """
    grid = make_grid(tensor, **kwargs)
    arr = (grid * 255 + 0.5).clamp(0, 255).permute(1, 2, 0).cpu().numpy().astype(np.uint8)
    Image.fromarray(arr).save(fp, format=format)


def _check_image(image: Tensor, op: str, channels: tuple[int, ...]) -> None:
    if not isinstance(image, Tensor):
        raise TypeError(f"{op}: the image must be a tensor, got {type(image)}")
    if not (image.dtype == ember.uint8 or image.is_floating_point()):
        raise ValueError(f"{op}: the image dtype must be uint8 or float, got {image.dtype}")
    if image.ndim != 3:
        raise ValueError(
            f"{op}: pass individual (C, H, W) images, not batches; got {tuple(image.shape)}"
        )
    if image.shape[0] not in channels:
        raise ValueError(
            f"{op}: expected {' or '.join(map(str, channels))} channels, got {image.shape[0]}"
        )


def _to_uint8_hwc(image: Tensor) -> np.ndarray:
    arr = image.detach().cpu().numpy()
    if arr.dtype != np.uint8:  # float in [0, 1], converted as torchvision's to_dtype(scale=True)
        arr = (arr * (256.0 - 1e-3)).astype(np.uint8)
    if arr.shape[0] == 1:
        arr = np.repeat(arr, 3, axis=0)
    return np.ascontiguousarray(arr.transpose(1, 2, 0))


def _from_uint8_hwc(arr: np.ndarray, like: Tensor) -> Tensor:
    chw = np.ascontiguousarray(np.asarray(arr)[..., :3].transpose(2, 0, 1))
    out = ember.tensor(chw, device=like.device)
    return out if like.dtype == ember.uint8 else out.to(like.dtype) / 255


def _palette(num: int) -> list[tuple[int, int, int]]:
    base = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [tuple(int(v) for v in (i * base) % 255) for i in range(num)]  # type: ignore[misc]


def _parse_colors(colors: Color | list[Color] | None, num: int) -> list[tuple[int, ...]]:
    if colors is None:
        return list(_palette(num))
    if isinstance(colors, list):
        if len(colors) < num:
            raise ValueError(f"need at least one color per object: {len(colors)} < {num}")
        seq = colors
    elif isinstance(colors, tuple) and len(colors) != 3:
        raise ValueError(f"a color tuple must be an RGB triplet, got {colors}")
    elif isinstance(colors, (tuple, str)):
        seq = [colors] * num
    else:
        raise ValueError(f"colors must be a tuple, a string, or a list of them, got {colors}")
    return [ImageColor.getrgb(c) if isinstance(c, str) else tuple(c) for c in seq]


def draw_bounding_boxes(
    image: Tensor,
    boxes: Tensor,
    labels: list[str] | None = None,
    colors: Color | list[Color] | None = None,
    fill: bool = False,
    width: int = 1,
    font: str | None = None,
    font_size: int | None = None,
    label_colors: Color | list[Color] | None = None,
) -> Tensor:
    """Draw xyxy boxes (and optional labels) on an RGB or grayscale image.

    Args:
        image: ``(C, H, W)``, C in {1, 3}, uint8 or float in [0, 1].
        boxes: ``(N, 4)`` absolute ``(xmin, ymin, xmax, ymax)``.
        labels: one string per box.
        colors: one color for all boxes or a list; PIL names, ``"#RRGGBB"`` or RGB tuples.
            Default: a fixed palette.
        fill: fill boxes with their color at alpha 100/255.
        width: outline width.
        font: a TrueType font file for labels (default: Pillow's built-in font).
        font_size: label size in points when ``font`` is given.
        label_colors: label text colors (default: the box colors).

    Returns:
        A new ``(3, H, W)`` image of the input's dtype.

    Example:
        >>> img = ember.zeros(3, 8, 8, dtype=ember.uint8)
        >>> out = draw_bounding_boxes(img, ember.tensor([[1, 1, 5, 5]]), colors=(0, 255, 0))
        >>> out[:, 1, 3].tolist()
        [0, 255, 0]
    """
    _check_image(image, "draw_bounding_boxes", (1, 3))
    box_arr = boxes.detach().cpu().numpy()
    if box_arr.ndim != 2 or box_arr.shape[-1] != 4:
        raise ValueError(f"draw_bounding_boxes: boxes must be (N, 4), got {box_arr.shape}")
    if ((box_arr[:, 0] > box_arr[:, 2]) | (box_arr[:, 1] > box_arr[:, 3])).any():
        raise ValueError(
            "draw_bounding_boxes: boxes must be (xmin, ymin, xmax, ymax); use "
            "embervision.ops.box_convert to convert them"
        )
    num = len(box_arr)
    if num == 0:
        warnings.warn("boxes doesn't contain any box. No box was drawn", stacklevel=2)
        return image
    if labels is not None and len(labels) != num:
        raise ValueError(f"number of boxes ({num}) and labels ({len(labels)}) mismatch")
    box_colors = _parse_colors(colors, num)
    text_colors = _parse_colors(label_colors, num) if label_colors else box_colors
    img = Image.fromarray(_to_uint8_hwc(image))
    draw = ImageDraw.Draw(img, "RGBA") if fill else ImageDraw.Draw(img)
    txt_font = _font(font, font_size)
    for i, bbox in enumerate(box_arr.astype(np.int64).tolist()):
        color = box_colors[i]
        draw.rectangle(bbox, width=width, outline=color, fill=color + (100,) if fill else None)
        if labels is not None:
            margin = width + 1
            draw.text(
                (bbox[0] + margin, bbox[1] + margin), labels[i], fill=text_colors[i], font=txt_font
            )
    return _from_uint8_hwc(np.asarray(img), image)


def _font(font: str | None, font_size: int | None) -> Any:
    if font is None:
        if font_size is not None:
            warnings.warn(
                "Argument 'font_size' will be ignored since 'font' is not set.", stacklevel=3
            )
        return ImageFont.load_default()
    return ImageFont.truetype(font=font, size=font_size or 10)


def draw_segmentation_masks(
    image: Tensor, masks: Tensor, alpha: float = 0.8, colors: Color | list[Color] | None = None
) -> Tensor:
    """Blend boolean masks onto an RGB image; pixels under several masks become black.

    Args:
        image: ``(3, H, W)``, uint8 or float in [0, 1].
        masks: ``(N, H, W)`` or ``(H, W)`` bool.
        alpha: opacity of the masks (0 transparent, 1 opaque).
        colors: one color or a list (default: a fixed palette).

    Returns:
        ``image * (1 - alpha) + painted * alpha`` in the input's dtype (uint8 truncates).

    Example:
        >>> img = ember.zeros(3, 2, 2, dtype=ember.uint8)
        >>> m = ember.tensor([[True, False], [False, False]])
        >>> draw_segmentation_masks(img, m, alpha=1.0, colors="blue")[:, 0, 0].tolist()
        [0, 0, 255]
    """
    _check_image(image, "draw_segmentation_masks", (3,))
    m = masks.detach().cpu().numpy()
    m = m[None] if m.ndim == 2 else m
    if m.ndim != 3:
        raise ValueError("draw_segmentation_masks: masks must be (H, W) or (N, H, W)")
    if m.dtype != np.bool_:
        raise ValueError(f"draw_segmentation_masks: masks must be bool, got {masks.dtype}")
    if m.shape[-2:] != tuple(image.shape[-2:]):
        raise ValueError(
            f"draw_segmentation_masks: masks {m.shape[-2:]} and image "
            f"{tuple(image.shape[-2:])} must have the same height and width"
        )
    if len(m) == 0:
        warnings.warn("masks doesn't contain any mask. No mask was drawn", stacklevel=2)
        return image
    img = image.detach().cpu().numpy()
    scale = 1.0 if image.dtype == ember.uint8 else 1 / 255
    painted = img.copy()
    for mask, color in zip(m, _parse_colors(colors, len(m))):
        painted[:, mask] = (np.array(color) * scale).astype(img.dtype)[:, None]
    painted[:, m.sum(0) > 1] = 0
    ftype = np.result_type(img.dtype, np.float32)
    out = img.astype(ftype) * (1 - alpha) + painted.astype(ftype) * alpha
    return ember.tensor(out.astype(img.dtype), device=image.device)


def draw_keypoints(
    image: Tensor,
    keypoints: Tensor,
    connectivity: list[tuple[int, int]] | None = None,
    colors: Color | None = None,
    radius: int = 2,
    width: int = 3,
    visibility: Tensor | None = None,
) -> Tensor:
    """Draw keypoints ``(num_instances, K, 2)`` as dots, joined by ``connectivity`` lines.

    Args:
        image: ``(3, H, W)``, uint8 or float in [0, 1].
        keypoints: ``(num_instances, K, 2)`` absolute ``(x, y)``.
        connectivity: pairs of keypoint indices to join with a line.
        colors: dot color.
        radius: dot radius.
        width: line width.
        visibility: ``(num_instances, K)`` bool; invisible points and their lines are skipped.

    Returns:
        A new image of the input's dtype.

    Example:
        >>> img = ember.zeros(3, 9, 9, dtype=ember.uint8)
        >>> draw_keypoints(img, ember.tensor([[[4, 4]]]), colors="white")[0, 4, 4].item()
        255
    """
    _check_image(image, "draw_keypoints", (3,))
    kpts = keypoints.detach().cpu().numpy()
    if kpts.ndim != 3:
        raise ValueError("draw_keypoints: keypoints must be of shape (num_instances, K, 2)")
    vis = (
        np.ones(kpts.shape[:-1], bool)
        if visibility is None
        else visibility.detach().cpu().numpy().astype(bool).reshape(kpts.shape[:-1])
    )
    img = Image.fromarray(_to_uint8_hwc(image))
    draw = ImageDraw.Draw(img)
    for inst, inst_vis in zip(kpts.astype(np.int64).tolist(), vis.tolist()):
        for (x, y), visible in zip(inst, inst_vis):
            if visible:
                draw.ellipse(
                    [x - radius, y - radius, x + radius, y + radius],
                    fill=colors,
                    outline=None,
                    width=0,
                )
        for a, b in connectivity or []:
            if inst_vis[a] and inst_vis[b]:
                draw.line(((inst[a][0], inst[a][1]), (inst[b][0], inst[b][1])), width=width)
    return _from_uint8_hwc(np.asarray(img), image)
