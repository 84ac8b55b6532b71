"""Higher-level derivatives of functions, as ``torch.autograd.functional``: ``jacobian``,
``hessian``, ``vjp``, ``jvp``, ``vhp`` and ``hvp``.

All are built on ``ember.autograd.grad``: a Jacobian takes one reverse pass per output element,
``jvp`` uses the double-backward trick, and ``create_graph=True`` keeps the results
differentiable.

Example:
    >>> x = ember.tensor([1.0, 2.0])
    >>> ember.autograd.functional.jacobian(lambda t: t ** 2, x)
    tensor([[2., 0.],
            [0., 4.]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember._creation import ones_like, zeros_like
from ember._tensor import Tensor

__all__ = ["jacobian", "hessian", "vjp", "jvp", "vhp", "hvp"]


def _as_tuple(x: Any, what: str, fn: str) -> tuple[bool, tuple[Tensor, ...]]:
    if isinstance(x, Tensor):
        return False, (x,)
    if not isinstance(x, (tuple, list)) or not all(isinstance(t, Tensor) for t in x):
        raise TypeError(f"The {what} given to {fn} must be either a Tensor or a tuple of Tensors "
                        f"but the given {what} has type {type(x).__name__}.")
    return True, tuple(x)


def _prepare(inputs: tuple[Tensor, ...], create_graph: bool) -> tuple[Tensor, ...]:
    """Inputs that require grad: views of the originals when the graph is kept, else detached."""
    out = []
    for t in inputs:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(True))
    return tuple(out)


def _finish(x: Any, create_graph: bool) -> Any:
    if isinstance(x, tuple):
        return tuple(_finish(t, create_graph) for t in x)
    return x if create_graph or x is None else x.detach()


def _grads(out: Tensor, inputs: tuple[Tensor, ...], create_graph: bool, strict: bool,
           grad_out: Tensor | None = None) -> tuple[Tensor, ...]:
    from ember.autograd import grad  # ember.autograd imports this module

    if not out.requires_grad:
        if strict:
            raise RuntimeError("The output of the user-provided function is independent of "
                               "input 0. This is not allowed in strict mode.")
        return tuple(zeros_like(t) for t in inputs)
    gs = grad(out, inputs, grad_outputs=grad_out, retain_graph=True, create_graph=create_graph,
              allow_unused=True)
    res = []
    for i, (g, t) in enumerate(zip(gs, inputs)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent of "
                                   f"input {i}. This is not allowed in strict mode.")
            g = zeros_like(t)
        res.append(g)
    return tuple(res)


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False,
             strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode") -> Any:
    """The Jacobian of ``func`` at ``inputs``: ``d out[i...] / d in[j...]``.

    Args:
        func: takes the input tensor(s) and returns a tensor or tuple of tensors.
        inputs: a tensor or tuple of tensors.
        create_graph: make the result differentiable.
        strict: raise when an output does not depend on an input (else zeros).
        vectorize: accepted for compatibility (rows are computed one by one).
        strategy: accepted for compatibility (reverse mode is used).

    Returns:
        For one input and one output, a tensor of shape ``out.shape + in.shape``; tuples
        (per output, then per input) otherwise.

    Example:
        >>> ember.autograd.functional.jacobian(lambda x: x.sum(), ember.ones(2))
        tensor([1., 1.])
    """
    from ember import stack  # ember.ops imports ember.autograd, which imports this module

    is_in_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    ins = _prepare(ins, create_graph)
    outputs = func(*ins)
    is_out_tuple, outs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
    result = []
    for out in outs:
        flat = out.reshape(-1)
        rows = [_grads(flat[i], ins, create_graph, strict) for i in range(flat.numel())]
        per_input = []
        for j, t in enumerate(ins):
            if rows:
                jac = stack([r[j] for r in rows]).reshape(tuple(out.shape) + tuple(t.shape))
            else:
                jac = t.new_zeros(tuple(out.shape) + tuple(t.shape))
            per_input.append(_finish(jac, create_graph))
        result.append(tuple(per_input) if is_in_tuple else per_input[0])
    return tuple(result) if is_out_tuple else result[0]


def hessian(func: Callable[..., Tensor], inputs: Any, create_graph: bool = False,
            strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a scalar function ``func`` at ``inputs``.

    Returns:
        For one input, a tensor of shape ``in.shape + in.shape``; for a tuple of inputs, a tuple
        of tuples (``H[i][j]`` = d2 f / d in_i d in_j).

    Example:
        >>> ember.autograd.functional.hessian(lambda x: (x ** 3).sum(), ember.tensor([1.0, 2.0]))
        tensor([[ 6.,  0.],
                [ 0., 12.]])
    """
    is_in_tuple, ins = _as_tuple(inputs, "inputs", "hessian")

    def scalar(*xs: Tensor) -> Tensor:
        out = func(*xs)
        if not isinstance(out, Tensor) or out.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single element "
                               "Tensor")
        return out.reshape(())

    def grad_fn(*xs: Tensor) -> Any:
        return jacobian(scalar, xs if is_in_tuple else xs[0], create_graph=True, strict=strict)

    return jacobian(grad_fn, ins if is_in_tuple else ins[0], create_graph=create_graph,
                    strict=strict)


