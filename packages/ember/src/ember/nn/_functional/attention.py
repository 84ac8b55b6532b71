"""Functional scaled dot-product and multi-head attention, as ``torch.nn.functional``.

Heads are batched: one batched matmul computes the scores of all heads of all batch elements.
The core ``softmax(Q K^T * scale + mask) V`` is one primitive (``Attention``) for measured speed:
its forward and backward run on raw arrays (saving only the probabilities), and its many small
per-head GEMMs run on one BLAS thread, which on a loaded 2-core machine was measured 100x faster
than letting OpenBLAS wake a second thread for each of them. When the backward itself must be
differentiated (``create_graph=True``) it is recomputed from ember ops, so higher derivatives
stay exact.
"""

from __future__ import annotations

import math

import ember
from ember._tensor import Tensor
from ember.amp.autocast_mode import LOWER, autocast_op
from ember.nn._functional.activation import softmax
from ember.nn._functional.dropout import _keep_mask, dropout
from ember.nn._functional.linear import linear
from ember.ops.nn.attention import Attention, attention_composed

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _float_mask(mask: Tensor | None, like: Tensor, name: str) -> Tensor | None:
    """MHA's bool mask (True = blocked) as an additive float mask; float masks pass through."""
    if mask is None or mask.dtype != ember.bool:
        if mask is not None and not mask.dtype.is_floating_point:
            raise AssertionError(f"only bool and floating types of {name} are supported")
        return mask
    zeros = ember.zeros(mask.shape, dtype=like.dtype, device=like.device)
    return zeros.masked_fill(mask, float("-inf"))


def _fully_masked_rows(mask: Tensor) -> Tensor | None:
    """Rows of an additive mask that are -inf everywhere (sdpa gives them zeros, not NaN)."""
    rows = (mask.detach() == float("-inf")).all(-1, keepdim=True)
    return rows if bool(rows.any()) else None


def _attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, keep: Tensor | None,
               scale: float) -> Tensor:
    args = (q, k, v, mask, keep)
    if q.shape[:-2] != k.shape[:-2] or k.shape[:-2] != v.shape[:-2]:
        return attention_composed(q, k, v, mask, keep, scale)  # broadcast batch dims
    return Attention.apply(*args, scale=scale)


def _repeat_heads(t: Tensor, rep: int) -> Tensor:
    """``repeat_interleave(rep, dim=-3)`` as one broadcast view and one reshape."""
    lead, (heads, n, e) = tuple(t.shape[:-3]), tuple(t.shape[-3:])
    wide = t.unsqueeze(-3).expand(lead + (heads, rep, n, e))
    return wide.reshape(lead + (heads * rep, n, e))


@autocast_op(LOWER)
def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """``softmax(Q K^T * scale + mask) V`` over the last two dimensions.

    Args:
        query: ``(..., L, E)``.
        key: ``(..., S, E)``.
        value: ``(..., S, Ev)``.
        attn_mask: bool (True = take part in attention) or float (added to the scores),
            broadcastable to ``(..., L, S)``.
        dropout_p: dropout probability on the attention weights.
        is_causal: apply a lower-triangular mask (then ``attn_mask`` must be None).
        scale: defaults to ``1 / sqrt(E)``.
        enable_gqa: grouped-query attention: ``key``/``value`` have fewer heads (dim -3) that are
            shared by groups of query heads.

    Returns:
        ``(..., L, Ev)``. Rows whose keys are all masked give zeros, as in PyTorch.

    Example:
        >>> q = ember.randn(2, 4, 5, 8)
        >>> F.scaled_dot_product_attention(q, q, q, is_causal=True).shape
        ember.Size([2, 4, 5, 8])
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    length, src = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key, value = _repeat_heads(key, rep), _repeat_heads(value, rep)
    if is_causal:
        keep = ember.ones(length, src, dtype=ember.bool, device=query.device).tril()
        attn_mask = keep
    mask = None
    if attn_mask is not None:
        mask = (ember.zeros(attn_mask.shape, dtype=query.dtype, device=query.device)
                .masked_fill(attn_mask.logical_not(), float("-inf"))
                if attn_mask.dtype == ember.bool else attn_mask)
    dead = None if mask is None or is_causal else _fully_masked_rows(mask)
    if dead is not None:
        mask = mask.masked_fill(dead, 0.0)  # finite softmax there; zeroed (and no grad) below
    keep = None
    if dropout_p > 0.0:
        shape = tuple(query.shape[:-1]) + (key.shape[-2],)
        keep = _keep_mask(shape, dropout_p, query)
    if dead is not None:
        keep = (1.0 - dead.to(query.dtype)) if keep is None else keep.masked_fill(dead, 0.0)
    return _attention(query, key, value, mask, keep, scale)


def _linear2d(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    """``F.linear`` on the rows of ``x`` viewed as one matrix (one GEMM in backward too; the
    stacked ``(N, L, E) @ (E, F)`` product was measured 20x slower on a loaded machine)."""
    y = linear(x.reshape(-1, x.shape[-1]), w, b)
    return y.reshape(tuple(x.shape[:-1]) + (w.shape[0],))


def _in_projection(query: Tensor, key: Tensor, value: Tensor, w: Tensor, b: Tensor | None
                   ) -> tuple[Tensor, Tensor, Tensor]:
    """Packed q/k/v projection: one GEMM for self-attention, as PyTorch's fast path."""
    e = query.shape[-1]
    if key is value and query is key:
        return _linear2d(query, w, b).chunk(3, -1)  # type: ignore[return-value]
    bq, bk, bv = (None, None, None) if b is None else b.chunk(3)
    wq, wk, wv = w.chunk(3)
    if key is value:
        k, v = _linear2d(key, ember.cat([wk, wv]), None if b is None else b[e:]).chunk(2, -1)
        return _linear2d(query, wq, bq), k, v
    return _linear2d(query, wq, bq), _linear2d(key, wk, bk), _linear2d(value, wv, bv)


