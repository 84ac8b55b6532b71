"""Tokenizers: torchtext's rules, byte-level BPE and WordPiece against Hugging Face fixtures."""

from __future__ import annotations

import copy
import json
import random
import re

import pytest
import regex

from embertext.tokenizers import (
    ByteLevelBPETokenizer,
    CharTokenizer,
    RegexTokenizer,
    WordPieceTokenizer,
    get_tokenizer,
)
from embertext.tokenizers import _bytelevel as bl
from tests.embertext._fixtures import hf_fixture

# torchtext's _basic_english_normalize rules, as its source lists them (the reference).
_TORCHTEXT_RULES = [
    (r"\'", " '  "),
    (r"\"", ""),
    (r"\.", " . "),
    (r"<br \/>", " "),
    (r",", " , "),
    (r"\(", " ( "),
    (r"\)", " ) "),
    (r"\!", " ! "),
    (r"\?", " ? "),
    (r"\;", " "),
    (r"\:", " "),
    (r"\s+", " "),
]


def _torchtext_basic_english(line: str) -> list[str]:
    line = line.lower()
    for pattern, repl in _TORCHTEXT_RULES:
        line = re.sub(pattern, repl, line)
    return line.split()


ADVERSARIAL = [
    "",
    " ",
    "\n\n\n",
    "a",
    "Hello, World!",
    "  two  spaces\t\ttabs\r\n",
    "emoji 😀👍🏽👩‍👩‍👧‍👦🇫🇷",
    "CJK 日本語 中文 한국어",
    "control \x00\x01\x1c\x1f\x7f\x85\u200b",
    "lone \ud800 surrogate \udfff",
    "\udc80\udcff",
    "mixed\u2028lines\u2029and\u3000spaces",
    "combining e\u0301 ﬁ Å",
    "<s>not special here</s>",
    "\ufffd\ufeff",
    "x" * 300,
]


