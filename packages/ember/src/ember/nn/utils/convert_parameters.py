"""parameters_to_vector and vector_to_parameters."""

from __future__ import annotations

from collections.abc import Iterable

from ember._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Flatten and concatenate ``parameters`` into one 1-D tensor (differentiable).

    Example:
        >>> from ember.nn.utils import parameters_to_vector
        >>> parameters_to_vector(ember.nn.Linear(3, 2).parameters()).shape
        ember.Size([8])
    """
    import ember

    params = list(parameters)
    device = None
    for p in params:
        if device is None:
            device = p.device
        elif p.device != device:
            raise TypeError(
                "Found two parameters on different devices, this is currently not supported.")
    return ember.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each parameter a view of the matching slice of ``vec`` (as PyTorch's ``.data =``).

    Example:
        >>> from ember.nn.utils import vector_to_parameters
        >>> lin = ember.nn.Linear(2, 1)
        >>> vector_to_parameters(ember.zeros(3), lin.parameters())
        >>> lin.weight.tolist()
        [[0.0, 0.0]]
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {type(vec).__name__}")
    params = list(parameters)
    needed = sum(p.numel() for p in params)
    if needed > vec.numel():
        # Checked up front, so a short vector leaves every parameter unchanged.
        raise RuntimeError(
            f"vector_to_parameters: the vector has {vec.numel()} elements but the parameters "
            f"need {needed}; pass a vector made by parameters_to_vector of the same parameters"
        )
    pointer = 0
    flat = vec.detach()._data.reshape(-1)
    for param in params:
        n = param.numel()
        param._data = flat[pointer:pointer + n].reshape(tuple(param.shape))
        param._vc[0] += 1
        pointer += n
