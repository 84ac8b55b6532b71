"""Argument checking: ember raises PyTorch's exception class for each row of the table.

``cases.py`` lists the expressions; ``expected.json`` (made by ``make_expected.py`` with PyTorch
2.13) holds the class PyTorch raised for each, or ``"ok"``. A row passes when ember raises an
instance of that class (ember's error classes subclass PyTorch's builtin, sometimes together with
the one ember raised before), or accepts the call when PyTorch did.
"""

from __future__ import annotations

import builtins
import json
import warnings
from pathlib import Path

import pytest

import ember
import ember.nn.functional as F
from ember import _argcheck, nn
from tests.ember.argcheck.cases import ROWS

EXPECTED = json.loads((Path(__file__).resolve().parent / "expected.json").read_text())

# Behaviour kept on purpose, with the reason (none left: the former ones now match PyTorch).
DEVIATIONS: dict[str, str] = {}


def _param(expr: str):
    marks = [pytest.mark.xfail(strict=True, reason=DEVIATIONS[expr])] if expr in DEVIATIONS else []
    return pytest.param(expr, marks=marks, id=expr[:70])


def test_table_is_current():
    assert sorted(EXPECTED) == sorted(set(ROWS)), "rerun tests/ember/argcheck/make_expected.py"


@pytest.mark.parametrize("expr", [_param(e) for e in EXPECTED])
def test_raises_pytorch_class(expr):
    want = EXPECTED[expr]["cls"]
    scope = {"torch": ember, "nn": nn, "F": F}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if want == "ok":
            eval(expr, scope)  # noqa: S307 - our own table
            return
        with pytest.raises(getattr(builtins, want)):
            eval(expr, scope)  # noqa: S307


def test_messages_name_op_argument_and_type():
    with pytest.raises(
        TypeError,
        match=r"sum\(\): argument 'input' \(position 1\) must be "
        r"Tensor, not int",
    ):
        ember.sum(3)
    with pytest.raises(TypeError, match=r"linear\(\): argument 'weight' \(position 2\).*int"):
        F.linear(ember.ones(2, 3), 3)
    # the primitive (MinMax) is named, with the shapes and dtypes of its inputs
    with pytest.raises(
        RuntimeError,
        match=r"MinMax: The size of tensor a \(3\) must match the "
        r"size of tensor b \(2\).*\[2, 3\] float32, \[3, 2\] float32",
    ):
        ember.maximum(ember.ones(2, 3), ember.ones(3, 2))
    with pytest.raises(TypeError, match=r"zeros\(\): argument 'size'.*float at pos 2"):
        ember.zeros(2, 3.0)
    with pytest.raises(RuntimeError, match=r"randn\(\).*negative dimension: \[-1\]"):
        ember.randn(-1)


def test_error_classes_keep_the_old_ones():
    # Code written against earlier ember releases caught AttributeError / ValueError.
    with pytest.raises(AttributeError):
        ember.sum(3)
    with pytest.raises(ValueError):
        ember.atan2(ember.ones(2, 3), ember.ones(3, 2))
    with pytest.raises(ValueError):
        ember.rand(-1)
    assert issubclass(_argcheck.ShapeError, RuntimeError)
    assert issubclass(_argcheck.NotATensorError, TypeError)


def test_guard_is_transparent():
    assert ember.sum._ember_guarded and ember.sum.__wrapped__.__name__ == "sum"
    assert ember.special.gammaln is ember.lgamma
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    ember.sum(x * x).backward()
    assert x.grad.tolist() == [2.0, 4.0]
    assert ember.add(2, 3).item() == 5 and ember.add(2, 3).dtype == ember.int64
    with pytest.raises(TypeError):
        ember.maximum(0.0, x)  # PyTorch takes a number first only in a few ops (xlogy, pow)
    assert ember.xlogy(2.0, ember.tensor([1.0])).tolist() == [0.0]


def test_integer_activation_inputs_follow_pytorch():
    # torch.relu/hardtanh keep integer dtypes; softmax/gelu have no integer kernel; relu(bool) raises
    assert F.relu(ember.tensor([-1, 2])).tolist() == [0, 2]
    assert F.relu(ember.tensor([-1, 2])).dtype == ember.int64
    assert F.softmax(ember.tensor([0, 0]), 0, dtype=ember.float32).tolist() == [0.5, 0.5]
    with pytest.raises(RuntimeError, match="Boolean inputs not supported for relu"):
        ember.relu(ember.ones(2, dtype=ember.bool))
    with pytest.raises(NotImplementedError, match="log_softmax_lastdim_kernel_impl.*'Long'"):
        F.log_softmax(ember.ones(2, dtype=ember.long), 0)
    with pytest.raises(NotImplementedError, match="GeluKernelImpl.*'Int'"):
        F.gelu(ember.ones(2, dtype=ember.int32))
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype long int"):
        ember.lerp(ember.ones(2), ember.ones(2, dtype=ember.long), 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float for `weight` but got dtype double"):
        ember.lerp(ember.ones(2), ember.ones(2), ember.ones(2, dtype=ember.float64))
    assert ember.lerp(ember.ones(2), ember.zeros(2), ember.tensor(0.5, dtype=ember.float64)).dtype \
        == ember.float32
