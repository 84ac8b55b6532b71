"""Conformer (Gulati et al., 2020) with torchaudio's interface, and a small CTC model on it."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import register_model
from ember.nn import functional as F

__all__ = ["Conformer", "ConformerCTC", "conformer_ctc", "lengths_to_padding_mask"]


def lengths_to_padding_mask(lengths: Tensor, max_length: int | None = None) -> Tensor:
    """``(batch, max_length)`` bool mask, True at padded positions (``t >= lengths[b]``).

    Example:
        >>> lengths_to_padding_mask(ember.tensor([2, 3]))
        tensor([[False, False,  True],
                [False, False, False]])
    """
    size = int(lengths.max()) if max_length is None else max_length
    steps = ember.arange(size, device=lengths.device)
    return steps[None, :] >= lengths[:, None]


class _FeedForward(nn.Module):
    def __init__(self, dim: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.sequential = nn.Sequential(
            nn.LayerNorm(dim),
            nn.Linear(dim, hidden),
            nn.SiLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, dim),
            nn.Dropout(dropout),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.sequential(x)


class _ConvModule(nn.Module):
    def __init__(self, dim: int, kernel: int, dropout: float, use_group_norm: bool) -> None:
        super().__init__()
        if (kernel - 1) % 2:
            raise ValueError(f"depthwise_conv_kernel_size must be odd, got {kernel}")
        self.layer_norm = nn.LayerNorm(dim)
        norm = nn.GroupNorm(1, dim) if use_group_norm else nn.BatchNorm1d(dim)
        self.sequential = nn.Sequential(
            nn.Conv1d(dim, 2 * dim, 1),
            nn.GLU(dim=1),
            nn.Conv1d(dim, dim, kernel, padding=(kernel - 1) // 2, groups=dim),
            norm,
            nn.SiLU(),
            nn.Conv1d(dim, dim, 1),
            nn.Dropout(dropout),
        )

    def forward(self, x: Tensor) -> Tensor:  # (batch, time, dim)
        return self.sequential(self.layer_norm(x).transpose(1, 2)).transpose(1, 2)


class _ConformerLayer(nn.Module):
    def __init__(self, dim: int, ffn_dim: int, heads: int, kernel: int, dropout: float,
                 use_group_norm: bool, convolution_first: bool) -> None:  # fmt: skip
        super().__init__()
        self.ffn1 = _FeedForward(dim, ffn_dim, dropout)
        self.self_attn_layer_norm = nn.LayerNorm(dim)
        self.self_attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.self_attn_dropout = nn.Dropout(dropout)
        self.conv_module = _ConvModule(dim, kernel, dropout, use_group_norm)
        self.ffn2 = _FeedForward(dim, ffn_dim, dropout)
        self.final_layer_norm = nn.LayerNorm(dim)
        self.convolution_first = convolution_first

    def _attend(self, x: Tensor, mask: Tensor | None) -> Tensor:
        y = self.self_attn_layer_norm(x)
        y, _ = self.self_attn(y, y, y, key_padding_mask=mask, need_weights=False)
        return x + self.self_attn_dropout(y)

    def forward(self, x: Tensor, mask: Tensor | None) -> Tensor:
        x = x + 0.5 * self.ffn1(x)
        if self.convolution_first:
            x = x + self.conv_module(x)
        x = self._attend(x, mask)
        if not self.convolution_first:
            x = x + self.conv_module(x)
        x = x + 0.5 * self.ffn2(x)
        return self.final_layer_norm(x)


class Conformer(nn.Module):
    """Stack of Conformer layers (feed-forward, self-attention, convolution, feed-forward).

    Same interface and state-dict layout as ``torchaudio.models.Conformer``.

    Args:
        input_dim: feature size.
        num_heads: attention heads.
        ffn_dim: hidden size of the feed-forward modules.
        num_layers: layers.
        depthwise_conv_kernel_size: kernel of the depthwise convolution (odd).
        dropout: dropout probability.
        use_group_norm: GroupNorm instead of BatchNorm in the convolution module.
        convolution_first: convolution module before self-attention.

    Returns:
        ``forward(input, lengths)``: ``input (batch, time, input_dim)`` and valid
        ``lengths (batch,)`` give ``(output, lengths)``.

    Example:
        >>> model = Conformer(32, num_heads=4, ffn_dim=64, num_layers=2,
        ...                   depthwise_conv_kernel_size=15)
        >>> out, lengths = model(ember.randn(2, 50, 32), ember.tensor([50, 40]))
        >>> out.shape
        ember.Size([2, 50, 32])
    """

    def __init__(
        self,
        input_dim: int,
        num_heads: int,
        ffn_dim: int,
        num_layers: int,
        depthwise_conv_kernel_size: int,
        dropout: float = 0.0,
        use_group_norm: bool = False,
        convolution_first: bool = False,
    ) -> None:
        super().__init__()
        self.conformer_layers = nn.ModuleList(
            _ConformerLayer(
                input_dim,
                ffn_dim,
                num_heads,
                depthwise_conv_kernel_size,
                dropout,
                use_group_norm,
                convolution_first,
            )  # fmt: skip
            for _ in range(num_layers)
        )

    def forward(self, input: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        mask = lengths_to_padding_mask(lengths, input.shape[1])
        x = input
        for layer in self.conformer_layers:
            x = layer(x, mask)
        return x, lengths


class ConformerCTC(nn.Module):
    """A small CTC speech recogniser: 4x time subsampling, a :class:`Conformer`, a classifier.

    Args:
        num_features: input feature bins (e.g. 40 log-mel bins).
        num_classes: output symbols, the CTC blank (index 0) included.
        d_model: model width.
        num_heads: attention heads.
        ffn_dim: feed-forward hidden size.
        num_layers: Conformer layers.
        kernel_size: depthwise convolution kernel.
        dropout: dropout probability.

    Returns:
        ``forward(features, lengths)`` maps ``(batch, num_features, frames)`` and frame counts
        to log-probabilities ``(batch, frames // 4, num_classes)`` and the output lengths.

    Example:
        >>> model = ConformerCTC(40, num_classes=3, d_model=32, num_heads=4, ffn_dim=64)
        >>> logp, lengths = model(ember.randn(2, 40, 100), ember.tensor([100, 80]))
        >>> logp.shape, lengths.tolist()
        (ember.Size([2, 25, 3]), [25, 20])
    """

    def __init__(
        self,
        num_features: int = 40,
        num_classes: int = 29,
        d_model: int = 144,
        num_heads: int = 4,
        ffn_dim: int = 576,
        num_layers: int = 2,
        kernel_size: int = 15,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.subsample = nn.Sequential(
            nn.Conv1d(num_features, d_model, 3, stride=2, padding=1),
            nn.SiLU(),
            nn.Conv1d(d_model, d_model, 3, stride=2, padding=1),
            nn.SiLU(),
        )
        self.conformer = Conformer(d_model, num_heads, ffn_dim, num_layers, kernel_size, dropout)
        self.classifier = nn.Linear(d_model, num_classes)

    def output_lengths(self, lengths: Tensor) -> Tensor:
        """Frames left after the two stride-2 convolutions."""
        for _ in range(2):
            lengths = (lengths + 1) // 2
        return lengths

    def forward(self, features: Tensor, lengths: Tensor | None = None) -> tuple[Tensor, Tensor]:
        if lengths is None:
            lengths = ember.full((features.shape[0],), features.shape[-1], dtype=ember.int64)
        x = self.subsample(features).transpose(1, 2)
        out_lengths = self.output_lengths(lengths.to(x.device))
        x, _ = self.conformer(x, out_lengths)
        return F.log_softmax(self.classifier(x), dim=-1), out_lengths


@register_model()
def conformer_ctc(*, weights: None = None, progress: bool = True, **kwargs: Any) -> ConformerCTC:
    """Build :class:`ConformerCTC` (no pretrained weights are published).

    Args:
        weights: must be None.
        progress: unused.
        **kwargs: passed to :class:`ConformerCTC`.

    Example:
        >>> conformer_ctc(num_classes=3, d_model=32, ffn_dim=64).classifier.out_features
        3
    """
    if weights is not None:
        raise ValueError("conformer_ctc has no pretrained weights; use weights=None")
    return ConformerCTC(**kwargs)
