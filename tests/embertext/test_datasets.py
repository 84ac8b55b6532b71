"""Datasets on fake files in the original formats, the contract checks, and the shared copies."""

from __future__ import annotations

import pytest

import ember
from ember.testing import domain, require_data
from embertext.datasets import (
    AG_NEWS,
    IMDB,
    CSVTextDataset,
    PennTreebank,
    TextLineDataset,
    TinyShakespeare,
    WikiText2,
    WikiText103,
    batchify,
    bptt_batches,
    get_batch,
)

AG_ROWS = [
    '"3","Wall St. Bears Claw Back","Reuters - Short-sellers, ""Wall Street\'s dwindling""\\n band"\n',
    '"4","New chip","A faster chip, with ""quotes"" and \\$ signs"\n',
    '"1","World news","Something happened."\n',
]


class _TextFirst:
    """The dataset seen with (text, label) items: ``check_dataset`` expects (input, target)
    order, torchtext's classification corpora give (label, text)."""

    def __init__(self, ds):
        self.ds = ds

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        label, text = self.ds[i]
        return text, label

    def __repr__(self):
        return repr(self.ds)


def _text_first(ds):
    """``ds`` behind a _TextFirst view of the same class name (the repr check reads it)."""
    return type(type(ds).__name__, (_TextFirst,), {})(ds)


def _ag_root(tmp_path):
    folder = tmp_path / "ag_news_csv"
    folder.mkdir()
    for split in ("train", "test"):
        (folder / f"{split}.csv").write_text("".join(AG_ROWS), encoding="utf-8")
    return tmp_path


def test_ag_news_format_and_contract(tmp_path):
    root = _ag_root(tmp_path)
    for split in ("train", "test"):
        ds = AG_NEWS(root, split=split)
        assert len(ds) == 3 and ds[0][0] == 3
        assert (
            ds[0][1]
            == 'Wall St. Bears Claw Back Reuters - Short-sellers, "Wall Street\'s dwindling"\\n band'
        )
    domain.check_dataset(lambda **kw: _text_first(AG_NEWS(root, split="test", **kw)), length=3)
    with pytest.raises(ValueError, match="split"):
        AG_NEWS(root, split="valid")


def test_ag_news_malformed_row_names_file_and_line(tmp_path):
    root = _ag_root(tmp_path)
    (root / "ag_news_csv" / "train.csv").write_text(AG_ROWS[0] + '"9","x","y"\n')
    with pytest.raises(ValueError, match=r"train.csv line 2"):
        AG_NEWS(root, split="train")
    (root / "ag_news_csv" / "train.csv").write_text('"1","unterminated\n')
    with pytest.raises(ValueError, match=r"train.csv"):
        AG_NEWS(root, split="train")
    with pytest.raises(FileNotFoundError, match="ag_news_csv"):
        AG_NEWS(tmp_path / "nowhere")


