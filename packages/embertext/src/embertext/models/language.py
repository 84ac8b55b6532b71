"""Language models: an LSTM/GRU model with tied weights, and a decoder-only GPT (nanoGPT)."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import ember
import ember.nn.functional as F
from ember import Tensor, nn
from ember.hub import Weights, WeightsEnum, load_weights, register_model
from embertext.models._presets import CharPreset
from embertext.models._utils import fix_kwargs

__all__ = ["RNNLanguageModel", "rnn_lm", "GPT", "GPTConfig", "GPT_Weights", "gpt"]


class RNNLanguageModel(nn.Module):
    """Embedding, stacked LSTM/GRU, linear decoder (PyTorch's word_language_model ``RNNModel``).

    Args:
        ntoken: vocabulary size.
        ninp: embedding size.
        nhid: RNN state size.
        nlayers: stacked layers.
        rnn_type: ``"LSTM"`` or ``"GRU"``.
        dropout: dropout on the embeddings, between layers and on the outputs.
        tie_weights: share the embedding and decoder weights (needs ``nhid == ninp``).

    Example:
        >>> lm = RNNLanguageModel(20, 8, 8, 1, tie_weights=True)
        >>> out, hidden = lm(ember.zeros(5, 2, dtype=ember.long), lm.init_hidden(2))
        >>> out.shape
        ember.Size([5, 2, 20])
    """

    def __init__(
        self,
        ntoken: int,
        ninp: int,
        nhid: int,
        nlayers: int,
        *,
        rnn_type: str = "LSTM",
        dropout: float = 0.5,
        tie_weights: bool = False,
    ) -> None:
        super().__init__()
        if rnn_type not in ("LSTM", "GRU"):
            raise ValueError(f"rnn_type must be 'LSTM' or 'GRU', got {rnn_type!r}")
        if tie_weights and nhid != ninp:
            raise ValueError(f"tie_weights needs nhid == ninp, got nhid={nhid}, ninp={ninp}")
        self.rnn_type, self.nhid, self.nlayers, self.ntoken = rnn_type, nhid, nlayers, ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = getattr(nn, rnn_type)(
            ninp, nhid, nlayers, dropout=dropout if nlayers > 1 else 0.0
        )
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.init_weights()

    def init_weights(self) -> None:
        """Uniform(-0.1, 0.1) embedding and decoder weights, zero decoder bias."""
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

    def forward(self, input: Tensor, hidden: Tensor | tuple[Tensor, Tensor]):
        """Logits ``(T, B, ntoken)`` for ids ``(T, B)``, and the new hidden state."""
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        return self.decoder(self.drop(output)), hidden

    def init_hidden(self, bsz: int):
        """A zero hidden state for a batch of ``bsz`` (a pair for LSTM)."""
        weight = self.encoder.weight
        shape = (self.nlayers, bsz, self.nhid)
        zeros = ember.zeros(shape, dtype=weight.dtype, device=weight.device)
        if self.rnn_type == "LSTM":
            return zeros, ember.zeros(shape, dtype=weight.dtype, device=weight.device)
        return zeros


class GPTConfig:
    """nanoGPT's configuration (its defaults are GPT-2 small's).

    Example:
        >>> GPTConfig(n_layer=2).n_layer
        2
    """

    def __init__(
        self,
        *,
        vocab_size: int = 50304,
        block_size: int = 1024,
        n_layer: int = 12,
        n_head: int = 12,
        n_embd: int = 768,
        dropout: float = 0.0,
        bias: bool = True,
    ) -> None:
        if n_embd % n_head:
            raise ValueError(f"n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
        self.vocab_size, self.block_size = vocab_size, block_size
        self.n_layer, self.n_head, self.n_embd = n_layer, n_head, n_embd
        self.dropout, self.bias = dropout, bias

    def as_dict(self) -> dict:
        """The settings as a dict (keyword arguments of :class:`GPT`)."""
        return dict(vars(self))


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention with a causal mask, through ``scaled_dot_product_attention``."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)
        self.n_head, self.n_embd, self.dropout = config.n_head, config.n_embd, config.dropout

    def forward(self, x: Tensor) -> Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        heads = (B, T, self.n_head, C // self.n_head)
        q, k, v = (t.view(*heads).transpose(1, 2) for t in (q, k, v))
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=drop, is_causal=True)
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    """Linear to 4x width, GELU, linear back, dropout."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """Decoder-only transformer language model (nanoGPT), with tied input/output embeddings.

    Args:
        vocab_size, block_size, n_layer, n_head, n_embd, dropout, bias: see :class:`GPTConfig`.

    Example:
        >>> model = GPT(vocab_size=11, block_size=8, n_layer=1, n_head=2, n_embd=8)
        >>> logits, loss = model(ember.zeros(2, 5, dtype=ember.long))
        >>> logits.shape, loss
        (ember.Size([2, 1, 11]), None)
    """

    def __init__(self, **config) -> None:
        super().__init__()
        self.config = cfg = GPTConfig(**config)
        self.transformer = nn.ModuleDict(
            {
                "wte": nn.Embedding(cfg.vocab_size, cfg.n_embd),
                "wpe": nn.Embedding(cfg.block_size, cfg.n_embd),
                "drop": nn.Dropout(cfg.dropout),
                "h": nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)]),
                "ln_f": nn.LayerNorm(cfg.n_embd, bias=cfg.bias),
            }
        )
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx: Tensor, targets: Tensor | None = None) -> tuple[Tensor, Tensor | None]:
        """Logits and the cross-entropy loss for ids ``(B, T)``.

        With ``targets`` the logits cover every position ``(B, T, V)``; without, only the last
        one ``(B, 1, V)`` (what generation needs).
        """
        B, T = idx.shape
        if T > self.config.block_size:
            raise ValueError(f"sequence of length {T} exceeds block_size {self.config.block_size}")
        pos = ember.arange(T, dtype=ember.long, device=idx.device)
        tr = self.transformer
        x = tr.drop(tr.wte(idx) + tr.wpe(pos))
        for block in tr.h:
            x = block(x)
        x = tr.ln_f(x)
        if targets is None:
            return self.lm_head(x[:, -1:, :]), None
        logits = self.lm_head(x)
        loss = F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1
        )
        return logits, loss

    @ember.no_grad()
    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: ember.Generator | None = None,
    ) -> Tensor:
        """Sample ``max_new_tokens`` ids after the prompt ``idx`` ``(B, T)``.

        Args:
            idx: prompt ids.
            max_new_tokens: how many ids to add.
            temperature: divides the logits (lower: more conservative).
            top_k: sample among the ``top_k`` most likely ids only.
            generator: random generator for the sampling.

        Returns:
            ``(B, T + max_new_tokens)`` ids.
        """
        if temperature <= 0:
            raise ValueError(f"temperature must be positive, got {temperature}")
        for _ in range(max_new_tokens):
            context = idx[:, -self.config.block_size :]
            logits, _ = self(context)
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                kth = ember.topk(logits, min(top_k, logits.shape[-1])).values[:, -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            probs = F.softmax(logits, dim=-1)
            nxt = ember.multinomial(probs, num_samples=1, generator=generator)
            idx = ember.cat([idx, nxt], dim=1)
        return idx


SHAKESPEARE_ALPHABET = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class GPT_Weights(WeightsEnum):
    """Weights for :func:`gpt`.

    ``TINY_SHAKESPEARE_CHAR_V1`` was trained with ember by
    ``examples/text/char_gpt.py --n-embd 96`` (the recipe, in the ember repository; nanoGPT's CPU
    configuration at width 96) on the first 90% of tiny-shakespeare; ``meta["_metrics"]`` holds
    the loss on the last 10%.
    ``weights.transforms()`` is the :class:`CharTokenizer` of its 65-character alphabet.
    """

    TINY_SHAKESPEARE_CHAR_V1 = Weights(
        url=None,
        file="embertext/_weights/char_gpt_shakespeare-3ab691e1.ember",
        sha256="3ab691e13bf3c29f0ea0013ccfa4bd5486e0d6f99fcc8b285c64be1821f217ee",
        transforms=partial(CharPreset, SHAKESPEARE_ALPHABET),
        meta={
            "num_params": 455616,
            "config": {
                "vocab_size": 65,
                "block_size": 64,
                "n_layer": 4,
                "n_head": 4,
                "n_embd": 96,
                "dropout": 0.0,
                "bias": False,
            },
            "alphabet": SHAKESPEARE_ALPHABET,
            "recipe": (
                "examples/text/char_gpt.py --n-embd 96, then "
                "embertext/_weights/make_weights.py (in the ember repository)"
            ),
            "_metrics": {
                "tiny-shakespeare val (last 10%)": {
                    "loss (nats/char, all blocks)": 1.971,
                    "loss (nats/char, nanoGPT estimate)": 1.982,
                }
            },
            "_docs": (
                "nanoGPT's CPU configuration at width 96 instead of 128 (so that the shipped "
                "file stays under 1 MiB; width 128 reaches 1.886) trained with ember from "
                "random init on the first 90% of tiny-shakespeare: 4 layers, 4 heads, block 64, "
                "batch 12, "
                "2,000 iterations of AdamW (lr 1e-3 with 100 warm-up iterations and cosine "
                "decay to 1e-4, betas 0.9/0.99, weight decay 0.1 on matrices, clipping 1.0), "
                "dropout 0, no biases, seed 0; 179 s of CPU on one thread. Stored in float16; "
                "the losses are those of the stored weights."
            ),
        },
    )
    DEFAULT = TINY_SHAKESPEARE_CHAR_V1


@register_model(weights=GPT_Weights, domain="text")
def gpt(*, weights: GPT_Weights | str | None = None, progress: bool = True, **kwargs: Any) -> GPT:
    """nanoGPT-style :class:`GPT`; ``weights="DEFAULT"`` gives ember's tiny-shakespeare char model.

    Args:
        weights: None, a :class:`GPT_Weights` member or its name, or a path.
        progress: show download progress (the default weights ship with the package).
        **kwargs: :class:`GPTConfig` fields; the weights fix them.

    Example:
        >>> weights = GPT_Weights.DEFAULT
        >>> model, chars = gpt(weights=weights).eval(), weights.transforms()
        >>> ids = model.generate(ember.tensor([chars.encode("ROMEO:")]), 20, top_k=5)
        >>> len(chars.decode(ids[0].tolist()))
        26
    """
    weights = GPT_Weights.verify(weights)
    fix_kwargs(weights, kwargs)
    return load_weights(GPT(**kwargs), weights, progress)


@register_model(domain="text")
def rnn_lm(*, weights: None = None, progress: bool = True, **kwargs: Any) -> RNNLanguageModel:
    """:class:`RNNLanguageModel` (no pretrained weights).

    Example:
        >>> rnn_lm(ntoken=20, ninp=8, nhid=8, nlayers=1).decoder.out_features
        20
    """
    if weights is not None:
        raise ValueError("rnn_lm has no pretrained weights")
    return RNNLanguageModel(**kwargs)
