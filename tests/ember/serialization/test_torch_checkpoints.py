"""Reading torch.save checkpoints (zip and legacy) without PyTorch, against stored fixtures.

The fixtures and ``expected.npz`` were written by fixtures/make_fixtures.py with torch 2.x.
"""

from __future__ import annotations

import argparse
import io
import pathlib
import pickle

import numpy as np
import pytest

import ember
from ember.nn.parameter import Parameter
from ember.serialization import SerializationError

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
EXPECTED = dict(np.load(FIXTURES / "expected.npz"))


def expected(prefix: str) -> dict[str, np.ndarray]:
    return {k.split("/", 1)[1]: v for k, v in EXPECTED.items() if k.startswith(prefix + "/")}


@pytest.mark.parametrize("name", ["linear", "linear_legacy", "conv_bn", "lstm", "big_endian"])
def test_state_dict_values_exact(name):
    sd = ember.load(FIXTURES / f"{name}.pth")
    want = expected(name.replace("_legacy", ""))
    assert list(sd) == [k for k in want if "/" not in k and k not in ("x", "y")]
    for k, v in sd.items():
        assert v.dtype.np == want[k].dtype and v.shape == want[k].shape, k
        assert np.array_equal(v.numpy(), want[k]), k


def test_batchnorm_num_batches_tracked_is_int64_scalar():
    sd = ember.load(FIXTURES / "conv_bn.pth")
    t = sd["1.num_batches_tracked"]
    assert t.dtype == ember.int64 and t.shape == () and t.item() == 1


@pytest.mark.parametrize("name", ["mixed", "mixed_legacy"])
def test_mixed_checkpoint(name):
    sd = ember.load(FIXTURES / f"{name}.pth")
    want = expected("mixed")
    for k, v in want.items():
        if k in sd and k != "u16":
            assert sd[k].dtype.np == v.dtype and np.array_equal(sd[k].detach().numpy(), v), k
    assert sd["bf16"].dtype == ember.float32  # bfloat16 widened exactly
    assert sd["bf16"].numpy().tolist() == want["bf16"].tolist()
    assert sd["transposed"].stride() == (1, 4) and sd["strided"].stride() == (4, 2)
    assert np.shares_memory(sd["base"].numpy(), sd["transposed"].numpy())
    assert np.shares_memory(sd["base"].numpy(), sd["row"].numpy())
    assert type(sd["param"]) is Parameter and sd["param"].requires_grad
    assert type(sd["frozen"]) is Parameter and not sd["frozen"].requires_grad
    assert sd["meta"] == {"epoch": 3, "lr": 0.1, "name": "run", "none": None, "pair": (1, 2)}
    assert sd["list"][1] == "x" and np.array_equal(sd["list"][0].numpy(), want["list0"])
    assert sd["scalar"].shape == () and sd["empty"].shape == (0, 2)


def test_uint16_widens_to_int32_through_rebuild_tensor_v3():
    sd = ember.load(FIXTURES / "mixed.pth")
    assert sd["u16"].dtype == ember.int32 and sd["u16"].numpy().tolist() == [1, 65535]


def test_bare_untyped_storage_loads_as_uint8():
    out = ember.load(FIXTURES / "untyped_storage.pth")["storage"]
    assert out.dtype == ember.uint8 and out.numpy().tolist() == [1, 0, 2, 0, 3, 0]


def test_file_object_and_map_location():
    data = (FIXTURES / "linear.pth").read_bytes()
    seen = []

    def fn(storage, location):
        seen.append((storage.dtype, location))

    sd = ember.load(io.BytesIO(data), map_location=fn)
    assert np.array_equal(sd["weight"].numpy(), EXPECTED["linear/weight"])
    assert seen == [(ember.float32, "cpu")] * 2
    assert ember.load(io.BytesIO(data), map_location={"cpu": "cpu"})["bias"].is_cpu


def test_state_dict_loads_into_ember_linear():
    lin = ember.nn.Linear(4, 3)
    lin.load_state_dict(ember.load(FIXTURES / "linear.pth"))
    y = lin(ember.tensor(EXPECTED["linear/x"])).detach().numpy()
    np.testing.assert_allclose(y, EXPECTED["linear/y"], rtol=1e-5, atol=1e-6)


def test_state_dict_loads_into_ember_conv_bn():
    if not all(hasattr(ember.nn, n) for n in ("Conv2d", "BatchNorm2d")):
        pytest.skip("ember.nn.Conv2d/BatchNorm2d not available yet")
    net = ember.nn.Sequential(ember.nn.Conv2d(2, 3, 3), ember.nn.BatchNorm2d(3))
    net.load_state_dict(ember.load(FIXTURES / "conv_bn.pth"))
    net.eval()
    y = net(ember.tensor(EXPECTED["conv_bn/x"])).detach().numpy()
    np.testing.assert_allclose(y, EXPECTED["conv_bn/y"], rtol=1e-4, atol=1e-5)


def test_state_dict_loads_into_ember_lstm():
    if not hasattr(ember.nn, "LSTM"):
        pytest.skip("ember.nn.LSTM not available yet")
    lstm = ember.nn.LSTM(3, 4, batch_first=True)
    lstm.load_state_dict(ember.load(FIXTURES / "lstm.pth"))
    y = lstm(ember.tensor(EXPECTED["lstm/x"]))[0].detach().numpy()
    np.testing.assert_allclose(y, EXPECTED["lstm/y"], rtol=1e-4, atol=1e-5)


def test_compressed_records_are_refused_clearly(tmp_path):
    import zipfile

    src = zipfile.ZipFile(FIXTURES / "linear.pth")
    path = tmp_path / "deflated.pth"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with pytest.raises(SerializationError, match="compressed"):
        ember.load(path)


def test_whole_torch_module_is_refused_with_advice(tmp_path):
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).parent / "badfiles"))
    try:
        import make_badfiles as mb
    finally:
        sys.path.pop(0)
    pkl = mb.pickle(mb.call(mb.glob("torch.nn.modules.linear", "Linear")))
    path = tmp_path / "model.pth"
    path.write_bytes(mb.torch_zip(pkl))
    for weights_only in (True, False):
        with pytest.raises(SerializationError, match="save model.state_dict"):
            ember.load(path, weights_only=weights_only)


def test_numpy_values_in_torch_checkpoints_load_without_opt_in():
    out = ember.load(FIXTURES / "numpy_values.pth")
    assert out["arr"].dtype == np.int16 and out["arr"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert type(out["best"]) is np.float64 and out["best"] == 0.75


def test_non_torch_classes_need_weights_only_false():
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL argparse.Namespace"):
        ember.load(FIXTURES / "namespace.pth")
    out = ember.load(FIXTURES / "namespace.pth", weights_only=False)
    assert out["args"].lr == 0.1 and np.array_equal(out["w"].numpy(), [1.0, 1.0])
    with ember.serialization.safe_globals([argparse.Namespace]):
        assert ember.load(FIXTURES / "namespace.pth")["args"].name == "run"