def _check_v(v: Any, like: tuple[Tensor, ...], fn: str, what: str) -> tuple[Tensor, ...]:
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the {what} to the "
                               "user-provided function is a single Tensor with a single "
                               "element.")
        return (ones_like(like[0]),)
    _, vs = _as_tuple(v, "v", fn)
    for a, b in zip(vs, like):
        if tuple(a.shape) != tuple(b.shape):
            raise RuntimeError(f"Mismatch in sizes: v has size {list(a.shape)} but the "
                               f"{what} has size {list(b.shape)}")
    return vs


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), v^T J)``: a vector-Jacobian product.

    Example:
        >>> out, g = ember.autograd.functional.vjp(lambda x: 2 * x, ember.ones(2), ember.ones(2))
        >>> g
        tensor([2., 2.])
    """
    is_in_tuple, ins = _as_tuple(inputs, "inputs", "vjp")
    ins = _prepare(ins, create_graph)
    outputs = func(*ins)
    is_out_tuple, outs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
    vs = _check_v(v, outs, "vjp", "outputs")
    total = [None] * len(ins)
    for out, vv in zip(outs, vs):
        for j, g in enumerate(_grads(out, ins, create_graph, strict, vv)):
            total[j] = g if total[j] is None else total[j] + g
    res = tuple(_finish(g, create_graph) for g in total)
    out_res = _finish(tuple(outs), create_graph)
    return (out_res if is_out_tuple else out_res[0]), (res if is_in_tuple else res[0])


def jvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), J v)``: a Jacobian-vector product (by the double-backward trick).

    Example:
        >>> out, g = ember.autograd.functional.jvp(lambda x: x ** 2, ember.tensor([1.0, 3.0]),
        ...                                        ember.ones(2))
        >>> g
        tensor([2., 6.])
    """

    is_in_tuple, ins = _as_tuple(inputs, "inputs", "jvp")
    vs = _check_v(v, ins, "jvp", "input")
    ins = _prepare(ins, create_graph)
    outputs = func(*ins)
    is_out_tuple, outs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
    res = []
    for out in outs:
        u = zeros_like(out).requires_grad_(True)
        g_in = _grads(out, ins, True, strict, u)
        total = None
        for g, vv in zip(g_in, vs):
            term = (g * vv).sum()
            total = term if total is None else total + term
        if total is None or not total.requires_grad:
            res.append(zeros_like(out))
            continue
        (ju,) = _grads(total, (u,), create_graph, strict)
        res.append(ju)
    res_t = tuple(_finish(r, create_graph) for r in res)
    out_res = _finish(tuple(outs), create_graph)
    return (out_res if is_out_tuple else out_res[0]), (res_t if is_out_tuple else res_t[0])


def vhp(func: Callable[..., Tensor], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), v^T H)`` for a scalar function."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func: Callable[..., Tensor], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), H v)`` for a scalar function (equal to ``vhp`` as H is symmetric)."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func: Callable[..., Tensor], inputs: Any, v: Any, create_graph: bool,
                     strict: bool, fn: str) -> tuple[Any, Any]:
    is_in_tuple, ins = _as_tuple(inputs, "inputs", fn)
    vs = _check_v(v, ins, fn, "input")
    ins = _prepare(ins, create_graph)
    out = func(*ins)
    if not isinstance(out, Tensor) or out.numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain a "
                           "single element")
    g = _grads(out.reshape(()), ins, True, strict)
    total = None
    for gi, vv in zip(g, vs):
        term = (gi * vv).sum()
        total = term if total is None else total + term
    res = _grads(total, ins, create_graph, strict)
    res = tuple(_finish(r, create_graph) for r in res)
    return _finish(out, create_graph), (res if is_in_tuple else res[0])
