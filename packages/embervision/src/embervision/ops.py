"""Vision operators, as ``torchvision.ops``: boxes, NMS, RoI pooling and reusable layers.

Boxes are ``(N, 4)`` tensors, ``(x1, y1, x2, y2)`` unless a format is named. Every function is
composed from ember ops, so gradients flow where they exist mathematically (``box_iou``,
``generalized_box_iou``, ``roi_align``); ``nms`` returns indices and has none.

Example:
    >>> import ember
    >>> from embervision import ops
    >>> boxes = ember.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]])
    >>> round(ops.box_iou(boxes, boxes)[0, 1].item(), 4)
    0.1429
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

import ember
from ember import Tensor, nn

_FORMATS = ("xyxy", "xywh", "cxcywh")


# ----------------------------------------------------------------------------------- boxes ---


def _check_boxes(boxes: Tensor, op: str) -> None:
    if boxes.ndim < 1 or boxes.shape[-1] != 4:
        raise ValueError(f"{op}: expected boxes of shape (..., 4), got {tuple(boxes.shape)}")


def box_area(boxes: Tensor) -> Tensor:
    """Areas of ``(..., 4)`` boxes in ``(x1, y1, x2, y2)`` format.

    Example:
        >>> box_area(ember.tensor([[0.0, 0.0, 2.0, 3.0]])).tolist()
        [6.0]
    """
    _check_boxes(boxes, "box_area")
    return (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])


def _box_inter_union(boxes1: Tensor, boxes2: Tensor) -> tuple[Tensor, Tensor]:
    lt = ember.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    rb = ember.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return inter, union


def box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    """Pairwise intersection-over-union of ``(N, 4)`` and ``(M, 4)`` xyxy boxes: ``(N, M)``.

    Example:
        >>> a = ember.tensor([[0.0, 0.0, 2.0, 2.0]])
        >>> box_iou(a, ember.tensor([[1.0, 0.0, 3.0, 2.0]])).tolist()
        [[0.3333333432674408]]
    """
    _check_boxes(boxes1, "box_iou")
    _check_boxes(boxes2, "box_iou")
    inter, union = _box_inter_union(boxes1, boxes2)
    return inter / union


def generalized_box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    """Pairwise generalized IoU (Rezatofighi et al., 2019): ``IoU - (|C| - |A u B|) / |C|``
    with ``C`` the smallest enclosing box. In ``[-1, 1]``; differentiable.

    Example:
        >>> a = ember.tensor([[0.0, 0.0, 1.0, 1.0]])
        >>> generalized_box_iou(a, ember.tensor([[2.0, 0.0, 3.0, 1.0]])).tolist()
        [[-0.3333333432674408]]
    """
    _check_boxes(boxes1, "generalized_box_iou")
    _check_boxes(boxes2, "generalized_box_iou")
    inter, union = _box_inter_union(boxes1, boxes2)
    iou = inter / union
    lti = ember.minimum(boxes1[:, None, :2], boxes2[None, :, :2])
    rbi = ember.maximum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    whi = (rbi - lti).clamp(min=0)
    area = whi[..., 0] * whi[..., 1]
    return iou - (area - union) / area


def box_convert(boxes: Tensor, in_fmt: str, out_fmt: str) -> Tensor:
    """Convert ``(..., 4)`` boxes between ``"xyxy"``, ``"xywh"`` and ``"cxcywh"``.

    Example:
        >>> box_convert(ember.tensor([[1.0, 2.0, 4.0, 6.0]]), "xyxy", "cxcywh").tolist()
        [[2.5, 4.0, 3.0, 4.0]]
    """
    for fmt in (in_fmt, out_fmt):
        if fmt not in _FORMATS:
            raise ValueError(f"box_convert: unsupported format {fmt!r}; use one of {_FORMATS}")
    _check_boxes(boxes, "box_convert")
    if in_fmt == out_fmt:
        return boxes.clone()
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        a, b, c, d = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        a, b, c, d = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    if out_fmt == "xywh":
        a, b, c, d = a, b, c - a, d - b
    elif out_fmt == "cxcywh":
        a, b, c, d = (a + c) / 2, (b + d) / 2, c - a, d - b
    return ember.stack([a, b, c, d], dim=-1)


def clip_boxes_to_image(boxes: Tensor, size: tuple[int, int]) -> Tensor:
    """Clamp xyxy boxes to an image of ``size = (height, width)``.

    Example:
        >>> clip_boxes_to_image(ember.tensor([[-1.0, 2.0, 9.0, 5.0]]), (4, 8)).tolist()
        [[0.0, 2.0, 8.0, 4.0]]
    """
    _check_boxes(boxes, "clip_boxes_to_image")
    height, width = size
    x1, y1, x2, y2 = boxes.unbind(-1)
    xs = [x.clamp(min=0, max=width) for x in (x1, x2)]
    ys = [y.clamp(min=0, max=height) for y in (y1, y2)]
    return ember.stack([xs[0], ys[0], xs[1], ys[1]], dim=-1)


def remove_small_boxes(boxes: Tensor, min_size: float) -> Tensor:
    """Indices of the xyxy boxes whose sides are both at least ``min_size``.

    Example:
        >>> remove_small_boxes(ember.tensor([[0, 0, 1, 5], [0, 0, 3, 3.0]]), 2.0).tolist()
        [1]
    """
    _check_boxes(boxes, "remove_small_boxes")
    ws = boxes[:, 2] - boxes[:, 0]
    hs = boxes[:, 3] - boxes[:, 1]
    keep = (ws >= min_size) & (hs >= min_size)
    return ember.nonzero(keep).reshape(-1)


def _host(t: Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


def _nms_numpy(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy NMS on host arrays: O(N * kept), no N x N matrix."""
    order = np.argsort(-scores, kind="stable")
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    keep = []
    while order.size:
        i, rest = order[0], order[1:]
        keep.append(i)
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[~(iou > iou_threshold)]
    return np.asarray(keep, dtype=np.int64)


