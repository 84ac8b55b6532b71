"""Bounding-box maths for the geometric transforms: format conversion, flips, warps, clamping."""

from __future__ import annotations

from typing import Any

import numpy as np

import ember
from ember import Tensor
from embervision.transforms._meta import BoundingBoxes, BoundingBoxFormat

__all__ = ["convert_bounding_box_format", "clamp_bounding_boxes"]


def _to_xyxy(b: Tensor, fmt: BoundingBoxFormat) -> Tensor:
    if fmt == BoundingBoxFormat.XYXY:
        return b
    p, q = b[..., :2], b[..., 2:]
    if fmt == BoundingBoxFormat.XYWH:
        return ember.cat([p, p + q], dim=-1)
    return ember.cat([p - q / 2, p + q / 2], dim=-1)


def _from_xyxy(b: Tensor, fmt: BoundingBoxFormat) -> Tensor:
    if fmt == BoundingBoxFormat.XYXY:
        return b
    p, q = b[..., :2], b[..., 2:]
    if fmt == BoundingBoxFormat.XYWH:
        return ember.cat([p, q - p], dim=-1)
    return ember.cat([(p + q) / 2, q - p], dim=-1)


def convert_bounding_box_format(
    boxes: BoundingBoxes, new_format: BoundingBoxFormat | str
) -> BoundingBoxes:
    """The same boxes in another coordinate format.

    Example:
        >>> b = BoundingBoxes([[1, 2, 4, 6]], format="XYXY", canvas_size=(8, 8))
        >>> convert_bounding_box_format(b, "XYWH").as_tensor().tolist()
        [[1.0, 2.0, 3.0, 4.0]]
    """
    if isinstance(new_format, str):
        new_format = BoundingBoxFormat(new_format.upper())
    xyxy = _to_xyxy(boxes.as_tensor().to(_float(boxes)), boxes.format)
    out = _from_xyxy(xyxy, new_format).to(boxes.dtype)
    return BoundingBoxes.wrap_like(boxes, out, format=new_format)


def _float(b: Tensor) -> Any:
    return b.dtype if b.is_floating_point() else ember.float32


def map_xyxy(
    boxes: BoundingBoxes, fn: Any, canvas_size: tuple[int, int] | None = None, clamp: bool = True
) -> BoundingBoxes:
    """Apply ``fn`` to the boxes in XYXY float coordinates and restore format, dtype, canvas."""
    canvas = canvas_size or boxes.canvas_size
    xyxy = _to_xyxy(boxes.as_tensor().to(_float(boxes)), boxes.format)
    xyxy = fn(xyxy)
    if clamp:
        xyxy = _clamp_xyxy(xyxy, canvas)
    return BoundingBoxes.wrap_like(
        boxes, _restore(_from_xyxy(xyxy, boxes.format), boxes), canvas_size=canvas
    )


def _restore(b: Tensor, like: Tensor) -> Tensor:
    return b.to(like.dtype) if like.is_floating_point() else b.round().to(like.dtype)


def _clamp_xyxy(b: Tensor, canvas: tuple[int, int]) -> Tensor:
    h, w = canvas
    x = b[..., 0::2].clamp(0, w)
    y = b[..., 1::2].clamp(0, h)
    return ember.stack([x[..., 0], y[..., 0], x[..., 1], y[..., 1]], dim=-1)


def clamp_bounding_boxes(boxes: BoundingBoxes) -> BoundingBoxes:
    """Boxes clipped to their canvas.

    Example:
        >>> b = BoundingBoxes([[-2, 1, 9, 3]], format="XYXY", canvas_size=(4, 8))
        >>> clamp_bounding_boxes(b).as_tensor().tolist()
        [[0.0, 1.0, 8.0, 3.0]]
    """
    return map_xyxy(boxes, lambda b: b)


def shift(b: Tensor, dx: float, dy: float) -> Tensor:
    return b + ember.tensor([dx, dy, dx, dy], dtype=b.dtype, device=b.device)


def scale(b: Tensor, sx: float, sy: float) -> Tensor:
    return b * ember.tensor([sx, sy, sx, sy], dtype=b.dtype, device=b.device)


def hflip(b: Tensor, width: int) -> Tensor:
    return ember.stack([width - b[..., 2], b[..., 1], width - b[..., 0], b[..., 3]], dim=-1)


def vflip(b: Tensor, height: int) -> Tensor:
    return ember.stack([b[..., 0], height - b[..., 3], b[..., 2], height - b[..., 1]], dim=-1)


def warp(b: Tensor, forward: np.ndarray) -> Tensor:
    """Map the four corners through the 3x3 projective ``forward`` and take their bounds."""
    x1, y1, x2, y2 = (b[..., i] for i in range(4))
    xs = ember.stack([x1, x2, x2, x1], dim=-1)
    ys = ember.stack([y1, y1, y2, y2], dim=-1)
    m = [float(v) for v in forward.reshape(-1)]
    den = xs * m[6] + ys * m[7] + m[8]
    u = (xs * m[0] + ys * m[1] + m[2]) / den
    v = (xs * m[3] + ys * m[4] + m[5]) / den
    return ember.stack([u.amin(-1), v.amin(-1), u.amax(-1), v.amax(-1)], dim=-1)
