"""Copies and conversions between dtypes and devices: ``to``, ``clone``, ``copy_``, ``type``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ember import _dtype, backends
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import Device, device_of, get_xp, to_device
from ember.ops._util import grad_needed
from ember.ops.elementwise import where
from ember.ops.inplace import apply_inplace, check_inplace_allowed

__all__ = ["clone", "can_cast", "finfo", "iinfo", "from_dlpack"]

can_cast, finfo, iinfo = _dtype.can_cast, _dtype.finfo, _dtype.iinfo


class Cast(Primitive):
    """Convert to another dtype; the gradient is cast back."""

    @staticmethod
    def forward(ctx, x, np_dtype):
        return x.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        # The engine casts the gradient back to the input's dtype (the real part, for a real input).
        return grad, None


class ToDevice(Primitive):
    """Copy to another device; the gradient is copied back."""

    @staticmethod
    def forward(ctx, x, dev):
        ctx.src = device_of(x)
        return to_device(x, dev)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.src), None


class Clone(Primitive):
    """A copy with its own memory."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


def _parse_to_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    dev = kwargs.pop("device", None)
    dt = kwargs.pop("dtype", None)
    flags = [a for a in args if isinstance(a, bool)]  # positional non_blocking, copy (as torch)
    if len(flags) > 1:
        kwargs.setdefault("copy", flags[1])
    for a in args:
        if isinstance(a, bool):
            continue
        if isinstance(a, Tensor):
            dev, dt = a.device, a.dtype
        elif isinstance(a, _dtype.dtype) or (isinstance(a, type) and a in (float, int, bool)):
            dt = a
        elif isinstance(a, (str, Device)):
            dev = a
        elif isinstance(a, int):
            dev = f"cuda:{a}"
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    unknown = set(kwargs) - {"non_blocking", "copy", "memory_format"}
    if unknown:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(unknown)}")
    return (None if dev is None else Device(dev)), (None if dt is None else _dtype.as_dtype(dt))