def nms(boxes: Tensor, scores: Tensor, iou_threshold: float) -> Tensor:
    """Non-maximum suppression: keep the best-scoring boxes, dropping any box whose IoU with a
    kept box is above ``iou_threshold``.

    Runs on the host (the greedy loop is sequential); the result is on ``boxes``' device.

    Args:
        boxes: ``(N, 4)`` xyxy boxes.
        scores: ``(N,)`` scores.
        iou_threshold: boxes overlapping a kept box by more than this are dropped.

    Returns:
        int64 indices of the kept boxes, by decreasing score.

    Example:
        >>> b = ember.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30.0]])
        >>> nms(b, ember.tensor([0.9, 0.8, 0.7]), 0.5).tolist()
        [0, 2]
    """
    _check_boxes(boxes, "nms")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise ValueError(
            f"nms: expected scores of shape ({boxes.shape[0]},), got {tuple(scores.shape)}"
        )
    keep = _nms_numpy(_host(boxes).astype(np.float64), _host(scores), iou_threshold)
    return ember.tensor(keep, dtype=ember.int64, device=boxes.device)


def batched_nms(boxes: Tensor, scores: Tensor, idxs: Tensor, iou_threshold: float) -> Tensor:
    """NMS applied per category ``idxs``: boxes of different categories never suppress each
    other.

    Returns:
        int64 indices of the kept boxes, by decreasing score.

    Example:
        >>> b = ember.tensor([[0, 0, 10, 10], [1, 1, 10, 10.0]])
        >>> batched_nms(b, ember.tensor([0.9, 0.8]), ember.tensor([0, 1]), 0.5).tolist()
        [0, 1]
    """
    if boxes.numel() == 0:
        return ember.zeros(0, dtype=ember.int64, device=boxes.device)
    b = _host(boxes).astype(np.float64)
    offsets = _host(idxs).astype(np.float64) * (b.max() + 1)
    keep = _nms_numpy(b + offsets[:, None], _host(scores), iou_threshold)
    return ember.tensor(keep, dtype=ember.int64, device=boxes.device)


# --------------------------------------------------------------------------------- RoI ops ---


def _rois(boxes: Tensor | Sequence[Tensor], op: str) -> np.ndarray:
    """``(K, 5)`` host array of (batch index, x1, y1, x2, y2) from either box layout."""
    if isinstance(boxes, Tensor):
        if boxes.ndim != 2 or boxes.shape[1] != 5:
            raise ValueError(
                f"{op}: expected boxes (K, 5) or a list of (L, 4), got {tuple(boxes.shape)}"
            )
        return _host(boxes).astype(np.float64)
    parts = []
    for i, b in enumerate(boxes):
        _check_boxes(b, op)
        arr = _host(b).astype(np.float64).reshape(-1, 4)
        parts.append(np.concatenate([np.full((len(arr), 1), i), arr], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 5))


