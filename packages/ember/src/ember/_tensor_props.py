"""Tensor device-type flags and predicates PyTorch programs probe (``is_xpu``, ``is_mps``, ...).

Attached to ``Tensor`` by ``ember/__init__.py``. ember tensors live on the CPU or a CUDA GPU,
are dense, strided and not quantized, so every other device or layout flag is False.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TENSOR_PROPERTIES", "TENSOR_METHODS"]

_FALSE_FLAGS = (
    "is_xpu",
    "is_mps",
    "is_ipu",
    "is_xla",
    "is_vulkan",
    "is_mkldnn",
    "is_mtia",
    "is_maia",
    "is_nested",
    "is_sparse_csr",
    "is_meta",
    "is_quantized",
    "is_sparse",
)


def _false_flag(name: str) -> property:
    def get(self: Any) -> bool:
        return False

    get.__doc__ = f"False: ember has no {name[3:]} tensors."
    return property(get)


def is_nonzero(self: Any) -> bool:
    """The truth value of a one-element tensor (RuntimeError for more or fewer elements)."""
    n = self.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(self.item())


def is_distributed(self: Any) -> bool:
    """False: ember tensors are never distributed objects."""
    return False


def is_coalesced(self: Any) -> bool:
    """Sparse-only in PyTorch: raises for dense tensors, as PyTorch does."""
    raise RuntimeError("is_coalesced expected sparse coordinate tensor layout but got Strided")


def is_set_to(self: Any, tensor: Any) -> bool:
    """True when both tensors view the same memory with the same shape and strides."""
    a, b = self._data, tensor._data
    same_base = (
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
        if hasattr(a, "__array_interface__")
        else a.data.ptr == b.data.ptr
    )
    return bool(same_base and a.shape == b.shape and a.strides == b.strides and a.dtype == b.dtype)


TENSOR_PROPERTIES = {name: _false_flag(name) for name in _FALSE_FLAGS}
TENSOR_METHODS = {
    "is_nonzero": is_nonzero,
    "is_distributed": is_distributed,
    "is_coalesced": is_coalesced,
    "is_set_to": is_set_to,
}
