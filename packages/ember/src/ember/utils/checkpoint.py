"""Activation checkpointing: trade compute for memory by recomputing a block in backward.

``checkpoint(fn, *args)`` runs ``fn`` without recording its graph, keeps only its inputs, and
re-runs it (with the same random state) when the backward pass reaches it. Gradients reach the
inputs and every parameter ``fn`` uses, whether or not the inputs require grad (the
``use_reentrant=False`` semantics of PyTorch).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import ember
from ember._tensor import Tensor
from ember.autograd.function import Function

__all__ = ["checkpoint", "checkpoint_sequential"]

_REENTRANT_WARNING = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
    "use_reentrant=False is recommended; ember implements both values the same way."
)


class _Checkpoint(Function):
    """Runs the block untracked in forward; recomputes it with a graph in backward."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, kwargs, anchor, *args):
        ctx.run_function, ctx.kwargs = run_function, kwargs
        ctx.rng_state = ember.get_rng_state() if preserve_rng_state else None
        ctx.inputs = args
        out = run_function(*args, **kwargs)
        ctx.single = isinstance(out, Tensor)
        if not ctx.single and not (isinstance(out, tuple) and out):
            raise TypeError(
                "checkpoint: the function must return a Tensor or a non-empty tuple of Tensors, "
                f"got {type(out).__name__}"
            )
        return out

    @staticmethod
    def backward(ctx, *grads):
        inputs = [_detached(a) for a in ctx.inputs]
        with _rng_restored(ctx.rng_state), ember.enable_grad():
            out = ctx.run_function(*inputs, **ctx.kwargs)
        outs = (out,) if isinstance(out, Tensor) else tuple(out)
        pairs = [
            (o, g)
            for o, g in zip(outs, grads)
            if isinstance(o, Tensor) and o.requires_grad and g is not None
        ]
        if pairs:
            ember.autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
        input_grads = tuple(a.grad if isinstance(a, Tensor) else None for a in inputs)
        return (None, None, None, None, *input_grads)


def _detached(a: Any) -> Any:
    if not isinstance(a, Tensor):
        return a
    return a.detach().requires_grad_(a.requires_grad)


class _rng_restored:  # noqa: N801 - used as a context manager
    """Set the CPU random state for the recomputation and put the current one back after."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.saved: Any = None

    def __enter__(self) -> None:
        if self.state is not None:
            self.saved = ember.get_rng_state()
            ember.set_rng_state(self.state)

    def __exit__(self, *exc: Any) -> None:
        if self.saved is not None:
            ember.set_rng_state(self.saved)


def checkpoint(
    function: Callable[..., Any],
    *args: Any,
    use_reentrant: bool | None = None,
    preserve_rng_state: bool = True,
    **kwargs: Any,
) -> Any:
    """Run ``function(*args, **kwargs)`` without storing its activations; recompute in backward.

    Args:
        function: the block to run; returns a Tensor or a tuple of Tensors.
        args: its positional arguments.
        use_reentrant: accepted for compatibility (both values behave as PyTorch's ``False``);
            leaving it out warns, as PyTorch does.
        preserve_rng_state: replay the CPU random state in the recomputation, so dropout
            draws the same mask.
        kwargs: keyword arguments for ``function``.

    Returns:
        What ``function`` returns.

    Example:
        >>> lin = ember.nn.Linear(3, 3)
        >>> x = ember.randn(2, 3, requires_grad=True)
        >>> y = ember.utils.checkpoint.checkpoint(lin, x, use_reentrant=False)
        >>> y.sum().backward()
        >>> lin.weight.grad.shape
        ember.Size([3, 3])
    """
    if use_reentrant is None:
        warnings.warn(_REENTRANT_WARNING, UserWarning, stacklevel=2)
    if not ember.is_grad_enabled():
        return function(*args, **kwargs)
    # The anchor makes the call recorded even when no input requires grad, so parameters used
    # inside the block still get their gradients.
    anchor = ember.empty(0, requires_grad=True)
    return _Checkpoint.apply(function, preserve_rng_state, kwargs, anchor, *args)


def checkpoint_sequential(
    functions: Any,
    segments: int,
    input: Tensor,
    use_reentrant: bool | None = None,
    **kwargs: Any,
) -> Tensor:
    """Run a sequence of modules in ``segments`` chunks, checkpointing all but the last.

    Args:
        functions: an ``nn.Sequential`` or a list of callables applied in order.
        segments: how many chunks to split them into.
        input: the input of the first function.
        use_reentrant: see :func:`checkpoint`.
        kwargs: only ``preserve_rng_state``.

    Returns:
        The output of the last function.

    Example:
        >>> net = ember.nn.Sequential(ember.nn.Linear(3, 3), ember.nn.ReLU(), ember.nn.Linear(3, 1))
        >>> out = ember.utils.checkpoint.checkpoint_sequential(net, 2, ember.randn(4, 3),
        ...                                                    use_reentrant=False)
        >>> out.shape
        ember.Size([4, 1])
    """
    if use_reentrant is None:
        warnings.warn(_REENTRANT_WARNING, UserWarning, stacklevel=2)
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if isinstance(functions, ember.nn.Sequential):
        functions = list(functions.children())
    functions = list(functions)

    def run(start: int, end: int) -> Callable[[Tensor], Tensor]:
        def forward(x: Tensor) -> Tensor:
            for j in range(start, end + 1):
                x = functions[j](x)
            return x

        return forward

    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=False, preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