def _no_rois(input: Tensor, ph: int, pw: int) -> Tensor:
    """The empty result, still connected to ``input`` so backward works."""
    return input.reshape(-1)[:0].reshape(0, 1, 1, 1).expand(0, input.shape[1], ph, pw)


def _pair(v: int | Sequence[int]) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _axis_samples(
    start: np.ndarray, size: np.ndarray, bins: int, grid: np.ndarray, gmax: int, limit: int
) -> tuple[np.ndarray, ...]:
    """Bilinear corner indices and weights along one axis, (K, bins, gmax) each, with the
    weight zero for samples outside the map or beyond a RoI's own grid (torchvision's rules)."""
    k = np.arange(bins)[None, :, None]
    g = np.arange(gmax)[None, None, :]
    bin_size = (size / bins)[:, None, None]
    gk = grid[:, None, None]
    pos = start[:, None, None] + k * bin_size + (g + 0.5) * bin_size / gk
    valid = (g < gk) & (pos >= -1.0) & (pos <= limit)
    pos = np.clip(pos, 0.0, None)
    low = np.floor(pos).astype(np.int64)
    top = low >= limit - 1
    low = np.where(top, limit - 1, low)
    high = np.where(top, limit - 1, low + 1)
    pos = np.where(top, low.astype(np.float64), pos)
    frac = pos - low
    return low, high, np.where(valid, 1.0 - frac, 0.0), np.where(valid, frac, 0.0)


def roi_align(
    input: Tensor,
    boxes: Tensor | Sequence[Tensor],
    output_size: int | Sequence[int],
    spatial_scale: float = 1.0,
    sampling_ratio: int = -1,
    aligned: bool = False,
) -> Tensor:
    """RoIAlign (He et al., 2017): average of bilinear samples in each output bin.

    Composed from a gather and weighted sums, so it is differentiable with respect to
    ``input`` (not to the box coordinates, as in torchvision).

    Args:
        input: ``(N, C, H, W)`` features.
        boxes: ``(K, 5)`` rows ``(batch_index, x1, y1, x2, y2)`` or a list of ``(L_i, 4)``
            tensors, one per image.
        output_size: ``(height, width)`` of each output (or one int).
        spatial_scale: multiplies box coordinates (e.g. 1/16 for a stride-16 map).
        sampling_ratio: samples per bin side; ``<= 0`` uses ``ceil(roi_size / output_size)``.
        aligned: shift boxes by -0.5 pixel so sample positions align with pixel centres.

    Returns:
        ``(K, C, output_height, output_width)``.

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> roi_align(x, [ember.tensor([[0.0, 0.0, 3.0, 3.0]])], 1, aligned=True).item()
        5.0
    """
    rois = _rois(boxes, "roi_align")
    ph, pw = _pair(output_size)
    n, c, h, w = input.shape
    if len(rois) == 0:
        return _no_rois(input, ph, pw)
    offset = 0.5 if aligned else 0.0
    start = rois[:, 1:3] * spatial_scale - offset
    size = rois[:, 3:5] * spatial_scale - offset - start
    if not aligned:
        size = np.maximum(size, 1.0)
    if sampling_ratio > 0:
        grid = np.full(size.shape, sampling_ratio, dtype=np.int64)
    else:
        grid = np.ceil(size / np.array([pw, ph])).astype(np.int64)
    gx, gy = grid[:, 0], grid[:, 1]
    count = np.maximum(gx * gy, 1).astype(np.float64)
    ys = _axis_samples(start[:, 1], size[:, 1], ph, gy, max(int(gy.max(initial=1)), 1), h)
    xs = _axis_samples(start[:, 0], size[:, 0], pw, gx, max(int(gx.max(initial=1)), 1), w)
    return _bilinear_pool(input, rois[:, 0].astype(np.int64), ys, xs, count)