def _check_mha_shapes(query: Tensor, key: Tensor, value: Tensor, embed_dim: int,
                      key_padding_mask: Tensor | None, attn_mask: Tensor | None) -> bool:
    """Whether the inputs are batched (3-D); raise on inconsistent shapes as PyTorch does."""
    if query.ndim not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received "
                             f"{query.ndim}-D query tensor")
    if query.shape[-1] != embed_dim:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim}, but got "
                             f"{query.shape[-1]}")
    if key.shape[:-1] != value.shape[:-1]:
        raise AssertionError(f"key shape {tuple(key.shape)} does not match value shape "
                             f"{tuple(value.shape)}")
    batched = query.ndim == 3
    if key_padding_mask is not None and key_padding_mask.ndim != (2 if batched else 1):
        raise AssertionError(f"For {'batched' if batched else 'unbatched'} (3-D) `query`, "
                             f"expected `key_padding_mask` to be {'2' if batched else '1'}D, "
                             f"but found {key_padding_mask.ndim}-D tensor instead")
    return batched


def _attn_mask_3d(attn_mask: Tensor | None, bsz_heads: int, tgt: int, src: int
                  ) -> Tensor | None:
    if attn_mask is None:
        return None
    if attn_mask.ndim == 2:
        if tuple(attn_mask.shape) != (tgt, src):
            raise RuntimeError(f"The shape of the 2D attn_mask is {tuple(attn_mask.shape)}, but "
                               f"should be {(tgt, src)}.")
        return attn_mask.unsqueeze(0)
    if tuple(attn_mask.shape) != (bsz_heads, tgt, src):
        raise RuntimeError(f"The shape of the 3D attn_mask is {tuple(attn_mask.shape)}, but "
                           f"should be {(bsz_heads, tgt, src)}.")
    return attn_mask


def _pad_last(t: Tensor | None) -> Tensor | None:
    """One extra key column (bias_k / zero attention) that is never masked."""
    if t is None:
        return None
    zero = ember.zeros(tuple(t.shape[:-1]) + (1,), dtype=t.dtype, device=t.device)
    return ember.cat([t, zero], -1)


