"""The ``meta`` device: tensors with a shape and dtype but no data, checked against PyTorch's
(fixtures from tests/ember/fixtures/make_meta_fixture.py) and for O(1) memory."""

from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn

_FIX = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(_FIX))
from meta_cases import MODULES, OPS  # noqa: E402

REF = json.loads((_FIX / "meta_torch.json").read_text())


def _describe(t: ember.Tensor) -> dict:
    return {
        "shape": list(t.shape),
        "dtype": str(t.dtype).replace("ember.", ""),
        "device": t.device.type,
        "requires_grad": bool(t.requires_grad),
    }


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_torch(name: str) -> None:
    out = OPS[name](ember, nn, F)
    assert _describe(out) == REF["ops"][name]
    assert out.is_meta and type(out._data).__name__ == "MetaArray"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_on_meta_matches_torch(name: str) -> None:
    m, x = MODULES[name](ember, nn)
    assert all(p.is_meta for p in m.parameters())
    out = m(*x) if isinstance(x, tuple) else m(x)
    while isinstance(out, tuple):
        out = out[0]
    state = {
        k: [list(v.shape), str(v.dtype).replace("ember.", "")] for k, v in m.state_dict().items()
    }
    assert state == REF["modules"][name]["state"]
    assert _describe(out) == REF["modules"][name]["out"]


def test_device_and_flags() -> None:
    t = ember.empty(4, 4, device="meta")
    assert t.is_meta and not t.is_cpu and not t.is_cuda
    assert t.device == ember.device("meta") and t.device.type == "meta"
    assert repr(t.device) == "device(type='meta')" and str(t.device) == "meta"
    assert t.stride() == (4, 1) and t.is_contiguous() and t.data_ptr() == 0
    assert not ember.ones(2).is_meta


def test_printing() -> None:
    assert repr(ember.empty(4, 4, device="meta")) == "tensor(..., device='meta', size=(4, 4))"
    t = ember.zeros(2, dtype=ember.int64, device="meta")
    assert repr(t) == "tensor(..., device='meta', size=(2,), dtype=ember.int64)"
    w = nn.Linear(4, 4, device="meta").weight
    assert repr(w) == (
        "Parameter containing:\ntensor(..., device='meta', size=(4, 4), requires_grad=True)"
    )
    y = nn.Linear(4, 2, device="meta")(ember.empty(3, 4, device="meta"))
    assert repr(y) == "tensor(..., device='meta', size=(3, 2), grad_fn=<LinearBackward0>)"


def test_data_access_raises_torch_errors() -> None:
    one, many = ember.empty(1, device="meta"), ember.empty(2, 2, device="meta")
    with pytest.raises(RuntimeError, match=r"Tensor.item\(\) cannot be called on meta tensors"):
        one.item()
    with pytest.raises(RuntimeError, match="cannot be called on meta tensors"):
        float(one)
    with pytest.raises(RuntimeError, match="a Tensor with 4 elements cannot be converted"):
        many.item()
    with pytest.raises(TypeError, match="can't convert meta device type tensor to numpy"):
        many.numpy()
    with pytest.raises(NotImplementedError, match="Cannot copy out of meta tensor; no data!"):
        many.tolist()
    with pytest.raises(NotImplementedError, match="Cannot copy out of meta tensor; no data!"):
        many.cpu()
    with pytest.raises(NotImplementedError, match="needs the data"):
        many.nonzero()
    with pytest.raises(RuntimeError, match="meta"):
        many + ember.ones(2, 2)


