"""Vocab (torchtext's order and methods, JSON files), transforms and collate helpers."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import ember
from ember.testing import domain
from embertext import transforms as T
from embertext.transforms import functional as F
from embertext.vocab import Vocab, build_vocab_from_iterator


def _torchtext_order(lines, min_freq, specials, special_first, max_tokens):
    """torchtext's build_vocab_from_iterator, step by step as its source does it."""
    counter = Counter(t for line in lines for t in line)
    ordered = sorted(counter.items(), key=lambda x: (-x[1], x[0]))
    if max_tokens is not None:
        ordered = ordered[: max_tokens - len(specials)]
    ordered = dict(ordered)
    for s in specials:
        ordered.pop(s, None)
    tokens = [t for t, f in ordered.items() if f >= min_freq]
    return specials + tokens if special_first else tokens + specials


@pytest.mark.parametrize(
    "min_freq, special_first, max_tokens",
    [(1, True, None), (2, False, None), (1, True, 6), (1, False, 4)],
)
def test_build_vocab_order_matches_torchtext(min_freq, special_first, max_tokens):
    rng = np.random.default_rng(0)
    words = ["b", "a", "c", "<unk>", "dd", "e", "a", "b"]
    lines = [list(rng.choice(words, size=rng.integers(1, 8))) for _ in range(30)]
    specials = ["<unk>", "<pad>"]
    v = build_vocab_from_iterator(
        lines,
        min_freq=min_freq,
        specials=specials,
        special_first=special_first,
        max_tokens=max_tokens,
    )
    assert v.get_itos() == _torchtext_order(lines, min_freq, specials, special_first, max_tokens)


def test_vocab_methods():
    v = build_vocab_from_iterator([["x", "y", "y"]], specials=["<unk>"])
    assert v.get_itos() == ["<unk>", "y", "x"] and v.get_stoi() == {"<unk>": 0, "y": 1, "x": 2}
    with pytest.raises(RuntimeError, match="not found"):
        v["zzz"]
    v.set_default_index(0)
    assert v["zzz"] == 0 and v(["x", "q"]) == [2, 0] and v.lookup_indices(["y"]) == [1]
    assert v.lookup_tokens([2, 1]) == ["x", "y"] and v.lookup_token(0) == "<unk>"
    assert "x" in v and "q" not in v and len(v) == 3
    v.insert_token("new", 1)
    assert v.get_itos() == ["<unk>", "new", "y", "x"]
    v.append_token("last")
    assert v["last"] == 4
    with pytest.raises(RuntimeError, match="already exists"):
        v.append_token("x")
    with pytest.raises(RuntimeError, match="out of range"):
        v.lookup_token(99)
    with pytest.raises(ValueError, match="max_tokens"):
        build_vocab_from_iterator([["a"]], specials=["<unk>"], max_tokens=1)


def test_vocab_save_load_and_corrupt_files(tmp_path):
    v = Vocab(["<unk>", "é", "中"])
    v.set_default_index(0)
    v.save(tmp_path / "v.json")
    w = Vocab.load(tmp_path / "v.json")
    assert w.get_itos() == v.get_itos() and w.get_default_index() == 0
    (tmp_path / "bad.json").write_text('{"format": "embertext.vocab", "itos": ["a", "a"]}')
    with pytest.raises(ValueError, match="bad.json.*duplicate"):
        Vocab.load(tmp_path / "bad.json")
    (tmp_path / "trunc.json").write_text('{"format": "embertext.vocab", "itos": ["a"')
    with pytest.raises(ValueError, match="trunc.json.*corrupt"):
        Vocab.load(tmp_path / "trunc.json")
    (tmp_path / "other.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="not an embertext vocabulary"):
        Vocab.load(tmp_path / "other.json")


def test_transforms_single_and_batch():
    v = Vocab(["<pad>", "<bos>", "a", "b"])
    pipe = T.Sequential(
        T.VocabTransform(v), T.Truncate(2), T.AddToken(1, begin=True), T.ToTensor(padding_value=0)
    )
    out = pipe([["a", "b", "a"], ["b"]])
    assert out.tolist() == [[1, 2, 3], [1, 3, 0]] and out.dtype == ember.long
    assert T.PadTransform(4, 0)([[5], [6, 7]]) == [[5, 0, 0, 0], [6, 7, 0, 0]]
    assert T.AddToken("</s>", begin=False)(["x"]) == ["x", "</s>"]
    assert T.ToTensor()([3, 4]).tolist() == [3, 4]
    with pytest.raises(ValueError, match="padding_value"):
        T.ToTensor()([[1], [2, 3]])


def test_transforms_meet_the_transform_contract():
    batch = [ember.tensor([1, 2, 3]), ember.tensor([4, 5, 6])]
    domain.check_transform(T.ToTensor(), [[1, 2, 3], [4, 5, 6]], batched=False)
    assert T.ToTensor()([[1, 2, 3], [4, 5, 6]]).tolist() == [b.tolist() for b in batch]


def test_collate_padded_feeds_pack_padded_sequence():
    labels, ids, lengths = T.collate_padded(
        [(1, [5, 6, 7]), (0, [8]), (2, [9, 9])], padding_value=0
    )
    assert labels.tolist() == [1, 0, 2] and ids.tolist() == [[5, 6, 7], [8, 0, 0], [9, 9, 0]]
    assert lengths.tolist() == [3, 1, 2]
    packed = ember.nn.utils.rnn.pack_padded_sequence(
        ids, lengths, batch_first=True, enforce_sorted=False
    )
    padded, back = ember.nn.utils.rnn.pad_packed_sequence(packed, batch_first=True)
    assert padded.tolist() == ids.tolist() and back.tolist() == [3, 1, 2]
    _, tb, _ = T.collate_padded([(0, [1, 2]), (1, [3])], batch_first=False)
    assert tb.tolist() == [[1, 3], [2, 0]]
    arr, lens = F.pad_sequences([[], [1]], padding_value=-1)
    assert arr.tolist() == [[-1], [1]] and lens.tolist() == [0, 1]
