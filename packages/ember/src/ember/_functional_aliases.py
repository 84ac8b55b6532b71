"""The ``torch.<name>`` spellings of ``nn.functional`` operations (``torch.conv2d``,
``torch.layer_norm``, ``torch.dropout``, ``torch.native_batch_norm``, ...).

PyTorch exposes these at the top level with the ATen argument order, which differs from
``nn.functional``'s in places: ``torch.dropout(input, p, train)`` takes ``train`` positionally,
``torch.embedding(weight, indices)`` takes the weight first, the losses take ``reduction`` as an
int (0 none, 1 mean, 2 sum) and ``torch.grid_sampler`` takes its modes as ints. Each function
here only reorders arguments and calls ``ember.nn.functional``.

Example:
    >>> x = ember.randn(1, 2, 5)
    >>> bool((ember.conv1d(x, ember.ones(3, 2, 2)) == ember.nn.functional.conv1d(x, ember.ones(3, 2, 2))).all())
    True
"""  # noqa: E501

from __future__ import annotations

from typing import Any

from ember import _dtype
from ember._tensor import Tensor
from ember.nn import functional as F

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "affine_grid_generator",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cosine_embedding_loss",
    "cosine_similarity",
    "ctc_loss",
    "dropout",
    "dropout_",
    "embedding",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "grid_sampler",
    "grid_sampler_2d",
    "grid_sampler_3d",
    "group_norm",
    "gru_cell",
    "hardshrink",
    "hinge_embedding_loss",
    "instance_norm",
    "kl_div",
    "layer_norm",
    "lstm_cell",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "native_batch_norm",
    "native_channel_shuffle",
    "native_dropout",
    "native_group_norm",
    "native_layer_norm",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "rms_norm",
    "rnn_relu_cell",
    "rnn_tanh_cell",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
]

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(r: Any) -> str:
    """ATen's int reduction (0 none, 1 mean, 2 sum; the top-level functions default to 0), or a
    string passed through."""
    return r if isinstance(r, str) else _REDUCTIONS[int(r)]


def _stride(stride: Any) -> Any:
    """ATen's ``stride=()`` means "the kernel size", which ``nn.functional`` spells None."""
    return None if stride == () or stride == [] else stride


# -- convolution and pooling ---------------------------------------------------------------------
conv1d, conv2d, conv3d = F.conv1d, F.conv2d, F.conv3d
conv_transpose1d, conv_transpose2d = F.conv_transpose1d, F.conv_transpose2d
conv_transpose3d = F.conv_transpose3d
adaptive_avg_pool1d = F.adaptive_avg_pool1d
pixel_shuffle, pixel_unshuffle = F.pixel_shuffle, F.pixel_unshuffle
channel_shuffle = native_channel_shuffle = F.channel_shuffle
bilinear, pdist, pairwise_distance = F.bilinear, F.pdist, F.pairwise_distance
cosine_similarity, hardshrink, prelu, rms_norm = (
    F.cosine_similarity,
    F.hardshrink,
    F.prelu,
    F.rms_norm,
)


def adaptive_max_pool1d(input: Tensor, output_size: Any) -> tuple[Tensor, Tensor]:
    """``(values, indices)`` of ``nn.functional.adaptive_max_pool1d`` (ATen returns both)."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def avg_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = (),
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """``nn.functional.avg_pool1d`` with ATen's ``stride=()`` default."""
    return F.avg_pool1d(input, kernel_size, _stride(stride), padding, ceil_mode, count_include_pad)


def _max_pool(fn: Any, name: str) -> Any:
    def pool(
        input: Tensor,
        kernel_size: Any,
        stride: Any = (),
        padding: Any = 0,
        dilation: Any = 1,
        ceil_mode: bool = False,
    ) -> Tensor:
        return fn(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)

    pool.__name__ = pool.__qualname__ = name
    pool.__doc__ = f"``nn.functional.{name}`` with ATen's ``stride=()`` default."
    return pool


