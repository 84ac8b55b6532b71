"""scaled_dot_product_attention, multi_head_attention_forward and MultiheadAttention vs PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from ember.autograd import gradcheck, gradgradcheck
from tests.ember.nn.fixtures.seq import reference as ref

SDPA = ref.cases("sdpa")
MHA = ref.cases("mha")


@pytest.mark.parametrize("case", SDPA, ids=[c["name"] for c in SDPA])
def test_sdpa_matches_pytorch(case, device):
    ins = ref.inputs(case["name"], device)
    out = F.scaled_dot_product_attention(ins["q"], ins["k"], ins["v"], attn_mask=ins.get("mask"),
                                         **case["kwargs"])
    ref.check(case["name"], [out], ins)


@pytest.mark.parametrize("case", MHA, ids=[c["name"] for c in MHA])
def test_multihead_attention_matches_pytorch(case, device):
    m = ref.load_state(nn.MultiheadAttention(**case["kwargs"]), case["name"], device)
    ins = ref.inputs(case["name"], device)
    q = ins["q"]
    k = q if case["self_attn"] else ins["k"]
    v = q if case["self_attn"] else ins["v"]
    out, w = m(q, k, v, key_padding_mask=ins.get("kpm"), attn_mask=ins.get("mask"),
               **case["call"])
    ref.check(case["name"], [out, w], ins, m)


@pytest.mark.parametrize("case", MHA, ids=[c["name"] for c in MHA])
def test_mha_state_dict_keys_match_pytorch(case):
    assert list(nn.MultiheadAttention(**case["kwargs"]).state_dict()) == case["keys"]


def _numpy_attention(q, k, v, mask=None):
    s = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    s = np.exp(s - s.max(-1, keepdims=True))
    return (s / s.sum(-1, keepdims=True)) @ v


def test_sdpa_against_numpy_and_stable_for_large_scores(device):
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((2, 3, 4, 5)) * 30 for _ in range(3))
    mask = rng.uniform(size=(4, 4)) > 0.3
    mask[:, 0] = True
    t = [ember.tensor(a, device=device) for a in (q, k, v)]
    got = F.scaled_dot_product_attention(*t, attn_mask=ember.tensor(mask, device=device))
    np.testing.assert_allclose(got.cpu().numpy(), _numpy_attention(q, k, v, mask), rtol=1e-10)
    assert np.isfinite(got.cpu().numpy()).all()


def test_sdpa_keeps_float32_and_dropout(device):
    q = ember.randn(2, 2, 6, 4, device=device)
    assert F.scaled_dot_product_attention(q, q, q).dtype == ember.float32
    a = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    b = F.scaled_dot_product_attention(q, q, q)
    assert not np.allclose(a.cpu().numpy(), b.cpu().numpy())
    with pytest.raises(RuntimeError, match="is_causal"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=ember.ones(6, 6), is_causal=True)


def test_sdpa_gradcheck(device):
    q = ember.randn(2, 3, 2, dtype=ember.float64, device=device, requires_grad=True)
    k = ember.randn(2, 4, 2, dtype=ember.float64, device=device, requires_grad=True)
    v = ember.randn(2, 4, 3, dtype=ember.float64, device=device, requires_grad=True)
    mask = ember.tensor([[True, False, True, True]] * 3, device=device)
    fn = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # noqa: E731
    assert gradcheck(fn, (q, k, v))
    assert gradgradcheck(fn, (q, k, v))
    causal = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True)  # noqa
    assert gradcheck(causal, (q, k, v))


def test_mha_gradcheck_and_double_backward(device):
    m = nn.MultiheadAttention(4, 2, add_bias_kv=True).double().to(device)
    x = ember.randn(3, 2, 4, dtype=ember.float64, device=device, requires_grad=True)
    pad = ember.tensor([[False, False, True], [False, False, False]], device=device)

    def fn(x, *params):
        out, w = m(x, x, x, key_padding_mask=pad)
        return out, w

    assert gradcheck(fn, (x, *m.parameters()))
    assert gradgradcheck(lambda x: m(x, x, x)[0], (x,))


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_mha_fully_masked_rows_as_pytorch(device):
    m = nn.MultiheadAttention(4, 2).to(device)
    x = ember.randn(3, 1, 4, device=device)
    pad = ember.tensor([[True, True, True]], device=device)
    out, w = m(x, x, x, key_padding_mask=pad)
    assert np.isnan(out.detach().cpu().numpy()).all()  # the weights path divides 0 by 0
    out, w = m(x, x, x, key_padding_mask=pad, need_weights=False)
    assert w is None
    np.testing.assert_array_equal(out.detach().cpu().numpy(), 0.0)  # the sdpa path gives 0


def test_mha_errors():
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(6, 4)
    m = nn.MultiheadAttention(4, 2)
    with pytest.raises(RuntimeError, match="2D attn_mask"):
        m(ember.randn(3, 1, 4), ember.randn(3, 1, 4), ember.randn(3, 1, 4),
          attn_mask=ember.zeros(2, 2))
    with pytest.raises(RuntimeError, match="is_causal"):
        m(ember.randn(3, 1, 4), ember.randn(3, 1, 4), ember.randn(3, 1, 4), is_causal=True)