def test_basic_english_matches_torchtext_rules():
    rng = random.Random(0)
    alphabet = "abcXYZ '\".,()!?;:<br />\n\t-\u00e9\x1c" + "<br />" * 3
    texts = ["Don't <br />stop, \"Mr. O'Neil\"! (ok?) a;b:c", '<br "/>', "A<BR />b"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    tok = get_tokenizer("basic_english")
    for text in texts:
        assert tok(text) == _torchtext_basic_english(text), repr(text)


def test_get_tokenizer_variants_and_errors():
    assert get_tokenizer(None)("a  b\tc") == ["a", "b", "c"]
    assert get_tokenizer("whitespace")(" x y ") == ["x", "y"]
    assert get_tokenizer(str.split) is str.split
    with pytest.raises(ValueError, match="unknown tokenizer"):
        get_tokenizer("spacy")
    with pytest.raises(ValueError, match="language"):
        get_tokenizer("basic_english", language="de")
    with pytest.raises(TypeError, match="str"):
        get_tokenizer("basic_english")(b"bytes")


def test_regex_tokenizer_applies_rules_in_order():
    tok = RegexTokenizer([(r"\'", " '  "), (r"\"", ""), (r"[0-9]+", "<num>")])
    assert tok("It's \"42\" o'clock") == ["It", "'", "s", "<num>", "o", "'", "clock"]


def test_char_tokenizer_round_trip_and_errors():
    tok = CharTokenizer.fit(["hello", "world"])
    assert tok.chars == sorted(set("helloworld"))
    assert tok.decode(tok.encode("low")) == "low"
    assert tok("ab") == ["a", "b"]
    with pytest.raises(ValueError, match="'z'"):
        tok.encode("z")


def test_chunk_whitespace_class_is_regex_whitespace():
    chars = "".join(chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000)
    assert "".join(re.findall(f"[{bl.WHITESPACE}]", chars)) == "".join(regex.findall(r"\s", chars))


def test_chunks_then_pretokens_equal_gpt2_pretokens():
    rng = random.Random(1)
    pieces = [" ", "  ", "\n", "\t", "a", "B", "1", "'s", "'t", "!", "é", "中", "\u3000", "\x1c"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        split = [p for c in bl.chunks(text) for p in bl.pretokenize(c)]
        assert split == bl.pretokenize(text), repr(text)


@pytest.fixture(scope="module")
def fixture():
    return hf_fixture()


@pytest.fixture(scope="module")
def hf_bpe(fixture, tmp_path_factory):
    path = tmp_path_factory.mktemp("bpe") / "tokenizer.json"
    path.write_text(json.dumps(fixture["bpe_tokenizer_json"]), encoding="utf-8")
    return ByteLevelBPETokenizer.from_file(path)


def test_bpe_training_gives_hugging_face_merges(fixture):
    tok = ByteLevelBPETokenizer().train(
        fixture["corpus"].splitlines(keepends=True),
        vocab_size=600,
        min_frequency=2,
        special_tokens=fixture["special_tokens"],
    )
    model = fixture["bpe_tokenizer_json"]["model"]
    assert tok.merges == [tuple(m) for m in model["merges"]]
    assert tok.get_vocab() == model["vocab"]


def test_bpe_saved_json_equals_hugging_face_file(fixture, hf_bpe, tmp_path):
    hf_bpe.save(tmp_path / "t.json")
    assert (
        json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
        == fixture["bpe_tokenizer_json"]
    )


@pytest.mark.parametrize("i", range(17))
def test_bpe_ids_tokens_offsets_equal_hugging_face(fixture, hf_bpe, i):
    case = fixture["bpe_cases"][i]
    enc = hf_bpe.encode(case["text"])
    assert enc.ids == case["ids"]
    assert enc.tokens == case["tokens"]
    assert [list(o) for o in enc.offsets] == case["offsets"]


def test_gpt2_vocab_and_merges_files(fixture, hf_bpe, tmp_path):
    (tmp_path / "vocab.json").write_text(fixture["bpe_vocab_json"], encoding="utf-8")
    (tmp_path / "merges.txt").write_text(fixture["bpe_merges_txt"], encoding="utf-8")
    tok = ByteLevelBPETokenizer.from_file(tmp_path / "vocab.json", tmp_path / "merges.txt")
    for case in fixture["bpe_cases"]:
        if "<" not in case["text"]:  # the GPT-2 files carry no special tokens
            assert tok.encode(case["text"]).ids == case["ids"]
    out = tmp_path / "out"
    out.mkdir()
    tok.save_model(out)
    assert (out / "merges.txt").read_text(encoding="utf-8").splitlines()[1:] == [
        ln for ln in fixture["bpe_merges_txt"].splitlines()[1:] if ln
    ]


def test_bpe_lossless_round_trip_on_adversarial_text(hf_bpe):
    rng = random.Random(2)
    texts = list(ADVERSARIAL)
    for _ in range(200):
        texts.append(
            "".join(
                chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x10FFFF)]))
                for _ in range(rng.randint(0, 12))
            )
        )
    for text in texts:
        if "<" in text:
            continue
        ids = hf_bpe.encode(text).ids
        assert hf_bpe.decode(ids) == text, repr(text)
        assert hf_bpe.encode_ids(text) == ids


def test_bpe_special_tokens_never_split(hf_bpe):
    enc = hf_bpe.encode("a<s>b</s><pad><s")
    specials = [t for t, m in zip(enc.tokens, enc.special_tokens_mask) if m]
    assert specials == ["<s>", "</s>", "<pad>"]
    assert hf_bpe.decode(enc.ids, skip_special_tokens=False) == "a<s>b</s><pad><s"
    assert hf_bpe.decode(enc.ids) == "ab<s"


def test_bpe_truncation_padding_and_batches(hf_bpe):
    tok = copy.copy(hf_bpe)
    tok.enable_truncation(3)
    tok.enable_padding(pad_token="<pad>")
    a, b = tok.encode_batch(["hello there my friend", "hi"])
    assert len(a) == len(b) == 3
    n = len(hf_bpe.encode("hi").ids)
    assert b.attention_mask == [1] * n + [0] * (3 - n)
    assert b.ids[-1] == tok.token_to_id("<pad>") and b.tokens[-1] == "<pad>"
    assert a.ids == hf_bpe.encode("hello there my friend").ids[:3]
    tok.enable_padding(pad_token="<pad>", length=6, direction="left")
    (c,) = tok.encode_batch(["hi"])
    assert len(c) == 6 and c.attention_mask[0] == 0 and c.offsets[0] == (0, 0)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        tok.enable_padding(pad_token="[PAD]")
    with pytest.raises(TypeError, match="texts\\[1\\]"):
        tok.encode_batch(["ok", 3])