def test_memory_is_constant_and_ops_cheap() -> None:
    tracemalloc.start()
    try:
        x = ember.empty(8192, 8192, device="meta")  # 256 MiB if it had data
        w = ember.randn(8192, 8192, device="meta")
        y = F.linear(x, w) @ w
        z = ember.cat([y, y]).sum(0)
        e = nn.Embedding(100_000, 4096, device="meta")(
            ember.zeros(8, 512, dtype=ember.int64, device="meta")
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert z.shape == (8192,) and e.shape == (8, 512, 4096)
    assert peak < 4 << 20, peak


def test_to_empty_and_skip_init() -> None:
    m = nn.Sequential(nn.Linear(3, 4, device="meta"), nn.BatchNorm1d(4, device="meta"))
    out = m.to_empty(device="cpu")
    assert out is m
    assert all(not t.is_meta and t.device.type == "cpu" for t in m.state_dict().values())
    assert m[0].weight.shape == (4, 3) and m[0].weight.requires_grad
    assert m(ember.ones(2, 3)).shape == (2, 4)
    s = nn.utils.skip_init(nn.Linear, 3, 5, dtype=ember.float64)
    assert s.weight.device.type == "cpu" and s.weight.shape == (5, 3)
    assert s.weight.dtype == ember.float64 and isinstance(s.weight, nn.Parameter)
    with pytest.raises(RuntimeError, match="must support a 'device' arg"):
        nn.utils.skip_init(nn.ReLU)


def test_backward_gives_meta_grads() -> None:
    lin = nn.Linear(4, 3, device="meta")
    lin(ember.empty(2, 4, device="meta")).relu().sum().backward()
    assert lin.weight.grad.is_meta and lin.weight.grad.shape == (3, 4)
    assert lin.bias.grad.is_meta and lin.bias.grad.shape == (3,)


def test_to_meta_keeps_shape_dtype_and_drops_data() -> None:
    src = ember.arange(6, dtype=ember.float64).reshape(2, 3)
    t = src.to("meta")
    assert t.is_meta and t.shape == (2, 3) and t.dtype == ember.float64
    assert t._data.nbytes == 48 and not hasattr(t._data, "__array_interface__")
    np.testing.assert_array_equal(src.numpy(), np.arange(6.0).reshape(2, 3))
    assert nn.Linear(2, 2).to("meta").weight.is_meta


def test_load_with_map_location_meta(tmp_path: Path) -> None:
    path = tmp_path / "w.pt"
    ember.save({"w": ember.ones(3, 2), "n": 3}, path)
    got = ember.load(path, map_location="meta")
    assert got["n"] == 3 and got["w"].is_meta and got["w"].shape == (3, 2)


def test_data_dependent_shapes_refused() -> None:
    x = ember.empty(3, 4, device="meta")
    for fn in (lambda: x[x > 0], lambda: x.masked_select(x > 0), lambda: ember.unique(x)):
        with pytest.raises(NotImplementedError, match="meta tensors have none"):
            fn()
    assert x.masked_fill(x > 0, 1.0).shape == (3, 4)  # the shape does not depend on the mask


def test_module_to_and_load_state_dict_on_meta() -> None:
    m = nn.Linear(2, 2, device="meta")
    with pytest.raises(NotImplementedError, match=r"use ember.nn.Module.to_empty\(\) instead"):
        m.to("cpu")
    with pytest.warns(UserWarning, match="meta parameter in the current model, which is a no-op"):
        m.load_state_dict(nn.Linear(2, 2).state_dict())
    assert m.weight.is_meta
    src = nn.Linear(2, 2)
    m.load_state_dict(src.state_dict(), assign=True)
    assert not m.weight.is_meta and isinstance(m.weight, nn.Parameter)
    np.testing.assert_array_equal(m.weight.detach().numpy(), src.weight.detach().numpy())


# Op-table records whose meta run is refused: output shapes that depend on the values (the
# first group, as in PyTorch) and ops that check or branch on values outside their primitive.
_DATA_DEPENDENT = {
    "getitem_mask",
    "masked_select",
    "masked_scatter",
    "nonzero",
    "histogram",
    "histc",
    "bincount",
    "unique_values",
    "unique_inverse",
    "unique_counts",
    "unique_dim_values",
    "unique_dim_inverse",
    "unique_dim_counts",
}
_NOT_COVERED = {
    "linalg_lu_factor_ex",
    "linalg_lu_factor",
    "linalg_lu_solve",
    "linalg_lu_solve_complex",
    "linalg_lstsq",
    "linalg_matrix_rank_tol",
    "linalg_ldl_solve",
    "linalg_lstsq_residuals",
    "linalg_qr_wide",
    "linalg_matrix_exp",
    "diag",
    "diag_embed",
    "diagonal_scatter",
    "istft",
}


def _desc(o):
    if isinstance(o, ember.Tensor):
        return (tuple(o.shape), o.dtype, o.device.type)
    if isinstance(o, (tuple, list)):
        return tuple(_desc(x) for x in o)
    return type(o).__name__


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_op_table_runs_on_meta() -> None:
    """Every op-table record's first sample gives, on meta, the CPU result's shapes and dtypes."""
    from tests.ember.opinfo import to_ember
    from tests.ember.test_op_table import RECORDS

    checked, wrong = 0, []
    for info in RECORDS:
        sample = next(iter(info.sample_inputs(np.random.default_rng(0), info.dtypes[0].np)))
        args, kwargs = to_ember(sample, "cpu")
        try:
            ref = info.op(*args, **kwargs)
        except Exception:  # noqa: BLE001 - samples meant to raise are the op table's business
            continue
        margs, mkwargs = to_ember(sample, "meta")
        if info.name in _DATA_DEPENDENT | _NOT_COVERED:
            with pytest.raises((NotImplementedError, RuntimeError, AttributeError)):
                info.op(*margs, **mkwargs)
            continue
        got = info.op(*margs, **mkwargs)
        expected = _desc(ref)
        expected = expected if isinstance(ref, (tuple, list)) else (expected,)
        if any(isinstance(a, np.ndarray) for a in (*sample.args, *sample.kwargs.values())):
            expected = tuple(
                (e[0], e[1], "meta") if isinstance(e, tuple) and len(e) == 3 else e
                for e in expected
            )
        got_d = _desc(got) if isinstance(got, (tuple, list)) else (_desc(got),)
        if got_d != expected:
            wrong.append((info.name, got_d, expected))
        checked += 1
    assert not wrong, wrong
    assert checked > 300


def test_view_strides_as_torch() -> None:
    x = ember.zeros(2, 3).to("meta")
    assert x.t().stride() == (1, 3) and not x.t().is_contiguous()
    assert x.permute(1, 0).stride() == (1, 3) and x.mT.stride() == (1, 3)
    assert x.t().contiguous().stride() == (2, 1) and x.t().contiguous().is_contiguous()
    assert x.unsqueeze(0).transpose(0, 2).stride() == (1, 3, 6)
    assert x.t().reshape(6).stride() == (1,)
