"""Random number generation: ``Generator``, ``manual_seed`` and the random factories.

Each device has its own default generator. CPU streams come from NumPy's PCG64, so a seed gives
the same numbers on every platform (they differ from PyTorch's, which uses another algorithm).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ember import _dtype
from ember._argcheck import size_arg
from ember._tensor import Tensor, _wrap
from ember.backends import CPU, Device, cupy_module, device_scope, xp_for
from ember.backends.meta import MetaRNG

__all__ = [
    "Generator",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
    "default_generator",
    "rand",
    "randn",
    "randint",
    "randperm",
    "normal",
    "bernoulli",
    "multinomial",
    "rand_like",
    "randn_like",
    "randint_like",
    "poisson",
]

_DEFAULT_SEED = 67280421310721


class Generator:
    """A random number stream on one device; pass it as ``generator=`` for reproducible draws.

    Args:
        device: ``"cpu"`` (default) or ``"cuda:N"``.

    Example:
        >>> g = ember.Generator().manual_seed(0)
        >>> ember.rand(2, generator=g).shape
        ember.Size([2])
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = Device(device)
        self._seed = _DEFAULT_SEED
        self._rng: Any = None

    def manual_seed(self, seed: int) -> Generator:
        """Reset the stream from ``seed`` and return the generator."""
        seed = int(seed)
        self._seed = seed
        self._rng = None
        return self

    def seed(self) -> int:
        """Reseed from the OS's entropy and return the new seed."""
        new = int(np.random.SeedSequence().entropy) % (2**63)
        self.manual_seed(new)
        return new

    def initial_seed(self) -> int:
        """The seed the stream started from."""
        return self._seed

    @property
    def rng(self) -> Any:
        """The backing NumPy/CuPy generator (created on first use)."""
        if self._rng is None:
            if self.device.type == "cpu":
                self._rng = np.random.Generator(np.random.PCG64(self._seed % (2**64)))
            elif self.device.type == "meta":
                self._rng = MetaRNG()  # draws have a shape and dtype, no values
            else:
                cp = xp_for(self.device)
                with cp.cuda.Device(self.device.index or 0):
                    self._rng = _OnDevice(cp.random.default_rng(self._seed % (2**63)),
                                          self.device)
        return self._rng

    def get_state(self) -> Tensor:
        """The stream's state as a uint8 tensor (for ``set_state``)."""
        if self.device.type != "cpu":
            raise NotImplementedError("get_state is only supported for CPU generators")
        blob = json.dumps({"seed": self._seed, "state": self.rng.bit_generator.state})
        return _wrap(np.frombuffer(blob.encode(), dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state returned by ``get_state``."""
        data = json.loads(bytes(np.asarray(new_state._data, dtype=np.uint8)).decode())
        self._seed = data["seed"]
        self.rng.bit_generator.state = data["state"]
        return self

    def __repr__(self) -> str:
        return f"<ember.Generator device={self.device}>"


class _OnDevice:
    """A CuPy generator whose draws land on its own GPU, whichever GPU is current."""

    def __init__(self, rng: Any, device: Device) -> None:
        self._rng, self._device = rng, device

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._rng, name)
        if not callable(attr):
            return attr

        def draw(*args: Any, **kwargs: Any) -> Any:
            with device_scope(self._device):
                return attr(*args, **kwargs)

        return draw


_generators: dict[Device, Generator] = {CPU: Generator("cpu")}
default_generator = _generators[CPU]


def _gen_for(device: Device, generator: Generator | None) -> Generator:
    if generator is not None:
        if generator.device != device:
            raise RuntimeError(
                f"Expected a '{device.type}' device type for generator but found "
                f"'{generator.device.type}'"
            )
        return generator
    gen = _generators.get(device)
    if gen is None:
        gen = _generators[device] = Generator(device).manual_seed(default_generator._seed)
    return gen


def manual_seed(seed: int) -> Generator:
    """Seed every device's default generator; returns the CPU one.

    Example:
        >>> ember.manual_seed(0)
        <ember.Generator device=cpu>
    """
    seed = int(seed)
    for gen in _generators.values():
        gen.manual_seed(seed)
    import random as _py_random  # noqa: F401 - PyTorch leaves Python's RNG alone too

    return default_generator


def seed() -> int:
    """Seed the default generators non-deterministically and return the seed."""
    s = default_generator.seed()
    manual_seed(s)
    return s


def initial_seed() -> int:
    """The seed of the default CPU generator."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default CPU generator's state."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default CPU generator's state."""
    default_generator.set_state(new_state)


def _float_dt(dtype: Any) -> np.dtype:
    dt = _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)
    if not dt.is_floating_point:
        raise NotImplementedError(
            f"random floats (rand/randn/normal) need a floating dtype, got {dt}"
        )
    return dt.np


def _finish(arr: Any, requires_grad: bool) -> Tensor:
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _dev(device: Any, generator: Generator | None) -> Device:
    if device is not None:
        return Device(device)
    if generator is not None:
        return generator.device
    from ember._creation import _Default

    return _Default.device


def _uniform(rng: Any, shape: tuple[int, ...], np_dt: np.dtype) -> Any:
    if np_dt.itemsize == 2:  # float16, bfloat16: NumPy draws float32 at the least
        return rng.random(shape, dtype=np.float32).astype(np_dt)
    return rng.random(shape, dtype=np_dt)


def _standard_normal(rng: Any, shape: tuple[int, ...], np_dt: np.dtype) -> Any:
    if np_dt.itemsize == 2:  # float16, bfloat16: NumPy draws float32 at the least
        return rng.standard_normal(shape, dtype=np.float32).astype(np_dt)
    return rng.standard_normal(shape, dtype=np_dt)


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    out: Any = None,
) -> Tensor:
    """Uniform samples on [0, 1).

    Example:
        >>> ember.rand(2, 3).shape
        ember.Size([2, 3])
    """
    dev = _dev(device, generator)
    rng = _gen_for(dev, generator).rng
    return _finish(_uniform(rng, size_arg("rand", size), _float_dt(dtype)), requires_grad)


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    out: Any = None,
) -> Tensor:
    """Standard normal samples.

    Example:
        >>> ember.randn(4).shape
        ember.Size([4])
    """
    dev = _dev(device, generator)
    rng = _gen_for(dev, generator).rng
    return _finish(
        _standard_normal(rng, size_arg("randn", size), _float_dt(dtype)), requires_grad
    )


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)`` also works).

    Example:
        >>> ember.randint(0, 10, (3,)).dtype
        ember.int64
    """
    if size is None:
        low, high, size = 0, low, high  # randint(high, size)
    elif high is None:
        low, high = 0, low  # randint(high, size=...)
    if size is None or high is None:
        raise TypeError("randint() missing required argument 'size'")
    if int(high) <= int(low):
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dev = _dev(device, generator)
    rng = _gen_for(dev, generator).rng
    np_dt = (_dtype.int64 if dtype is None else _dtype.as_dtype(dtype)).np
    arr = rng.integers(int(low), int(high), size=tuple(size)).astype(np_dt)
    return _finish(arr, requires_grad)


def randperm(
    n: int,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0..n-1.

    Example:
        >>> sorted(ember.randperm(4).tolist())
        [0, 1, 2, 3]
    """
    dev = _dev(device, generator)
    rng = _gen_for(dev, generator).rng
    np_dt = (_dtype.int64 if dtype is None else _dtype.as_dtype(dtype)).np
    (n,) = size_arg("randperm", (n,))
    return _finish(rng.permutation(n).astype(np_dt), requires_grad)


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Normal samples with the given ``mean`` and ``std`` (numbers or tensors, broadcast).

    Example:
        >>> ember.normal(0.0, 1.0, size=(3,)).shape
        ember.Size([3])
    """
    like = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    if like is not None:
        shape = np.broadcast_shapes(getattr(mean, "shape", ()), getattr(std, "shape", ()))
        dev = like.device
        z = _standard_normal(_gen_for(dev, generator).rng, tuple(shape), like._data.dtype)
        return (_wrap(z) * std + mean).detach()
    if size is None:
        raise TypeError("normal() with float mean and std needs a size")
    z = randn(*size_arg("normal", (size,)), generator=generator, dtype=dtype, device=device)
    out = _wrap(z._data * z._data.dtype.type(std) + z._data.dtype.type(mean))
    if requires_grad:
        out.requires_grad_(True)
    return out


def bernoulli(
    input: Tensor, p: float | None = None, *, generator: Generator | None = None
) -> Tensor:
    """Draw 0/1 with probability ``input`` (or the scalar ``p``), in ``input``'s dtype.

    Example:
        >>> ember.bernoulli(ember.full((3,), 1.0))
        tensor([1., 1., 1.])
    """
    rng = _gen_for(input.device, generator).rng
    probs = input._data if p is None else p
    u = _uniform(
        rng,
        input._data.shape,
        np.dtype(np.float64) if _dtype.np_kind(input._data.dtype) != "f" else input._data.dtype,
    )
    return _wrap((u < probs).astype(input._data.dtype))


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """Poisson samples with rates ``input``."""
    rng = _gen_for(input.device, generator).rng
    return _wrap(rng.poisson(input._data).astype(input._data.dtype))


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Generator | None = None,
) -> Tensor:
    """Draw category indices from the (unnormalised) weights in each row of ``input``.

    Args:
        input: weights of shape (C,) or (N, C); non-negative, finite, not all zero.
        num_samples: draws per row.
        replacement: draw with replacement.
        generator: the random stream.

    Returns:
        int64 indices of shape (num_samples,) or (N, num_samples).

    Example:
        >>> ember.multinomial(ember.tensor([0.0, 1.0]), 2, replacement=True)
        tensor([1, 1])
    """
    w = np.asarray(input.__array__(), dtype=np.float64)
    rows = w.reshape(-1, w.shape[-1]) if w.ndim else None
    if rows is None or w.ndim > 2:
        raise RuntimeError("multinomial: prob_dist must be 1 or 2 dim")
    if (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError(
            "multinomial: probability tensor contains either `inf`, `nan` or element < 0"
        )
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError(
            "multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    rng = _gen_for(CPU, generator if generator is None or generator.device == CPU else None).rng
    out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for i, row in enumerate(rows):
        total = row.sum()
        if total <= 0:
            raise RuntimeError(
                "multinomial: invalid multinomial distribution (sum of probabilities <= 0)"
            )
        p = row / total
        if replacement:
            out[i] = rng.choice(len(p), size=num_samples, replace=True, p=p)
        else:
            # Gumbel-top-k draws without replacement in one pass.
            keys = np.log(rng.random(len(p))) / np.where(p > 0, p, np.nan)
            keys = np.where(p > 0, keys, -np.inf)
            out[i] = np.argsort(-keys, kind="stable")[:num_samples]
    res = out if w.ndim == 2 else out[0]
    return _wrap(res).to(input.device)


def rand_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Uniform [0, 1) samples with ``input``'s shape, dtype and device."""
    return rand(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def randn_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal samples with ``input``'s shape, dtype and device."""
    return randn(
        input.shape,
        dtype=dtype or input.dtype,
        device=device or input.device,
        requires_grad=requires_grad,
    )


def randint_like(
    input: Tensor, low: int, high: Any = None, *, dtype: Any = None, device: Any = None
) -> Tensor:
    """Random integers with ``input``'s shape."""
    if high is None:
        low, high = 0, low
    return randint(
        low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device
    )


def _cupy_available() -> bool:
    return cupy_module() is not None


def _fill_random(self: Tensor, arr: Any) -> Tensor:
    from ember.ops.inplace import check_inplace_allowed

    check_inplace_allowed(self, "random fill")
    xp = xp_for(self.device)
    xp.copyto(self._data, xp.asarray(arr), casting="unsafe")
    self._vc[0] += 1
    return self


def _draw_dtype(t: Tensor) -> np.dtype:
    """Draw in the tensor's own float precision (float32 fills of big weights are 2x cheaper)."""
    dt = t._data.dtype
    return np.dtype(dt) if _dtype.np_kind(dt) == "f" and dt.itemsize >= 4 else np.dtype(np.float64)


def uniform_(
    self: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``self`` with samples from U(a, b) in place."""
    u = _uniform(_gen_for(self.device, generator).rng, self._data.shape, _draw_dtype(self))
    u *= b - a
    u += a
    return _fill_random(self, u)


def normal_(
    self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``self`` with samples from N(mean, std**2) in place."""
    z = _standard_normal(_gen_for(self.device, generator).rng, self._data.shape, _draw_dtype(self))
    z *= std
    z += mean
    return _fill_random(self, z)


def bernoulli_(self: Tensor, p: float = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill ``self`` with 0/1 draws that are 1 with probability ``p`` (a number or tensor)."""
    u = _uniform(_gen_for(self.device, generator).rng, self._data.shape, np.dtype(np.float64))
    probs = p._data if isinstance(p, Tensor) else p
    return _fill_random(self, u < probs)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill ``self`` with exponential samples of rate ``lambd``."""
    rng = _gen_for(self.device, generator).rng
    return _fill_random(self, rng.exponential(1.0 / lambd, self._data.shape))


def random_(
    self: Tensor, from_: int = 0, to: int | None = None, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``self`` with integers drawn uniformly from [from_, to)."""
    if to is None:
        from_, to = 0, from_ if from_ else 2**24
    rng = _gen_for(self.device, generator).rng
    return _fill_random(self, rng.integers(from_, to, self._data.shape))


def cauchy_(
    self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``self`` with Cauchy samples: ``median + sigma * tan(pi * (u - 1/2))``."""
    u = _uniform(_gen_for(self.device, generator).rng, self._data.shape, np.dtype(np.float64))
    return _fill_random(self, median + sigma * np.tan(np.pi * (u - 0.5)))


def log_normal_(
    self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: Generator | None = None
) -> Tensor:
    """Fill ``self`` with ``exp(N(mean, std**2))`` samples."""
    z = _standard_normal(_gen_for(self.device, generator).rng, self._data.shape, np.float64)
    return _fill_random(self, np.exp(mean + std * z))


def geometric_(self: Tensor, p: float, *, generator: Generator | None = None) -> Tensor:
    """Fill ``self`` with the number of Bernoulli(``p``) trials up to the first success (>= 1)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    u = _uniform(_gen_for(self.device, generator).rng, self._data.shape, np.dtype(np.float64))
    return _fill_random(self, np.ceil(np.log1p(-u) / np.log1p(-p)).clip(min=1))


TENSOR_METHODS = {
    "cauchy_": cauchy_,
    "log_normal_": log_normal_,
    "geometric_": geometric_,
    "uniform_": uniform_,
    "normal_": normal_,
    "bernoulli_": bernoulli_,
    "exponential_": exponential_,
    "random_": random_,
    "bernoulli": lambda self, p=None, *, generator=None: bernoulli(self, p, generator=generator),
    "multinomial": multinomial,
}