def test_bpe_encoding_is_cached_and_stable(hf_bpe):
    text = "To be, or not to be: that is the question. " * 20
    first = hf_bpe.encode_ids(text)
    assert hf_bpe.encode_ids(text) == first
    assert len(hf_bpe._cache) > 0


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [', "truncated or malformed"),
        ('{"model": {"type": "WordPiece", "vocab": {}}}', "not BPE"),
        (
            '{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a", "b"]]}}',
            "not in the vocabulary",
        ),
        ('{"model": {"type": "BPE", "vocab": {"a": "x"}, "merges": []}}', "non-negative int"),
        ('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a"]]}}', "malformed"),
        ('{"nothing": 1}', "'model'"),
    ],
)
def test_bpe_bad_tokenizer_json_names_file(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        ByteLevelBPETokenizer.from_file(path)
    assert "bad.json" in str(err.value)


def test_bpe_bad_gpt2_files_name_file_and_line(tmp_path):
    vocab = {c: i for i, c in enumerate(bl.ALPHABET)}
    (tmp_path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (tmp_path / "merges.txt").write_text("#version: 0.2\na b\nc d e\n", encoding="utf-8")
    with pytest.raises(ValueError, match="merges.txt line 3"):
        ByteLevelBPETokenizer.from_file(tmp_path / "vocab.json", tmp_path / "merges.txt")
    (tmp_path / "merges.txt").write_bytes(b"#version: 0.2\n\xff\xfe b\n")
    with pytest.raises(ValueError, match="not valid UTF-8"):
        ByteLevelBPETokenizer.from_file(tmp_path / "vocab.json", tmp_path / "merges.txt")
    with pytest.raises(FileNotFoundError, match="missing.json"):
        ByteLevelBPETokenizer.from_file(tmp_path / "missing.json")
    with pytest.raises(TypeError, match="str"):
        ByteLevelBPETokenizer().encode(None)


@pytest.fixture(scope="module")
def wordpiece_files(fixture, tmp_path_factory):
    path = tmp_path_factory.mktemp("wp") / "vocab.txt"
    path.write_text(fixture["wordpiece_vocab_txt"], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "key, kwargs, encode_kwargs",
    [
        ("wordpiece_cases", {}, {}),
        ("wordpiece_cased_cases", {"lowercase": False, "strip_accents": False}, {}),
        ("wordpiece_cases_with_specials", {}, {"add_special_tokens": True}),
    ],
)
def test_wordpiece_equals_hugging_face(fixture, wordpiece_files, key, kwargs, encode_kwargs):
    tok = WordPieceTokenizer.from_file(wordpiece_files, **kwargs)
    for case in fixture[key]:
        enc = tok.encode(case["text"], **encode_kwargs)
        assert enc.ids == case["ids"], repr(case["text"])
        assert enc.tokens == case["tokens"]
        assert [list(o) for o in enc.offsets] == case["offsets"], repr(case["text"])


def test_wordpiece_train_save_load(tmp_path, fixture):
    tok = WordPieceTokenizer().train(fixture["corpus"].splitlines(), vocab_size=300)
    assert tok.vocab_size == 300
    assert tok.special_tokens[:2] == ["[PAD]", "[UNK]"]
    assert any(t.startswith("##") for t in tok.get_vocab())
    tok.save(tmp_path / "vocab.txt")
    again = WordPieceTokenizer.from_file(tmp_path / "vocab.txt")
    text = "First Citizen: we are accounted poor citizens"
    assert again.encode(text).ids == tok.encode(text).ids
    assert tok.decode(tok.encode("we are poor").ids) == "we are poor"


def test_wordpiece_errors_name_the_file(tmp_path):
    (tmp_path / "v.txt").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"v.txt has no '\[UNK\]'"):
        WordPieceTokenizer.from_file(tmp_path / "v.txt")
    (tmp_path / "v.txt").write_text("[UNK]\n\nb\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2 is empty"):
        WordPieceTokenizer.from_file(tmp_path / "v.txt")


def test_bpe_encode_batch_equals_encode(fixture, hf_bpe):
    texts = [c["text"] for c in fixture["bpe_cases"]]
    for enc, text in zip(hf_bpe.encode_batch(texts), texts):
        one = hf_bpe.encode(text)
        assert (enc.ids, enc.tokens, enc.offsets) == (one.ids, one.tokens, one.offsets)
        assert enc.special_tokens_mask == one.special_tokens_mask
