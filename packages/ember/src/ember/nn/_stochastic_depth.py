"""``stochastic_depth``: the functional form, kept in its own file so ``nn.functional`` can
re-export it with one import line."""

from __future__ import annotations

import ember
from ember import Tensor

__all__ = ["stochastic_depth"]


def stochastic_depth(input: Tensor, p: float, mode: str, training: bool = True) -> Tensor:
    """Drop whole residual branches at random (Huang et al., 2016), as in torchvision.

    Composed from ``bernoulli`` and a multiply, so it needs no backward of its own.

    Args:
        input: the branch output, ``(N, ...)``.
        p: probability of zeroing a row (``mode="row"``) or the whole batch (``"batch"``).
        mode: ``"row"`` or ``"batch"``.
        training: apply only when True; otherwise return ``input`` unchanged.

    Returns:
        ``input * noise / (1 - p)`` with ``noise`` Bernoulli(1 - p).

    Example:
        >>> x = ember.ones(4, 3)
        >>> ember.nn.functional.stochastic_depth(x, 0.5, "row", training=False).equal(x)
        True
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"stochastic_depth: drop probability must be in [0, 1], got {p}")
    if mode not in ("batch", "row"):
        raise ValueError(f"stochastic_depth: mode must be 'batch' or 'row', got {mode!r}")
    if not training or p == 0.0:
        return input
    survival = 1.0 - p
    shape = [input.shape[0]] + [1] * (input.ndim - 1) if mode == "row" else [1] * input.ndim
    noise = ember.bernoulli(ember.full(shape, survival, dtype=input.dtype, device=input.device))
    if survival > 0.0:
        noise = noise / survival
    return input * noise