def multi_head_attention_forward(
    query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
    in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None,
    bias_v: Tensor | None, add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor,
    out_proj_bias: Tensor | None, training: bool = True, key_padding_mask: Tensor | None = None,
    need_weights: bool = True, attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None, static_v: Tensor | None = None,
    average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention on time-major inputs, exactly as ``torch.nn.functional``'s.

    Args:
        query: ``(L, N, E)`` or unbatched ``(L, E)``.
        key: ``(S, N, kdim)``; value: ``(S, N, vdim)``.
        embed_dim_to_check: ``E``; num_heads: number of heads (``E`` divisible by it).
        in_proj_weight, in_proj_bias: packed ``(3E, E)`` / ``(3E,)`` projections, or
            ``use_separate_proj_weight`` with ``q/k/v_proj_weight``.
        bias_k, bias_v: ``(1, 1, E)`` extra key/value appended to the sequence, or None.
        add_zero_attn: append a zero key/value.
        dropout_p: dropout on the attention weights (only when ``training``).
        out_proj_weight, out_proj_bias: the output projection.
        key_padding_mask: ``(N, S)``; True (or -inf) marks padding keys.
        need_weights: also return the attention weights.
        attn_mask: ``(L, S)`` or ``(N * num_heads, L, S)``; True (or -inf) blocks attention.
        static_k, static_v: precomputed ``(N * num_heads, S, head_dim)`` keys/values.
        average_attn_weights: average the returned weights over heads.
        is_causal: hint that ``attn_mask`` is causal (it must still be given).

    Returns:
        ``(attn_output (L, N, E), attn_weights (N, L, S) or (N, heads, L, S) or None)``.

    Example:
        >>> x = ember.randn(5, 2, 8)
        >>> w, wo = ember.randn(24, 8), ember.randn(8, 8)
        >>> out, _ = F.multi_head_attention_forward(x, x, x, 8, 2, w, None, None, None, False,
        ...                                         0.0, wo, None, need_weights=False)
        >>> out.shape
        ember.Size([5, 2, 8])
    """
    batched = _check_mha_shapes(query, key, value, embed_dim_to_check, key_padding_mask,
                                attn_mask)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt, bsz, embed = query.shape
    heads, head_dim = num_heads, embed // num_heads
    if head_dim * num_heads != embed:
        raise AssertionError(f"embed_dim {embed} not divisible by num_heads {num_heads}")
    key_padding_mask = _float_mask(key_padding_mask, query, "key_padding_mask")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # sdpa applies the causal mask itself
    else:
        attn_mask = _float_mask(attn_mask, query, "attn_mask")
        is_causal = False if key_padding_mask is not None else is_causal
    if use_separate_proj_weight:
        bq, bk, bv = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q = _linear2d(query, q_proj_weight, bq)
        k = _linear2d(key, k_proj_weight, bk)
        v = _linear2d(value, v_proj_weight, bv)
    else:
        q, k, v = _in_projection(query, key, value, in_proj_weight, in_proj_bias)
    attn_mask = _attn_mask_3d(attn_mask, bsz * heads, tgt, key.shape[0])
    if bias_k is not None and bias_v is not None:
        k = ember.cat([k, bias_k.repeat(1, bsz, 1)])
        v = ember.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    q = q.reshape(tgt, bsz * heads, head_dim).transpose(0, 1)
    k = (k.reshape(k.shape[0], bsz * heads, head_dim).transpose(0, 1)
         if static_k is None else static_k)
    v = (v.reshape(v.shape[0], bsz * heads, head_dim).transpose(0, 1)
         if static_v is None else static_v)
    if add_zero_attn:
        zeros = ember.zeros(bsz * heads, 1, head_dim, dtype=q.dtype, device=q.device)
        k, v = ember.cat([k, zeros], 1), ember.cat([v, zeros], 1)
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    src = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src):
            raise AssertionError(f"expecting key_padding_mask shape of {(bsz, src)}, but got "
                                 f"{tuple(key_padding_mask.shape)}")
        kpm = key_padding_mask.reshape(bsz, 1, 1, src).expand(bsz, heads, 1, src)
        kpm = kpm.reshape(bsz * heads, 1, src)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    p = dropout_p if training else 0.0
    args = (q, k, v, attn_mask, p, is_causal, bsz, heads, tgt, src)
    if need_weights:
        out, weights = _attention_with_weights(*args, average_attn_weights)
    else:
        out, weights = _attention_sdpa(*args), None
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt, bsz, embed)
    if not batched:
        out = out.squeeze(1)
        weights = None if weights is None else weights.squeeze(0)
    return out, weights


def _attention_with_weights(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, p: float,
                            is_causal: bool, bsz: int, heads: int, tgt: int, src: int,
                            average: bool) -> tuple[Tensor, Tensor]:
    """The explicit path: weights are returned, fully-masked rows give NaN as in PyTorch."""
    scores = ember.matmul(q * math.sqrt(1.0 / q.shape[-1]), k.transpose(-2, -1))
    if mask is not None:
        scores = scores + mask
    weights = softmax(scores, -1)
    dropped = dropout(weights, p, True) if p > 0.0 else weights
    out = ember.matmul(dropped, v).transpose(0, 1).reshape(tgt * bsz, -1)
    weights = weights.reshape(bsz, heads, tgt, src)
    return out, (weights.mean(1) if average else weights)


def _attention_sdpa(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, p: float,
                    is_causal: bool, bsz: int, heads: int, tgt: int, src: int) -> Tensor:
    if mask is not None:
        mask = mask.unsqueeze(0) if mask.shape[0] == 1 else mask.reshape(bsz, heads, -1, src)
    q = q.reshape(bsz, heads, tgt, -1)
    k = k.reshape(bsz, heads, src, -1)
    v = v.reshape(bsz, heads, src, -1)
    out = scaled_dot_product_attention(q, k, v, mask, p, is_causal)
    return out.permute(2, 0, 1, 3).reshape(bsz * tgt, -1)