def _bilinear_pool(
    input: Tensor,
    batch: np.ndarray,
    ys: tuple[np.ndarray, ...],
    xs: tuple[np.ndarray, ...],
    count: np.ndarray,
) -> Tensor:
    n, c, h, w = input.shape
    k = len(batch)
    (y_lo, y_hi, wy_lo, wy_hi), (x_lo, x_hi, wx_lo, wx_hi) = ys, xs
    index, weight = [], []
    for yi, wy in ((y_lo, wy_lo), (y_hi, wy_hi)):
        for xi, wx in ((x_lo, wx_lo), (x_hi, wx_hi)):
            # (K, ph, gy, 1, 1) with (K, 1, 1, pw, gx) -> (K, ph, gy, pw, gx)
            flat = batch[:, None, None, None, None] * h * w + yi[..., None, None] * w
            index.append(flat + xi[:, None, None])
            weight.append(wy[..., None, None] * wx[:, None, None])
    idx = np.stack(index)
    wgt = np.stack(weight) / count[None, :, None, None, None, None]
    feats = input.permute(0, 2, 3, 1).reshape(n * h * w, c)
    gathered = feats[ember.tensor(idx.reshape(-1), device=input.device)]
    gathered = gathered.reshape(*idx.shape, c)
    wt = ember.tensor(wgt[..., None], dtype=input.dtype, device=input.device)
    out = (gathered * wt).sum(dim=(0, 3, 5))  # corners, y samples, x samples
    ph, pw = idx.shape[2], idx.shape[4]
    return out.reshape(k, ph, pw, c).permute(0, 3, 1, 2)


