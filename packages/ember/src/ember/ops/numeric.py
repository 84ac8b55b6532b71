"""The long tail of PyTorch's numeric functions: ``exp2``, ``ldexp``, ``frexp``, ``gcd``,
``heaviside``, ``renorm``, ``index_reduce``, ``histogram``, ``vander``, ``gradient``, ...

Composites of existing ops where PyTorch differentiates them (their gradients come for free);
the integer and bit-level ones (``gcd``, ``frexp``, ``nextafter``, ``signbit``...) are plain array
functions with no gradient, as in PyTorch.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._creation import empty, full_like
from ember._tensor import Tensor, _wrap
from ember.backends import CPU, get_xp, to_device
from ember.ops._dims import wrap_dim
from ember.ops._util import as_tensor_like, binary_operands, return_type
from ember.ops.elementwise import where
from ember.ops.indexing import scatter_reduce
from ember.ops.inplace import apply_inplace
from ember.ops.shape import cat, chunk, split, split_with_sizes, stack, vstack
from ember.ops.special_fn import gammainc, gammaincc

__all__ = [
    "histogramdd",
    "as_strided_scatter",
    "empty_permuted",
    "empty_strided",
    "fill",
    "deg2rad",
    "exp2",
    "float_power",
    "frexp",
    "gcd",
    "gradient",
    "heaviside",
    "histogram",
    "igamma",
    "igammac",
    "index_reduce",
    "is_conj",
    "is_neg",
    "is_same_size",
    "is_signed",
    "isin",
    "lcm",
    "ldexp",
    "logaddexp2",
    "nextafter",
    "nonzero_static",
    "positive",
    "rad2deg",
    "renorm",
    "resolve_neg",
    "row_stack",
    "signbit",
    "unravel_index",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "vander",
]

FrexpResult = return_type("frexp", ["mantissa", "exponent"])
HistogramResult = return_type("histogram", ["hist", "bin_edges"])
_LN2 = math.log(2.0)


def _floating(x: Tensor) -> Tensor:
    """``x`` itself when floating or complex, else cast to the default float dtype."""
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(_dtype.get_default_dtype())


def _tensor_arg(x: Any, like: Any) -> Tensor:
    return x if isinstance(x, Tensor) else as_tensor_like(x, like)


# -- elementwise ---------------------------------------------------------------------------------
def exp2(input: Tensor) -> Tensor:
    """Elementwise ``2 ** input`` (integer inputs give the default float dtype).

    Example:
        >>> ember.exp2(ember.tensor([0.0, 3.0]))
        tensor([1., 8.])
    """
    return (_floating(input) * _LN2).exp()


def logaddexp2(input: Tensor, other: Any) -> Tensor:
    """``log2(2**input + 2**other)`` without overflow.

    Example:
        >>> ember.logaddexp2(ember.tensor([1.0]), ember.tensor([1.0]))
        tensor([2.])
    """
    a, b = binary_operands("logaddexp2", input, other)
    a, b = _floating(_tensor_arg(a, b)), _floating(_tensor_arg(b, a))
    return (a * _LN2).logaddexp(b * _LN2) / _LN2


def deg2rad(input: Tensor) -> Tensor:
    """Degrees to radians.

    Example:
        >>> ember.deg2rad(ember.tensor([180.0]))
        tensor([3.1416])
    """
    return _floating(input) * (math.pi / 180.0)


def rad2deg(input: Tensor) -> Tensor:
    """Radians to degrees.

    Example:
        >>> ember.rad2deg(ember.tensor([3.141592653589793]))
        tensor([180.])
    """
    return _floating(input) * (180.0 / math.pi)


def float_power(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent`` computed in double precision (complex128 for complex operands).

    Example:
        >>> ember.float_power(ember.tensor([2]), 3)
        tensor([8.], dtype=ember.float64)
    """
    complex_ = any(
        (isinstance(v, Tensor) and v._data.dtype.kind == "c") or isinstance(v, complex)
        for v in (input, exponent)
    )
    dt = _dtype.complex128 if complex_ else _dtype.float64
    base = input.to(dt) if isinstance(input, Tensor) else input
    exp = exponent.to(dt) if isinstance(exponent, Tensor) else exponent
    if not isinstance(base, Tensor):
        base = as_tensor_like(base, exp).to(dt)
    return base**exp


