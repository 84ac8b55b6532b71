"""A small BERT encoder (embeddings, post-norm transformer layers, pooler)."""

from __future__ import annotations

from typing import Any

import ember
from ember import Tensor, nn
from ember.hub import register_model

__all__ = ["BertEncoder", "bert_encoder", "BERT_CONFIGS"]

# Small configurations of Turc et al. (2019), "Well-Read Students Learn Better".
BERT_CONFIGS = {
    "tiny": {"hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2},
    "mini": {"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4},
    "small": {"hidden_size": 512, "num_hidden_layers": 4, "num_attention_heads": 8},
}


class BertEncoder(nn.Module):
    """BERT's encoder: word + position + segment embeddings, transformer layers, tanh pooler.

    Args:
        vocab_size: vocabulary size (a WordPiece vocabulary's).
        hidden_size: model width.
        num_hidden_layers: transformer layers.
        num_attention_heads: attention heads.
        intermediate_size: feed-forward width.
        max_position_embeddings: longest input.
        type_vocab_size: number of segment ids.
        dropout: dropout on embeddings, attention and feed-forward outputs.
        layer_norm_eps: LayerNorm epsilon.

    Example:
        >>> bert = BertEncoder(vocab_size=30, hidden_size=16, num_hidden_layers=1,
        ...                    num_attention_heads=2, intermediate_size=32)
        >>> seq, pooled = bert(ember.tensor([[2, 5, 6, 3, 0]]), ember.tensor([[1, 1, 1, 1, 0]]))
        >>> seq.shape, pooled.shape
        (ember.Size([1, 5, 16]), ember.Size([1, 16]))
    """

    def __init__(
        self,
        vocab_size: int,
        *,
        hidden_size: int = 128,
        num_hidden_layers: int = 2,
        num_attention_heads: int = 2,
        intermediate_size: int = 512,
        max_position_embeddings: int = 512,
        type_vocab_size: int = 2,
        dropout: float = 0.1,
        layer_norm_eps: float = 1e-12,
    ) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(max_position_embeddings, hidden_size)
        self.token_type_embeddings = nn.Embedding(type_vocab_size, hidden_size)
        self.embeddings_norm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(
            hidden_size,
            num_attention_heads,
            dim_feedforward=intermediate_size,
            dropout=dropout,
            activation="gelu",
            layer_norm_eps=layer_norm_eps,
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_hidden_layers, enable_nested_tensor=False)
        self.pooler = nn.Linear(hidden_size, hidden_size)
        self.max_position_embeddings = max_position_embeddings

    def forward(
        self,
        input_ids: Tensor,
        attention_mask: Tensor | None = None,
        token_type_ids: Tensor | None = None,
    ) -> tuple[Tensor, Tensor]:
        """Hidden states ``(B, T, H)`` and the pooled ``[CLS]`` vector ``(B, H)``.

        Args:
            input_ids: ``(B, T)`` ids.
            attention_mask: ``(B, T)``, 1 for real tokens and 0 for padding.
            token_type_ids: ``(B, T)`` segment ids (default zeros).
        """
        B, T = input_ids.shape
        if T > self.max_position_embeddings:
            raise ValueError(
                f"input of length {T} exceeds max_position_embeddings "
                f"{self.max_position_embeddings}"
            )
        pos = ember.arange(T, dtype=ember.long, device=input_ids.device)
        if token_type_ids is None:
            token_type_ids = ember.zeros_like(input_ids)
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        x = self.dropout(self.embeddings_norm(x + self.token_type_embeddings(token_type_ids)))
        padding = None if attention_mask is None else attention_mask == 0
        seq = self.encoder(x, src_key_padding_mask=padding)
        return seq, ember.tanh(self.pooler(seq[:, 0]))


@register_model(domain="text")
def bert_encoder(
    *, weights: None = None, progress: bool = True, config: str = "tiny", **kwargs: Any
) -> BertEncoder:
    """A small :class:`BertEncoder` (``config``: ``"tiny"``, ``"mini"`` or ``"small"``).

    The feed-forward width is 4x the hidden size; ``kwargs`` override any setting. No
    pretrained weights.

    Example:
        >>> bert_encoder(vocab_size=100).pooler.out_features
        128
    """
    if weights is not None:
        raise ValueError("bert_encoder has no pretrained weights")
    if config not in BERT_CONFIGS:
        raise ValueError(f"config must be one of {sorted(BERT_CONFIGS)}, got {config!r}")
    settings = dict(BERT_CONFIGS[config])
    settings["intermediate_size"] = 4 * settings["hidden_size"]
    settings.update(kwargs)
    return BertEncoder(**settings)
