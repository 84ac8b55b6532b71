"""ember.save / ember.load in ember's own format: values, views, devices, pickled objects."""

from __future__ import annotations

import collections
import io
import json
import os
import pickle
import struct
import zlib

import numpy as np
import pytest

import ember
from ember.nn.parameter import Parameter
from ember.serialization import SerializationError


def roundtrip(obj, tmp_path, **kw):
    path = tmp_path / "obj.ember"
    ember.save(obj, path)
    return ember.load(path, **kw)


def header_of(path) -> dict:
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[8:16])
    return json.loads(data[24 : 24 + n])  # magic, length, CRC-32, 4 zero bytes


def test_plain_values_and_containers(tmp_path):
    obj = {
        "s": "text",
        "i": 2**70,
        "f": 0.1,
        "nan": float("nan"),
        "inf": -float("inf"),
        "b": True,
        "none": None,
        "bytes": b"\x00\xff",
        "ba": bytearray(b"ab"),
        1: [1, (2, 3.5), {4, 5}, frozenset({6})],
        (7, "k"): complex(1, -2),
        "od": collections.OrderedDict([("z", 1), ("a", 2)]),
        "dtype": ember.float16,
        "device": ember.device("cpu"),
        "size": ember.Size([2, 3]),
    }
    out = roundtrip(obj, tmp_path)
    assert math_equal(out, obj)
    assert type(out["od"]) is collections.OrderedDict and list(out["od"]) == ["z", "a"]
    assert type(out[1][1]) is tuple and type(out["size"]) is ember.Size
    assert out["dtype"] is ember.float16
    assert header_of(tmp_path / "obj.ember")["pickle"] is None  # no pickle for plain trees


