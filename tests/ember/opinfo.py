"""The op table: one ``OpInfo`` record per op drives the generic tests in ``test_op_table.py``.

A record names the function, a sample-input generator, a NumPy reference and the dtypes to try.
Records live in ``op_records/<area>.py`` as a module-level list ``RECORDS``.

Sample generators take ``(rng, dtype)`` (a NumPy Generator and a NumPy dtype) and yield
``Sample``s whose ``np.ndarray`` arguments become tensors; other arguments pass through as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import ember

FLOATS = (ember.float32, ember.float64)
INTS = (ember.int32, ember.int64)
ALL_NUMERIC = (ember.float32, ember.float64, ember.int32, ember.int64)


class Sample:
    """One call of an op: positional ``args`` and keyword ``kwargs`` (arrays become tensors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        shapes = [getattr(a, "shape", a) for a in self.args]
        return f"Sample({shapes}, {self.kwargs})"


@dataclass
class OpInfo:
    """Everything the generic tests need to know about one op.

    Attributes:
        name: test id.
        op: the ember callable.
        ref: NumPy reference taking the same arguments as NumPy arrays (None: no forward check).
        sample_inputs: generator of ``Sample``s, called as ``sample_inputs(rng, np_dtype)``.
        dtypes: ember dtypes for the forward check.
        differentiable: run float64 gradcheck (and gradgradcheck unless ``gradgrad`` is False).
        gradgrad: run the double-backward check.
        atol, rtol: forward tolerances for float32 (float64 uses 1e-10/1e-7).
        grad_samples: optional separate generator for the gradient checks (e.g. away from kinks).
        output_index: for ops returning tuples, which element(s) to compare / differentiate.
    """

    name: str
    op: Callable[..., Any]
    ref: Callable[..., Any] | None
    sample_inputs: Callable[[np.random.Generator, np.dtype], Iterable[Sample]]
    dtypes: tuple[Any, ...] = FLOATS
    differentiable: bool = True
    gradgrad: bool = True
    atol: float = 1e-5
    rtol: float = 1.3e-6 * 100
    grad_samples: Callable[[np.random.Generator, np.dtype], Iterable[Sample]] | None = None
    output_index: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def to_ember(sample: Sample, device: str, requires_grad: bool = False) -> tuple[list, dict]:
    """Turn a sample's arrays into tensors on ``device``; float ones may require grad."""

    def conv(a: Any) -> Any:
        if isinstance(a, np.ndarray):
            t = ember.tensor(a, device=device)
            if requires_grad and a.dtype.kind == "f":
                t.requires_grad_(True)
            return t
        if isinstance(a, (list, tuple)) and a and all(isinstance(x, np.ndarray) for x in a):
            return type(a)(conv(x) for x in a)
        return a

    return [conv(a) for a in sample.args], {k: conv(v) for k, v in sample.kwargs.items()}


# -- standard sample generators ------------------------------------------------------------
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


def _arr(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    dtype: np.dtype,
    low: float = -2.0,
    high: float = 2.0,
) -> np.ndarray:
    if np.dtype(dtype).kind in "iu":
        return rng.integers(int(low) - 3, int(high) + 4, size=shape).astype(dtype)
    if np.dtype(dtype).kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    return rng.uniform(low, high, size=shape).astype(dtype)


def unary_samples(low: float = -2.0, high: float = 2.0) -> Callable[..., Iterable[Sample]]:
    """Samples of one tensor argument with values in [low, high)."""

    def gen(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
        for shape in SHAPES:
            yield Sample(_arr(rng, shape, dtype, low, high))

    return gen


def binary_samples(
    low: float = -2.0,
    high: float = 2.0,
    other_low: float | None = None,
    other_high: float | None = None,
) -> Callable[..., Iterable[Sample]]:
    """Samples of two tensors, including broadcasting pairs and a Python-scalar second operand."""
    olow = low if other_low is None else other_low
    ohigh = high if other_high is None else other_high
    pairs = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3,)), ((5,), ())]

    def gen(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
        for sa, sb in pairs:
            yield Sample(_arr(rng, sa, dtype, low, high), _arr(rng, sb, dtype, olow, ohigh))

    return gen


def reduction_samples(low: float = -2.0, high: float = 2.0) -> Callable[..., Iterable[Sample]]:
    """Samples for reductions: whole-tensor, one dim, negative dim, tuple dims, keepdim."""

    def gen(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
        yield Sample(_arr(rng, (3, 4), dtype, low, high))
        yield Sample(_arr(rng, (3, 4), dtype, low, high), dim=1)
        yield Sample(_arr(rng, (2, 3, 4), dtype, low, high), dim=-1, keepdim=True)
        yield Sample(_arr(rng, (2, 3, 4), dtype, low, high), dim=(0, 2))
        yield Sample(_arr(rng, (5,), dtype, low, high), dim=0)

    return gen
