"""ember.bfloat16 (stored as ml_dtypes.bfloat16): promotion, printing and values as PyTorch's
(fixture from torch 2.13), every op of the op table forward and backward in bfloat16 against
float32, save/load, and a training step that agrees with float32 within bfloat16's precision."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import _bf16
from tests.ember.fixtures.bfloat16_cases import DTYPES, OPERANDS, VALUES, inputs
from tests.ember.opinfo import Sample, to_ember
from tests.ember.test_op_table import RECORDS, _pick

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "bfloat16_torch.json").read_text())
BF = np.dtype(ml_dtypes.bfloat16)
ULP = 2.0**-7  # bfloat16's eps: one unit in the last place at 1.0


def _name(dt: ember.dtype) -> str:
    return str(dt).replace("ember.", "")


def test_dtype_and_creation() -> None:
    bf = ember.bfloat16
    assert bf.is_floating_point and bf.itemsize == 2 and not bf.is_complex
    assert ember._dtype.as_dtype("bfloat16") is bf and ember._dtype.as_dtype(BF) is bf
    x = ember.tensor([1.0, 2.5], dtype=bf)
    assert x.dtype is bf and x.is_floating_point() and x.element_size() == 2
    assert ember.ones(2).to(bf).dtype is bf and ember.ones(2).bfloat16().dtype is bf
    assert ember.zeros(2, 3, dtype=bf).dtype is bf and ember.randn(3, dtype=bf).dtype is bf
    assert x.numpy().dtype == BF  # a NumPy array of ml_dtypes' bfloat16
    assert ember.from_numpy(np.ones(2, BF)).dtype is bf
    assert x.tolist() == [1.0, 2.5] and x[1].item() == 2.5
    assert x.type() == ember.ones(2).type().replace("Float", "BFloat16")
    assert ember.tensor([1.0, 2.0]).requires_grad_().bfloat16().requires_grad


def test_promotion_matches_pytorch() -> None:
    bf = ember.bfloat16
    got = {d: _name(ember.promote_types(bf, getattr(ember, d))) for d in DTYPES}
    assert got == FIXTURE["promote_types"]
    for key, left in (
        ("result_type", ember.ones(2, dtype=bf)),
        ("result_type_0dim", ember.tensor(1.0, dtype=bf)),
    ):
        got = {k: _name(ember.result_type(left, f(ember))) for k, f in OPERANDS.items()}
        assert got == FIXTURE[key], key
    # the operators follow the same rules
    x = ember.ones(2, dtype=bf)
    assert (x + ember.ones(2, dtype=ember.float16)).dtype is ember.float32
    assert (x * 2.5).dtype is bf and (x + ember.tensor([1, 2])).dtype is bf and (x + 3).dtype is bf


def test_finfo_and_printing_match_pytorch() -> None:
    info = ember.finfo(ember.bfloat16)
    assert {k: float(getattr(info, k)) for k in FIXTURE["finfo"]} == FIXTURE["finfo"]
    x, _, v = inputs(ember)
    got = [repr(x[:2, :3]), repr(v[:3]), repr(ember.tensor(3.0, dtype=ember.bfloat16))]
    assert got == [r.replace("torch.", "ember.") for r in FIXTURE["repr"]]


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_pytorch(name: str) -> None:
    """Accumulating ops compute in float32 and round once, as PyTorch's CPU kernels: at most
    one bfloat16 rounding step apart (the float32 sums may run in another order)."""
    want = FIXTURE["values"][name]
    out = VALUES[name](ember, F, *inputs(ember))
    assert _name(out.dtype) == want["dtype"]
    got = out.float().numpy()
    # gelu is a composite here: it rounds after each of its steps, PyTorch's kernel once.
    rtol = 3 * ULP if name == "gelu" else ULP
    np.testing.assert_allclose(got, np.asarray(want["data"], np.float32), rtol=rtol, atol=1e-6)


def test_numpy_alone_would_get_accumulation_wrong() -> None:
    # The reason for ember/_bf16.py: NumPy sums bfloat16 in bfloat16 (stuck at 256).
    assert float(np.ones(100_000, BF).sum()) == 256.0
    assert ember.ones(100_000, dtype=ember.bfloat16).sum().item() == 99840.0  # 100000 rounded
    assert ember.ones(3, dtype=ember.bfloat16).sum(dtype=ember.float32).dtype is ember.float32
    assert all(name in ember.ops.registry.PRIMITIVES for name in _bf16.FLOAT32_COMPUTE)


def _cast(a, dt):
    """``a`` with float32 arrays rounded to bfloat16 and stored as ``dt``; ``a`` itself if none."""
    if isinstance(a, np.ndarray) and a.dtype == np.float32:
        return a.astype(BF).astype(dt)  # both runs see the same bfloat16-rounded values
    if isinstance(a, (list, tuple)):
        out = [_cast(x, dt) for x in a]
        return a if all(o is x for o, x in zip(out, a)) else type(a)(out)
    return a


def _run(info, sample, dt):
    """Forward outputs and input gradients (of the outputs' sum) of one sample in ``dt``."""
    s = Sample(
        *[_cast(a, dt) for a in sample.args], **{k: _cast(v, dt) for k, v in sample.kwargs.items()}
    )
    args, kwargs = to_ember(s, "cpu")
    leaves = [a for a in args if isinstance(a, ember.Tensor) and a.is_floating_point()]
    if info.differentiable:
        for a in leaves:
            a.requires_grad_()
    out = _pick(info.op(*args, **kwargs), info.output_index)
    outs = [
        o
        for o in (out if isinstance(out, (tuple, list)) else (out,))
        if isinstance(o, ember.Tensor)
    ]
    diff = [o for o in outs if o.requires_grad and not o.is_complex()]
    if diff:
        sum(o.float().sum() for o in diff).backward()
    return outs, [a.grad for a in leaves] if diff else []


def _far(a: ember.Tensor, b: ember.Tensor) -> bool:
    """Further apart than bfloat16's precision, relative to the float32 result's scale."""
    x = b.detach().numpy().astype(np.float64)
    y = a.detach().float().numpy().astype(np.float64)
    if x.size == 0:
        return False
    if not np.array_equal(np.isnan(x), np.isnan(y)):
        return True
    scale = max(1.0, float(np.nanmax(np.abs(np.where(np.isinf(x), 0, x)))))
    return bool(np.nanmax(np.abs(np.where(np.isinf(x), 0, x - y))) > 6 * ULP * scale)


# Complex records (PyTorch has no complex bfloat16) and the FFT-based ones (PyTorch's CPU FFT
# refuses bfloat16): nothing of theirs computes in bfloat16.
NO_BFLOAT16 = {"view_as_complex", "polar", "stft", "istft", "matmul_complex"}


def test_every_table_op_runs_in_bfloat16_like_float32() -> None:
    """Forward and backward of each op-table record (float32 samples, first two) in bfloat16:
    results and gradients are bfloat16 where float32 gives float32, and agree with float32
    within bfloat16 tolerance."""
    bad = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # samples probe domain edges
        for info in RECORDS:
            _compare_in_bfloat16(info, bad)
    assert not bad, bad


def _compare_in_bfloat16(info, bad: dict) -> None:
    """Record in ``bad`` how one op-table record's first two samples differ in bfloat16."""
    if ember.float32 not in info.dtypes or info.name in NO_BFLOAT16:
        return
    if "complex" in info.name or info.name.startswith("fft_"):
        return
    for sample in list(info.sample_inputs(np.random.default_rng(0), np.dtype(np.float32)))[:2]:
        if _cast(sample.args, np.float32) is sample.args:
            continue  # no float32 array to turn into bfloat16 (a factory, an index op)
        try:
            ref = _run(info, sample, np.float32)
        except Exception:  # noqa: BLE001 - a sample float32 refuses is not ours to test
            continue
        try:
            got = _run(info, sample, BF)
        except NotImplementedError as e:
            if "'BFloat16'" in str(e):
                return  # refused as PyTorch's CPU kernel refuses it (the LAPACK factorisations)
            bad[info.name] = repr(e)
            return
        except Exception as e:  # noqa: BLE001 - reported with the op's name
            bad[info.name] = repr(e)
            return
        for g, r in zip(got[0] + got[1], ref[0] + ref[1]):
            if g is None or r is None or r.dtype is not ember.float32:
                continue
            if g.dtype is not ember.bfloat16 or _far(g, r):
                bad[info.name] = f"{g.dtype} vs {r.dtype}"
                return


def test_training_step_agrees_with_float32() -> None:
    ember.manual_seed(0)
    model = ember.nn.Sequential(
        ember.nn.Linear(16, 32), ember.nn.GELU(), ember.nn.LayerNorm(32), ember.nn.Linear(32, 5)
    )
    x, t = ember.randn(12, 16), ember.randint(0, 5, (12,))
    grads = {}
    for dt in (ember.float32, ember.bfloat16):
        m = model.to(dt)
        for p in m.parameters():
            p.grad = None
        loss = F.cross_entropy(m(x.to(dt)), t)
        loss.backward()
        assert loss.dtype is dt and all(p.grad.dtype is dt for p in m.parameters())
        grads[dt] = [p.grad.float() for p in m.parameters()]
    for g16, g32 in zip(grads[ember.bfloat16], grads[ember.float32]):
        scale = g32.abs().max().item()
        assert (g16 - g32).abs().max().item() <= 0.05 * scale + 1e-3
    opt = ember.optim.AdamW(model.parameters(), lr=1e-2)  # the update runs in bfloat16 too
    opt.step()
    assert all(p.dtype is ember.bfloat16 for p in model.parameters())


def test_save_load_round_trip(tmp_path) -> None:
    x = ember.randn(3, 4).bfloat16()
    model = ember.nn.Linear(4, 2).to(ember.bfloat16)
    buf = io.BytesIO()
    ember.save({"x": x, "array": x.numpy(), "model": model.state_dict()}, buf)
    buf.seek(0)
    back = ember.load(buf)
    assert back["x"].dtype is ember.bfloat16 and ember.equal(back["x"], x)
    assert back["array"].dtype == BF and back["model"]["weight"].dtype is ember.bfloat16
    path = tmp_path / "w.safetensors"  # safetensors stores BF16; ember reads it back widened
    ember.serialization.save_safetensors({"x": x}, path)
    assert ember.equal(ember.serialization.load_safetensors(path)["x"], x.float())
