"""Functional padding (constant, reflect, replicate, circular), as ``torch.nn.functional.pad``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.nn._functional import _convkern as ck
from ember.nn._functional._utils import ArgumentError
from ember.ops.nn.pooling import Lin, linear_map

__all__ = ["pad"]


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Source index of every padded position along one axis."""
    j = np.arange(-lo, n + hi)
    if mode == "reflect":
        j = np.abs(j)
        return np.where(j >= n, 2 * (n - 1) - j, j)
    if mode == "replicate":
        return np.clip(j, 0, n - 1)
    return j % n


def _take_adj(g: Any, idx: np.ndarray, axis: int, n: int, lo: int) -> Any:
    """The adjoint of ``take(x, idx, axis)`` when ``idx[lo:lo + n]`` is the identity."""
    head = (slice(None),) * axis
    res = g[head + (slice(lo, lo + n),)].copy()
    for j in (*range(lo), *range(lo + n, len(idx))):
        res[head + (int(idx[j]),)] += g[head + (j,)]
    return res


@dataclass(frozen=True, eq=False)
class _PadSpec:
    lo: tuple[int, ...]
    hi: tuple[int, ...]
    mode: str

    def cut(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(max(-a, 0) for a in self.lo), tuple(max(-b, 0) for b in self.hi)

    def grow(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(max(a, 0) for a in self.lo), tuple(max(b, 0) for b in self.hi)


def _replicate_signed(x: Any, spec: _PadSpec, adjoint_of: tuple[int, ...] | None) -> Any:
    """Replicate padding with some negative pads, as torch: each output position reads the
    clamped source index, so a crop can leave only edge values (``adjoint_of``: the input's
    spatial shape, to scatter-add a gradient back instead)."""
    xp = get_xp(x)
    nd = len(spec.lo)
    lead = x.ndim - nd
    axes = range(nd) if adjoint_of is None else reversed(range(nd))
    for ax in axes:
        n = x.shape[lead + ax] if adjoint_of is None else adjoint_of[ax]
        idx = xp.asarray(_pad_index(n, spec.lo[ax], spec.hi[ax], "replicate"))
        if adjoint_of is None:
            x = xp.take(x, idx, axis=lead + ax)
            continue
        moved = xp.moveaxis(x, lead + ax, 0)
        res = xp.zeros((n,) + moved.shape[1:], dtype=x.dtype)
        xp.add.at(res, idx, moved)
        x = xp.moveaxis(res, 0, lead + ax)
    return xp.ascontiguousarray(x)


def _pad_fwd(x: Any, spec: _PadSpec, value: Any) -> Any:
    nd = len(spec.lo)
    lead = x.ndim - nd
    (clo, chi), (plo, phi) = spec.cut(), spec.grow()
    if spec.mode == "replicate" and (any(clo) or any(chi)):
        return _replicate_signed(x, spec, None)
    if any(clo) or any(chi):
        x = ck.crop(x, clo, tuple(n - a - b for n, a, b in zip(x.shape[lead:], clo, chi)))
    if spec.mode == "constant":
        out = ck.pad_zeros(x, plo, phi, fill=value)
        return out.copy() if out is x else out
    xp = get_xp(x)
    for ax in range(nd):
        if plo[ax] or phi[ax]:
            idx = _pad_index(x.shape[lead + ax], plo[ax], phi[ax], spec.mode)
            x = xp.take(x, xp.asarray(idx), axis=lead + ax)
    return x


def _pad_adj(g: Any, spec: _PadSpec, in_sp: tuple[int, ...]) -> Any:
    nd = len(spec.lo)
    lead = g.ndim - nd
    (clo, chi), (plo, phi) = spec.cut(), spec.grow()
    if spec.mode == "replicate" and (any(clo) or any(chi)):
        return _replicate_signed(g, spec, in_sp)
    mid = tuple(n - a - b for n, a, b in zip(in_sp, clo, chi))
    if spec.mode == "constant":
        g = ck.crop(g, plo, mid)
    else:
        for ax in reversed(range(nd)):
            if plo[ax] or phi[ax]:
                idx = _pad_index(mid[ax], plo[ax], phi[ax], spec.mode)
                g = _take_adj(g, idx, lead + ax, mid[ax], plo[ax])
    return get_xp(g).ascontiguousarray(ck.pad_zeros(g, clo, chi))


def _check_pad(x: Tensor, spec: _PadSpec, mode: str) -> None:
    nd = len(spec.lo)
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: unsupported padding mode {mode!r}; use 'constant', "
                                  "'reflect', 'replicate' or 'circular'")
    in_sp = x.shape[x.ndim - nd:]
    if mode != "constant":
        if nd > 3 or x.ndim not in (nd + 1, nd + 2):
            raise NotImplementedError(
                f"pad: {mode} padding of the last {nd} dims needs a {nd + 1}D or {nd + 2}D "
                f"input, got {x.ndim}D; only 1-3 trailing dims can be padded in this mode")
        for a, b, n in zip(spec.lo, spec.hi, in_sp):
            limit = {"circular": n, "reflect": n - 1}.get(mode, max(a, b))
            if max(a, b) > limit or n == 0:
                raise RuntimeError(f"pad: padding ({a}, {b}) is too large for {mode} padding "
                                   f"of a dimension of size {n} (at most {limit})")
    if any(n + a + b < 0 for n, a, b in zip(in_sp, spec.lo, spec.hi)):
        raise RuntimeError(f"pad: the padded size of input {list(x.shape)} with pad "
                           f"{spec.lo}/{spec.hi} would be negative")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pad the trailing dimensions, as ``torch.nn.functional.pad``.

    Args:
        input: the tensor.
        pad: ``(left, right)`` for the last dim, then ``(top, bottom)`` for the one before,
            and so on; negative values crop (constant mode).
        mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        value: fill value for constant padding (default 0).

    Returns:
        The padded tensor.

    Example:
        >>> F.pad(ember.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect")
        tensor([[3., 2., 1., 2., 3., 2.]])
    """
    pads = [int(p) for p in pad]
    if len(pads) % 2 or len(pads) // 2 > input.ndim:
        raise ArgumentError(f"pad: padding length must be even and at most twice the number of "
                         f"dimensions ({input.ndim}), got {len(pads)}")
    nd = len(pads) // 2
    if mode != "constant" and value is not None:
        raise ValueError(f'pad: padding mode "{mode}" doesn\'t take in value argument')
    spec = _PadSpec(tuple(pads[2 * (nd - 1 - i)] for i in range(nd)),
                    tuple(pads[2 * (nd - 1 - i) + 1] for i in range(nd)), mode)
    _check_pad(input, spec, mode)
    in_sp = tuple(input.shape[input.ndim - nd:])
    fill = 0 if value is None else value
    m = Lin(partial(_pad_fwd, spec=spec, value=fill), partial(_pad_adj, spec=spec, in_sp=in_sp),
             partial(_pad_fwd, spec=spec, value=0))
    return linear_map(input, m)