def ldexp(input: Tensor, other: Any) -> Tensor:
    """``input * 2 ** other``.

    Example:
        >>> ember.ldexp(ember.tensor([1.0]), ember.tensor([3]))
        tensor([8.])
    """
    other = _tensor_arg(other, input)
    return _floating(input) * exp2(other).to(_floating(input).dtype)


def frexp(input: Tensor) -> Any:
    """Split into mantissa in (-1, 1) and integer exponent: ``input = mantissa * 2**exponent``.

    Returns:
        A named tuple ``(mantissa, exponent)``; ``exponent`` is int32.

    Example:
        >>> ember.frexp(ember.tensor([8.0])).exponent
        tensor([4], dtype=ember.int32)
    """
    if not input.is_floating_point():
        raise RuntimeError(
            "torch.frexp() only supports floating-point dtypes, got: "
            f"{_dtype.from_numpy_dtype(input._data.dtype)}"
        )
    data = input._data
    # NumPy has no frexp loop for bfloat16: split in float32 (the mantissa is exact either way)
    wide = data if data.dtype.kind == "f" else data.astype(np.float32)
    xp = get_xp(data)
    _, e = xp.frexp(wide)
    # mantissa = input * 2**-exponent: differentiable in input (gradient 2**-exponent), as PyTorch
    scale = _wrap(xp.ldexp(xp.ones_like(wide), -e).astype(data.dtype))
    return FrexpResult(input * scale, _wrap(e.astype(np.int32)))


def _integer_binary(op: str, fn: str, input: Any, other: Any) -> Tensor:
    a, b = binary_operands(op, input, other)
    a, b = _tensor_arg(a, b), _tensor_arg(b, a)
    if a._data.dtype.kind not in "iub" or b._data.dtype.kind not in "iub":
        raise NotImplementedError(f"\"{op}_cpu\" not implemented for '{_torch_name(a, b)}'")
    xp = get_xp(a._data)
    return _wrap(getattr(xp, fn)(a._data, b._data))


def _torch_name(a: Tensor, b: Tensor) -> str:
    dt = a._data.dtype if a._data.dtype.kind not in "iub" else b._data.dtype
    return {"float32": "Float", "float64": "Double", "float16": "Half"}.get(dt.name, dt.name)


def gcd(input: Any, other: Any) -> Tensor:
    """Elementwise greatest common divisor of integer tensors.

    Example:
        >>> ember.gcd(ember.tensor([12, 7]), ember.tensor([18, 0]))
        tensor([6, 7])
    """
    return _integer_binary("gcd", "gcd", input, other)


def lcm(input: Any, other: Any) -> Tensor:
    """Elementwise least common multiple of integer tensors.

    Example:
        >>> ember.lcm(ember.tensor([4, 6]), ember.tensor([6, 4]))
        tensor([12, 12])
    """
    return _integer_binary("lcm", "lcm", input, other)


def heaviside(input: Tensor, values: Any) -> Tensor:
    """Step function: 0 where ``input < 0``, 1 where ``input > 0``, ``values`` where it is 0.

    Example:
        >>> ember.heaviside(ember.tensor([-1.0, 0.0, 2.0]), ember.tensor([0.5]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    if not isinstance(values, Tensor):
        raise TypeError(
            f"heaviside(): argument 'values' (position 2) must be Tensor, not "
            f"{type(values).__name__}"
        )
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    xp = get_xp(input._data)
    x, v = input._data, values._data
    out = xp.where(x == 0, v, (x > 0).astype(x.dtype))
    return _wrap(xp.asarray(out, dtype=x.dtype))


def nextafter(input: Tensor, other: Any) -> Tensor:
    """The next floating-point value after ``input`` towards ``other``.

    Example:
        >>> bool(ember.nextafter(ember.tensor([1.0]), ember.tensor([2.0])) > 1)
        True
    """
    a, b = binary_operands("nextafter", input, other)
    a, b = _tensor_arg(a, b), _tensor_arg(b, a)
    step = _wrap(get_xp(a._data).nextafter(a._data, b._data) - a._data)
    # PyTorch's gradient: 1 for input, 0 for other (the step is a constant)
    if not (a.requires_grad or b.requires_grad):
        return _wrap(a._data + step._data)
    return a + step + b.detach() * 0 if not b.requires_grad else a + step + b * 0


def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set (also for ``-0.0``).

    Example:
        >>> ember.signbit(ember.tensor([-0.0, 1.0]))
        tensor([ True, False])
    """
    return _wrap(get_xp(input._data).signbit(input._data))


