"""Transformer encoder/decoder layers, stacks and the full model against stored PyTorch values."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures.seq import reference as ref

CASES = ref.cases("transformer")


def _build(case):
    kw = case["kwargs"]
    if case["cls"] == "TransformerEncoder":
        return nn.TransformerEncoder(nn.TransformerEncoderLayer(**kw), 2,
                                     norm=nn.LayerNorm(kw["d_model"]), enable_nested_tensor=False)
    if case["cls"] == "TransformerDecoder":
        return nn.TransformerDecoder(nn.TransformerDecoderLayer(**kw), 2)
    return getattr(nn, case["cls"])(**kw)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_pytorch(case, device):
    m = ref.load_state(_build(case), case["name"], device)
    ins = ref.inputs(case["name"], device)
    args = [ins[f"x{i}"] for i in range(2) if f"x{i}" in ins]
    masks = {k[2:]: v for k, v in ins.items() if k.startswith("m.")}
    ref.check(case["name"], [m(*args, **masks)], ins, m)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_state_dict_keys_match_pytorch(case):
    assert list(_build(case).state_dict()) == case["keys"]


def test_square_subsequent_mask():
    m = nn.Transformer.generate_square_subsequent_mask(3)
    want = np.triu(np.full((3, 3), -np.inf), 1)
    np.testing.assert_array_equal(m.numpy(), want)
    assert m.dtype == ember.float32


def test_subclass_with_overridden_method_is_used():
    calls = []

    class MyLayer(nn.TransformerEncoderLayer):
        def _ff_block(self, x):
            calls.append(x.shape)
            return super()._ff_block(x)

    class MyTransformer(nn.Transformer):
        def _reset_parameters(self):
            for p in self.parameters():
                p.data.fill_(0.01) if p.ndim > 1 else None

    enc = nn.TransformerEncoder(MyLayer(8, 2, 16, dropout=0.0), 2)
    enc(ember.randn(3, 2, 8))
    assert len(calls) == 2
    model = MyTransformer(8, 2, 1, 1, 16)
    assert float(model.encoder.layers[0].linear1.weight[0, 0]) == pytest.approx(0.01)


def test_callable_activation_dropout_and_train_step():
    layer = nn.TransformerEncoderLayer(8, 2, 16, activation=lambda x: F.gelu(x, "tanh"),
                                       batch_first=True)
    x = ember.randn(2, 5, 8)
    layer.train()
    a, b = layer(x), layer(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())  # dropout is active
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())
    opt = ember.optim.AdamW(layer.parameters(), lr=1e-2)
    layer.train()
    loss = layer(x).pow(2).mean()
    loss.backward()
    opt.step()
    assert all(p.grad is not None for p in layer.parameters())
    with pytest.raises(RuntimeError, match="relu/gelu"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_transformer_overfits_copy_task():
    ember.manual_seed(0)
    model = nn.Transformer(16, 2, 1, 1, 32, dropout=0.0, batch_first=True)
    emb, head = nn.Embedding(6, 16), nn.Linear(16, 6)
    params = [*model.parameters(), *emb.parameters(), *head.parameters()]
    opt = ember.optim.Adam(params, lr=3e-3)
    src = ember.randint(0, 6, (4, 5))
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    first = None
    for _ in range(40):
        out = head(model(emb(src), emb(src), tgt_mask=mask))
        loss = F.cross_entropy(out.reshape(-1, 6), src.reshape(-1))
        first = first if first is not None else float(loss)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss) < 0.2 * first


def test_transformer_checks_shapes():
    model = nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="batch number"):
        model(ember.randn(3, 2, 8), ember.randn(3, 4, 8))
    with pytest.raises(RuntimeError, match="d_model"):
        model(ember.randn(3, 2, 6), ember.randn(3, 2, 6))
