"""Functional convolution and transposed convolution (1-3D), as ``torch.nn.functional``."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.amp.autocast_mode import LOWER, autocast_op
from ember.nn._functional import _convkern as ck
from ember.nn._functional._utils import ArgumentError, _check_float, _check_input, _ntuple
from ember.nn._functional.padding import pad
from ember.ops._util import check_same_device
from ember.ops.nn.conv import Conv, ConvInput

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def _conv_operands(op: str, x: Tensor, w: Tensor, b: Tensor | None, nd: int) -> bool:
    """Validate a convolution's operands; True when ``x`` lacks the batch dimension."""
    _check_input(op, x, (nd + 1, nd + 2))
    if not isinstance(w, Tensor) or w.ndim != nd + 2:
        got = list(w.shape) if isinstance(w, Tensor) else type(w).__name__
        raise RuntimeError(f"{op}: expected a {nd + 2}D weight, got {got}")
    for t in (w, b):
        if t is not None and t._data.dtype != x._data.dtype:
            raise RuntimeError(f"{op}: input type ({x.dtype}) and weight/bias type ({t.dtype}) "
                               "should be the same; cast one of them with .to(dtype)")
        if t is not None:
            check_same_device(op, x._data, t._data)
    _check_float(op, x)
    return x.ndim == nd + 1


def _same_padding(k: tuple[int, ...], d: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    total = [di * (ki - 1) for ki, di in zip(k, d)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _conv_geom(op: str, x: Tensor, w: Tensor, stride: Any, padding: Any, dilation: Any,
               groups: int, nd: int) -> ck.ConvGeom:
    k = tuple(w.shape[2:])
    s = _ntuple(stride, nd, "stride", op)
    d = _ntuple(dilation, nd, "dilation", op)
    if isinstance(padding, str):
        if padding == "valid":
            lo = hi = (0,) * nd
        elif padding == "same":
            if any(si != 1 for si in s):
                raise ArgumentError(f"{op}: padding='same' is not supported for strided "
                                 "convolutions; use an explicit padding")
            lo, hi = _same_padding(k, d)
        else:
            raise ValueError(f"{op}: invalid padding string {padding!r}, should be one of "
                             "'valid', 'same'")
    else:
        lo = hi = _ntuple(padding, nd, "padding", op)
    if any(v < 0 for v in lo) or any(v <= 0 for v in s + d):
        raise RuntimeError(f"{op}: negative padding or non-positive stride/dilation "
                           f"(padding={lo}, stride={s}, dilation={d})")
    return ck.ConvGeom(tuple(x.shape[2:]), k, s, lo, hi, d, int(groups))


def _check_conv_shapes(op: str, x: Tensor, w: Tensor, b: Tensor | None, g: ck.ConvGeom) -> None:
    c, o = x.shape[1], w.shape[0]
    if g.groups <= 0 or c % g.groups or o % g.groups:
        raise RuntimeError(f"{op}: groups={g.groups} must be positive and divide both the input "
                           f"channels ({c}) and the output channels ({o})")
    if w.shape[1] * g.groups != c:
        raise RuntimeError(
            f"{op}: Given groups={g.groups}, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[1] * g.groups} channels, but got {c} channels "
            "instead")
    if b is not None and tuple(b.shape) != (o,):
        raise RuntimeError(f"{op}: expected bias of shape ({o},), got {list(b.shape)}")
    padded = [i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi)]
    eff = [d * (k - 1) + 1 for k, d in zip(g.kernel, g.dilation)]
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"{op}: Calculated padded input size per channel: {tuple(padded)}. "
                           f"Kernel size: {tuple(eff)}. Kernel size can't be greater than "
                           "actual input size")


def _convnd(op: str, nd: int, x: Tensor, w: Tensor, b: Tensor | None, stride: Any,
            padding: Any, dilation: Any, groups: int) -> Tensor:
    unbatched = _conv_operands(op, x, w, b, nd)
    if unbatched:
        x = x.reshape((1,) + tuple(x.shape))
    g = _conv_geom(op, x, w, stride, padding, dilation, groups, nd)
    _check_conv_shapes(op, x, w, b, g)
    out = Conv.apply(x, w, b, g)
    return out.reshape(tuple(out.shape[1:])) if unbatched else out


