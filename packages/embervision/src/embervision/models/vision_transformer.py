"""Vision Transformer (Dosovitskiy et al., 2021): ``vit_b_16`` as torchvision, and ``vit_tiny``,
a small configuration for 32x32 images that trains on a CPU."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import (
    WeightsEnum,
    load_weights,
    overwrite_named_param,
    register_model,
    set_params_from_weights,
)
from embervision.models._utils import tv_weights
from embervision.ops import MLP

__all__ = ["VisionTransformer", "ViT_B_16_Weights", "vit_b_16", "vit_tiny"]


_LAYER_NORM = partial(nn.LayerNorm, eps=1e-6)


class MLPBlock(MLP):
    """The transformer's feed-forward block: Linear, GELU, Dropout, Linear, Dropout."""

    def __init__(self, in_dim: int, mlp_dim: int, dropout: float) -> None:
        super().__init__(
            in_dim, [mlp_dim, in_dim], activation_layer=nn.GELU, inplace=None, dropout=dropout
        )
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.normal_(m.bias, std=1e-6)


class EncoderBlock(nn.Module):
    """Pre-norm transformer layer: x + attention(ln_1(x)), then + mlp(ln_2(.))."""

    def __init__(
        self,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float,
        attention_dropout: float,
        norm_layer: Callable[..., nn.Module],
    ) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.ln_1 = norm_layer(hidden_dim)
        self.self_attention = nn.MultiheadAttention(
            hidden_dim, num_heads, dropout=attention_dropout, batch_first=True
        )
        self.dropout = nn.Dropout(dropout)
        self.ln_2 = norm_layer(hidden_dim)
        self.mlp = MLPBlock(hidden_dim, mlp_dim, dropout)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim != 3:
            raise ValueError(f"EncoderBlock: expected (batch, seq, hidden), got {input.shape}")
        x = self.ln_1(input)
        x, _ = self.self_attention(x, x, x, need_weights=False)
        x = self.dropout(x) + input
        return x + self.mlp(self.ln_2(x))


class Encoder(nn.Module):
    """Learned position embedding, then ``num_layers`` encoder blocks and a final norm."""

    def __init__(
        self,
        seq_length: int,
        num_layers: int,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float,
        attention_dropout: float,
        norm_layer: Callable[..., nn.Module],
    ) -> None:
        super().__init__()
        self.pos_embedding = nn.Parameter(
            nn.init.normal_(ember.empty(1, seq_length, hidden_dim), std=0.02)
        )
        self.dropout = nn.Dropout(dropout)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        for i in range(num_layers):
            layers[f"encoder_layer_{i}"] = EncoderBlock(
                num_heads, hidden_dim, mlp_dim, dropout, attention_dropout, norm_layer
            )
        self.layers = nn.Sequential(layers)
        self.ln = norm_layer(hidden_dim)

    def forward(self, input: Tensor) -> Tensor:
        return self.ln(self.layers(self.dropout(input + self.pos_embedding)))


