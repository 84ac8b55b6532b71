"""Small reusable blocks every domain needs: ``MLP`` and ``StochasticDepth`` (torchvision.ops)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ember import Tensor
from ember.nn._stochastic_depth import stochastic_depth
from ember.nn.modules.activation import ReLU
from ember.nn.modules.container import Sequential
from ember.nn.modules.dropout import Dropout
from ember.nn.modules.linear import Linear
from ember.nn.modules.module import Module

__all__ = ["MLP", "StochasticDepth"]


class StochasticDepth(Module):
    """Module form of :func:`ember.nn.functional.stochastic_depth`.

    Args:
        p: the drop probability.
        mode: ``"row"`` (one draw per sample) or ``"batch"`` (one draw for the batch).

    Example:
        >>> ember.nn.StochasticDepth(0.2, "row").eval()(ember.ones(2, 3)).shape
        (2, 3)
    """

    def __init__(self, p: float, mode: str) -> None:
        super().__init__()
        self.p = p
        self.mode = mode

    def forward(self, input: Tensor) -> Tensor:
        return stochastic_depth(input, self.p, self.mode, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, mode={self.mode}"


class MLP(Sequential):
    """Linear layers with activation and dropout between them (torchvision's ``ops.MLP``).

    The layer order and state-dict keys match torchvision's, so its weights load unchanged.

    Args:
        in_channels: input features.
        hidden_channels: sizes of each layer; the last one is the output size.
        norm_layer: optional normalisation after each hidden Linear.
        activation_layer: activation after each hidden Linear (default ``nn.ReLU``).
        inplace: passed to the activation and dropout (None: their default).
        bias: Linear biases.
        dropout: dropout probability after each layer.

    Example:
        >>> ember.nn.MLP(4, [8, 2])(ember.zeros(3, 4)).shape
        (3, 2)
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: Sequence[int],
        norm_layer: Callable[..., Module] | None = None,
        activation_layer: Callable[..., Module] | None = ReLU,
        inplace: bool | None = None,
        bias: bool = True,
        dropout: float = 0.0,
    ) -> None:
        kw: dict[str, Any] = {} if inplace is None else {"inplace": inplace}
        layers: list[Module] = []
        in_dim = in_channels
        for hidden in hidden_channels[:-1]:
            layers.append(Linear(in_dim, hidden, bias=bias))
            if norm_layer is not None:
                layers.append(norm_layer(hidden))
            if activation_layer is not None:
                layers.append(activation_layer(**kw))
            layers.append(Dropout(dropout, **kw))
            in_dim = hidden
        layers.append(Linear(in_dim, hidden_channels[-1], bias=bias))
        layers.append(Dropout(dropout, **kw))
        super().__init__(*layers)