def positive(input: Tensor) -> Tensor:
    """``input`` itself (``+input``); an error for bool tensors, as PyTorch.

    Example:
        >>> ember.positive(ember.tensor([-1.0]))
        tensor([-1.])
    """
    if input._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def igamma(input: Tensor, other: Any) -> Tensor:
    """Regularised lower incomplete gamma function (alias of ``special.gammainc``)."""
    return gammainc(input, other)


def igammac(input: Tensor, other: Any) -> Tensor:
    """Regularised upper incomplete gamma function (alias of ``special.gammaincc``)."""
    return gammaincc(input, other)


# -- predicates ----------------------------------------------------------------------------------
def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape."""
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input: Tensor) -> bool:
    """Whether the dtype is signed (every dtype but uint8 and bool)."""
    return input.is_signed()


def is_conj(input: Tensor) -> bool:
    """Whether the conjugate bit is set: always False (ember conjugates eagerly)."""
    return input.is_conj()


def is_neg(input: Tensor) -> bool:
    """Whether the negative bit is set: always False (ember negates eagerly)."""
    return input.is_neg()


def resolve_neg(input: Tensor) -> Tensor:
    """``input`` with its negative bit materialised: ``input`` itself in ember."""
    return input.resolve_neg()


# -- reductions and indexing ---------------------------------------------------------------------
def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """Rescale each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` to norm ``maxnorm``.

    Args:
        input: a tensor of at least two dimensions.
        p: the norm's power.
        dim: the dimension whose slices are renormalised.
        maxnorm: the largest norm a slice keeps.

    Example:
        >>> ember.renorm(ember.tensor([[3.0, 4.0], [0.3, 0.4]]), 2, 0, 1.0)
        tensor([[0.6000, 0.8000],
                [0.3000, 0.4000]])
    """
    nd = input._data.ndim
    if nd < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {nd} dimensions")
    if p <= 0:
        raise RuntimeError(f"renorm: non-positive-norm not supported, got p={p}")
    d = wrap_dim(dim, nd, "renorm")
    others = tuple(i for i in builtins.range(nd) if i != d)
    if math.isinf(p):
        norms = input.abs().amax(others, keepdim=True)
    else:
        norms = input.abs().pow(p).sum(others, keepdim=True).pow(1.0 / p)
    # PyTorch's factor: maxnorm / (norm + 1e-7) where the norm exceeds maxnorm, else 1.
    return input * where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)


def index_reduce(
    input: Tensor,
    dim: int,
    index: Tensor,
    source: Tensor,
    reduce: str,
    *,
    include_self: bool = True,
) -> Tensor:
    """Reduce slices of ``source`` into ``input`` at ``index`` along ``dim``.

    Args:
        input: the destination (not modified).
        dim: the dimension ``index`` selects along.
        index: a vector of positions, one per slice of ``source`` along ``dim``.
        source: the values.
        reduce: ``"prod"``, ``"mean"``, ``"amax"`` or ``"amin"``.
        include_self: whether ``input``'s own values at the indexed positions take part.

    Returns:
        A new tensor; differentiable in ``input`` and ``source`` (through ``scatter_reduce``).

    Example:
        >>> x = ember.ones(3)
        >>> x.index_reduce(0, ember.tensor([0, 0, 2]), ember.tensor([2.0, 3.0, 4.0]), "prod")
        tensor([6., 1., 4.])
    """
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
            f"{reduce}."
        )
    nd = input._data.ndim
    d = wrap_dim(dim, nd, "index_reduce")
    if index._data.ndim > 1:
        raise IndexError("index_reduce_(): Index is supposed to be a vector")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError("index_reduce_(): self and source are expected to have the same dtype")
    if nd == 0 and source._data.ndim == 0:  # a scalar reduced with a scalar, as PyTorch
        out = index_reduce(
            input.reshape(1),
            0,
            index.reshape(-1),
            source.reshape(1),
            reduce,
            include_self=include_self,
        )
        return out.reshape(())
    ishape, sshape = list(input.shape), list(source.shape)
    if nd != source._data.ndim or ishape[:d] + ishape[d + 1 :] != sshape[:d] + sshape[d + 1 :]:
        raise RuntimeError(
            "index_reduce_(): source tensor shape must match self tensor shape, excluding the "
            f"specified dimension. Got self.shape = {ishape} source.shape = {sshape}"
        )
    if sshape[d] != index._data.size:
        raise RuntimeError("index_reduce_(): Number of indices should be equal to source.size(dim)")
    shape = [1] * nd
    shape[d] = -1
    idx = index.reshape(shape).expand(source.shape)
    return scatter_reduce(input, d, idx, source, reduce, include_self=include_self)


def histogram(
    input: Tensor,
    bins: Any = 100,
    *,
    range: Any = None,  # noqa: A002
    weight: Tensor | None = None,
    density: bool = False,
) -> Any:
    """Histogram of ``input``'s values: ``bins`` equal bins over ``range`` (or its min..max),
    or the given bin edges.

    Returns:
        A named tuple ``(hist, bin_edges)``.

    Example:
        >>> ember.histogram(ember.tensor([1.0, 2.0, 1.0]), bins=2).hist
        tensor([2., 1.])
    """
    data = input._data
    xp = get_xp(data)
    if not input.is_floating_point():
        raise RuntimeError(
            "torch.histogram: input tensor and bins tensors should have the same dtype, "
            f"but got input {_dtype.from_numpy_dtype(data.dtype)}"
        )
    edges = bins._data if isinstance(bins, Tensor) else int(bins)
    w = None if weight is None else weight._data.reshape(-1)
    rng = None if range is None else (float(range[0]), float(range[1]))
    flat = data.reshape(-1) if data.dtype.kind == "f" else data.reshape(-1).astype(np.float32)
    hist, bin_edges = xp.histogram(flat, bins=edges, range=rng, weights=w, density=density)
    return HistogramResult(_wrap(hist.astype(data.dtype)), _wrap(bin_edges.astype(data.dtype)))


HistogramddResult = return_type("histogramdd", ["hist", "bin_edges"])


def histogramdd(
    input: Tensor,
    bins: Any = 10,
    *,
    range: Any = None,  # noqa: A002
    weight: Tensor | None = None,
    density: bool = False,
) -> Any:
    """Multidimensional histogram of the points in the rows of ``input`` (``(..., D)``).

    Args:
        input: the points, the last dimension holding their D coordinates.
        bins: one count for every dimension, a count per dimension, or a list of D edge tensors.
        range: ``[min_0, max_0, min_1, max_1, ...]`` (default: each coordinate's min and max).
        weight: one weight per point.
        density: normalise to a probability density.

    Returns:
        A named tuple ``(hist, bin_edges)``, ``bin_edges`` a tuple of D tensors.

    Example:
        >>> ember.histogramdd(ember.tensor([[0.0, 0.0], [1.0, 1.0]]), bins=2).hist
        tensor([[1., 0.],
                [0., 1.]])
    """
    data = input._data
    if not input.is_floating_point():
        raise RuntimeError("torch.histogramdd: input tensor should have a floating dtype")
    d = data.shape[-1]
    pts = to_device(data, CPU).reshape(-1, d).astype(np.float64)
    edges = _histogramdd_edges(pts, bins, range, d)
    # PyTorch's binning: a point counts when edges[0] <= x <= edges[-1] in every dim (the last
    # bin is closed); edges are not checked for order (decreasing edges count nothing).
    keep = np.ones(len(pts), dtype=bool)
    flat = np.zeros(len(pts), dtype=np.int64)
    for k, e in enumerate(edges):
        x, n = pts[:, k], len(e) - 1
        keep &= (x >= e[0]) & (x <= e[-1])
        pos = np.clip(np.searchsorted(e, x, side="right") - 1, 0, max(n - 1, 0))
        flat = flat * n + pos
    w = None if weight is None else to_device(weight._data, CPU).reshape(-1).astype(np.float64)
    shape = tuple(len(e) - 1 for e in edges)
    hist = np.bincount(flat[keep], None if w is None else w[keep], minlength=math.prod(shape))
    hist = hist.reshape(shape)
    if density:
        widths = np.ones(shape)
        for k, e in enumerate(edges):
            widths = widths * np.diff(e).reshape([-1 if i == k else 1 for i in builtins.range(d)])
        hist = hist / hist.sum() / widths
    xp = get_xp(data)
    return HistogramddResult(
        _wrap(xp.asarray(hist, dtype=data.dtype)),
        tuple(_wrap(xp.asarray(e, dtype=data.dtype)) for e in edges),
    )


def _histogramdd_edges(pts: Any, bins: Any, range: Any, d: int) -> list[Any]:  # noqa: A002
    """Each dimension's bin edges: given tensors, or ``n`` equal bins over ``range`` or the
    data's min..max (widened by 0.5 each side when they are equal, as PyTorch)."""
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        return [to_device(b._data, CPU).astype(np.float64) for b in bins]
    counts = [int(bins)] * d if isinstance(bins, int) else [int(b) for b in bins]
    edges = []
    for k, n in enumerate(counts):
        if range is not None:
            lo, hi = float(range[2 * k]), float(range[2 * k + 1])
        else:
            lo, hi = (pts[:, k].min(), pts[:, k].max()) if len(pts) else (0.0, 0.0)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges.append(np.linspace(lo, hi, n + 1))
    return edges


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of a vector: columns ``x**(N-1), ..., x, 1`` (reversed when
    ``increasing``). Differentiable in ``x``.

    Example:
        >>> ember.vander(ember.tensor([1, 2, 3]), N=3)
        tensor([[1, 1, 1],
                [4, 2, 1],
                [9, 3, 1]])
    """
    if x._data.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    if x._data.dtype.kind == "b":
        x = x.to(_dtype.int64)
    cols = [x.new_ones(x.shape)] + [x**k for k in builtins.range(1, n)] if n else []
    if not n:
        return _wrap(get_xp(x._data).empty((x.shape[0], 0), dtype=x._data.dtype))
    out = stack(cols[:n], 1)
    return out if increasing else out.flip(1)


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """Flat indices into ``shape``'s coordinates, one int64 tensor per dimension.

    Example:
        >>> ember.unravel_index(ember.tensor(5), (2, 3))
        (tensor(1), tensor(2))
    """
    if isinstance(indices, Tensor):
        if indices._data.dtype.kind not in "iu":
            raise TypeError(
                "expected 'indices' to be integer dtype, but got "
                f"{_dtype.from_numpy_dtype(indices._data.dtype)}"
            )
        data = indices._data
    else:
        data = np.asarray(indices, dtype=np.int64)
    shape = (int(shape),) if isinstance(shape, int) else tuple(int(s) for s in shape)
    xp = get_xp(data)
    # PyTorch's arithmetic: the last coordinate is index % size, then divide and repeat (an
    # index outside [-prod, prod) wraps around rather than raising).
    rest, coords = data.astype(np.int64), []
    for n in reversed(shape):
        coords.append(rest % n)
        rest = rest // n
    coords.reverse()
    return tuple(_wrap(xp.asarray(c, dtype=np.int64)) for c in coords)


def isin(
    elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
) -> Tensor:
    """Elementwise: whether each of ``elements`` is in ``test_elements``.

    Example:
        >>> ember.isin(ember.tensor([1, 2, 3]), ember.tensor([2, 5]))
        tensor([False,  True, False])
    """
    like = elements if isinstance(elements, Tensor) else test_elements
    a = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    xp = get_xp(like._data)
    return _wrap(xp.asarray(xp.isin(a, b, invert=invert)))


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """``nonzero`` padded with ``fill_value`` (or truncated) to exactly ``size`` rows.

    Example:
        >>> ember.nonzero_static(ember.tensor([0, 3, 0, 4]), size=3)
        tensor([[ 1],
                [ 3],
                [-1]])
    """
    data = input._data
    xp = get_xp(data)
    idx = xp.stack(xp.nonzero(data), axis=1) if data.ndim else xp.zeros((int(data != 0), 0))
    out = xp.full((size, data.ndim), fill_value, dtype=np.int64)
    n = builtins.min(size, idx.shape[0])
    out[:n] = idx[:n]
    return _wrap(out)


def gradient(
    input: Tensor, *, spacing: Any = 1, dim: Any = None, edge_order: int = 1
) -> tuple[Tensor, ...]:
    """Estimate the derivative along each dim (or ``dim``) with central differences inside and
    one-sided ones (first or second order) at the edges. Differentiable.

    Args:
        input: the sampled values.
        spacing: the sample spacing, one number for every dim or one per dim.
        dim: an int or list of ints (None: every dim).
        edge_order: 1 or 2, the accuracy of the edge differences.

    Returns:
        One tensor per dim.

    Example:
        >>> ember.gradient(ember.tensor([1.0, 2.0, 4.0, 8.0]))
        (tensor([1.0000, 1.5000, 3.0000, 4.0000]),)
    """
    nd = input._data.ndim
    dims = list(builtins.range(nd)) if dim is None else [dim] if isinstance(dim, int) else dim
    dims = [wrap_dim(int(d), nd, "gradient") for d in dims]
    if spacing is None or isinstance(spacing, (int, float)):
        steps: list[Any] = [1.0 if spacing is None else float(spacing)] * len(dims)
    else:
        steps = [_spacing(s) for s in spacing]
        if len(steps) != len(dims):
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or a list of "
                f"length equal to 'self.dim() = {len(dims)}', but got a list of length "
                f"{len(steps)}"
            )
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    x = _floating(input)
    return tuple(_gradient_1d(x, d, h, edge_order) for d, h in zip(dims, steps))


def _spacing(s: Any) -> Any:
    """A number, or the sample coordinates along one dim (a 1-D tensor of several values)."""
    if isinstance(s, Tensor):
        if s._data.ndim == 0 or s._data.size == 1:
            return float(s.item())
        return to_device(s._data, CPU).astype(np.float64).reshape(-1)
    return float(s)


def _gradient_1d(x: Tensor, d: int, h: Any, edge_order: int) -> Tensor:
    n = x.shape[d]
    if n < edge_order + 1:
        raise RuntimeError(
            "torch.gradient expected each dimension size to be at least edge_order+1"
        )

    def sl(a: int, b: int | None) -> Tensor:
        return x.narrow(d, a, (n if b is None else b) - a)

    if not isinstance(h, float):
        return _gradient_coords(x, d, h, edge_order, sl)
    inner = (sl(2, None) - sl(0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / h
        last = (sl(n - 1, n) - sl(n - 2, n - 1)) / h
    else:
        first = (-3 * sl(0, 1) + 4 * sl(1, 2) - sl(2, 3)) / (2 * h)
        last = (3 * sl(n - 1, n) - 4 * sl(n - 2, n - 1) + sl(n - 3, n - 2)) / (2 * h)
    return cat([first, inner, last], d)


def _gradient_coords(x: Tensor, d: int, coords: Any, edge_order: int, sl: Any) -> Tensor:
    """Second-order differences for samples at ``coords`` (NumPy's and PyTorch's formulas)."""
    n = x.shape[d]
    if len(coords) != n:
        raise RuntimeError(
            f"torch.gradient expected each tensor to be on the same device and to have "
            f"{n} coordinates along dim {d}, got {len(coords)}"
        )
    dx = np.diff(coords)
    xp = get_xp(x._data)

    def col(v: Any) -> Tensor:
        shape = [1] * x.ndim
        shape[d] = -1
        return _wrap(xp.asarray(np.asarray(v).reshape(shape), dtype=x._data.dtype))

    h1, h2 = dx[:-1], dx[1:]
    inner = (
        col(-h2 / (h1 * (h1 + h2))) * sl(0, n - 2)
        + col((h2 - h1) / (h1 * h2)) * sl(1, n - 1)
        + col(h1 / (h2 * (h1 + h2))) * sl(2, None)
    )
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / float(dx[0])
        last = (sl(n - 1, n) - sl(n - 2, n - 1)) / float(dx[-1])
    else:
        a, b = float(dx[0]), float(dx[1])
        first = (
            -(2 * a + b) / (a * (a + b)) * sl(0, 1)
            + (a + b) / (a * b) * sl(1, 2)
            - a / (b * (a + b)) * sl(2, 3)
        )
        a, b = float(dx[-2]), float(dx[-1])
        last = (
            b / (a * (a + b)) * sl(n - 3, n - 2)
            - (a + b) / (a * b) * sl(n - 2, n - 1)
            + (2 * b + a) / (b * (a + b)) * sl(n - 1, n)
        )
    return cat([first, inner, last], d)


# -- aliases -------------------------------------------------------------------------------------
def row_stack(tensors: Any) -> Tensor:
    """Alias of ``vstack``."""
    return vstack(tensors)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``chunk`` (PyTorch's variant that skips the view checks)."""
    return chunk(input, chunks, dim)


def unsafe_split(input: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``split`` (PyTorch's variant that skips the view checks)."""
    return split(input, split_size, dim)


def unsafe_split_with_sizes(input: Tensor, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``split_with_sizes`` (PyTorch's variant that skips the view checks)."""
    return split_with_sizes(input, split_sizes, dim)


# -- creation, conversion, scatter ---------------------------------------------------------------
def empty_strided(
    size: Any,
    stride: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """An uninitialised tensor of ``size``; ``stride`` is accepted (ember's arrays are always
    row-major, so the strides are the contiguous ones).

    Example:
        >>> ember.empty_strided((2, 3), (1, 2)).shape
        ember.Size([2, 3])
    """
    return empty(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def empty_permuted(
    size: Any,
    physical_layout: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """An uninitialised tensor of ``size``; ``physical_layout`` is accepted (ember lays every
    tensor out row-major).

    Example:
        >>> ember.empty_permuted((2, 3, 4), (0, 2, 1)).shape
        ember.Size([2, 3, 4])
    """
    if sorted(int(d) for d in physical_layout) != list(builtins.range(len(size))):
        raise RuntimeError(
            f"Number of dimensions in size does not match the length of the physical_layout; "
            f"got {len(size)} and {len(physical_layout)}"
        )
    return empty(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def fill(input: Tensor, value: Any) -> Tensor:
    """A new tensor of ``input``'s shape, dtype and device, filled with ``value``.

    Example:
        >>> ember.fill(ember.zeros(2), 3.0)
        tensor([3., 3.])
    """
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "fill only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        return (
            input * 0 + value.to(input.dtype) if value.requires_grad else fill(input, value.item())
        )
    return full_like(input, value)


def as_strided_scatter(
    input: Tensor, src: Tensor, size: Any, stride: Any, storage_offset: int | None = None
) -> Tensor:
    """A copy of ``input`` with ``src`` written into its ``as_strided(size, stride, offset)``
    view. Differentiable in both.

    Example:
        >>> ember.as_strided_scatter(ember.zeros(4), ember.ones(2), (2,), (2,))
        tensor([1., 0., 1., 0.])
    """
    size = tuple(int(n) for n in size)
    if tuple(src.shape) != size:
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = "
            f"{list(src.shape)}, slice size = {list(size)}"
        )
    xp = get_xp(input._data)
    flat = xp.asarray(storage_offset or 0, dtype=np.int64)
    for k, (n, st) in enumerate(zip(size, stride)):
        axis = [1] * len(size)
        axis[k] = n
        flat = flat + xp.arange(n, dtype=np.int64).reshape(axis) * int(st)
    out = input.reshape(-1).index_put((_wrap(flat.reshape(-1)),), src.reshape(-1))
    return out.reshape(input.shape)


def _new_empty_strided(
    self: Tensor,
    size: Any,
    stride: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """``empty_strided`` with ``self``'s dtype and device by default."""
    return empty_strided(
        size,
        stride,
        dtype=dtype or self.dtype,
        device=device or self.device,
        requires_grad=requires_grad,
    )


def _to_complex(name: str, dt: Any) -> Any:
    def method(self: Tensor, memory_format: Any = None) -> Tensor:
        return self.to(dt)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``self.to({dt})``."
    return method


def _rdiv(self: Tensor, other: Any) -> Tensor:
    """``other / self`` (PyTorch's legacy ``__rdiv__``)."""
    return self.__rtruediv__(other)


# -- in-place variants ---------------------------------------------------------------------------
def _inplace(name: str, fn: Any) -> Any:
    """``self.<name>_(...)``: ``fn(self, ...)`` written into ``self``."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return apply_inplace(self, fn(self, *args, **kwargs), name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In-place ``{name[:-1]}``: writes the result into ``self``; returns it."
    return method


def _float_power_(self: Tensor, exponent: Any) -> Tensor:
    want = _dtype.complex128 if self._data.dtype.kind == "c" else _dtype.float64
    if self._data.dtype != want.np:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {_dtype.from_numpy_dtype(self._data.dtype)}"
            f" but the operation's result requires dtype {want}"
        )
    return apply_inplace(self, float_power(self, exponent), "float_power_")


def _polygamma_(self: Tensor, n: int) -> Tensor:
    return apply_inplace(self, self.polygamma(n), "polygamma_")


# Methods whose out-of-place form is a Tensor method already: ``x.<name>_(...)`` is
# ``x.<name>(...)`` written into ``x``.
_INPLACE_OF_METHODS = (
    "arccosh",
    "arcsinh",
    "arctanh",
    "arctan2",
    "digamma",
    "divide",
    "fmod",
    "i0",
    "lgamma",
    "logit",
    "multiply",
    "mvlgamma",
    "negative",
    "sinc",
    "subtract",
    "true_divide",
)
_INPLACE_OF_FUNCTIONS = (
    "deg2rad",
    "exp2",
    "gcd",
    "heaviside",
    "igamma",
    "igammac",
    "index_reduce",
    "lcm",
    "ldexp",
    "nextafter",
    "rad2deg",
    "renorm",
)


def _method_inplace(name: str) -> Any:
    return _inplace(f"{name}_", lambda self, *a, **k: getattr(self, name)(*a, **k))


# The in-place ops PyTorch also exposes as functions (``torch.exp_(x)``): the Tensor method.
_TORCH_INPLACE_FUNCTIONS = (
    "abs_",
    "acos_",
    "acosh_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "cos_",
    "cosh_",
    "deg2rad_",
    "detach_",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expm1_",
    "fill_",
    "fix_",
    "floor_",
    "frac_",
    "gcd_",
    "i0_",
    "index_put_",
    "lcm_",
    "ldexp_",
    "log10_",
    "log1p_",
    "log2_",
    "log_",
    "logit_",
    "nan_to_num_",
    "neg_",
    "negative_",
    "rad2deg_",
    "reciprocal_",
    "relu_",
    "resize_as_",
    "round_",
    "rsqrt_",
    "sigmoid_",
    "sin_",
    "sinc_",
    "sinh_",
    "sqrt_",
    "square_",
    "tan_",
    "tanh_",
    "trunc_",
    "xlogy_",
    "zero_",
)


def _torch_inplace(name: str) -> Any:
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``input.{name}(...)``: the in-place op as a function, as ``torch.{name}``."
    return fn


for _name in _TORCH_INPLACE_FUNCTIONS:
    globals()[_name] = _torch_inplace(_name)
__all__ += list(_TORCH_INPLACE_FUNCTIONS)

# Functions that are also Tensor methods in PyTorch (the rest are ``torch.<name>`` only, or
# Tensor methods defined elsewhere).
_NOT_METHODS = {
    "empty_permuted",
    "empty_strided",
    "fill",
    "gradient",
    "histogramdd",
    "is_conj",
    "is_neg",
    "is_same_size",
    "is_signed",
    "resolve_neg",
    "row_stack",
    "unravel_index",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "vander",
    *_TORCH_INPLACE_FUNCTIONS,
}
TENSOR_METHODS: dict[str, Any] = {n: globals()[n] for n in __all__ if n not in _NOT_METHODS}
TENSOR_METHODS.update(
    {
        "new_empty_strided": _new_empty_strided,
        "cfloat": _to_complex("cfloat", _dtype.complex64),
        "cdouble": _to_complex("cdouble", _dtype.complex128),
        "__rdiv__": _rdiv,
    }
)
TENSOR_METHODS.update({f"{n}_": _method_inplace(n) for n in _INPLACE_OF_METHODS})
TENSOR_METHODS.update({f"{n}_": _inplace(f"{n}_", globals()[n]) for n in _INPLACE_OF_FUNCTIONS})
TENSOR_METHODS.update({"float_power_": _float_power_, "polygamma_": _polygamma_})
del _name