class VisionTransformer(nn.Module):
    """Patchify with a strided conv, prepend a class token, run a transformer encoder, classify.

    Args:
        image_size: input side (square images).
        patch_size: patch side; must divide ``image_size``.
        num_layers: encoder blocks.
        num_heads: attention heads.
        hidden_dim: token width.
        mlp_dim: feed-forward width.
        dropout: dropout in the encoder.
        attention_dropout: dropout on attention weights.
        num_classes: output classes.
        representation_size: optional pre-logits Linear + tanh of this width.
        norm_layer: normalisation (default LayerNorm with eps=1e-6).

    Example:
        >>> vit = VisionTransformer(16, 4, 1, 2, 8, 16, num_classes=3)
        >>> vit(ember.zeros(2, 3, 16, 16)).shape
        (2, 3)
    """

    def __init__(
        self,
        image_size: int,
        patch_size: int,
        num_layers: int,
        num_heads: int,
        hidden_dim: int,
        mlp_dim: int,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        num_classes: int = 1000,
        representation_size: int | None = None,
        norm_layer: Callable[..., nn.Module] = _LAYER_NORM,
        conv_stem_configs: Any = None,
    ) -> None:
        super().__init__()
        if image_size % patch_size != 0:
            raise ValueError(f"image_size {image_size} is not divisible by patch {patch_size}")
        if conv_stem_configs is not None:
            raise NotImplementedError("conv_stem_configs is not supported yet")
        self.image_size = image_size
        self.patch_size = patch_size
        self.hidden_dim = hidden_dim
        self.mlp_dim = mlp_dim
        self.attention_dropout = attention_dropout
        self.dropout = dropout
        self.num_classes = num_classes
        self.representation_size = representation_size
        self.norm_layer = norm_layer
        self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
        seq_length = (image_size // patch_size) ** 2 + 1
        self.class_token = nn.Parameter(ember.zeros(1, 1, hidden_dim))
        self.encoder = Encoder(
            seq_length,
            num_layers,
            num_heads,
            hidden_dim,
            mlp_dim,
            dropout,
            attention_dropout,
            norm_layer,
        )
        self.seq_length = seq_length
        self.heads = nn.Sequential(self._heads(hidden_dim, num_classes, representation_size))
        self._init_weights()

    @staticmethod
    def _heads(
        hidden_dim: int, num_classes: int, representation_size: int | None
    ) -> OrderedDict[str, nn.Module]:
        heads: OrderedDict[str, nn.Module] = OrderedDict()
        if representation_size is None:
            heads["head"] = nn.Linear(hidden_dim, num_classes)
        else:
            heads["pre_logits"] = nn.Linear(hidden_dim, representation_size)
            heads["act"] = nn.Tanh()
            heads["head"] = nn.Linear(representation_size, num_classes)
        return heads

    def _init_weights(self) -> None:
        fan_in = self.conv_proj.in_channels * self.patch_size**2
        nn.init.trunc_normal_(self.conv_proj.weight, std=math.sqrt(1 / fan_in))
        nn.init.zeros_(self.conv_proj.bias)
        if "pre_logits" in self.heads._modules:
            pre = self.heads.pre_logits
            nn.init.trunc_normal_(pre.weight, std=math.sqrt(1 / pre.in_features))
            nn.init.zeros_(pre.bias)
        nn.init.zeros_(self.heads.head.weight)
        nn.init.zeros_(self.heads.head.bias)

    def _process_input(self, x: Tensor) -> Tensor:
        n, _, h, w = x.shape
        if h != self.image_size or w != self.image_size:
            raise ValueError(
                f"VisionTransformer: expected {self.image_size}x{self.image_size} images, got "
                f"{h}x{w}; resize the input or build the model with image_size={h}"
            )
        x = self.conv_proj(x)
        return x.reshape(n, self.hidden_dim, -1).permute(0, 2, 1)

    def forward(self, x: Tensor) -> Tensor:
        x = self._process_input(x)
        cls = self.class_token.expand(x.shape[0], -1, -1)
        x = self.encoder(ember.cat([cls, x], dim=1))
        return self.heads(x[:, 0])


def _vision_transformer(weights: Any, progress: bool, **kwargs: Any) -> VisionTransformer:
    set_params_from_weights(weights, kwargs)
    min_size = getattr(weights, "meta", {}).get("min_size") if weights is not None else None
    if min_size:
        overwrite_named_param(kwargs, "image_size", min_size[0])
    kwargs.setdefault("image_size", 224)
    return load_weights(VisionTransformer(**kwargs), weights, progress)


class ViT_B_16_Weights(WeightsEnum):
    IMAGENET1K_V1 = tv_weights("ViT_B_16_Weights", "IMAGENET1K_V1")
    IMAGENET1K_SWAG_E2E_V1 = tv_weights("ViT_B_16_Weights", "IMAGENET1K_SWAG_E2E_V1")
    IMAGENET1K_SWAG_LINEAR_V1 = tv_weights("ViT_B_16_Weights", "IMAGENET1K_SWAG_LINEAR_V1")
    DEFAULT = IMAGENET1K_V1


@register_model(weights=ViT_B_16_Weights)
def vit_b_16(
    *, weights: ViT_B_16_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VisionTransformer:
    """ViT-B/16 from `An Image is Worth 16x16 Words`.

    Args:
        weights: None, a :class:`ViT_B_16_Weights` member or its name, or a path/URL.
        progress: show download progress.
        **kwargs: ``image_size`` (default 224) and :class:`VisionTransformer`'s arguments.

    Example:
        >>> vit_b_16(image_size=32, num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
        (1, 10)
    """
    weights = ViT_B_16_Weights.verify(weights)
    cfg = dict(patch_size=16, num_layers=12, num_heads=12, hidden_dim=768, mlp_dim=3072)
    return _vision_transformer(weights, progress, **{**cfg, **kwargs})


class ViT_Tiny_Weights(WeightsEnum):
    """No pretrained weights yet; a path or URL of a state dict can still be given."""


@register_model(weights=ViT_Tiny_Weights)
def vit_tiny(
    *, weights: ViT_Tiny_Weights | str | None = None, progress: bool = True, **kwargs: Any
) -> VisionTransformer:
    """A small ViT for 32x32 images (patch 4, 6 layers, 3 heads, width 192, MLP 768; 2.9M
    parameters), the DeiT-Tiny widths on CIFAR-sized inputs. Not a torchvision model.

    Args:
        weights: None, or a path/URL of a state dict.
        progress: show download progress.
        **kwargs: :class:`VisionTransformer`'s arguments, overriding the defaults above.

    Example:
        >>> vit_tiny(num_classes=10)(ember.zeros(2, 3, 32, 32)).shape
        (2, 10)
    """
    weights = ViT_Tiny_Weights.verify(weights)
    cfg = dict(image_size=32, patch_size=4, num_layers=6, num_heads=3, hidden_dim=192, mlp_dim=768)
    return _vision_transformer(weights, progress, **{**cfg, **kwargs})