def test_imdb_folders(tmp_path):
    for split in ("train", "test"):
        for label in ("pos", "neg"):
            folder = tmp_path / "aclImdb" / split / label
            folder.mkdir(parents=True)
            for k in range(2):
                (folder / f"{k}_{7 if label == 'pos' else 2}.txt").write_text(
                    f"{label} review {k}<br />"
                )
    ds = IMDB(tmp_path, split="test")
    assert len(ds) == 4 and ds[0] == (1, "neg review 0<br />") and ds[-1][0] == 2
    domain.check_dataset(lambda **kw: _text_first(IMDB(tmp_path, split="train", **kw)), length=4)
    (tmp_path / "aclImdb" / "test" / "pos" / "bad.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="bad.txt"):
        IMDB(tmp_path, split="test")


def test_csv_text_dataset(tmp_path):
    domain.write_csv(
        tmp_path / "data.csv", [("label", "title", "body"), (1, "a", "b"), (0, "c", "d")]
    )
    ds = CSVTextDataset(tmp_path / "data.csv", text_columns=[1, 2], label_column=0, header=True)
    assert list(ds) == [(1, "a b"), (0, "c d")]
    domain.check_dataset(
        lambda **kw: _text_first(
            CSVTextDataset(tmp_path / "data.csv", text_columns=[1, 2], header=True, **kw)
        ),
        length=2,
    )
    (tmp_path / "bad.csv").write_text("1,a\nx,b\n")
    with pytest.raises(ValueError, match="bad.csv line 2: bad label"):
        CSVTextDataset(tmp_path / "bad.csv")


@pytest.mark.parametrize(
    "cls, folder, name",
    [
        (WikiText2, "wikitext-2", "wiki.{}.tokens"),
        (WikiText103, "wikitext-103", "wiki.{}.tokens"),
        (PennTreebank, "ptb", "ptb.{}.txt"),
    ],
)
def test_line_corpora(tmp_path, cls, folder, name):
    (tmp_path / folder).mkdir()
    for split in ("train", "valid", "test"):
        (tmp_path / folder / name.format(split)).write_text(f" = {split} = \n a\x1cb \u2028 c \n\n")
    ds = cls(tmp_path, split="valid")
    assert len(ds) == 3 and ds[0] == " = valid = \n" and ds[1] == " a\x1cb \u2028 c \n"
    domain.check_dataset(lambda **kw: cls(tmp_path, split="test", **kw), length=3, pair=False)
    with pytest.raises(FileNotFoundError, match=folder):
        cls(tmp_path / "missing")


def test_wikitext_raw_and_text_lines(tmp_path):
    (tmp_path / "wikitext-2-raw").mkdir()
    (tmp_path / "wikitext-2-raw" / "wiki.test.raw").write_bytes(b" = T = \r\n text \r\n")
    assert list(WikiText2(tmp_path, "test", raw=True)) == [" = T = \r\n", " text \r\n"]
    (tmp_path / "lines.txt").write_text("one\n\ntwo")
    assert list(TextLineDataset(tmp_path / "lines.txt")) == ["one\n", "\n", "two"]
    assert list(TextLineDataset(tmp_path / "lines.txt", skip_empty=True)) == ["one\n", "two"]


def test_tiny_shakespeare_split(tmp_path):
    (tmp_path / "tinyshakespeare").mkdir()
    text = "".join(f"Line {i}\n" for i in range(100))
    (tmp_path / "tinyshakespeare" / "input.txt").write_text(text)
    train, val = TinyShakespeare(tmp_path, "train"), TinyShakespeare(tmp_path, "val")
    assert train.text + val.text == text and len(train.text) == int(0.9 * len(text))
    domain.check_dataset(lambda **kw: TinyShakespeare(tmp_path, "val", **kw), pair=False)


def test_download_without_a_source_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="not available"):
        WikiText2(tmp_path, "test", raw=True, download=True)


def test_batchify_and_bptt_windows():
    data = ember.arange(23)
    src = batchify(data, 4)
    assert src.shape == (5, 4) and src[:, 1].tolist() == [5, 6, 7, 8, 9]
    x, y = get_batch(src, 0, 3)
    assert x.tolist() == src[0:3].tolist() and y.tolist() == src[1:4].reshape(-1).tolist()
    windows = list(bptt_batches(src, 3))
    assert [w[0].shape[0] for w in windows] == [3, 1]
    with pytest.raises(ValueError, match="1-D"):
        batchify(src, 2)


def test_shared_files(shared_data):
    root = require_data("text", root=shared_data)
    test = AG_NEWS(root, split="test")
    assert len(test) > 1000 and {label for label, _ in test} == {1, 2, 3, 4}
    assert len(AG_NEWS(root, split="train")) > 0
    wiki = WikiText2(root, "test")
    assert any("<unk>" in line for line in wiki)
    assert not any("<unk>" in line for line in WikiText2(root, "test", raw=True))
    shakes = TinyShakespeare(root, "all")
    assert shakes.text.startswith("First Citizen:")