max_pool1d = _max_pool(F.max_pool1d, "max_pool1d")
max_pool2d = _max_pool(F.max_pool2d, "max_pool2d")
max_pool3d = _max_pool(F.max_pool3d, "max_pool3d")


def max_pool1d_with_indices(
    input: Tensor,
    kernel_size: Any,
    stride: Any = (),
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> tuple[Tensor, Tensor]:
    """``(values, indices)`` of ``nn.functional.max_pool1d``."""
    return F.max_pool1d(
        input, kernel_size, _stride(stride), padding, dilation, ceil_mode, return_indices=True
    )


def constant_pad_nd(input: Tensor, pad: Any, value: float = 0) -> Tensor:
    """``nn.functional.pad(input, pad, value=value)`` (negative pads crop)."""
    return F.pad(input, list(pad), value=value)


# -- sampling ------------------------------------------------------------------------------------
_INTERPOLATION = ("bilinear", "nearest", "bicubic")
_PADDING = ("zeros", "border", "reflection")


def grid_sampler(
    input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int, align_corners: bool
) -> Tensor:
    """``nn.functional.grid_sample`` with ATen's int modes (0 bilinear, 1 nearest, 2 bicubic;
    padding 0 zeros, 1 border, 2 reflection)."""
    return F.grid_sample(
        input, grid, _INTERPOLATION[interpolation_mode], _PADDING[padding_mode], align_corners
    )


grid_sampler_2d = grid_sampler_3d = grid_sampler


def affine_grid_generator(theta: Tensor, size: Any, align_corners: bool) -> Tensor:
    """``nn.functional.affine_grid`` (ATen's spelling)."""
    return F.affine_grid(theta, list(size), align_corners)


# -- activations and dropout ---------------------------------------------------------------------
def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``nn.functional.celu``."""
    return F.celu(input, alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``celu``."""
    return F.celu(input, alpha, inplace=True)


def selu(input: Tensor) -> Tensor:
    """``nn.functional.selu``."""
    return F.selu(input)


def selu_(input: Tensor) -> Tensor:
    """In-place ``selu``."""
    return F.selu(input, inplace=True)


def rrelu(
    input: Tensor,
    lower: float = 1 / 8,
    upper: float = 1 / 3,
    training: bool = False,
    generator: Any = None,
) -> Tensor:
    """``nn.functional.rrelu``."""
    return F.rrelu(input, lower, upper, training)


def rrelu_(
    input: Tensor,
    lower: float = 1 / 8,
    upper: float = 1 / 3,
    training: bool = False,
    generator: Any = None,
) -> Tensor:
    """In-place ``rrelu``."""
    return F.rrelu(input, lower, upper, training, inplace=True)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    """``nn.functional.threshold``: ``value`` where ``input <= threshold``."""
    return F.threshold(input, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place ``threshold``."""
    return F.threshold(input, threshold, value, inplace=True)


def _dropout(fn: Any, name: str, inplace: bool) -> Any:
    def drop(input: Tensor, p: float, train: bool) -> Tensor:
        return fn(input, p, train, inplace)

    drop.__name__ = drop.__qualname__ = name
    drop.__doc__ = f"ATen's ``{name}(input, p, train)``: ``nn.functional`` dropout."
    return drop


def _feature_dropout(
    input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False
) -> Tensor:
    """Zero whole channels (dim 1) with probability ``p``, scaling the rest by ``1/(1-p)``."""
    if not training or p == 0:
        return input
    mask_shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    keep = input.new_empty(mask_shape).bernoulli_(1 - p) / (1 - p) if p < 1 else None
    out = input * keep if keep is not None else input * 0
    return input.copy_(out) if inplace else out


dropout = _dropout(F.dropout, "dropout", False)
dropout_ = _dropout(F.dropout, "dropout_", True)
alpha_dropout = _dropout(F.alpha_dropout, "alpha_dropout", False)
alpha_dropout_ = _dropout(F.alpha_dropout, "alpha_dropout_", True)
feature_alpha_dropout = _dropout(F.feature_alpha_dropout, "feature_alpha_dropout", False)
feature_alpha_dropout_ = _dropout(F.feature_alpha_dropout, "feature_alpha_dropout_", True)
feature_dropout = _dropout(_feature_dropout, "feature_dropout", False)
feature_dropout_ = _dropout(_feature_dropout, "feature_dropout_", True)


def native_dropout(input: Tensor, p: float, train: bool | None) -> tuple[Tensor, Tensor]:
    """``(output, mask)``: dropout and the bool mask of the elements kept."""
    if not train or p == 0:
        return input.clone(), input.new_ones(input.shape).to(_dtype.bool)
    keep = input.new_empty(input.shape).bernoulli_(1 - p).to(_dtype.bool)
    scale = 1 / (1 - p) if p < 1 else 0.0
    return input * keep.to(input.dtype) * scale, keep


# -- normalisation -------------------------------------------------------------------------------
def batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool = True,
) -> Tensor:
    """ATen's argument order of ``nn.functional.batch_norm``."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool = True,
) -> Tensor:
    """ATen's argument order of ``nn.functional.instance_norm``."""
    return F.instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Tensor:
    """``nn.functional.layer_norm``."""
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """``nn.functional.group_norm``."""
    return F.group_norm(input, num_groups, weight, bias, eps)


def _stats(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor]:
    """Mean and reciprocal standard deviation (biased variance) over ``dims``, kept."""
    mean = x.mean(dims, keepdim=True)
    var = ((x - mean) ** 2).mean(dims, keepdim=True)
    return mean, (var + eps).rsqrt()


def native_batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """``(output, save_mean, save_invstd)``; the saved statistics are empty in eval mode."""
    out = F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if not training:
        empty = input.new_empty((0,))
        return out, empty, empty.clone()
    dims = (0, *range(2, input.ndim))
    mean, rstd = _stats(input.detach(), dims, eps)
    return out, mean.reshape(-1), rstd.reshape(-1)


def native_layer_norm(
    input: Tensor, normalized_shape: Any, weight: Tensor | None, bias: Tensor | None, eps: float
) -> tuple[Tensor, Tensor, Tensor]:
    """``(output, mean, rstd)``, the statistics shaped for broadcasting over the normalised
    dims."""
    k = len(tuple(normalized_shape))
    mean, rstd = _stats(input, tuple(range(input.ndim - k, input.ndim)), eps)
    return F.layer_norm(input, normalized_shape, weight, bias, eps), mean, rstd


def native_group_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    N: int,  # noqa: N803
    C: int,
    HxW: int,
    group: int,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:  # noqa: N803
    """``(output, mean, rstd)`` with the statistics of shape ``(N, group)``."""
    grouped = input.reshape(N, group, -1)
    mean, rstd = _stats(grouped, (2,), eps)
    out = F.group_norm(input, group, weight, bias, eps)
    return out, mean.reshape(N, group), rstd.reshape(N, group)


def embedding(
    weight: Tensor,
    indices: Tensor,
    padding_idx: int = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """ATen's ``embedding(weight, indices)`` (weight first; ``padding_idx=-1`` means none)."""
    pad = None if padding_idx is None or padding_idx < 0 else padding_idx
    return F.embedding(indices, weight, pad, scale_grad_by_freq=scale_grad_by_freq)


# -- losses (ATen's int reduction) ---------------------------------------------------------------
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    pos_weight: Tensor | None = None,
    reduction: Any = 0,
) -> Tensor:
    """``nn.functional.binary_cross_entropy_with_logits``, ``reduction`` as ATen's int."""
    return F.binary_cross_entropy_with_logits(
        input, target, weight, reduction=_reduction(reduction), pos_weight=pos_weight
    )


def kl_div(
    input: Tensor, target: Tensor, reduction: Any = 0, *, log_target: bool = False
) -> Tensor:
    """``nn.functional.kl_div``, ``reduction`` as ATen's int."""
    return F.kl_div(input, target, reduction=_reduction(reduction), log_target=log_target)


def cosine_embedding_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: Any = 0
) -> Tensor:
    """``nn.functional.cosine_embedding_loss``, ``reduction`` as ATen's int."""
    return F.cosine_embedding_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(
    input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0, reduction: Any = 0
) -> Tensor:
    """``nn.functional.margin_ranking_loss``, ``reduction`` as ATen's int."""
    return F.margin_ranking_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def hinge_embedding_loss(
    input: Tensor, target: Tensor, margin: float = 1.0, reduction: Any = 0
) -> Tensor:
    """``nn.functional.hinge_embedding_loss``, ``reduction`` as ATen's int."""
    return F.hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


