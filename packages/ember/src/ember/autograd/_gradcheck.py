"""Finite-difference checks of first and second derivatives (``gradcheck`` / ``gradgradcheck``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytical and numerical gradients disagree."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _diff_inputs(inputs: tuple[Any, ...]) -> list[Tensor]:
    return [t for t in inputs if isinstance(t, Tensor) and t._requires_grad]


def _outputs(func: Callable[..., Any], inputs: tuple[Any, ...]) -> list[Tensor]:
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o._requires_grad]


def _on(host: np.ndarray, like: Any) -> Any:
    """``host`` on the device of the array ``like`` (directions and weights are drawn on host)."""
    return host if type(like) is np.ndarray else get_xp(like).asarray(host)


def _host64(arr: Any) -> np.ndarray:
    """A float64 host copy (a copy: an output may be a view of the input being perturbed)."""
    return np.array(arr if type(arr) is np.ndarray else arr.get(), dtype=np.float64)


def _numerical_jvp(func, inputs, targets, directions, eps) -> list[np.ndarray]:
    """Central difference of every output along one direction per differentiable input."""
    originals = [t._data.copy() for t in targets]

    def evaluate(sign: float) -> list[np.ndarray]:
        for t, orig, d in zip(targets, originals, directions):
            t._data[...] = orig + sign * eps * _on(d, orig)
        # Evaluated with grad mode on: gradgradcheck's func itself calls autograd.grad.
        outs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
        return [_host64(o._data) for o in outs]

    try:
        plus, minus = evaluate(1.0), evaluate(-1.0)
    finally:
        for t, orig in zip(targets, originals):
            t._data[...] = orig
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    fast_mode: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    n_directions: int = 2,
    seed: int = 0,
) -> bool:
    """Compare autograd's gradients of ``func`` with central finite differences.

    Checks random directional derivatives (``fast_mode``): for random input directions ``u`` and
    output weights ``v``, ``v . J u`` from the finite difference must match ``(J^T v) . u`` from
    backward. Use float64 inputs that require grad.

    Args:
        func: function of ``inputs`` returning a tensor or a tuple of tensors.
        inputs: a tensor or tuple of arguments; float64 tensors with ``requires_grad`` are checked.
        eps: finite-difference step.
        atol: absolute tolerance.
        rtol: relative tolerance.
        raise_exception: raise ``GradcheckError`` on mismatch (else return False).
        fast_mode: accepted for compatibility; the directional form is always used.
        nondet_tol: accepted for compatibility.
        check_undefined_grad: accepted for compatibility.
        n_directions: how many random directions to check.
        seed: seed for the random directions.

    Returns:
        True when the gradients agree.

    Example:
        >>> x = ember.randn(3, dtype=ember.float64, requires_grad=True)
        >>> ember.autograd.gradcheck(ember.exp, (x,))
        True
    """
    from ember.autograd import grad as autograd_grad  # ember.autograd imports this module

    inputs = _as_tuple(inputs)
    targets = _diff_inputs(inputs)
    if not targets:
        raise ValueError("gradcheck expects at least one input tensor with requires_grad=True")
    for t in targets:
        if t._data.dtype != np.float64:
            warnings.warn(
                f"gradcheck: input of dtype {t.dtype} is not float64; the check may fail from "
                "rounding alone",
                stacklevel=2,
            )
    rng = np.random.default_rng(seed)
    for _ in range(n_directions):
        dirs = [rng.standard_normal(t._data.shape) for t in targets]
        all_outs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
        mask = [o._requires_grad for o in all_outs]
        outs = [o for o, m in zip(all_outs, mask) if m]
        if not outs:
            raise GradcheckError("gradcheck: func returned no output that requires grad")
        weights = [rng.standard_normal(o._data.shape) for o in outs]
        grads = autograd_grad(
            outs,
            targets,
            [_wrap(_on(w.astype(o._data.dtype), o._data)) for w, o in zip(weights, outs)],
            allow_unused=True,
        )
        analytical = sum(
            float(np.sum(_host64(g._data) * d))
            for g, d in zip(grads, dirs)
            if g is not None
        )
        numeric_outs = _numerical_jvp(func, inputs, targets, dirs, eps)
        diff_outs = [n for n, m in zip(numeric_outs, mask) if m]
        numerical = sum(float(np.sum(n * w)) for n, w in zip(diff_outs, weights))
        if not np.isclose(analytical, numerical, atol=atol, rtol=rtol):
            msg = (
                "Jacobian mismatch: backward gives a directional derivative of "
                f"{analytical!r}, finite differences give {numerical!r}"
            )
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Sequence[Tensor] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
    **kwargs: Any,
) -> bool:
    """Check second derivatives: ``gradcheck`` applied to the first-order gradient function.

    Args:
        func: function of ``inputs``.
        inputs: as for ``gradcheck``.
        grad_outputs: fixed output weights (random float64 tensors when None).
        eps: finite-difference step.
        atol: absolute tolerance.
        rtol: relative tolerance.
        raise_exception: raise on mismatch.
        seed: seed for the random weights and directions.
        kwargs: ignored (PyTorch compatibility).

    Returns:
        True when the second derivatives agree.
    """
    from ember.autograd import grad as autograd_grad  # ember.autograd imports this module

    inputs = _as_tuple(inputs)
    outs = _outputs(func, inputs)
    rng = np.random.default_rng(seed + 1)
    if grad_outputs is None:
        grad_outputs = [
            _wrap(_on(rng.standard_normal(o._data.shape).astype(o._data.dtype), o._data))
            .requires_grad_()
            for o in outs
        ]
    n_out = len(grad_outputs)

    def first_order(*args: Any) -> tuple[Tensor, ...]:
        ins, gos = args[: len(inputs)], args[len(inputs) :]
        o = _outputs(func, ins)
        diff = [t for t in ins if isinstance(t, Tensor) and t._requires_grad]
        gs = autograd_grad(o, diff, list(gos)[:n_out], create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None and g._requires_grad)

    return gradcheck(
        first_order,
        (*inputs, *grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        seed=seed,
    )