def to(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """A tensor with the requested dtype and/or device; ``input`` itself when nothing changes.

    Accepts ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``, each
    optionally followed by ``non_blocking`` and ``copy`` positionally, and the keywords
    ``dtype``, ``device``, ``non_blocking``, ``copy`` and ``memory_format``.

    Example:
        >>> ember.tensor([1, 2]).to(ember.float32)
        tensor([1., 2.])
    """
    dev, dt = _parse_to_args(args, kwargs)
    copy = bool(kwargs.get("copy", False))
    out = input
    if dev is not None and dev != input.device:
        out = ToDevice.apply(out, dev)
    if dt is not None and dt.np != out._data.dtype:
        out = Cast.apply(out, dt.np)
    if copy and out is input:
        out = clone(input)
    return out


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy of ``input`` that owns its memory; gradients flow back to ``input``.

    Example:
        >>> ember.tensor([1.0]).clone()
        tensor([1.])
    """
    return Clone.apply(input)


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast, cast, moved) into ``self``; differentiable with respect to ``src``.

    Args:
        self: the destination.
        src: a tensor, array or number.
        non_blocking: accepted for compatibility.

    Returns:
        ``self``.
    """
    if not isinstance(src, Tensor):
        src = _wrap(get_xp(self._data).asarray(src, dtype=self._data.dtype))
    if src.device != self.device:
        src = to(src, self.device)
    if src._data.dtype != self._data.dtype:
        src = to(src, _dtype.from_numpy_dtype(self._data.dtype))
    if src._data.shape != self._data.shape:
        src = src.expand(self._data.shape)
    if grad_needed(self) and not grad_needed(src):
        # Overwriting part of a graph with a constant: the old values get a zero gradient (a
        # ``where`` that keeps none of them), also through the base of a view.

        none = _wrap(get_xp(self._data).zeros(self._data.shape, dtype=bool))
        return apply_inplace(self, where(none, self, src), "copy_")
    if not grad_needed(src):
        check_inplace_allowed(self, "copy_")
        get_xp(self._data).copyto(self._data, src._data, casting="unsafe")
        self._vc[0] += 1
        return self
    return apply_inplace(self, clone(src), "copy_")


def cpu(input: Tensor) -> Tensor:
    """The tensor in host memory (itself when already there)."""
    return to(input, "cpu")


def cuda(input: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    """The tensor on a CUDA device (``cuda:0`` by default)."""
    if device is None:
        device = "cuda"
    elif isinstance(device, int):
        device = f"cuda:{device}"
    return to(input, device)


def type_as(input: Tensor, other: Tensor) -> Tensor:
    """``input`` cast to ``other``'s dtype."""
    return to(input, other.dtype)


_LEGACY_TYPES = {
    "torch.FloatTensor": _dtype.float32,
    "torch.DoubleTensor": _dtype.float64,
    "torch.HalfTensor": _dtype.float16,
    "torch.BFloat16Tensor": _dtype.bfloat16,
    "torch.LongTensor": _dtype.int64,
    "torch.IntTensor": _dtype.int32,
    "torch.ShortTensor": _dtype.int16,
    "torch.CharTensor": _dtype.int8,
    "torch.ByteTensor": _dtype.uint8,
    "torch.BoolTensor": _dtype.bool,
}
_TYPE_NAMES = {v: k for k, v in _LEGACY_TYPES.items()}


def type_(input: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """With no argument, the type name (``'ember.FloatTensor'``); otherwise a cast.

    Names are accepted with either prefix (``'torch.LongTensor'`` or ``'ember.LongTensor'``).
    """
    if dtype is None:
        name = _TYPE_NAMES[input.dtype].replace("torch.", "ember.")
        return name if input.is_cpu else name.replace("ember.", "ember.cuda.")
    if isinstance(dtype, str):
        key = dtype.replace("ember.", "torch.").replace(".cuda.", ".")
        if key in _LEGACY_TYPES:
            out = to(input, _LEGACY_TYPES[key])
            return cuda(out) if ".cuda." in dtype else out
    if isinstance(dtype, type) and hasattr(dtype, "_legacy_dtype"):
        return to(input, dtype._legacy_dtype)
    return to(input, dtype)


def _caster(dt: _dtype.dtype) -> Any:
    def method(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dt)

    method.__doc__ = f"``self.to({dt})``."
    return method


def pin_memory(input: Tensor, device: Any = None) -> Tensor:
    """A copy of this CPU tensor in pinned (page-locked) memory; itself when already pinned.

    Host-to-GPU copies from pinned memory are faster. Needs CUDA, as in PyTorch.
    """
    if input.device.type != "cpu":
        raise RuntimeError(f"cannot pin '{input.device}' memory: only CPU tensors can be pinned")
    if backends.is_pinned(input._data):
        return input
    return _wrap(backends.pinned_copy(input._data))


def is_pinned(input: Tensor, device: Any = None) -> bool:
    """Whether this tensor lives in pinned host memory."""
    return backends.is_pinned(input._data)


def _dlpack(input: Tensor, *, stream: Any = None, **kwargs: Any) -> Any:
    """Export this tensor's memory as a DLPack capsule (zero-copy), for ``from_dlpack``."""
    if input._requires_grad:
        raise RuntimeError(
            "Can't export tensors that require gradient, use tensor.detach()"
        )
    if stream is None:
        return input._data.__dlpack__(**kwargs)
    return input._data.__dlpack__(stream=stream, **kwargs)


def _dlpack_device(input: Tensor) -> tuple[int, int]:
    """``(device_type, device_id)`` in DLPack's codes: (1, 0) for the CPU, (2, N) for cuda:N."""
    return tuple(int(v) for v in input._data.__dlpack_device__())  # type: ignore[return-value]


def from_dlpack(ext_tensor: Any) -> Tensor:
    """A tensor sharing memory with any DLPack producer (NumPy, CuPy, PyTorch, JAX, ...).

    Args:
        ext_tensor: an object with ``__dlpack__``/``__dlpack_device__``, or a DLPack capsule.

    Returns:
        An ember tensor over the same memory, on the producer's device (no copy).

    Example:
        >>> a = np.arange(3.0)
        >>> t = ember.from_dlpack(a)
        >>> a[0] = 7.0
        >>> t
        tensor([7., 1., 2.], dtype=ember.float64)
    """
    if hasattr(ext_tensor, "__dlpack_device__"):
        kind = int(ext_tensor.__dlpack_device__()[0])
    else:  # a bare capsule: only the consumer can tell; try the host first
        kind = 1
    if kind == 1:
        return _wrap(np.from_dlpack(ext_tensor))
    if kind in (2, 3):  # CUDA, CUDA host
        cp = backends.cupy_module()
        if cp is None:
            raise RuntimeError("from_dlpack: the tensor lives on a CUDA device but CUDA is not "
                               "available (install ember[cuda])")
        return _wrap(cp.from_dlpack(ext_tensor))
    raise RuntimeError(f"from_dlpack: unsupported DLPack device type {kind}")


TENSOR_METHODS = {
    "to": to,
    "__dlpack__": _dlpack,
    "__dlpack_device__": _dlpack_device,
    "pin_memory": pin_memory,
    "is_pinned": is_pinned,
    "clone": clone,
    "copy_": copy_,
    "cpu": cpu,
    "cuda": cuda,
    "type_as": type_as,
    "type": type_,
    "float": _caster(_dtype.float32),
    "double": _caster(_dtype.float64),
    "half": _caster(_dtype.float16),
    "bfloat16": _caster(_dtype.bfloat16),
    "long": _caster(_dtype.int64),
    "int": _caster(_dtype.int32),
    "short": _caster(_dtype.int16),
    "char": _caster(_dtype.int8),
    "byte": _caster(_dtype.uint8),
    "bool": _caster(_dtype.bool),
}
