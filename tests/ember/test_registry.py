"""The primitive registry: one home per primitive, the entry point's kernel slot and dispatch hook."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.autograd.function import Primitive
from ember.ops import registry


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_all_subclasses(sub))
    return out


def test_every_primitive_is_registered_once_under_ops():
    subs = [c for c in _all_subclasses(Primitive) if c.__module__.startswith("ember.")]
    assert len(subs) >= 100
    for cls in subs:
        assert registry.PRIMITIVES[cls.op_name] is cls, cls
        assert cls.__module__.startswith("ember.ops."), f"{cls.__qualname__}: {cls.__module__}"
    assert len({c.op_name for c in subs}) == len(subs)
    assert registry.names() == sorted(registry.PRIMITIVES)


def test_a_second_primitive_under_a_taken_name_is_an_error():
    with pytest.raises(ValueError, match="'Mul' is defined twice"):

        class Mul(Primitive):  # noqa: F841 - the class statement itself must fail
            @staticmethod
            def forward(ctx, a, b):
                return a * b


def test_get_names_the_missing_primitive():
    assert registry.get("Mul").op_name == "Mul"
    with pytest.raises(KeyError, match="no primitive named 'Mull'"):
        registry.get("Mull")


def test_reached_by_lists_public_functions_and_methods():
    assert {"ember.mul", "Tensor.__mul__"} <= set(registry.reached_by("Mul"))
    assert "ember.nn.functional.conv2d" in registry.reached_by("Conv")
    assert "ember.nn.functional.linear" in registry.reached_by("Linear")


class _FakeArray(np.ndarray):
    """An array whose class claims another backend's module, as a CuPy array would."""


_FakeArray.__module__ = "fakexp._core"


def test_a_registered_kernel_replaces_forward_for_its_backend_only():
    calls = []

    def exp_kernel(ctx, x):
        calls.append(type(x))
        ctx.save_for_backward(np.exp(np.asarray(x)))  # what Exp's backward reads
        return np.exp(np.asarray(x)).view(_FakeArray)

    exp = registry.get("Exp")
    registry.register_kernel("Exp", "fakexp")(exp_kernel)
    try:
        from ember._tensor import _wrap  # noqa: PLC0415 - a raw array of the fake backend

        fake = _wrap(np.array([0.0, 1.0]).view(_FakeArray))
        out = ember.exp(fake)
        assert calls == [_FakeArray]
        np.testing.assert_allclose(np.asarray(out._data), np.exp([0.0, 1.0]))
        fake.requires_grad_(True)
        out = ember.exp(fake)
        assert len(calls) == 2 and out.grad_fn is not None
        out.sum().backward()
        np.testing.assert_allclose(np.asarray(fake.grad._data), np.exp([0.0, 1.0]))
        ember.exp(ember.tensor([1.0]))  # a NumPy array takes the generic forward
        assert len(calls) == 2
    finally:
        del exp.kernels["fakexp"]


def test_dispatch_hook_sees_every_primitive_call_with_its_arguments():
    seen = []

    def hook(cls, args, kwargs, result):
        seen.append((cls.op_name, len(args), isinstance(result, ember.Tensor)))

    a = ember.tensor([1.0, 2.0], requires_grad=True)
    b = ember.tensor([3.0, 4.0])
    c = ember.tensor([0.5, 0.5])
    old = registry.set_dispatch_hook(hook)
    try:
        y = (a * b + c).sum()
        with ember.no_grad():
            b * c
    finally:
        assert registry.set_dispatch_hook(old) is hook
    assert [s[0] for s in seen] == ["Mul", "Add", "Sum", "Mul"]
    assert all(s[2] for s in seen)
    y.backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 4.0])
    assert registry.get_dispatch_hook() is old


def test_the_tensor_method_table_is_current_and_attached():
    from ember import ops  # noqa: PLC0415
    from ember.ops._methods import TENSOR_METHODS  # noqa: PLC0415

    assert ops.method_table(ops._method_modules()) == TENSOR_METHODS, (
        "run `python -m ember.ops --write-methods`"
    )
    assert len(TENSOR_METHODS) > 400
    for name, mod_name in TENSOR_METHODS.items():
        mod = __import__(mod_name, fromlist=["TENSOR_METHODS"])
        assert ember.Tensor.__dict__[name] is mod.TENSOR_METHODS[name], name


def test_a_method_provided_twice_is_an_error():
    import types  # noqa: PLC0415

    from ember import ops  # noqa: PLC0415

    a, b = types.ModuleType("a"), types.ModuleType("b")
    a.TENSOR_METHODS = {"exp": None}
    b.TENSOR_METHODS = {"exp": None}
    with pytest.raises(RuntimeError, match="Tensor.exp is provided by both a and b"):
        ops.method_table([a, b])


def test_load_all_fails_loudly_on_a_missing_op_module(monkeypatch):
    from ember import ops  # noqa: PLC0415

    monkeypatch.setattr(ops, "OP_MODULES", (*ops.OP_MODULES, "no_such_module"))
    monkeypatch.setattr(ops, "_loaded", [])
    with pytest.raises(ModuleNotFoundError, match="ember.ops.no_such_module"):
        ops.load_all()