def poisson_nll_loss(
    input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float, reduction: Any
) -> Tensor:
    """``nn.functional.poisson_nll_loss``, every argument positional as in ATen."""
    return F.poisson_nll_loss(
        input, target, log_input, full, eps=eps, reduction=_reduction(reduction)
    )


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: Any = 0,
) -> Tensor:
    """``nn.functional.triplet_margin_loss``, ``reduction`` as ATen's int."""
    return F.triplet_margin_loss(
        anchor, positive, negative, margin, p, eps, swap, reduction=_reduction(reduction)
    )


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: Any = 0,
    zero_infinity: bool = False,
) -> Tensor:
    """``nn.functional.ctc_loss``, ``reduction`` as ATen's int."""
    return F.ctc_loss(
        log_probs,
        targets,
        input_lengths,
        target_lengths,
        blank,
        _reduction(reduction),
        zero_infinity,
    )


# -- recurrent cells -----------------------------------------------------------------------------
def _gates(
    input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None
) -> tuple[Tensor, Tensor]:
    gi = F.linear(input, w_ih, b_ih)
    gh = F.linear(hx, w_hh, b_hh)
    return gi, gh


def _elman_cell(name: str, activation: str) -> Any:
    def cell(
        input: Tensor,
        hx: Tensor,
        w_ih: Tensor,
        w_hh: Tensor,
        b_ih: Tensor | None = None,
        b_hh: Tensor | None = None,
    ) -> Tensor:
        gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
        return getattr(gi + gh, activation)()

    cell.__name__ = cell.__qualname__ = name
    cell.__doc__ = f"One Elman RNN step: ``{activation}(x W_ih^T + b_ih + h W_hh^T + b_hh)``."
    return cell