def math_equal(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(math_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(math_equal, a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(
    "dt", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
)
def test_tensor_dtypes_and_shapes_exact(tmp_path, device, dt):
    rng = np.random.default_rng(1)
    shapes = [(), (0,), (3,), (2, 0, 4), (2, 3, 4)]
    tensors = [
        ember.tensor((rng.standard_normal(s) * 100).astype(dt), device=device) for s in shapes
    ]
    out = roundtrip(tensors, tmp_path)
    for t, o in zip(tensors, out):
        assert o.dtype == t.dtype and o.shape == t.shape and o.device == t.device
        assert np.array_equal(o.cpu().numpy(), t.cpu().numpy())


def test_views_share_one_storage(tmp_path):
    base = ember.arange(24, dtype=ember.float32).reshape(4, 6)
    obj = {
        "base": base,
        "t": base.t(),
        "row": base[2],
        "strided": base[:, ::3],
        "tail": ember.arange(5.0)[2:],
    }
    out = roundtrip(obj, tmp_path)
    h = header_of(tmp_path / "obj.ember")
    assert len(h["storages"]) == 2  # base and its views once, the other arange once
    for k in obj:
        assert np.array_equal(out[k].numpy(), obj[k].numpy()), k
        assert out[k].stride() == obj[k].stride(), k
    assert np.shares_memory(out["base"].numpy(), out["t"].numpy())
    out["base"][2, 0] = -1.0  # a view again: writes show through
    assert out["row"][0].item() == -1.0 and out["t"][0, 2].item() == -1.0


def test_slice_of_large_storage_saves_whole_storage_like_pytorch(tmp_path):
    big = ember.zeros(10_000)
    ember.save(big[:2], tmp_path / "s.ember")
    assert header_of(tmp_path / "s.ember")["storages"][0]["nbytes"] == 40_000


def test_numpy_arrays_need_no_opt_in(tmp_path):
    a = np.arange(12, dtype=np.int16).reshape(3, 4)
    obj = {
        "rev": a[::-1, ::2],
        "u16": np.array([1, 65535], np.uint16),
        "c": np.array([1 + 2j], np.complex128),
        "be": np.arange(3, dtype=">i4"),
        "scalar": np.float32(2.5),
        "np64": np.int64(-3),
    }
    out = roundtrip(obj, tmp_path)
    for k, v in obj.items():
        assert type(out[k]) is type(v), k
        assert np.asarray(out[k]).dtype == np.asarray(v).dtype and np.array_equal(out[k], v), k
    assert out["rev"].strides == obj["rev"].strides


def test_requires_grad_and_parameters_kept(tmp_path):
    p = Parameter(ember.randn(3))
    frozen = Parameter(ember.randn(2), requires_grad=False)
    g = ember.randn(2, requires_grad=True)
    out = roundtrip({"p": p, "frozen": frozen, "g": g, "plain": ember.ones(1)}, tmp_path)
    assert type(out["p"]) is Parameter and out["p"].requires_grad
    assert type(out["frozen"]) is Parameter and not out["frozen"].requires_grad
    assert type(out["g"]) is ember.Tensor and out["g"].requires_grad and out["g"].is_leaf
    assert not out["plain"].requires_grad


def test_same_tensor_twice_is_one_object(tmp_path):
    t = ember.ones(3)
    out = roundtrip([t, t, {"again": t}], tmp_path)
    assert out[0] is out[1] is out[2]["again"]


def test_state_dict_metadata_attribute_kept(tmp_path):
    sd = collections.OrderedDict(w=ember.ones(2))
    sd._metadata = collections.OrderedDict({"": {"version": 1}})
    out = roundtrip(sd, tmp_path)
    assert out._metadata == {"": {"version": 1}}


def test_file_objects_and_unseekable_streams():
    obj = {"w": ember.arange(6.0).reshape(2, 3)}
    buf = io.BytesIO()
    ember.save(obj, buf)
    buf.seek(0)
    assert np.array_equal(ember.load(buf)["w"].numpy(), obj["w"].numpy())

    class Stream(io.RawIOBase):
        def __init__(self, data):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            return self.inner.readinto(b)

    assert np.array_equal(ember.load(Stream(buf.getvalue()))["w"].numpy(), obj["w"].numpy())


def test_mmap_is_copy_on_write(tmp_path):
    path = tmp_path / "m.ember"
    ember.save({"w": ember.arange(4.0)}, path)
    before = path.read_bytes()
    w = ember.load(path, mmap=True)["w"]
    w.add_(1.0)
    assert np.array_equal(w.numpy(), [1, 2, 3, 4]) and path.read_bytes() == before


def test_map_location_forms(tmp_path):
    path = tmp_path / "m.ember"
    ember.save({"w": ember.ones(3)}, path)
    assert ember.load(path, map_location="cpu")["w"].device == ember.device("cpu")
    assert ember.load(path, map_location=ember.device("cpu"))["w"].is_cpu
    assert ember.load(path, map_location={"cuda:1": "cpu"})["w"].is_cpu
    seen = []

    def fn(storage, location):  # storages are untyped bytes, as in PyTorch 2
        seen.append((storage.dtype, storage.shape, location))
        return storage.cpu() if len(seen) == 1 else None  # None: the default placement

    assert np.array_equal(ember.load(path, map_location=fn)["w"].numpy(), [1, 1, 1])
    assert np.array_equal(ember.load(path, map_location=fn)["w"].numpy(), [1, 1, 1])
    assert seen == [(ember.uint8, ember.Size([12]), "cpu")] * 2
    with pytest.raises(TypeError, match="map_location"):
        ember.load(path, map_location=3)


@pytest.mark.skipif(ember.cuda.is_available(), reason="checks the CPU-only error")
def test_map_location_to_missing_cuda_says_what_to_do(tmp_path):
    path = tmp_path / "m.ember"
    ember.save({"w": ember.ones(3)}, path)
    with pytest.raises(RuntimeError, match="map_location='cpu'"):
        ember.load(path, map_location="cuda:0")


def test_cuda_tensors_restore_to_cuda_and_map_to_cpu(tmp_path):
    if not ember.cuda.is_available():
        pytest.skip("needs CUDA")
    base = ember.arange(6.0, device="cuda").reshape(2, 3)
    path = tmp_path / "c.ember"
    ember.save({"b": base, "t": base.t()}, path)
    out = ember.load(path)
    assert out["b"].is_cuda and out["t"].stride() == (1, 3)
    cpu = ember.load(path, map_location="cpu")
    assert cpu["t"].is_cpu and np.array_equal(cpu["t"].numpy(), base.t().cpu().numpy())


# -- whole objects and weights_only ----------------------------------------------------------------
Point = collections.namedtuple("Point", ["x", "y"])


class Box:
    def __init__(self):
        self.w = ember.ones(2)
        self.label = "box"


def test_whole_module_needs_opt_in(tmp_path):
    model = ember.nn.Linear(3, 2)
    path = tmp_path / "model.ember"
    ember.save(model, path)
    with pytest.raises(pickle.UnpicklingError) as err:
        ember.load(path)
    msg = str(err.value)
    assert msg.startswith("Weights only load failed.")
    assert (
        "Unsupported global: GLOBAL ember.nn.modules.linear.Linear was not an allowed global by "
        "default. Please use `ember.serialization.add_safe_globals([Linear])` or the "
        "`ember.serialization.safe_globals([Linear])` context manager to allowlist this global "
        "if you trust this class/function."
    ) in msg
    assert isinstance(err.value, SerializationError)
    loaded = ember.load(path, weights_only=False)
    assert type(loaded) is ember.nn.Linear
    assert type(loaded.weight) is Parameter and loaded.weight.requires_grad
    x = ember.randn(4, 3)
    assert np.allclose(loaded(x).detach().numpy(), model(x).detach().numpy())


def test_safe_globals_allow_listed_classes(tmp_path):
    path = tmp_path / "o.ember"
    ember.save({"p": Point(ember.ones(1), 2), "box": Box()}, path)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL .*Point"):
        ember.load(path)
    with ember.serialization.safe_globals([Point, Box]):
        assert set(ember.serialization.get_safe_globals()) == {Point, Box}
        out = ember.load(path)
    assert ember.serialization.get_safe_globals() == []
    assert type(out["p"]) is Point and out["p"].y == 2 and out["box"].label == "box"
    ember.serialization.add_safe_globals([Point, Box])
    try:
        assert type(ember.load(path)["box"]) is Box
    finally:
        ember.serialization.clear_safe_globals()
    assert ember.serialization.get_safe_globals() == []


def test_pickled_tensors_are_stored_raw_and_shared(tmp_path):
    base = ember.arange(6.0)
    path = tmp_path / "p.ember"
    ember.save(Point(base, base[2:]), path)
    h = header_of(path)
    assert h["root"] == {"$": "pickle"} and len(h["storages"]) == 1
    out = ember.load(path, weights_only=False)
    assert np.shares_memory(out.x.numpy(), out.y.numpy())


def test_failed_save_leaves_old_file_and_no_temp(tmp_path):
    path = tmp_path / "ckpt.ember"
    ember.save({"v": 1}, path)
    before = path.read_bytes()
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        ember.save({"f": lambda x: x}, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["ckpt.ember"]


def test_unknown_version_is_refused(tmp_path):
    path = tmp_path / "v.ember"
    ember.save({"v": 1}, path)
    data = bytearray(path.read_bytes().replace(b'"version":2', b'"version":9'))
    (n,) = struct.unpack("<Q", data[8:16])
    data[16:20] = zlib.crc32(data[24 : 24 + n]).to_bytes(4, "little")  # a valid header CRC
    path.write_bytes(bytes(data))
    with pytest.raises(SerializationError, match="version 9 is newer"):
        ember.load(path)


CHILD = r"""
import sys, time
import ember
import ember.serialization._native as native

original = native._Storage.raw
calls = []

def slow_raw(self):
    calls.append(1)
    if len(calls) == 3:
        print("writing", flush=True)
    time.sleep(0.02)
    return original(self)

native._Storage.raw = slow_raw
ember.save({f"t{i}": ember.full((2000,), float(i)) for i in range(500)}, sys.argv[1])
print("finished", flush=True)
"""


def test_sigkill_mid_save_keeps_previous_file(tmp_path):
    import signal
    import subprocess
    import sys

    path = tmp_path / "ckpt.ember"
    ember.save({"old": ember.arange(3.0)}, path)
    before = path.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "writing"
        temps = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
        assert len(temps) == 1 and (tmp_path / temps[0]).stat().st_size > 0
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert np.array_equal(ember.load(path)["old"].numpy(), [0, 1, 2])


def test_pickled_ember_dtypes_devices_sizes_are_allowed(tmp_path):
    path = tmp_path / "p.ember"
    ember.save(Point(ember.float32, (ember.device("cpu"), ember.Size([2]))), path)
    with ember.serialization.safe_globals([Point]):
        out = ember.load(path)
    assert out.x is ember.float32 and out.y == (ember.device("cpu"), ember.Size([2]))
    assert type(out.y[1]) is ember.Size
