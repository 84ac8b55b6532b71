"""ember's format carries checksums: flipping any single byte of a saved file makes loading fail
with an error naming the file and the damaged record (corpus files are in badfiles/)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import ember
from ember.serialization import SerializationError

RECORD = re.compile(
    r"(magic number|header|header prefix|header length field|storage \d+ \(holding [^)]*\)|padding before record \d+"
    r"|checksum trailer|pickle blob) is corrupt|bytes of the checksum trailer"
)


def _flip_every_byte(path, data: bytes, stride: int = 1) -> dict[str, int]:
    seen: dict[str, int] = {}
    for pos in range(0, len(data), stride):
        bad = bytearray(data)
        bad[pos] ^= 0x01
        path.write_bytes(bytes(bad))
        with pytest.raises(SerializationError) as err:
            ember.load(path, weights_only=False)
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


def test_streams_and_mmap_are_checked(tmp_path):
    path = tmp_path / "x.ember"
    ember.save({"x": ember.ones(1000)}, path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(SerializationError, match=r"storage 0 \(holding 'x'\) is corrupt"):
        ember.load(path, mmap=True)
    import io

    with pytest.raises(SerializationError, match=r"storage 0 \(holding 'x'\) is corrupt"):
        ember.load(io.BytesIO(bytes(data)))


def test_large_storages_are_summed_chunk_by_chunk(tmp_path, monkeypatch):
    from ember.serialization import _checksum

    monkeypatch.setattr(_checksum, "CHUNK", 64)
    x = ember.arange(1003, dtype=ember.float64)  # 8024 bytes: many chunks and no 8-byte tail
    y = ember.arange(7, dtype=ember.uint8)  # a 7-byte tail only
    path = tmp_path / "big.ember"
    ember.save({"x": x, "y": y}, path)
    out = ember.load(path)
    assert out["x"].tolist() == x.tolist() and out["y"].tolist() == y.tolist()
