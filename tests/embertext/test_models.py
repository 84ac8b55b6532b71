"""Models: forward checks against reference computations, overfitting, the hub contract."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
import embertext.models as models
from ember.testing import assert_close, domain
from embertext.models import (
    GPT,
    BertEncoder,
    RNNClassifier,
    RNNLanguageModel,
    TextClassificationModel,
    add_ngrams,
    bag_batch,
)


def test_text_classification_model_is_mean_of_embeddings_then_linear():
    model = TextClassificationModel(20, 6, 3)
    seqs = [[1, 2, 3], [4, 4], [7]]
    out = model(*bag_batch(seqs))
    w, fw, fb = (
        t.detach().numpy() for t in (model.embedding.weight, model.fc.weight, model.fc.bias)
    )
    ref = np.stack([w[s].mean(0) for s in seqs]) @ fw.T + fb
    assert_close(out, ember.from_numpy(ref.astype(np.float32)))


def test_text_classification_model_overfits_one_batch():
    model = TextClassificationModel(30, 8, 3)
    text, offsets = bag_batch([[1, 2, 3], [4, 5], [6, 7, 8, 9]])
    y = ember.tensor([0, 1, 2])
    opt = ember.optim.Adam(model.parameters(), lr=0.05)
    first = None
    for _ in range(30):
        loss = F.cross_entropy(model(text, offsets), y)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.2 * first


def test_add_ngrams_hashes_bigrams_into_buckets():
    out = add_ngrams([3, 4, 3, 4], 2, vocab_size=10, num_buckets=7)
    assert out[:4] == [3, 4, 3, 4] and len(out) == 7
    assert all(10 <= i < 17 for i in out[4:]) and out[4] == out[6]
    assert add_ngrams([1, 2], 1, 10, 7) == [1, 2]


@pytest.mark.parametrize("rnn_type", ["lstm", "gru"])
def test_rnn_classifier_ignores_padding(rnn_type):
    model = RNNClassifier(40, 6, 5, 3, rnn_type=rnn_type).eval()
    ids = ember.tensor([[4, 5, 6, 7], [8, 9, 0, 0]])
    batch = model(ids, ember.tensor([4, 2]))
    alone = model(ember.tensor([[8, 9]]), ember.tensor([2]))
    assert_close(batch[1:], alone, atol=1e-5, rtol=1e-4)
    longer = model(ember.tensor([[8, 9, 0, 0, 0, 0]]), ember.tensor([2]))
    assert_close(longer, alone, atol=1e-5, rtol=1e-4)


def test_rnn_classifier_contract_and_overfit():
    ids = ember.tensor([[4, 5, 6], [7, 8, 0], [9, 0, 0]])
    lengths = ember.tensor([3, 2, 1])

    class Wrapped(RNNClassifier):
        def forward(self, ids):
            return super().forward(ids, lengths)

    domain.check_model(lambda: Wrapped(20, 8, 8, 3), ids, ember.tensor([0, 1, 2]), lr=0.05)


def test_rnn_language_model_ties_weights_and_overfits():
    lm = RNNLanguageModel(15, 8, 8, 2, dropout=0.0, tie_weights=True)
    assert lm.decoder.weight is lm.encoder.weight
    with pytest.raises(ValueError, match="tie_weights"):
        RNNLanguageModel(15, 8, 6, 1, tie_weights=True)
    x = ember.randint(0, 15, (6, 2))
    hidden = lm.init_hidden(2)

    class Step(ember.nn.Module):
        def __init__(self):
            super().__init__()
            self.lm = RNNLanguageModel(15, 8, 8, 2, dropout=0.0, tie_weights=True)

        def forward(self, x):
            return self.lm(x, self.lm.init_hidden(x.shape[1]))[0].reshape(-1, 15)

    out, (h, c) = lm(x, hidden)
    assert out.shape == (6, 2, 15) and h.shape == (2, 2, 8)
    domain.check_model(Step, x, ember.randint(0, 15, (12,)), lr=0.05)


def _tiny_gpt(**kw):
    return GPT(vocab_size=13, block_size=8, n_layer=2, n_head=2, n_embd=16, **kw)


def test_gpt_is_causal_and_overfits():
    model = _tiny_gpt().eval()
    x = ember.randint(0, 13, (2, 8))
    with ember.no_grad():
        logits, _ = model(x, x)
    changed = x.clone()
    changed[:, 5] = (changed[:, 5] + 1) % 13
    with ember.no_grad():
        logits2, _ = model(changed, changed)
    assert_close(logits[:, :5], logits2[:, :5])
    assert not np.allclose(logits[:, 5:].numpy(), logits2[:, 5:].numpy())
    assert model.lm_head.weight is model.transformer.wte.weight

    class LM(GPT):
        def forward(self, idx):
            return super().forward(idx, idx)[0].reshape(-1, 13)

    data = ember.randint(0, 13, (3, 8))
    domain.check_model(
        lambda: LM(vocab_size=13, block_size=8, n_layer=1, n_head=2, n_embd=16),
        data,
        data.reshape(-1),
        lr=0.02,
    )


def test_gpt_attention_matches_hand_written_reference():
    model = GPT(vocab_size=7, block_size=5, n_layer=1, n_head=2, n_embd=4, bias=False).eval()
    attn = model.transformer.h[0].attn
    x = ember.randn(1, 5, 4)
    w = attn.c_attn.weight.detach().numpy()
    q, k, v = np.split(x.numpy()[0] @ w.T, 3, axis=1)
    heads = []
    for h in range(2):
        sl = slice(2 * h, 2 * h + 2)
        s = q[:, sl] @ k[:, sl].T / np.sqrt(2) + np.triu(np.full((5, 5), -np.inf), 1)
        p = np.exp(s - s.max(1, keepdims=True))
        heads.append((p / p.sum(1, keepdims=True)) @ v[:, sl])
    ref = np.concatenate(heads, 1) @ attn.c_proj.weight.detach().numpy().T
    with ember.no_grad():
        got = attn(x)[0]
    assert_close(got, ember.from_numpy(ref.astype(np.float32)), atol=1e-5, rtol=1e-4)


def test_gpt_generate_respects_top_k_and_block_size():
    model = _tiny_gpt().eval()
    gen = ember.Generator().manual_seed(0)
    out = model.generate(ember.zeros(2, 3, dtype=ember.long), 10, top_k=1, generator=gen)
    assert out.shape == (2, 13)
    greedy = ember.zeros(1, 3, dtype=ember.long)
    for _ in range(3):
        logits, _ = model(greedy[:, -8:])
        greedy = ember.cat([greedy, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    assert out[0, :6].tolist() == greedy[0].tolist()
    with pytest.raises(ValueError, match="temperature"):
        model.generate(greedy, 1, temperature=0)


def test_bert_encoder_masks_padding_and_overfits():
    bert = BertEncoder(
        30,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        dropout=0.0,
    ).eval()
    ids = ember.tensor([[2, 5, 6, 3]])
    seq, pooled = bert(ids, ember.tensor([[1, 1, 1, 1]]))
    padded, _ = bert(ember.tensor([[2, 5, 6, 3, 0, 0]]), ember.tensor([[1, 1, 1, 1, 0, 0]]))
    assert_close(padded[:, :4], seq, atol=1e-5, rtol=1e-4)
    assert pooled.shape == (1, 16)

    class Cls(BertEncoder):
        def forward(self, ids):
            return super().forward(ids)[1][:, :3]

    domain.check_model(
        lambda: Cls(
            30,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            dropout=0.0,
        ),
        ember.tensor([[2, 5, 6], [2, 7, 8], [2, 9, 9]]),
        ember.tensor([0, 1, 2]),
        lr=0.01,
    )


def test_hub_registration_and_builders():
    domain.check_hub_registration("text", models_module=models, build=[])
    assert set(models.list_models()) >= {
        "text_classifier",
        "rnn_classifier",
        "rnn_lm",
        "gpt",
        "bert_encoder",
    }
    assert isinstance(ember.hub.get_model("bert_encoder", vocab_size=50), BertEncoder)
    assert ember.hub.get_model("rnn_lm", ntoken=9, ninp=4, nhid=4, nlayers=1).ntoken == 9
    with pytest.raises(ValueError, match="config"):
        models.bert_encoder(vocab_size=5, config="huge")


def test_shipped_ag_news_weights(shared_data):
    from embertext.datasets import AG_NEWS

    weights = models.TextClassificationModel_Weights.DEFAULT
    domain.check_weights(models.TextClassificationModel_Weights)
    model, preprocess = models.text_classifier(weights=weights).eval(), weights.transforms()
    root = ember.testing.require_data("text", "ag_news_csv", root=shared_data)
    rows = list(AG_NEWS(root.parent, split="test"))[-1600:]
    with ember.no_grad():
        pred = model(*bag_batch([preprocess(text) for _, text in rows])).argmax(1).numpy()
    acc = 100.0 * float(np.mean(pred == np.array([label - 1 for label, _ in rows])))
    assert acc == pytest.approx(
        weights.meta["_metrics"]["AG_NEWS test.csv rows 6001-7600"]["acc@1"], abs=0.01
    )


def test_shipped_char_gpt_weights(shared_data):
    from embertext.datasets import TinyShakespeare

    weights = models.GPT_Weights.DEFAULT
    domain.check_weights(models.GPT_Weights)
    model, chars = models.gpt(weights=weights).eval(), weights.transforms()
    root = ember.testing.require_data("text", "tinyshakespeare", root=shared_data)
    val = np.array(chars.encode(TinyShakespeare(root.parent, split="val").text), dtype=np.int64)
    n = 128  # of the 1,742 validation blocks: the whole split takes 14x longer
    x, y = val[: n * 64].reshape(n, 64), val[1 : n * 64 + 1].reshape(n, 64)
    total = 0.0
    with ember.no_grad():
        for i in range(0, n, 128):
            xb, yb = ember.from_numpy(x[i : i + 128]), ember.from_numpy(y[i : i + 128])
            total += model(xb, yb)[1].item() * len(xb)
    expected = weights.meta["_metrics"]["tiny-shakespeare val (last 10%)"]
    # A random model scores log(65) = 4.17; these blocks are a sample of the full split.
    assert total / n == pytest.approx(expected["loss (nats/char, all blocks)"], abs=0.1)
    assert total / n < 2.0