@autocast_op(LOWER)
def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) over ``(N, C, L)``, as ``torch.nn.functional.conv1d``.

    Args:
        input: ``(N, C_in, L)`` or unbatched ``(C_in, L)``.
        weight: ``(C_out, C_in / groups, k)``.
        bias: optional ``(C_out,)``.
        stride: step between windows.
        padding: zeros added on both sides (int or tuple), or ``"same"`` / ``"valid"``.
        dilation: spacing between kernel taps.
        groups: split channels into this many independent convolutions.

    Returns:
        ``(N, C_out, L_out)``.

    Example:
        >>> F.conv1d(ember.ones(1, 2, 5), ember.ones(3, 2, 3)).shape
        ember.Size([1, 3, 3])
    """
    return _convnd("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


@autocast_op(LOWER)
def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution over ``(N, C, H, W)``, as ``torch.nn.functional.conv2d``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
        weight: ``(C_out, C_in / groups, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or (sH, sW).
        padding: int, (pH, pW), ``"same"`` (stride 1 only) or ``"valid"``.
        dilation: int or (dH, dW).
        groups: number of channel groups (``groups == C_in`` is a depthwise convolution).

    Returns:
        ``(N, C_out, H_out, W_out)`` with ``H_out = (H + 2p - d(k-1) - 1) // s + 1``.

    Example:
        >>> F.conv2d(ember.randn(2, 3, 8, 8), ember.randn(4, 3, 3, 3), padding=1).shape
        ember.Size([2, 4, 8, 8])
    """
    return _convnd("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


@autocast_op(LOWER)
def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D convolution over ``(N, C, D, H, W)``, as ``torch.nn.functional.conv3d``.

    Args:
        input: ``(N, C_in, D, H, W)`` or unbatched.
        weight: ``(C_out, C_in / groups, kD, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or triple.
        padding: int, triple, ``"same"`` or ``"valid"``.
        dilation: int or triple.
        groups: number of channel groups.

    Returns:
        ``(N, C_out, D_out, H_out, W_out)``.

    Example:
        >>> F.conv3d(ember.randn(1, 2, 4, 4, 4), ember.randn(3, 2, 3, 3, 3)).shape
        ember.Size([1, 3, 2, 2, 2])
    """
    return _convnd("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transposend(op: str, nd: int, x: Tensor, w: Tensor, b: Tensor | None, stride: Any,
                      padding: Any, output_padding: Any, groups: int, dilation: Any) -> Tensor:
    unbatched = _conv_operands(op, x, w, b, nd)
    if unbatched:
        x = x.reshape((1,) + tuple(x.shape))
    k = tuple(w.shape[2:])
    s, p, d = (_ntuple(v, nd, n, op) for v, n in ((stride, "stride"), (padding, "padding"),
                                                 (dilation, "dilation")))
    op_ = _ntuple(output_padding, nd, "output_padding", op)
    if any(o >= max(si, di) for o, si, di in zip(op_, s, d)):
        raise RuntimeError(f"{op}: output padding {op_} must be smaller than either stride "
                           f"{s} or dilation {d}")
    if x.shape[1] != w.shape[0] or x.shape[1] % groups:
        raise RuntimeError(
            f"{op}: Given transposed=1, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[0]} channels, but got {x.shape[1]} channels "
            "instead")
    if b is not None and tuple(b.shape) != (w.shape[1] * groups,):
        raise RuntimeError(f"{op}: expected bias of shape ({w.shape[1] * groups},), got "
                           f"{list(b.shape)}")
    out = tuple((n - 1) * si - 2 * pi + di * (ki - 1) + oi + 1
                for n, si, pi, di, ki, oi in zip(x.shape[2:], s, p, d, k, op_))
    if any(o <= 0 for o in out):
        raise RuntimeError(f"{op}: computed output size {out} is too small; check "
                           "stride, padding and kernel size")
    # output_padding extends the high side. Positions past the kernels' reach (op > padding, as
    # with stride 1 and dilation > 1) get only the bias: compute without them, then pad.
    hi = tuple(max(pi - oi, 0) for pi, oi in zip(p, op_))
    crop = tuple(max(oi - pi, 0) for pi, oi in zip(p, op_))
    g = ck.ConvGeom(tuple(o - c for o, c in zip(out, crop)), k, s, p, hi, d, int(groups))
    if any(crop):
        y = pad(ConvInput.apply(x, w, None, g), [v for c in reversed(crop) for v in (0, c)])
        if b is not None:
            y = y + b.reshape((1, -1) + (1,) * nd)
    else:
        y = ConvInput.apply(x, w, b, g)
    return y.reshape(tuple(y.shape[1:])) if unbatched else y


@autocast_op(LOWER)
def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """1-D transposed convolution (the gradient of conv1d), as PyTorch's.

    Args:
        input: ``(N, C_in, L)`` or unbatched.
        weight: ``(C_in, C_out / groups, k)``.
        bias: optional ``(C_out,)``.
        stride: step of the corresponding forward convolution.
        padding: ``dilation * (k - 1) - padding`` zeros are added on both sides.
        output_padding: extra size added on one side of the output.
        groups: number of channel groups.
        dilation: spacing between kernel taps.

    Returns:
        ``(N, C_out, (L - 1) * s - 2p + d(k - 1) + output_padding + 1)``.

    Example:
        >>> F.conv_transpose1d(ember.ones(1, 2, 4), ember.ones(2, 3, 3), stride=2).shape
        ember.Size([1, 3, 9])
    """
    return _conv_transposend("conv_transpose1d", 1, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)


@autocast_op(LOWER)
def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """2-D transposed convolution ("deconvolution"), as ``torch.nn.functional.conv_transpose2d``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched.
        weight: ``(C_in, C_out / groups, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or pair.
        padding: int or pair.
        output_padding: int or pair, smaller than stride or dilation.
        groups: number of channel groups.
        dilation: int or pair.

    Returns:
        ``(N, C_out, H_out, W_out)``.

    Example:
        >>> F.conv_transpose2d(ember.ones(1, 4, 3, 3), ember.ones(4, 2, 2, 2), stride=2).shape
        ember.Size([1, 2, 6, 6])
    """
    return _conv_transposend("conv_transpose2d", 2, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)


@autocast_op(LOWER)
def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    Args:
        input: ``(N, C_in, D, H, W)`` or unbatched.
        weight: ``(C_in, C_out / groups, kD, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or triple.
        padding: int or triple.
        output_padding: int or triple.
        groups: number of channel groups.
        dilation: int or triple.

    Returns:
        ``(N, C_out, D_out, H_out, W_out)``.

    Example:
        >>> F.conv_transpose3d(ember.ones(1, 2, 2, 2, 2), ember.ones(2, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 3, 3, 3])
    """
    return _conv_transposend("conv_transpose3d", 3, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)
