"""Every reader refuses hostile or broken files with a clear error, runs nothing, allocates
nothing huge and never hangs. The corpus is badfiles/, made by badfiles/make_badfiles.py."""

from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

import ember
from ember.serialization import SerializationError, WeightsOnlyUnpicklingError, load_safetensors

BAD = pathlib.Path(__file__).parent / "badfiles"
sys.path.insert(0, str(BAD))
import make_badfiles  # noqa: E402

sys.path.pop(0)

REFUSED_GLOBAL = WeightsOnlyUnpicklingError
EXPECT = {
    "torch_os_system.pth": (REFUSED_GLOBAL, "GLOBAL os.system whose module os is blocked"),
    "torch_posix_system.pth": (REFUSED_GLOBAL, "GLOBAL posix.system"),
    "torch_eval_stack_global.pth": (REFUSED_GLOBAL, "GLOBAL builtins.eval"),
    "torch_subprocess.pth": (REFUSED_GLOBAL, "GLOBAL subprocess.call"),
    "torch_nested_payload.pth": (REFUSED_GLOBAL, "GLOBAL os.system"),
    "legacy_os_system.pth": (REFUSED_GLOBAL, "GLOBAL os.system"),
    "ember_os_system.ember": (REFUSED_GLOBAL, "GLOBAL os.system"),
    "ember_eval.ember": (REFUSED_GLOBAL, "GLOBAL builtins.eval"),
    "torch_truncated.pth": (SerializationError, "not a readable zip archive"),
    "torch_huge_numel.pth": (SerializationError, "more than the file holds"),
    "torch_short_record.pth": (SerializationError, "has 8 bytes, the pickle expects 16"),
    "torch_missing_record.pth": (SerializationError, "missing record archive/data/0"),
    "torch_view_out_of_bounds.pth": (SerializationError, "its storage has only 16 bytes"),
    "torch_memo_bomb.pth": (SerializationError, "memo index 4294967295 is out of range"),
    "torch_bad_opcode.pth": (SerializationError, "malformed or truncated pickle"),
    "legacy_truncated.pth": (SerializationError, "legacy checkpoint is truncated"),
    "torch_numpy_object.pth": (SerializationError, "refusing NumPy object arrays"),
    "not_a_checkpoint.bin": (SerializationError, "unrecognised file format"),
    "st_header_past_eof.safetensors": (SerializationError, "larger than the file"),
    "st_huge_header.safetensors": (SerializationError, "exceeds the 100000000-byte limit"),
    "st_bad_json.safetensors": (SerializationError, "header is not valid JSON"),
    "st_overlap.safetensors": (SerializationError, "offsets overlap or leave a gap"),
    "st_past_end.safetensors": (SerializationError, "tensors cover 32 bytes but the data"),
    "st_gap.safetensors": (SerializationError, "offsets overlap or leave a gap"),
    "st_wrong_nbytes.safetensors": (SerializationError, "needs 12 bytes but data_offsets span 16"),
    "st_unknown_dtype.safetensors": (SerializationError, "unknown dtype 'Q99'"),
    "st_bad_metadata.safetensors": (SerializationError, "__metadata__ must map strings"),
    "ember_bad_json.ember": (SerializationError, "header is not valid JSON"),
    "ember_missing_storage.ember": (SerializationError, "refers to missing storage 0"),
    "ember_missing_tensor.ember": (SerializationError, "reference to missing tensor 7"),
    "ember_truncated.ember": (SerializationError, "truncated: the header describes 16 bytes"),
    "ember_huge_header.ember": (SerializationError, "header claims 1152921504606846976 bytes"),
    "ember_view_out_of_bounds.ember": (SerializationError, "its storage has only 16 bytes"),
    "ember_object_dtype.ember": (SerializationError, "refusing dtype '|O'"),
    "ember_unknown_tag.ember": (SerializationError, "unknown value tag 'lambda'"),
    "torch_record_traversal.pth": (SerializationError, "refusing zip member 'archive/data/../../"),
    "torch_record_absolute.pth": (SerializationError, "refusing storage record '/etc/passwd'"),
    "torch_member_traversal.pth": (SerializationError, "refusing zip member 'archive/data/../.."),
    # ember's version 2: a damaged byte anywhere names the file and the damaged record
    "ember_v2_flipped_magic.ember": (SerializationError, "the magic number is corrupt"),
    "ember_v2_flipped_length.ember": (SerializationError, "the header is corrupt"),
    "ember_v2_flipped_header_crc.ember": (SerializationError, "the header is corrupt"),
    "ember_v2_flipped_reserved.ember": (SerializationError, "the header prefix is corrupt"),
    "ember_v2_flipped_metadata.ember": (SerializationError, "the header is corrupt"),
    "ember_v2_flipped_storage.ember": (SerializationError, "storage 0 (holding 'w') is corrupt"),
    "ember_v2_flipped_padding.ember": (SerializationError, "padding before record 1 is corrupt"),
    "ember_v2_flipped_trailer.ember": (SerializationError, "the checksum trailer is corrupt"),
    "ember_v2_no_trailer.ember": (SerializationError, "bytes of the checksum trailer"),
}


