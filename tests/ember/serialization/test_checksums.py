"""ember's format carries checksums: flipping any single byte of a saved file makes loading fail
with an error naming the file and the damaged record (corpus files are in badfiles/)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import ember
from ember.serialization import SerializationError

RECORD = re.compile(
    r"(magic number|header|header prefix|header length field|storage \d+ \(holding [^)]*\)|padding before record \d+"
    r"|checksum trailer|pickle blob) is corrupt|bytes of the checksum trailer"
)


def _flip_every_byte(path, data: bytes, stride: int = 1, check=None) -> dict[str, int]:
    check = check or (lambda p: ember.load(p, weights_only=False))
    seen: dict[str, int] = {}
    for pos in range(0, len(data), stride):
        bad = bytearray(data)
        bad[pos] ^= 0x01
        path.write_bytes(bytes(bad))
        with pytest.raises(SerializationError) as err:
            check(path)
        msg = str(err.value)
        assert msg.startswith(f"{path}: "), (pos, msg)
        found = RECORD.search(msg)
        assert found, (pos, msg)
        seen[found.group(0)] = seen.get(found.group(0), 0) + 1
    return seen


def test_every_flipped_byte_is_caught_and_named(tmp_path):
    base = ember.arange(6, dtype=ember.float32)
    obj = {
        "model": {"w": base.reshape(2, 3), "w_view": base[2:], "b": ember.ones(3)},
        "meta": {"epoch": 3, "lr": [0.1, 0.01], "name": "run-1"},
        "step": np.int64(7),
    }
    path = tmp_path / "ckpt.ember"
    ember.save(obj, path)
    data = path.read_bytes()
    seen = _flip_every_byte(path, data)
    assert any("'model.b'" in k for k in seen) and any("'step'" in k for k in seen)
    assert any("'model.w'" in k and "'model.w_view'" in k for k in seen)
    assert {"header is corrupt", "checksum trailer is corrupt"} <= set(seen)
    path.write_bytes(data)
    assert ember.load(path)["meta"] == obj["meta"]


def test_pickled_objects_are_checked_too(tmp_path):
    path = tmp_path / "model.ember"
    ember.save(ember.nn.Linear(2, 2), path)
    seen = _flip_every_byte(path, path.read_bytes(), stride=7)
    assert "pickle blob is corrupt" in seen


def test_streams_are_checked(tmp_path):
    path = tmp_path / "x.ember"
    ember.save({"x": ember.ones(1000)}, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    import io

    with pytest.raises(SerializationError, match=r"storage 0 \(holding 'x'\) is corrupt"):
        ember.load(io.BytesIO(bytes(data)))
    with pytest.raises(SerializationError, match=r"storage 0 \(holding 'x'\) is corrupt"):
        ember.serialization.verify_checkpoint(io.BytesIO(bytes(data)))


def test_mmap_checks_metadata_at_open_and_verify_checkpoint_checks_the_rest(tmp_path):
    path = tmp_path / "x.ember"
    ember.save({"x": ember.ones(1000), "meta": {"step": 3}}, path)
    good = path.read_bytes()
    data = bytearray(good)
    data[len(data) // 2] ^= 0xFF  # inside the storage of 'x'
    path.write_bytes(bytes(data))
    out = ember.load(path, mmap=True)  # documented: tensor bytes are not summed at open
    assert out["x"].sum().item() != 1000.0
    with pytest.raises(SerializationError, match=r"storage 0 \(holding 'x'\) is corrupt") as e:
        ember.serialization.verify_checkpoint(path)
    assert str(e.value).startswith(f"{path}: ")
    for pos, record in ((40, "header"), (len(good) - 30, "checksum trailer")):
        data = bytearray(good)
        data[pos] ^= 0x01
        path.write_bytes(bytes(data))
        with pytest.raises(SerializationError, match=f"{record} is corrupt"):
            ember.load(path, mmap=True)
    path.write_bytes(good)
    ember.serialization.verify_checkpoint(path)
    assert ember.load(path, mmap=True)["meta"] == {"step": 3}


def test_verify_checkpoint_catches_every_flipped_byte(tmp_path):
    path = tmp_path / "ckpt.ember"
    ember.save({"a": ember.arange(5, dtype=ember.float32), "n": {"k": [1, 2]}}, path)
    verify = ember.serialization.verify_checkpoint
    seen = _flip_every_byte(path, path.read_bytes(), check=verify)
    assert any("'a'" in k for k in seen) and "header is corrupt" in seen


def test_verify_checkpoint_refuses_what_has_no_checksums(tmp_path):
    import json

    text = json.dumps(
        {
            "format": "ember",
            "version": 1,
            "storages": [],
            "tensors": [],
            "root": 3,
            "pickle": None,
            "data_nbytes": 0,
        }
    ).encode()
    text += b" " * (-(16 + len(text)) % 64)  # the data section starts 64-byte aligned
    path = tmp_path / "v1.ember"
    path.write_bytes(b"\x93EMBER\x01\n" + len(text).to_bytes(8, "little") + text)
    assert ember.load(path) == 3  # version 1 still loads, unchecked
    with pytest.raises(SerializationError, match="version 1 carries no checksums"):
        ember.serialization.verify_checkpoint(path)
    path.write_bytes((Path(__file__).parent / "badfiles" / "not_a_checkpoint.bin").read_bytes())
    with pytest.raises(SerializationError, match="not an ember checkpoint"):
        ember.serialization.verify_checkpoint(path)


def test_large_storages_are_summed_chunk_by_chunk(tmp_path, monkeypatch):
    from ember.serialization import _checksum

    monkeypatch.setattr(_checksum, "CHUNK", 64)
    x = ember.arange(1003, dtype=ember.float64)  # 8024 bytes: many chunks and no 8-byte tail
    y = ember.arange(7, dtype=ember.uint8)  # a 7-byte tail only
    path = tmp_path / "big.ember"
    ember.save({"x": x, "y": y}, path)
    out = ember.load(path)
    assert out["x"].tolist() == x.tolist() and out["y"].tolist() == y.tolist()
    ember.serialization.verify_checkpoint(path)  # reads through a 64-byte buffer
    data = bytearray(path.read_bytes())
    data[data.index(x.numpy().tobytes()) + 8000] ^= 0x10  # in the 125th chunk of 'x'
    path.write_bytes(bytes(data))
    for check in (ember.load, ember.serialization.verify_checkpoint):
        with pytest.raises(SerializationError, match=r"storage \d \(holding 'x'\) is corrupt"):
            check(path)
