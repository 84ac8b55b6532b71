"""RNN/LSTM/GRU layers and cells, and the packing utilities, against stored PyTorch values."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import nn
from ember.autograd import gradcheck, gradgradcheck
from ember.nn.utils.rnn import (
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)
from tests.ember.nn.fixtures.seq import reference as ref

RNN_CASES = ref.cases("rnn")
CELL_CASES = ref.cases("cell")


def _run_case(case, device):
    m = ref.load_state(getattr(nn, case["cls"])(**case["kwargs"]), case["name"], device)
    ins = ref.inputs(case["name"], device)
    x, h0, c0 = ins["x"], ins.get("h0"), ins.get("c0")
    state = None if h0 is None else ((h0, c0) if case["cls"] in ("LSTM", "LSTMCell") else h0)
    bf = case["kwargs"].get("batch_first", False)
    inp = x
    if case.get("lengths") is not None:
        inp = pack_padded_sequence(x, case["lengths"], bf, case["enforce_sorted"])
    out = m(inp, state)
    return m, ins, out, bf


@pytest.mark.parametrize("case", RNN_CASES, ids=[c["name"] for c in RNN_CASES])
def test_rnn_matches_pytorch(case, device):
    m, ins, (out, hn), bf = _run_case(case, device)
    if case["lengths"] is not None:
        assert isinstance(out, PackedSequence)
        out = pad_packed_sequence(out, bf)[0]
    outs = [out, *(hn if case["cls"] == "LSTM" else (hn,))]
    ref.check(case["name"], outs, ins, m)


@pytest.mark.parametrize("case", RNN_CASES + CELL_CASES, ids=[c["name"] for c in
                                                              RNN_CASES + CELL_CASES])
def test_state_dict_keys_match_pytorch(case):
    m = getattr(nn, case["cls"])(**case["kwargs"])
    assert list(m.state_dict()) == case["keys"]


@pytest.mark.parametrize("case", CELL_CASES, ids=[c["name"] for c in CELL_CASES])
def test_cell_matches_pytorch(case, device):
    m, ins, out, _ = _run_case(case, device)
    ref.check(case["name"], list(out) if isinstance(out, tuple) else [out], ins, m)


@pytest.mark.parametrize("cls,kw", [(nn.LSTM, {}), (nn.LSTM, {"proj_size": 2}), (nn.GRU, {}),
                                    (nn.RNN, {}), (nn.RNN, {"nonlinearity": "relu"})])
def test_gradcheck_two_steps_packed_bidirectional(cls, kw, device):
    m = cls(2, 3, num_layers=2, bidirectional=True, **kw).double().to(device)
    x = ember.randn(2, 2, 2, dtype=ember.float64, device=device, requires_grad=True)

    def f(x, *params):
        out, h = m(pack_padded_sequence(x, [2, 1]))
        hs = (h,) if isinstance(h, ember.Tensor) else h
        return (pad_packed_sequence(out)[0], *hs)

    assert gradcheck(f, (x, *m.parameters()))


@pytest.mark.parametrize("cls", [nn.LSTM, nn.GRU, nn.RNN])
def test_gradgradcheck_uses_composed_recurrence(cls, device):
    m = cls(2, 3, bidirectional=True).double().to(device)
    x = ember.randn(2, 1, 2, dtype=ember.float64, device=device, requires_grad=True)
    h = ember.randn(2, 1, 3, dtype=ember.float64, device=device, requires_grad=True)

    def f(x, h):
        return m(x, (h, h * 0.5) if cls is nn.LSTM else h)[0]

    assert gradgradcheck(f, (x, h))
    assert gradgradcheck(lambda w: m(x)[0], (m.weight_hh_l0,))


@pytest.mark.parametrize("cls", [nn.LSTMCell, nn.GRUCell, nn.RNNCell])
def test_cell_gradcheck(cls, device):
    m = cls(2, 3).double().to(device)
    x = ember.randn(2, 2, dtype=ember.float64, device=device, requires_grad=True)
    h = ember.randn(2, 3, dtype=ember.float64, device=device, requires_grad=True)

    def f(x, h, *params):
        out = m(x, (h, h * 2) if cls is nn.LSTMCell else h)
        return out if isinstance(out, ember.Tensor) else out[0] + out[1]

    assert gradcheck(f, (x, h, *m.parameters()))
    assert gradgradcheck(lambda x: f(x, h), (x,))


def test_one_step_lstm_equals_cell(device):
    lstm = nn.LSTM(3, 4).to(device)
    cell = nn.LSTMCell(3, 4).to(device)
    cell.load_state_dict({k[:-3]: v for k, v in lstm.state_dict().items()})
    x = ember.randn(1, 2, 3, device=device)
    out, (h, c) = lstm(x)
    h2, c2 = cell(x[0])
    np.testing.assert_allclose(h[0].detach().cpu().numpy(), h2.detach().cpu().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c[0].detach().cpu().numpy(), c2.detach().cpu().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [nn.LSTM, nn.GRU, nn.RNN])
def test_packed_equals_running_each_sequence_alone(cls, device):
    m = cls(3, 4, num_layers=2, bidirectional=True).double().to(device)
    seqs = [ember.randn(n, 3, dtype=ember.float64, device=device) for n in (2, 5, 3)]
    out, h = m(pack_sequence(seqs, enforce_sorted=False))
    h = h if isinstance(h, ember.Tensor) else h[0]
    outs = unpack_sequence(out)
    for b, s in enumerate(seqs):
        o1, h1 = m(s.unsqueeze(1))
        h1 = h1 if isinstance(h1, ember.Tensor) else h1[0]
        np.testing.assert_allclose(outs[b].detach().cpu().numpy(), o1[:, 0].detach().cpu().numpy(), rtol=1e-10)
        np.testing.assert_allclose(h[:, b].detach().cpu().numpy(), h1[:, 0].detach().cpu().numpy(), rtol=1e-10)


def test_lstm_gates_against_numpy(device):
    m = nn.LSTM(2, 3, bias=True).double()
    x = np.random.default_rng(0).standard_normal((4, 1, 2))
    w = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    h, c = np.zeros((1, 3)), np.zeros((1, 3))
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    for t in range(4):
        g = x[t] @ w["weight_ih_l0"].T + w["bias_ih_l0"] + h @ w["weight_hh_l0"].T + w[
            "bias_hh_l0"]
        i, f, gg, o = np.split(g, 4, axis=1)
        c = sig(f) * c + sig(i) * np.tanh(gg)
        h = sig(o) * np.tanh(c)
    out, (hn, cn) = m.to(device)(ember.tensor(x, device=device))
    np.testing.assert_allclose(hn[0].detach().cpu().numpy(), h, rtol=1e-10)
    np.testing.assert_allclose(cn[0].detach().cpu().numpy(), c, rtol=1e-10)


def test_dropout_between_layers_only_in_training(device):
    m = nn.LSTM(3, 4, num_layers=2, dropout=0.5).to(device)
    x = ember.randn(5, 2, 3, device=device)
    m.eval()
    a, b = m(x)[0], m(x)[0]
    np.testing.assert_array_equal(a.detach().cpu().numpy(), b.detach().cpu().numpy())
    m.train()
    assert not np.allclose(m(x)[0].detach().cpu().numpy(), a.detach().cpu().numpy())
    with pytest.warns(UserWarning, match="dropout"):
        nn.GRU(3, 4, dropout=0.2)


def test_default_init_range_and_float32():
    m = nn.GRU(3, 16, num_layers=2)
    for p in m.parameters():
        assert p.dtype == ember.float32
        assert float(p.abs().max()) <= 0.25 + 1e-7
    out, h = m(ember.randn(4, 2, 3))
    assert out.dtype == ember.float32 and h.dtype == ember.float32


def test_errors_and_repr():
    m = nn.LSTM(3, 4, num_layers=2, batch_first=True)
    with pytest.raises(RuntimeError, match="input_size"):
        m(ember.randn(2, 5, 4))
    with pytest.raises(RuntimeError, match="Expected hidden size"):
        m(ember.randn(2, 5, 3), (ember.zeros(1, 2, 4), ember.zeros(2, 2, 4)))
    with pytest.raises(ValueError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=4)
    assert repr(m) == "LSTM(3, 4, num_layers=2, batch_first=True)"
    m.flatten_parameters()
    assert len(m.all_weights) == 2 and len(m.all_weights[0]) == 4


def test_lstm_language_model_overfits_one_batch():
    ember.manual_seed(0)
    emb, lstm, dec = nn.Embedding(10, 8), nn.LSTM(8, 16, num_layers=2), nn.Linear(16, 10)
    params = [*emb.parameters(), *lstm.parameters(), *dec.parameters()]
    opt = ember.optim.Adam(params, lr=0.02)
    tokens = ember.randint(0, 10, (7, 3))
    first = None
    for _ in range(40):
        out, _ = lstm(emb(tokens[:-1]))
        loss = nn.functional.cross_entropy(dec(out).reshape(-1, 10), tokens[1:].reshape(-1))
        first = first if first is not None else float(loss)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(loss) < 0.2 * first


# -- packing utilities -----------------------------------------------------------------------------
def test_pad_sequence_sides_and_layout(device):
    a, b = ember.tensor([1.0, 2, 3], device=device), ember.tensor([4.0], device=device)
    assert pad_sequence([a, b]).tolist() == [[1, 4], [2, 0], [3, 0]]
    assert pad_sequence([a, b], batch_first=True, padding_value=-1,
                        padding_side="left").tolist() == [[1, 2, 3], [-1, -1, 4]]
    with pytest.raises(ValueError, match="padding_side"):
        pad_sequence([a], padding_side="middle")


def test_pack_pad_round_trip_and_gradient(device):
    x = ember.randn(4, 3, 2, dtype=ember.float64, device=device, requires_grad=True)
    p = pack_padded_sequence(x, ember.tensor([2, 4, 1]), enforce_sorted=False)
    assert p.batch_sizes.tolist() == [3, 2, 1, 1]
    assert p.sorted_indices.tolist() == [1, 0, 2]
    assert p.unsorted_indices.tolist() == [1, 0, 2]
    y, lengths = pad_packed_sequence(p, total_length=5, padding_value=7.0)
    assert lengths.tolist() == [2, 4, 1] and y.shape == (5, 3, 2)
    want = x.detach().cpu().numpy().copy()
    for b, n in enumerate([2, 4, 1]):
        want[n:, b] = 7.0
    np.testing.assert_array_equal(y[:4].detach().cpu().numpy(), want)
    assert float(y[4].min()) == 7.0
    y.sum().backward()
    mask = np.zeros((4, 3, 2))
    for b, n in enumerate([2, 4, 1]):
        mask[:n, b] = 1
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy(), mask)


def test_pack_errors():
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        pack_padded_sequence(ember.zeros(3, 2), [1, 3])
    with pytest.raises(RuntimeError, match="greater than 0"):
        pack_padded_sequence(ember.zeros(3, 2), [3, 0])
    p = pack_sequence([ember.ones(2), ember.ones(1)])
    with pytest.raises(ValueError, match="total_length"):
        pad_packed_sequence(p, total_length=1)


def test_unpad_unpack_invert_and_to(device):
    seqs = [ember.randn(n, 2, device=device) for n in (1, 3, 2)]
    back = unpack_sequence(pack_sequence(seqs, enforce_sorted=False))
    for s, r in zip(seqs, back):
        np.testing.assert_array_equal(s.detach().cpu().numpy(), r.detach().cpu().numpy())
    parts = unpad_sequence(pad_sequence(seqs, batch_first=True), [1, 3, 2], batch_first=True)
    assert [p.shape[0] for p in parts] == [1, 3, 2]
    assert invert_permutation(ember.tensor([2, 0, 1])).tolist() == [1, 2, 0]
    p = pack_sequence(seqs, enforce_sorted=False).to(ember.float64)
    assert p.data.dtype == ember.float64 and p.batch_sizes.device.type == "cpu"