@pytest.fixture
def sentinel(tmp_path, monkeypatch):
    path = tmp_path / "pwned"
    monkeypatch.setenv("EMBER_SENTINEL", str(path))
    return path


def test_corpus_is_complete_and_up_to_date():
    made = make_badfiles.corpus()
    assert set(made) == set(EXPECT)
    for name, data in made.items():
        assert (BAD / name).read_bytes() == data, f"{name}: rerun make_badfiles.py"
    assert sum(len(d) for d in made.values()) < 20_000


def test_v2_reference_file_loads_and_matches_the_spec():
    """The corpus' intact version-2 file (assembled without ember's writer) loads."""
    good = make_badfiles.v2_good()
    out = ember.load(io.BytesIO(good))
    assert out["w"].tolist() == [1.0, 2.0, 3.0, 4.0] and out["meta"] == {"step": 3}


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_bad_file_is_refused_clearly(name, sentinel):
    kind, text = EXPECT[name]
    start = time.perf_counter()
    with pytest.raises(kind) as err:
        ember.load(BAD / name)
    assert text in str(err.value)
    if name.startswith("ember_v2"):
        assert str(err.value).startswith(f"{BAD / name}: ")
    assert time.perf_counter() - start < 2.0
    assert not sentinel.exists()


@pytest.mark.parametrize("name", sorted(n for n in EXPECT if n.startswith("st_")))
def test_load_safetensors_refuses_too(name):
    with pytest.raises(SerializationError, match="invalid safetensors file"):
        load_safetensors(BAD / name)


@pytest.mark.parametrize("name", ["torch_os_system.pth", "ember_os_system.ember"])
def test_payloads_are_live_so_the_refusal_tests_can_fail(name, sentinel):
    """With the explicit trusted-file opt-in the payload does run: the sentinel is real."""
    ember.load(BAD / name, weights_only=False)
    assert sentinel.exists()


LIMITED = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import ember
out = {}
for path in sys.argv[1:]:
    try:
        ember.load(path)
        out[path] = "loaded"
    except MemoryError:
        out[path] = "MemoryError"
    except Exception as e:
        out[path] = type(e).__name__
print(json.dumps(out))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_AS")
def test_size_claims_are_checked_before_allocating():
    """Under a 1 GiB address-space cap, files claiming terabytes fail cleanly, not MemoryError."""
    names = [
        "torch_huge_numel.pth",
        "torch_memo_bomb.pth",
        "st_huge_header.safetensors",
        "ember_huge_header.ember",
        "legacy_truncated.pth",
    ]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    res = subprocess.run(
        [sys.executable, "-c", LIMITED, *[str(BAD / n) for n in names]],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out.values()) <= {"SerializationError", "WeightsOnlyUnpicklingError"}, out