def _round_half_away(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def _pool_bins(
    start: np.ndarray, length: np.ndarray, bins: int, limit: int, bmax: int
) -> tuple[np.ndarray, np.ndarray]:
    """Integer pixel indices (K, bins, bmax) of each RoIPool bin and their validity."""
    bin_size = (length / bins)[:, None]
    k = np.arange(bins)[None, :]
    lo = np.clip(np.floor(k * bin_size).astype(np.int64) + start[:, None], 0, limit)
    hi = np.clip(np.ceil((k + 1) * bin_size).astype(np.int64) + start[:, None], 0, limit)
    pos = lo[..., None] + np.arange(bmax)[None, None, :]
    return np.minimum(pos, limit - 1), pos < hi[..., None]


def roi_pool(
    input: Tensor,
    boxes: Tensor | Sequence[Tensor],
    output_size: int | Sequence[int],
    spatial_scale: float = 1.0,
) -> Tensor:
    """RoIPool (Girshick, 2015): max over the integer pixel bins of each quantised box.

    Differentiable with respect to ``input`` (the gradient goes to each bin's maximum).

    Args:
        input: ``(N, C, H, W)`` features.
        boxes: ``(K, 5)`` rows ``(batch_index, x1, y1, x2, y2)`` or a list of ``(L_i, 4)``.
        output_size: ``(height, width)`` of each output (or one int).
        spatial_scale: multiplies box coordinates.

    Returns:
        ``(K, C, output_height, output_width)``; empty bins are 0.

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> roi_pool(x, [ember.tensor([[0.0, 0.0, 3.0, 3.0]])], 1).item()
        15.0
    """
    rois = _rois(boxes, "roi_pool")
    ph, pw = _pair(output_size)
    n, c, h, w = input.shape
    if len(rois) == 0:
        return _no_rois(input, ph, pw)
    s = _round_half_away(rois[:, 1:] * spatial_scale).astype(np.int64)
    length = np.maximum(s[:, 2:] - s[:, :2] + 1, 1).astype(np.float64)
    by = int(math.ceil(length[:, 1].max(initial=1) / ph)) + 1
    bx = int(math.ceil(length[:, 0].max(initial=1) / pw)) + 1
    yi, yv = _pool_bins(s[:, 1], length[:, 1], ph, h, by)
    xi, xv = _pool_bins(s[:, 0], length[:, 0], pw, w, bx)
    batch = rois[:, 0].astype(np.int64)
    flat = (
        batch[:, None, None, None, None] * h * w + yi[..., None, None] * w + xi[:, None, None]
    )  # (K, ph, by, pw, bx)
    valid = yv[..., None, None] & xv[:, None, None]
    feats = input.permute(0, 2, 3, 1).reshape(n * h * w, c)
    vals = feats[ember.tensor(flat.reshape(-1), device=input.device)].reshape(*flat.shape, c)
    mask = ember.tensor(valid[..., None], device=input.device)
    vals = ember.where(mask, vals, ember.tensor(-math.inf, dtype=input.dtype))
    out = vals.amax(dim=(2, 4))
    empty = ember.tensor(~valid.any(axis=(2, 4))[..., None], device=input.device)
    out = ember.where(empty, ember.zeros((), dtype=input.dtype), out)
    return out.reshape(len(batch), ph, pw, c).permute(0, 3, 1, 2)


class RoIAlign(nn.Module):
    """Module form of :func:`roi_align`.

    Example:
        >>> RoIAlign(2, 1.0, 2)(ember.ones(1, 3, 8, 8), [ember.tensor([[0, 0, 4, 4.0]])]).shape
        (1, 3, 2, 2)
    """

    def __init__(
        self,
        output_size: int | Sequence[int],
        spatial_scale: float,
        sampling_ratio: int,
        aligned: bool = False,
    ) -> None:
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale
        self.sampling_ratio = sampling_ratio
        self.aligned = aligned

    def forward(self, input: Tensor, rois: Tensor | Sequence[Tensor]) -> Tensor:
        return roi_align(
            input, rois, self.output_size, self.spatial_scale, self.sampling_ratio, self.aligned
        )


class RoIPool(nn.Module):
    """Module form of :func:`roi_pool`.

    Example:
        >>> RoIPool(2, 1.0)(ember.ones(1, 3, 8, 8), [ember.tensor([[0, 0, 4, 4.0]])]).shape
        (1, 3, 2, 2)
    """

    def __init__(self, output_size: int | Sequence[int], spatial_scale: float) -> None:
        super().__init__()
        self.output_size = output_size
        self.spatial_scale = spatial_scale

    def forward(self, input: Tensor, rois: Tensor | Sequence[Tensor]) -> Tensor:
        return roi_pool(input, rois, self.output_size, self.spatial_scale)


__all__ = [
    "stochastic_depth",
    "StochasticDepth",
    "Conv2dNormActivation",
    "SqueezeExcitation",
    "MLP",
]

# Domain-neutral layers live in the core (an audio Conformer needs them too); re-exported here
# under torchvision.ops' names.
MLP = nn.MLP
StochasticDepth = nn.StochasticDepth
stochastic_depth = nn.functional.stochastic_depth


# ---------------------------------------------------------------------------------- layers ---


class Conv2dNormActivation(nn.Sequential):
    """Conv2d, then a normalisation layer, then an activation (torchvision's building block).

    The state-dict keys are ``0.weight`` (conv), ``1.*`` (norm), as in torchvision.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        kernel_size: convolution size.
        stride: convolution stride.
        padding: default ``(kernel_size - 1) // 2 * dilation`` (keeps the size at stride 1).
        groups: convolution groups.
        norm_layer: called with ``out_channels``; None for no normalisation.
        activation_layer: called with ``inplace=`` when given; None for no activation.
        dilation: convolution dilation.
        inplace: passed to the activation.
        bias: conv bias; default True only without a norm layer.

    Example:
        >>> Conv2dNormActivation(3, 8, kernel_size=3, stride=2)(ember.zeros(1, 3, 8, 8)).shape
        (1, 8, 4, 4)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int | None = None,
        groups: int = 1,
        norm_layer: Callable[..., nn.Module] | None = nn.BatchNorm2d,
        activation_layer: Callable[..., nn.Module] | None = nn.ReLU,
        dilation: int = 1,
        inplace: bool | None = True,
        bias: bool | None = None,
    ) -> None:
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers: list[nn.Module] = [
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride,
                padding,
                dilation=dilation,
                groups=groups,
                bias=bias,
            )
        ]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            kw = {} if inplace is None else {"inplace": inplace}
            layers.append(activation_layer(**kw))
        super().__init__(*layers)
        self.out_channels = out_channels


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation block (Hu et al., 2018): rescale channels by a learned gate.

    Args:
        input_channels: channels of the input.
        squeeze_channels: channels of the bottleneck.
        activation: activation after ``fc1``.
        scale_activation: activation giving the gate.

    Example:
        >>> SqueezeExcitation(8, 2)(ember.ones(1, 8, 4, 4)).shape
        (1, 8, 4, 4)
    """

    def __init__(
        self,
        input_channels: int,
        squeeze_channels: int,
        activation: Callable[..., nn.Module] = nn.ReLU,
        scale_activation: Callable[..., nn.Module] = nn.Sigmoid,
    ) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(input_channels, squeeze_channels, 1)
        self.fc2 = nn.Conv2d(squeeze_channels, input_channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, input: Tensor) -> Tensor:
        scale = self.fc2(self.activation(self.fc1(self.avgpool(input))))
        return self.scale_activation(scale) * input
