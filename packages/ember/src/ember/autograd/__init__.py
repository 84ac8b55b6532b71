"""Automatic differentiation: ``backward``, ``grad``, custom ``Function``s and gradient checks."""

from __future__ import annotations

from typing import Any

from ember._creation import full_like, ones_like, zeros_like
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd import anomaly, functional, grad_mode
from ember.autograd._gradcheck import GradcheckError, gradcheck, gradgradcheck
from ember.autograd.anomaly import detect_anomaly, set_detect_anomaly
from ember.autograd.engine import run_backward
from ember.autograd.function import Function, FunctionCtx, once_differentiable
from ember.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from ember.autograd.variable import Variable  # legacy wrapper (issue 13)
from ember.backends import get_xp

__all__ = [
    "Variable",
    "backward",
    "grad",
    "Function",
    "FunctionCtx",
    "once_differentiable",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "detect_anomaly",
    "set_detect_anomaly",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "anomaly",
    "grad_mode",
    "functional",
]


def _as_list(x: Any) -> list[Any]:
    if x is None:
        return []
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _make_grads(outputs: list[Tensor], grad_outputs: list[Any]) -> list[Tensor]:
    grads = []
    for i, out in enumerate(outputs):
        g = grad_outputs[i] if i < len(grad_outputs) else None
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if np_kind(out._data.dtype) != "f":
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype}"
                )
            g = ones_like(out).detach()  # on out's device, whichever GPU is current
        elif not isinstance(g, Tensor):
            g = full_like(out, g).detach()
        elif g._data.shape != out._data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {list(g._data.shape)} and "
                f"output[{i}] has a shape of {list(out._data.shape)}."
            )
        grads.append(g)
    return grads


def _check_roots(outputs: list[Tensor]) -> None:
    for i, out in enumerate(outputs):
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of graph leaves.

    Args:
        tensors: the tensors to differentiate.
        grad_tensors: their gradients (optional for one-element tensors).
        retain_graph: keep the graph for another backward; defaults to ``create_graph``.
        create_graph: record the backward pass for higher-order derivatives.
        inputs: if given, only these leaves accumulate.

    Example:
        >>> x = ember.ones(2, requires_grad=True)
        >>> ember.autograd.backward((x * 3).sum())
        >>> x.grad
        tensor([3., 3.])
    """
    outputs = _as_list(tensors)
    _check_roots(outputs)
    grads = _make_grads(outputs, _as_list(grad_tensors))
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is not None:
        targets = _as_list(inputs)
        found = run_backward(
            outputs,
            grads,
            retain_graph=retain,
            create_graph=create_graph,
            inputs=targets,
            allow_unused=True,
        )
        for t, g in zip(targets, found or ()):
            if g is not None:
                g = g if create_graph else g.detach()
                t.grad = g if t.grad is None else t.grad + g
        return
    run_backward(outputs, grads, retain_graph=retain, create_graph=create_graph)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned instead of accumulated.

    Args:
        outputs: tensors to differentiate.
        inputs: tensors to differentiate with respect to.
        grad_outputs: gradients of ``outputs`` (optional for one-element outputs).
        retain_graph: keep the graph; defaults to ``create_graph``.
        create_graph: make the result differentiable (for higher-order derivatives).
        allow_unused: return None for inputs the outputs do not depend on instead of raising.
        materialize_grads: return zeros instead of None for unused inputs.

    Returns:
        One gradient per input.

    Example:
        >>> x = ember.tensor(2.0, requires_grad=True)
        >>> (dx,) = ember.autograd.grad(x ** 3, x, create_graph=True)
        >>> ember.autograd.grad(dx, x)
        (tensor(12.),)
    """
    outs = _as_list(outputs)
    ins = _as_list(inputs)
    _check_roots(outs)
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {i}) does not require grad"
            )
    grads = _make_grads(outs, _as_list(grad_outputs))
    retain = create_graph if retain_graph is None else retain_graph
    result = run_backward(
        outs,
        grads,
        retain_graph=retain,
        create_graph=create_graph,
        inputs=ins,
        allow_unused=bool(allow_unused or materialize_grads),
    )
    assert result is not None
    if materialize_grads:
        result = tuple(zeros_like(t) if g is None else g for t, g in zip(ins, result))
    if not create_graph:
        result = tuple(None if g is None else g.detach() for g in result)
    return result
