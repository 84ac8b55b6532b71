"""Functions whose eager code does integer bookkeeping in NumPy export from their inputs:
EmbeddingBag (bag ids from the offsets), packed sequences (LSTM/GRU with ``sequence_lens``) and
``pad_packed_sequence``; checked in onnxruntime and ``ember.onnx.load`` at new sizes and lengths."""

from __future__ import annotations

import io

import pytest

import ember
from ember import nn
from ember.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from tests.ember.onnx._check import export_and_compare, randomize

_OFFSETS = {"text": {0: "tokens"}, "offsets": {0: "bags"}, "output_0": {0: "bags"}}


class _Bag(nn.Module):
    def __init__(self, **kw):
        super().__init__()
        self.bag = nn.EmbeddingBag(10, 4, **kw)

    def forward(self, text, offsets, weights=None):
        return self.bag(text, offsets, per_sample_weights=weights)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_offsets_and_padding(mode):
    ember.manual_seed(0)
    model = randomize(_Bag(mode=mode, padding_idx=2))
    # empty bags (repeated offsets, an offset at the end) and padding ids in both calls
    text, offsets = ember.tensor([1, 2, 3, 2, 5, 6, 7]), ember.tensor([0, 2, 2, 5, 7])
    text2, offsets2 = ember.tensor([2, 2, 4, 9, 1, 0, 3, 2, 2]), ember.tensor([0, 2, 3, 3, 9])
    opset = 18 if mode == "max" else None  # ScatterND's max reduction
    proto = export_and_compare(
        model, [text, offsets], [text2, offsets2], ["text", "offsets"], _OFFSETS, opset=opset
    )
    assert "ScatterND" in {n.op_type for n in proto.graph.node}
    x, x2 = ember.randint(0, 10, (2, 3)), ember.randint(0, 10, (4, 3))  # equal bags, 2-D
    export_and_compare(model.bag, [x], [x2], ["x"], {"x": {0: "b"}}, opset=opset)


def test_embedding_bag_weights_last_offset_and_opset():
    ember.manual_seed(0)
    model = randomize(_Bag(mode="sum"))
    text, text2 = ember.tensor([1, 2, 3, 4]), ember.tensor([5, 6, 7, 8, 9, 1])
    feeds = [text, ember.tensor([0, 1]), ember.rand(4)]
    feeds2 = [text2, ember.tensor([0, 3, 4]), ember.rand(6)]
    axes = {**_OFFSETS, "w": {0: "tokens"}}
    export_and_compare(model, feeds, feeds2, ["text", "offsets", "w"], axes)
    last = randomize(_Bag(mode="mean", include_last_offset=True))
    export_and_compare(
        last,
        [text, ember.tensor([0, 1, 4])],
        [text2, ember.tensor([0, 2, 3, 6])],
        ["text", "offsets"],
        _OFFSETS,
    )
    with pytest.raises(ember.onnx.ExportError, match=r"'nn.embedding_bag'.*'bag'.*opset 15"):
        ember.onnx.export(model, (text, feeds[1]), io.BytesIO(), opset_version=15)


class _Packed(nn.Module):
    """An RNN over a packed batch: the final states, and the padded output."""

    def __init__(self, cls, batch_first, **kw):
        super().__init__()
        self.rnn = cls(4, 5, batch_first=batch_first, **kw)
        self.batch_first = batch_first

    def forward(self, x, lengths, *h0):
        packed = pack_padded_sequence(x, lengths, self.batch_first, enforce_sorted=False)
        out, h = self.rnn(packed, (h0 if len(h0) > 1 else h0[0]) if h0 else None)
        padded, lens = pad_packed_sequence(out, self.batch_first, padding_value=-1.0)
        return (h[0] if isinstance(h, tuple) else h), padded, lens


def test_packed_lstm_with_states_exports_sequence_lens():
    ember.manual_seed(0)
    model = randomize(_Packed(nn.LSTM, True))
    feeds = [
        ember.randn(3, 6, 4),
        ember.tensor([4, 6, 2]),
        ember.randn(1, 3, 5),
        ember.randn(1, 3, 5),
    ]
    feeds2 = [
        ember.randn(4, 5, 4),
        ember.tensor([1, 5, 3, 2]),
        ember.randn(1, 4, 5),
        ember.randn(1, 4, 5),
    ]
    axes = {"x": {0: "b", 1: "t"}, "lengths": {0: "b"}, "h0": {1: "b"}, "c0": {1: "b"}}
    proto = export_and_compare(model, feeds, feeds2, ["x", "lengths", "h0", "c0"], axes)
    (lstm,) = [n for n in proto.graph.node if n.op_type == "LSTM"]
    assert lstm.input[4]  # sequence_lens
    padded = proto.graph.output[1].type.tensor_type.shape.dim
    assert all(d.dim_param for d in padded[:2])  # the longest length varies with the values


def test_packed_bidirectional_gru_stack_time_major():
    ember.manual_seed(0)
    model = randomize(_Packed(nn.GRU, False, num_layers=2, bidirectional=True))
    feeds = [ember.randn(6, 3, 4), ember.tensor([4, 6, 2])]
    feeds2 = [ember.randn(5, 4, 4), ember.tensor([2, 1, 3, 1])]  # longest shorter than time
    proto = export_and_compare(
        model, feeds, feeds2, ["x", "lengths"], {"x": {0: "t", 1: "b"}, "lengths": {0: "b"}}
    )
    grus = [n for n in proto.graph.node if n.op_type == "GRU"]
    assert len(grus) == 4 and all(n.input[4] for n in grus)


def test_rnn_over_packed_rows_made_by_hand_is_refused():
    from ember.nn.utils.rnn import PackedSequence

    rnn = nn.GRU(4, 5)

    def hand_made(data):
        return rnn(PackedSequence(data, ember.tensor([2, 1])))[1]

    with pytest.raises(ember.onnx.ExportError, match="not made by pack_padded_sequence"):
        ember.onnx.export(hand_made, ember.randn(3, 4), io.BytesIO())


def test_function_imported_into_code_run_without_a_module():
    """``exec``'d code (a notebook cell, a docs snippet) holds its own reference to the function:
    the trace finds it through the model's globals."""
    space: dict = {"ember": ember, "__name__": "cell"}
    exec(
        "from ember import nn\n"
        "from ember.nn.functional import embedding_bag\n"
        "class Bag(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.w = nn.Parameter(ember.randn(10, 3))\n"
        "    def forward(self, text, offsets):\n"
        "        return embedding_bag(text, self.w, offsets)\n",
        space,
    )
    feeds, feeds2 = (
        [ember.tensor([1, 2, 3]), ember.tensor([0, 1])],
        [
            ember.tensor([4, 5, 6, 7, 8]),
            ember.tensor([0, 2, 2]),
        ],
    )
    export_and_compare(space["Bag"](), feeds, feeds2, ["text", "offsets"], _OFFSETS)


def test_packed_sorted_batch_enforce_sorted():
    """Lengths sorted for ``enforce_sorted=True`` stay sorted in the export's second trace."""
    ember.manual_seed(0)
    rnn = randomize(nn.GRU(4, 5))

    def last_state(x, lengths):
        return rnn(pack_padded_sequence(x, lengths))[1]

    feeds, feeds2 = (
        [ember.randn(6, 3, 4), ember.tensor([6, 4, 2])],
        [
            ember.randn(5, 4, 4),
            ember.tensor([5, 5, 3, 1]),
        ],
    )
    axes = {"x": {0: "t", 1: "b"}, "lengths": {0: "b"}}
    export_and_compare(last_state, feeds, feeds2, ["x", "lengths"], axes)
