"""safetensors: reading reference-written files, byte-exact write-back, BF16 rounding."""

from __future__ import annotations

import io
import json
import pathlib
import struct

import numpy as np
import pytest

import ember
from ember.serialization import load_safetensors, safe_open, save_safetensors
from ember.serialization._tensors import float32_to_bfloat16

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
EXPECTED = dict(np.load(FIXTURES / "expected.npz"))


def test_reads_reference_numpy_file():
    out = load_safetensors(FIXTURES / "numpy.safetensors")
    for k, v in out.items():
        want = EXPECTED[f"st_numpy/{k}"]
        assert (
            v.dtype.np == want.dtype and v.shape == want.shape and np.array_equal(v.numpy(), want)
        )


def test_reads_bf16_as_exact_float32():
    out = load_safetensors(FIXTURES / "torch_bf16.safetensors")
    assert out["w"].dtype == ember.float32
    assert out["w"].numpy().tolist() == EXPECTED["st_bf16/w"].tolist()
    assert out["step"].dtype == ember.int64 and out["step"].item() == 7


@pytest.mark.parametrize("name", ["numpy", "torch_bf16"])
def test_read_then_write_is_byte_identical(tmp_path, name):
    src = FIXTURES / f"{name}.safetensors"
    with safe_open(src) as f:
        meta, dtypes = f.metadata(), f.dtypes()
    out = tmp_path / "copy.safetensors"
    save_safetensors(load_safetensors(src), out, metadata=meta, dtypes=dtypes)
    assert out.read_bytes() == src.read_bytes()


def test_writer_layout_follows_the_format(tmp_path):
    tensors = {
        "b": ember.ones(3),
        "a": ember.tensor([1, 2]),
        "m": ember.tensor([True]),
        "h": ember.zeros(1, dtype=ember.float16),
        "z": ember.zeros(2, dtype=ember.float64),
    }
    buf = io.BytesIO()
    save_safetensors(tensors, buf, metadata={"k": "v"})
    data = buf.getvalue()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0 and data[8 + n - 1 : 8 + n] in (b"}", b" ")
    header = json.loads(data[8 : 8 + n])
    assert list(header) == ["__metadata__", "a", "z", "b", "h", "m"]  # I64, F64, F32, F16, BOOL
    assert header["b"] == {"dtype": "F32", "shape": [3], "data_offsets": [32, 44]}
    assert len(data) == 8 + n + header["m"]["data_offsets"][1]


def test_safe_open_is_lazy_and_reports_metadata(tmp_path):
    path = tmp_path / "w.safetensors"
    save_safetensors({"w": ember.arange(4.0), "v": ember.ones(2)}, path)
    with safe_open(path) as f:
        assert f.metadata() is None and sorted(f.keys()) == ["v", "w"]
        assert np.array_equal(f.get_tensor("w").numpy(), [0, 1, 2, 3])
        with pytest.raises(KeyError):
            f.get_tensor("nope")


def test_ember_load_detects_safetensors():
    out = ember.load(FIXTURES / "numpy.safetensors", map_location="cpu")
    assert np.array_equal(out["weight"].numpy(), EXPECTED["st_numpy/weight"])


def test_bfloat16_rounding_matches_nearest_even():
    rng = np.random.default_rng(0)
    x = np.concatenate(
        [
            rng.standard_normal(2000).astype(np.float32) * 10.0 ** rng.integers(-30, 30, 2000),
            np.array([1.0 + 2**-8, 1.0 + 3 * 2**-8, -0.0, np.inf, -np.inf, 3.4e38], np.float32),
        ]
    ).astype(np.float32)
    got = float32_to_bfloat16(x)
    with np.errstate(invalid="ignore"):  # the reference below also looks at inf inputs
        want = _nearest_even_reference(x)
    finite = np.isfinite(x)
    assert np.array_equal(got[finite], want[finite].astype(np.uint16))
    assert got[-1] == 0x7F80 and got[-3] == 0x7F80 and got[-2] == 0xFF80  # 3.4e38 -> inf
    nan_bits = float32_to_bfloat16(np.array([np.nan, -np.nan], np.float32)).astype(np.uint32)
    assert np.isnan((nan_bits << 16).view(np.float32)).all()


def _nearest_even_reference(x: np.ndarray) -> np.ndarray:
    """Pick the nearer of the two bfloat16 neighbours in float64; ties go to the even one."""
    lo = (x.view(np.uint32) & 0xFFFF0000).view(np.float32).astype(np.float64)
    hi_bits = (x.view(np.uint32) & 0xFFFF0000) + 0x10000
    # the step above the largest finite bfloat16 is 2**128 (rounding there gives inf)
    hi = np.where(
        (hi_bits & 0x7FFFFFFF) == 0x7F800000,
        np.sign(x).astype(np.float64) * 2.0**128,
        hi_bits.view(np.float32).astype(np.float64),
    )
    d_lo, d_hi = np.abs(x - lo), np.abs(hi - x)
    lo16 = (x.view(np.uint32) >> 16).astype(np.uint16)
    want = np.where(d_lo < d_hi, lo16, lo16 + 1)
    tie = d_lo == d_hi
    return np.where(tie, np.where(lo16 % 2 == 0, lo16, lo16 + 1), want)


def test_writer_errors_are_clear(tmp_path):
    with pytest.raises(TypeError, match="metadata must map str to str"):
        save_safetensors({"w": ember.ones(1)}, tmp_path / "a", metadata={"k": 1})
    with pytest.raises(TypeError, match="only floating tensors"):
        save_safetensors({"w": ember.tensor([1])}, tmp_path / "a", dtypes={"w": "BF16"})
    with pytest.raises(TypeError, match="Tensor or NumPy array"):
        save_safetensors({"w": [1.0]}, tmp_path / "a")
    assert not (tmp_path / "a").exists()