rnn_tanh_cell = _elman_cell("rnn_tanh_cell", "tanh")
rnn_relu_cell = _elman_cell("rnn_relu_cell", "relu")


def lstm_cell(
    input: Tensor,
    hx: Any,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> tuple[Tensor, Tensor]:
    """One LSTM step; ``hx`` is ``(h, c)``; returns ``(h', c')`` (gate order i, f, g, o)."""
    h, c = hx
    gi, gh = _gates(input, h, w_ih, w_hh, b_ih, b_hh)
    i, f, g, o = (gi + gh).chunk(4, -1)
    c2 = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c2.tanh(), c2


def gru_cell(
    input: Tensor,
    hx: Tensor,
    w_ih: Tensor,
    w_hh: Tensor,
    b_ih: Tensor | None = None,
    b_hh: Tensor | None = None,
) -> Tensor:
    """One GRU step (gate order r, z, n, as PyTorch)."""
    gi, gh = _gates(input, hx, w_ih, w_hh, b_ih, b_hh)
    ir, iz, in_ = gi.chunk(3, -1)
    hr, hz, hn = gh.chunk(3, -1)
    r, z = (ir + hr).sigmoid(), (iz + hz).sigmoid()
    n = (in_ + r * hn).tanh()
    return (1 - z) * n + z * hx


# Tensor methods PyTorch has for these (``x.hardshrink()``, ``x.prelu(w)``).
TENSOR_METHODS: dict[str, Any] = {"hardshrink": hardshrink, "prelu": prelu}
