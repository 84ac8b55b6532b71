"""Op records and the generic checks run on them: forward against a NumPy reference, float64
gradient check and double-backward check.

A record names an op, a generator of sample inputs, a NumPy reference and the dtypes to try.
The core's op table (``tests/ember/op_records``) is written in this shape, and a domain package
that adds its own differentiable op writes a record and calls :func:`check_op`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import ember
from ember._dtype import np_kind
from ember.testing._compare import assert_close

__all__ = ["OpRecord", "Sample", "check_op", "check_op_forward", "check_op_gradients", "to_tensors"]


class Sample:
    """One call of an op: positional ``args`` and keyword ``kwargs``.

    NumPy arrays among them become tensors (see :func:`to_tensors`); other values pass through.

    Example:
        >>> Sample(np.ones(3), dim=0).kwargs
        {'dim': 0}
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"Sample({[getattr(a, 'shape', a) for a in self.args]}, {self.kwargs})"


SampleGenerator = Callable[[np.random.Generator, np.dtype], Iterable[Sample]]


@dataclass
class OpRecord:
    """What the generic checks need to know about one op.

    Args:
        name: the record's id.
        op: the ember callable.
        ref: NumPy reference taking the sample's arguments as arrays (None: no forward check).
        sample_inputs: ``sample_inputs(rng, np_dtype)`` yields :class:`Sample` s.
        dtypes: the ember dtypes of the forward check.
        differentiable: run the float64 gradient checks.
        gradgrad: also run the double-backward check.
        atol: float32 forward tolerance (float64 uses ``1e-10``).
        rtol: float32 forward tolerance (float64 uses ``1e-7``).
        grad_samples: a separate generator for the gradient checks (e.g. away from kinks).
        output_index: which element of a tuple output to check and differentiate.
        extra: free-form notes.

    Example:
        >>> rec = OpRecord("exp", ember.exp, np.exp, lambda rng, dt: [Sample(rng.random(3, dt))])
        >>> check_op(rec)
    """

    name: str
    op: Callable[..., Any]
    ref: Callable[..., Any] | None
    sample_inputs: SampleGenerator
    dtypes: tuple[Any, ...] = (ember.float32, ember.float64)
    differentiable: bool = True
    gradgrad: bool = True
    atol: float = 1e-5
    rtol: float = 1.3e-4
    grad_samples: SampleGenerator | None = None
    output_index: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def to_tensors(
    sample: Sample, device: Any = "cpu", requires_grad: bool = False
) -> tuple[list[Any], dict[str, Any]]:
    """The sample's arguments with NumPy arrays turned into tensors on ``device``.

    Args:
        sample: the call.
        device: where the tensors go.
        requires_grad: floating tensors become leaves requiring grad.

    Returns:
        ``(args, kwargs)`` ready for ``op(*args, **kwargs)``.

    Example:
        >>> args, _ = to_tensors(Sample(np.zeros(2)), requires_grad=True)
        >>> args[0].requires_grad
        True
    """

    def convert(a: Any) -> Any:
        if isinstance(a, np.ndarray):
            t = ember.tensor(a, device=device)
            return t.requires_grad_(True) if requires_grad and np_kind(a.dtype) == "f" else t
        if isinstance(a, (list, tuple)) and a and all(isinstance(x, np.ndarray) for x in a):
            return type(a)(convert(x) for x in a)
        return a

    return [convert(a) for a in sample.args], {k: convert(v) for k, v in sample.kwargs.items()}


def _pick(out: Any, index: int | None) -> Any:
    return out[index] if index is not None and isinstance(out, tuple) else out


def check_op_forward(record: Any, device: Any = "cpu", *, seed: int = 0) -> None:
    """Compare ``record.op`` with ``record.ref`` on every sample and dtype; no float64 upcast.

    ``record`` is an :class:`OpRecord` or any object with the same attributes.

    Raises:
        AssertionError: naming the record, dtype and sample that differ.
    """
    if record.ref is None:
        return
    rng = np.random.default_rng(seed)
    for dt in record.dtypes:
        for sample in record.sample_inputs(rng, dt.np):
            args, kwargs = to_tensors(sample, device)
            out = _pick(record.op(*args, **kwargs), record.output_index)
            expected = _pick(record.ref(*sample.args, **sample.kwargs), record.output_index)
            tol = (1e-7, 1e-10) if dt is ember.float64 else (record.rtol, record.atol)
            try:
                assert_close(out, expected, rtol=tol[0], atol=tol[1], check_dtype=False)
            except AssertionError as err:
                raise AssertionError(f"{record.name} {dt} {sample}: {err}") from None
            if dt is ember.float32 and isinstance(out, ember.Tensor):
                assert out.dtype is not ember.float64, f"{record.name} upcast float32 to float64"


def check_op_gradients(
    record: Any, device: Any = "cpu", *, gradgrad: bool | None = None, seed: int = 1
) -> None:
    """Run :func:`ember.autograd.gradcheck` (and ``gradgradcheck``) in float64 on every sample.

    Args:
        record: an :class:`OpRecord` or an object with its attributes.
        device: where to run.
        gradgrad: run the double-backward check; default ``record.gradgrad``.
        seed: seeds the sample generator.

    Raises:
        ember.autograd.GradcheckError / AssertionError: naming the failing sample.
    """
    if not record.differentiable:
        return
    gen = record.grad_samples or record.sample_inputs
    second = record.gradgrad if gradgrad is None else gradgrad
    for sample in gen(np.random.default_rng(seed), np.dtype(np.float64)):
        args, kwargs = to_tensors(sample, device, requires_grad=True)

        def fn(*a: Any, kwargs: dict[str, Any] = kwargs) -> Any:
            return _pick(record.op(*a, **kwargs), record.output_index)

        assert ember.autograd.gradcheck(fn, tuple(args)), f"{record.name} {sample}"
        if second:
            assert ember.autograd.gradgradcheck(fn, tuple(args)), f"{record.name} {sample}"


def check_op(record: Any, device: Any = "cpu") -> None:
    """All the generic checks of one record: :func:`check_op_forward` then
    :func:`check_op_gradients`.

    Example:
        >>> rec = OpRecord("neg", ember.neg, np.negative,
        ...                lambda rng, dt: [Sample(rng.standard_normal((2, 3)).astype(dt))])
        >>> check_op(rec)
    """
    check_op_forward(record, device)
    check_op_gradients(record, device)
