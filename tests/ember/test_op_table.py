"""Generic tests driven by the op table: forward vs NumPy, gradcheck and gradgradcheck in float64.

Every op module contributes ``OpInfo`` records in ``tests/ember/op_records/``.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np
import pytest

import ember
from tests.ember import op_records
from tests.ember.opinfo import OpInfo, to_ember


def _all_records() -> list[OpInfo]:
    records = []
    for mod in pkgutil.iter_modules(op_records.__path__):
        records += importlib.import_module(f"tests.ember.op_records.{mod.name}").RECORDS
    return records


RECORDS = _all_records()
IDS = [r.name for r in RECORDS]


def _pick(out, index):
    if index is not None and isinstance(out, tuple):
        return out[index]
    return out


def _to_np(x):
    if isinstance(x, ember.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, (tuple, list)):
        return type(x)(_to_np(v) for v in x)
    return x


def test_op_table_is_unique():
    assert len(set(IDS)) == len(IDS), "duplicate OpInfo names"


@pytest.mark.parametrize("info", RECORDS, ids=IDS)
def test_forward_matches_numpy(info: OpInfo, device):
    if info.ref is None:
        pytest.skip(f"{info.name} has no NumPy reference (covered by hand-written tests)")
    rng = np.random.default_rng(0)
    for dt in info.dtypes:
        for sample in info.sample_inputs(rng, dt.np):
            args, kwargs = to_ember(sample, device)
            out = _pick(info.op(*args, **kwargs), info.output_index)
            expected = _pick(info.ref(*sample.args, **sample.kwargs), info.output_index)
            got = _to_np(out)
            tol = (1e-10, 1e-7) if dt is ember.float64 else (info.atol, info.rtol)
            np.testing.assert_allclose(
                got, expected, atol=tol[0], rtol=tol[1], err_msg=f"{info.name} {dt} {sample}"
            )
            if dt is ember.float32 and isinstance(out, ember.Tensor):
                assert out.dtype is not ember.float64, f"{info.name} upcast float32 to float64"


def _grad_samples(info: OpInfo):
    gen = info.grad_samples or info.sample_inputs
    return list(gen(np.random.default_rng(1), np.dtype(np.float64)))


@pytest.mark.parametrize(
    "info",
    [r for r in RECORDS if r.differentiable],
    ids=[r.name for r in RECORDS if r.differentiable],
)
def test_gradcheck(info: OpInfo, device):
    for sample in _grad_samples(info):
        args, kwargs = to_ember(sample, device, requires_grad=True)
        fn = lambda *a: _pick(info.op(*a, **kwargs), info.output_index)  # noqa: E731
        assert ember.autograd.gradcheck(fn, tuple(args)), f"{info.name} {sample}"


@pytest.mark.parametrize(
    "info",
    [r for r in RECORDS if r.differentiable and r.gradgrad],
    ids=[r.name for r in RECORDS if r.differentiable and r.gradgrad],
)
def test_gradgradcheck(info: OpInfo, device):
    for sample in _grad_samples(info):
        args, kwargs = to_ember(sample, device, requires_grad=True)
        fn = lambda *a: _pick(info.op(*a, **kwargs), info.output_index)  # noqa: E731
        assert ember.autograd.gradgradcheck(fn, tuple(args)), f"{info.name} {sample}"
