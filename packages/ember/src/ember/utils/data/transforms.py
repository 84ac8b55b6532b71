"""Domain-neutral transform combinators: ``Compose``, ``RandomApply``, ``RandomChoice``,
``RandomOrder`` and ``Lambda``, with torchvision's behaviour.

They are ``nn.Module`` s (so they print like torchvision's v2 transforms) and take any
callables, so images, waveforms and token lists are handled alike. Called with several inputs
(``t(img, target)``), each inner transform gets and returns them all. Random choices use
ember's default generator, so ``ember.manual_seed`` makes them repeatable. Domain packages
re-export them (``embervision.transforms.Compose`` is this ``Compose``).

Example:
    >>> import ember
    >>> from ember.utils.data.transforms import Compose, Lambda
    >>> Compose([Lambda(lambda x: x + 1), Lambda(lambda x: x * 2)])(ember.ones(2)).tolist()
    [4.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ember
from ember import nn

__all__ = ["Compose", "RandomApply", "RandomChoice", "RandomOrder", "Lambda"]


def _run(transforms: Sequence[Callable[..., Any]], inputs: tuple[Any, ...]) -> Any:
    unpack = len(inputs) > 1
    for t in transforms:
        out = t(*inputs)
        inputs = out if unpack else (out,)
    return inputs if unpack else inputs[0]


def _check_p(p: float) -> float:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p should be a probability in [0, 1], got {p}")
    return p


class _Combinator(nn.Module):
    """Holds a list of transforms; prints its fields the way embervision's transforms do."""

    def __init__(self, transforms: Sequence[Callable[..., Any]]) -> None:
        super().__init__()
        if not isinstance(transforms, Sequence):
            raise TypeError(
                f"transforms must be a sequence of callables, got {type(transforms).__name__}"
            )
        self.transforms = list(transforms)

    def extra_repr(self) -> str:
        items = [f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_")]
        return ", ".join(i for i in items if not i.startswith("training="))


class Compose(_Combinator):
    """Apply ``transforms`` one after the other.

    Args:
        transforms: callables; with several inputs each gets and returns them all.

    Example:
        >>> Compose([Lambda(lambda x: x * 3), Lambda(abs)])(-2)
        6
    """

    def forward(self, *inputs: Any) -> Any:
        return _run(self.transforms, inputs)

    def extra_repr(self) -> str:
        return "\n".join(str(t) for t in self.transforms)


class RandomApply(_Combinator):
    """Apply the whole list of ``transforms`` with probability ``p`` (one draw per call).

    Args:
        transforms: callables applied in order when the draw succeeds.
        p: the probability of applying them.

    Example:
        >>> RandomApply([Lambda(lambda x: x + 1)], p=1.0)(ember.zeros(1)).tolist()
        [1.0]
    """

    def __init__(self, transforms: Sequence[Callable[..., Any]], p: float = 0.5) -> None:
        super().__init__(transforms)
        self.p = _check_p(p)

    def forward(self, *inputs: Any) -> Any:
        if float(ember.rand(1).item()) >= self.p:
            return inputs if len(inputs) > 1 else inputs[0]
        return _run(self.transforms, inputs)


class RandomChoice(_Combinator):
    """Apply one of ``transforms``, picked with probabilities ``p`` (uniform by default).

    Args:
        transforms: the candidates.
        p: one weight per transform (normalised to sum to 1), or None for uniform.

    Example:
        >>> RandomChoice([Lambda(lambda x: x * 0)])(ember.ones(1)).tolist()
        [0.0]
    """

    def __init__(
        self, transforms: Sequence[Callable[..., Any]], p: Sequence[float] | None = None
    ) -> None:
        super().__init__(transforms)
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"p has {len(p)} entries but there are {len(transforms)} transforms")
        total = float(sum(p)) if p is not None else float(len(transforms))
        self.p = [v / total for v in p] if p is not None else [1.0 / total] * len(transforms)

    def forward(self, *inputs: Any) -> Any:
        idx = int(ember.multinomial(ember.tensor(self.p), 1).item())
        return self.transforms[idx](*inputs)


class RandomOrder(_Combinator):
    """Apply ``transforms`` in a random order.

    Example:
        >>> RandomOrder([Lambda(lambda x: x + 1)])(ember.zeros(1)).tolist()
        [1.0]
    """

    def forward(self, *inputs: Any) -> Any:
        order = ember.randperm(len(self.transforms)).tolist()
        return _run([self.transforms[i] for i in order], inputs)


class Lambda(nn.Module):
    """Apply a user function to each input of the given ``types`` (any type by default).

    With one input the function is called on it; with several inputs (``t(x, y)``) or a
    tuple/list/dict, on each element of a matching type, and the structure is kept. Domain
    packages may narrow which elements count (embervision applies it, as torchvision's v2 does,
    to images, boxes and masks only) by overriding :meth:`leaf_forward`.

    Args:
        lambd: the function.
        *types: only inputs of these types are passed to ``lambd``; others pass through.

    Example:
        >>> Lambda(lambda x: x + 1)(ember.zeros(1)).tolist()
        [1.0]
        >>> Lambda(str, int)((1, 2.5))
        ('1', 2.5)
    """

    def __init__(self, lambd: Callable[[Any], Any], *types: type) -> None:
        super().__init__()
        if not callable(lambd):
            raise TypeError(f"lambd must be callable, got {type(lambd).__name__}")
        self.lambd = lambd
        self.types = types or (object,)

    def forward(self, *inputs: Any) -> Any:
        sample = inputs if len(inputs) > 1 else inputs[0]
        if len(inputs) == 1 and not isinstance(sample, (tuple, list, dict)):
            return self.apply_one(sample)
        return self.leaf_forward(*inputs)

    def apply_one(self, inpt: Any) -> Any:
        """``lambd(inpt)`` when ``inpt`` is of one of ``types``; else ``inpt`` unchanged."""
        return self.lambd(inpt) if isinstance(inpt, self.types) else inpt

    def leaf_forward(self, *inputs: Any) -> Any:
        """Apply :meth:`apply_one` to every leaf of a structured sample."""
        sample = inputs if len(inputs) > 1 else inputs[0]
        return _map_leaves(self.apply_one, sample)

    def extra_repr(self) -> str:
        return f"lambd={self.lambd!r}, types={self.types!r}"


def _map_leaves(fn: Callable[[Any], Any], sample: Any) -> Any:
    if isinstance(sample, (tuple, list)):
        return type(sample)(_map_leaves(fn, s) for s in sample)
    if isinstance(sample, dict):
        return type(sample)((k, _map_leaves(fn, v)) for k, v in sample.items())
    return fn(sample)
