"""ember.nn layers: Identity, Linear, Bilinear, Flatten and Unflatten."""

from __future__ import annotations

import math
from typing import Any

from ember import _creation
from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = ["Identity", "Linear", "Bilinear", "Flatten", "Unflatten"]


def _factory(device: Any, dtype: Any) -> dict[str, Any]:
    return {"device": device, "dtype": dtype}


class Identity(Module):
    """Returns its input unchanged; accepts and ignores any constructor arguments.

    Example:
        >>> ember.nn.Identity(54, unused="x")(ember.ones(2)).shape
        ember.Size([2])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Return ``input``."""
        return input


class Linear(Module):
    """Applies ``y = x @ W.T + b``.

    Weights start as PyTorch's: ``kaiming_uniform_(W, a=sqrt(5))``, that is U(-1/sqrt(in),
    1/sqrt(in)), and the bias U(-1/sqrt(in), 1/sqrt(in)).

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: if False, the layer has no additive bias.
        device: where to create the parameters.
        dtype: their floating-point dtype.

    Example:
        >>> layer = ember.nn.Linear(3, 2)
        >>> layer(ember.randn(4, 3)).shape
        ember.Size([4, 2])
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(
                    f"Linear(): {name} must be an int, got {type(value).__name__} {value!r}"
                )
        self.in_features = in_features
        self.out_features = out_features
        kw = _factory(device, dtype)
        self.weight = Parameter(_creation.empty(out_features, in_features, **kw))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, **kw))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draw the weights from the default distributions."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """``(*, in_features) -> (*, out_features)``."""
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """Applies ``y = x1 @ W @ x2 + b`` per output feature.

    Weights and bias start as U(-1/sqrt(in1_features), 1/sqrt(in1_features)), as in PyTorch.

    Args:
        in1_features: size of each first input sample.
        in2_features: size of each second input sample.
        out_features: size of each output sample.
        bias: if False, no additive bias.

    Example:
        >>> m = ember.nn.Bilinear(3, 4, 5)
        >>> m(ember.ones(2, 3), ember.ones(2, 4)).shape
        ember.Size([2, 5])
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        kw = _factory(device, dtype)
        self.weight = Parameter(_creation.empty(out_features, in1_features, in2_features, **kw))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, **kw))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draw the weights from U(-1/sqrt(in1_features), 1/sqrt(in1_features))."""
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        """``(*, in1), (*, in2) -> (*, out)``."""
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class Flatten(Module):
    """Flattens dims ``start_dim`` .. ``end_dim`` into one.

    Args:
        start_dim: first dim to flatten (default 1, keeping the batch dim).
        end_dim: last dim to flatten.

    Example:
        >>> ember.nn.Flatten()(ember.ones(2, 3, 4)).shape
        ember.Size([2, 12])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        """Flatten the configured dims."""
        # Tensor.flatten checks the dims as PyTorch does (a 0-d tensor takes 0/-1, a 1-d one
        # has no dim 1)
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expands dim ``dim`` into ``unflattened_size``.

    Args:
        dim: the dim to expand.
        unflattened_size: the new shape of that dim (one entry may be -1).

    Example:
        >>> ember.nn.Unflatten(1, (2, 5))(ember.ones(3, 10)).shape
        ember.Size([3, 2, 5])
    """

    def __init__(self, dim: int | str, unflattened_size: Any) -> None:
        super().__init__()
        if not isinstance(dim, int):
            raise TypeError("ember.nn.Unflatten supports only integer dims (no named tensors)")
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        """Expand the configured dim."""
        d = self.dim % input.ndim
        shape = tuple(input.shape)
        return input.reshape(shape[:d] + self.unflattened_size + shape[d + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
