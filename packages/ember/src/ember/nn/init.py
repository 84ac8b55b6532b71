"""Weight initialisation, as ``torch.nn.init``.

Every function fills its tensor in place without recording a graph and returns it. The
distributions match PyTorch's (the random streams do not: ember draws from NumPy/CuPy generators).
"""

from __future__ import annotations

import math
from typing import Any

from ember._random import Generator, _fill_random, _gen_for
from ember._tensor import Tensor
from ember.autograd.grad_mode import no_grad
from ember.backends import get_xp

__all__ = [
    "calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_",
    "eye_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "orthogonal_", "sparse_", "uniform", "normal", "constant", "xavier_uniform", "xavier_normal",
    "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse", "eye", "dirac",
]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as in PyTorch.

    Args:
        nonlinearity: ``"linear"``, ``"conv2d"``, ``"sigmoid"``, ``"tanh"``, ``"relu"``,
            ``"leaky_relu"`` or ``"selu"`` (and the other conv names).
        param: the negative slope for ``"leaky_relu"`` (default 0.01).

    Returns:
        The gain.

    Example:
        >>> round(ember.nn.init.calculate_gain("relu"), 4)
        1.4142
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field size."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _rng(tensor: Tensor, generator: Generator | None) -> Any:
    return _gen_for(tensor.device, generator).rng


def _fill(tensor: Tensor, arr: Any) -> Tensor:
    with no_grad():
        return _fill_random(tensor, arr)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: Generator | None = None) -> Tensor:
    """Fill ``tensor`` with draws from U(a, b).

    Example:
        >>> w = ember.nn.init.uniform_(ember.empty(3, 5), -0.1, 0.1)
        >>> bool((w.abs() <= 0.1).all())
        True
    """
    u = _rng(tensor, generator).random(tuple(tensor.shape))
    return _fill(tensor, u * (b - a) + a)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Generator | None = None) -> Tensor:
    """Fill ``tensor`` with draws from N(mean, std**2).

    Example:
        >>> ember.nn.init.normal_(ember.empty(2, 2), std=0.02).shape
        ember.Size([2, 2])
    """
    z = _rng(tensor, generator).standard_normal(tuple(tensor.shape))
    return _fill(tensor, z * std + mean)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Generator | None = None) -> Tensor:
    """Fill ``tensor`` with N(mean, std**2) draws redrawn until they fall inside [a, b].

    Args:
        tensor: the tensor to fill.
        mean: the mean of the normal distribution.
        std: its standard deviation.
        a: the lower cut-off (an absolute value, not in units of ``std``).
        b: the upper cut-off.
        generator: the random stream.

    Example:
        >>> w = ember.nn.init.trunc_normal_(ember.empty(100), std=1.0, a=-0.5, b=0.5)
        >>> bool((w.abs() <= 0.5).all())
        True
    """
    rng = _rng(tensor, generator)
    shape = tuple(tensor.shape)
    xp = get_xp(tensor._data)
    out = rng.standard_normal(shape) * std + mean
    for _ in range(1000):  # rejection sampling: exact, and fast unless [a, b] is far out
        bad = (out < a) | (out > b)
        n_bad = int(bad.sum())
        if n_bad == 0:
            break
        out[bad] = rng.standard_normal(n_bad) * std + mean
    return _fill(tensor, xp.clip(out, a, b))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` with ``val``.

    Example:
        >>> ember.nn.init.constant_(ember.empty(2), 0.5)
        tensor([0.5000, 0.5000])
    """
    return _fill(tensor, val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with ones."""
    return _fill(tensor, 1)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with zeros."""
    return _fill(tensor, 0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D ``tensor`` with the identity matrix (ones on the diagonal).

    Example:
        >>> ember.nn.init.eye_(ember.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    xp = get_xp(tensor._data)
    return _fill(tensor, xp.eye(*tensor.shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D conv weight so the convolution is the identity (per group).

    Example:
        >>> w = ember.nn.init.dirac_(ember.empty(2, 2, 3))
        >>> w[0, 0].tolist()
        [0.0, 1.0, 0.0]
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    shape = tuple(tensor.shape)
    if shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = shape[0] // groups
    xp = get_xp(tensor._data)
    arr = xp.zeros(shape, dtype=tensor._data.dtype)
    centre = tuple(s // 2 for s in shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, shape[1])):
            arr[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, arr)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: Generator | None = None) -> Tensor:
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).

    Example:
        >>> w = ember.nn.init.xavier_uniform_(ember.empty(3, 5))
        >>> bool((w.abs() <= (6 / 8) ** 0.5).all())
        True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: Generator | None = None) -> Tensor:
    """Glorot normal: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if 0 in tuple(tensor.shape):
        return 0.0
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: Generator | None = None) -> Tensor:
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan).

    Args:
        tensor: the weight to fill.
        a: the negative slope of the rectifier that follows (for ``"leaky_relu"``).
        mode: ``"fan_in"`` (keeps forward variance) or ``"fan_out"`` (backward variance).
        nonlinearity: the function that follows, for ``calculate_gain``.
        generator: the random stream.

    Example:
        >>> w = ember.nn.init.kaiming_uniform_(ember.empty(4, 3), nonlinearity="relu")
        >>> bool((w.abs() <= 2 ** 0.5 * (3 / 3) ** 0.5).all())
        True
    """
    if 0 in tuple(tensor.shape):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: Generator | None = None) -> Tensor:
    """He normal: N(0, std**2) with std = gain / sqrt(fan). Arguments as ``kaiming_uniform_``."""
    if 0 in tuple(tensor.shape):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Generator | None = None) -> Tensor:
    """Fill ``tensor`` (2-D or more, flattened after dim 0) with a (semi-)orthogonal matrix.

    Example:
        >>> w = ember.nn.init.orthogonal_(ember.empty(3, 3))
        >>> bool(((w @ w.T - ember.eye(3)).abs() < 1e-5).all())
        True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    xp = get_xp(tensor._data)
    flat = xp.asarray(_rng(tensor, generator).standard_normal((rows, cols)))
    if rows < cols:
        flat = flat.T
    q, r = xp.linalg.qr(flat)
    q = q * xp.sign(xp.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (q * gain).reshape(tuple(tensor.shape)))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01,
            generator: Generator | None = None) -> Tensor:
    """Fill a 2-D ``tensor`` with N(0, std**2) and zero a ``sparsity`` fraction of each column."""
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    rng = _rng(tensor, generator)
    arr = rng.standard_normal((rows, cols)) * std
    for col in range(cols):
        idx = get_xp(arr).argsort(rng.random(rows))[:num_zeros]  # a random subset of rows
        arr[idx, col] = 0
    return _fill(tensor, arr)


def _deprecated(fn: Any) -> Any:
    def old(*args: Any, **kwargs: Any) -> Any:
        import warnings

        warnings.warn(
            f"nn.init.{fn.__name__[:-1]} is now deprecated in favor of nn.init.{fn.__name__}.",
            FutureWarning, stacklevel=2,
        )
        return fn(*args, **kwargs)

    old.__name__ = fn.__name__[:-1]
    old.__doc__ = f"Deprecated spelling of ``{fn.__name__}``."
    return old


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
