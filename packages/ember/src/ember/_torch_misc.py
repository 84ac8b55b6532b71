"""The rest of PyTorch's top-level functions that programs call: debug and runtime switches,
``torch.cond``/``fork``/``wait``, the ``sym_*`` helpers of symbolic shapes (plain Python numbers
here), deprecated spellings (``range``, ``frobenius_norm``, ``nuclear_norm``), ``frombuffer``,
``typename``, and the Python-callable Tensor methods ``apply_``/``map_``/``map2_``.

Example:
    >>> ember.sym_max(2, 3), ember.typename(ember.zeros(1))
    (3, 'ember.FloatTensor')
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ember import _dtype, _runtime, linalg
from ember._creation import arange
from ember._tensor import Tensor, _wrap
from ember.autograd import anomaly
from ember.autograd.grad_mode import no_grad
from ember.ops.shape import stack

__all__ = [
    "compiled_with_cxx11_abi",
    "cond",
    "cudnn_is_acceptable",
    "detach",
    "fork",
    "frobenius_norm",
    "frombuffer",
    "get_deterministic_debug_mode",
    "init_num_threads",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_distributed",
    "is_inference",
    "is_storage",
    "is_vulkan_available",
    "is_warn_always_enabled",
    "nuclear_norm",
    "range",
    "set_anomaly_enabled",
    "set_deterministic_debug_mode",
    "set_flush_denormal",
    "set_warn_always",
    "sym_float",
    "sym_int",
    "sym_ite",
    "sym_max",
    "sym_min",
    "sym_not",
    "sym_sqrt",
    "sym_sum",
    "typename",
    "wait",
    "vmap",
]


class _State:
    warn_always = False


# -- runtime and debug switches ------------------------------------------------------------------
def set_warn_always(b: bool) -> None:
    """Record PyTorch's "warn every time" flag (ember's warnings follow Python's filters)."""
    _State.warn_always = bool(b)


def is_warn_always_enabled() -> bool:
    """The flag set by ``set_warn_always``."""
    return _State.warn_always


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off for the whole process (``autograd.detect_anomaly``)."""
    anomaly._State.enabled = bool(enabled)
    anomaly._State.check_nan = bool(check_nan)


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on."""
    return anomaly.is_enabled()


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection raises on NaN gradients."""
    return anomaly._State.check_nan


def set_deterministic_debug_mode(debug_mode: int | str) -> None:
    """0/"default", 1/"warn", 2/"error": ``use_deterministic_algorithms`` in PyTorch's encoding."""
    modes = {"default": 0, "warn": 1, "error": 2}
    mode = modes[debug_mode] if isinstance(debug_mode, str) else int(debug_mode)
    if mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got {mode}")
    _runtime.use_deterministic_algorithms(mode > 0, warn_only=mode == 1)


def get_deterministic_debug_mode() -> int:
    """The mode ``set_deterministic_debug_mode`` set (0, 1 or 2)."""
    if not _runtime.are_deterministic_algorithms_enabled():
        return 0
    return 1 if _runtime.is_deterministic_algorithms_warn_only_enabled() else 2


def set_flush_denormal(mode: bool) -> bool:
    """Denormal flushing is not available on NumPy: returns False, as PyTorch does on CPUs
    without support."""
    return False


def init_num_threads() -> None:
    """Nothing to do: BLAS threads are set with ``ember.set_num_threads``."""


def compiled_with_cxx11_abi() -> bool:
    """True (a compatibility flag; ember has no C++ extensions)."""
    return True


def is_vulkan_available() -> bool:
    """False: there is no Vulkan backend."""
    return False


def cudnn_is_acceptable(tensor: Tensor) -> bool:
    """False: ember's CUDA kernels do not go through cuDNN."""
    return False


# -- tensor predicates and helpers ---------------------------------------------------------------
def is_inference(input: Tensor) -> bool:
    """``input.is_inference()``."""
    return input.is_inference()


def is_distributed(input: Tensor) -> bool:
    """False: ember tensors are never distributed."""
    return False


def is_storage(obj: Any) -> bool:
    """False: ember has no separate storage objects."""
    return False


def detach(input: Tensor) -> Tensor:
    """``input.detach()``."""
    return input.detach()


def typename(obj: Any) -> str:
    """The type name of ``obj``: ``'ember.FloatTensor'`` for a float32 tensor (PyTorch's
    ``'torch.FloatTensor'``), else the Python type's qualified name."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", "__builtin__", None) else f"{module}.{name}"


def frombuffer(
    buffer: Any, *, dtype: Any, count: int = -1, offset: int = 0, requires_grad: bool = False
) -> Tensor:
    """A 1-D tensor sharing memory with a Python buffer (``bytes``, ``bytearray``, ``array``).

    Example:
        >>> ember.frombuffer(bytearray(b"\\x01\\x00\\x00\\x00"), dtype=ember.int32)
        tensor([1], dtype=ember.int32)
    """
    arr = np.frombuffer(buffer, dtype=_dtype.as_dtype(dtype).np, count=count, offset=offset)
    if not arr.flags.writeable:
        warnings.warn(
            "The given buffer is not writable; the tensor must not be written to.",
            UserWarning,
            stacklevel=2,
        )
    out = _wrap(arr)
    return out.requires_grad_(True) if requires_grad else out


def range(
    start: float = 0,
    end: float | None = None,
    step: float = 1,
    *,  # noqa: A001
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Deprecated: ``start, start + step, ..., end`` with ``end`` included, float by default.
    Use ``arange`` (which excludes ``end``).

    Example:
        >>> ember.range(0, 1, 0.5)
        tensor([0.0000, 0.5000, 1.0000])
    """
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its "
        "behavior is inconsistent with Python's range builtin. Instead, use torch.arange,"
        " which produces values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    if end is None:
        start, end = 0, start
    n = int(math.floor((end - start) / step)) + 1
    dt = dtype or _dtype.get_default_dtype()
    out = arange(n, dtype=_dtype.float64, device=device) * step + start
    return out.to(dt).requires_grad_(requires_grad)


def frobenius_norm(input: Tensor, dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:
    """Deprecated: ``linalg.vector_norm(input, 2, dim, keepdim)``."""
    return linalg.vector_norm(input, 2, dim, keepdim)


def nuclear_norm(input: Tensor, dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:
    """Deprecated: ``linalg.matrix_norm(input, 'nuc', dim, keepdim)``."""
    if isinstance(dim, bool):  # nuclear_norm(input, keepdim) is PyTorch's other overload
        dim, keepdim = (-2, -1), dim
    return linalg.matrix_norm(input, "nuc", dim, keepdim)


# -- control flow --------------------------------------------------------------------------------
def cond(
    pred: Any, true_fn: Callable[..., Any], false_fn: Callable[..., Any], operands: Any = ()
) -> Any:
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)`` (eagerly, as PyTorch
    does outside ``torch.compile``)."""
    chosen = true_fn if bool(pred.item() if isinstance(pred, Tensor) else pred) else false_fn
    return chosen(*operands)


class _Future:
    """The result of ``fork``: already computed (ember runs it at once)."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def wait(self) -> Any:
        return self._value


def fork(func: Callable[..., Any], *args: Any, **kwargs: Any) -> _Future:
    """Run ``func(*args, **kwargs)`` and return a future holding its result."""
    return _Future(func(*args, **kwargs))


def wait(future: _Future) -> Any:
    """The result of a ``fork``."""
    return future.wait()


# -- vmap ----------------------------------------------------------------------------------------
def _map_leaves(fn: Callable[[Any, Any], Any], tree: Any, dims: Any) -> Any:
    """Apply ``fn(leaf, dim)`` over a pytree of tuples/lists/dicts, ``dims`` broadcasting."""
    if isinstance(tree, (tuple, list)):
        ds = dims if isinstance(dims, (tuple, list)) else [dims] * len(tree)
        if len(ds) != len(tree):
            raise ValueError(
                f"vmap: in_dims is not compatible with the structure of the inputs: expected "
                f"{len(tree)} entries, got {len(ds)}"
            )
        return type(tree)(_map_leaves(fn, t, d) for t, d in zip(tree, ds))
    if isinstance(tree, dict):
        return {
            k: _map_leaves(fn, v, dims[k] if isinstance(dims, dict) else dims)
            for k, v in tree.items()
        }
    return fn(tree, dims)


def _batch_size(args: Any, in_dims: Any) -> int:
    sizes: list[int] = []

    def visit(leaf: Any, dim: Any) -> None:
        if dim is None:
            return
        if not isinstance(leaf, Tensor):
            raise ValueError(
                f"vmap: in_dim={dim} given for an input of type {type(leaf).__name__}; only "
                "Tensor inputs can be mapped over (use None for the others)"
            )
        sizes.append(leaf.shape[dim])

    _map_leaves(visit, args, in_dims)
    if not sizes:
        raise ValueError("vmap: at least one input must be mapped over (in_dims are all None)")
    if len(set(sizes)) > 1:
        raise ValueError(
            f"vmap: Expected all tensors to have the same size in the mapped dimension, got "
            f"sizes {sizes} for the mapped dimension"
        )
    return sizes[0]


def _stack_outputs(outs: list[Any], out_dims: Any) -> Any:
    first = outs[0]
    if isinstance(first, (tuple, list)):
        ds = out_dims if isinstance(out_dims, (tuple, list)) else [out_dims] * len(first)
        return type(first)(_stack_outputs([o[i] for o in outs], d) for i, d in enumerate(ds))
    if isinstance(first, dict):
        return {k: _stack_outputs([o[k] for o in outs], out_dims) for k in first}
    if not isinstance(first, Tensor):
        raise ValueError(
            f"vmap: the function must return Tensors (or tuples of them), got "
            f"{type(first).__name__}"
        )
    return stack(outs, out_dims)


def vmap(
    func: Callable[..., Any],
    in_dims: Any = 0,
    out_dims: Any = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Callable[..., Any]:
    """``func`` mapped over a batch dimension of its inputs, as ``torch.vmap``.

    ember runs ``func`` once per batch element and stacks the results (a loop, not a batching
    transform: correct for any ``func`` built from ember ops, differentiable, but as slow as the
    loop). ``randomness`` and ``chunk_size`` are accepted; every call draws its own random
    numbers ("different").

    Args:
        func: the function of one example.
        in_dims: for each positional argument, the dim to map over (None: pass it whole); an int
            applies to every argument; nested tuples/lists/dicts follow the arguments' structure.
        out_dims: where the batch dim goes in each output.

    Returns:
        The batched function.

    Example:
        >>> dot = lambda a, b: (a * b).sum()
        >>> ember.vmap(dot)(ember.ones(3, 2), ember.ones(3, 2))
        tensor([2., 2., 2.])
    """

    def batched(*args: Any, **kwargs: Any) -> Any:
        dims = in_dims if isinstance(in_dims, (tuple, list)) else [in_dims] * len(args)
        if len(dims) != len(args):
            raise ValueError(
                f"vmap: in_dims has {len(dims)} entries but the function got {len(args)} "
                "positional arguments"
            )
        n = _batch_size(list(args), list(dims))
        outs = []
        for i in builtins.range(n):

            def pick(leaf: Any, dim: Any, i: int = i) -> Any:
                return leaf if dim is None else leaf.select(dim, i)

            outs.append(func(*_map_leaves(pick, list(args), list(dims)), **kwargs))
        return _stack_outputs(outs, out_dims)

    batched.__name__ = getattr(func, "__name__", "vmapped")
    batched.__doc__ = func.__doc__
    return batched


# -- symbolic-shape helpers (concrete numbers in eager mode) -------------------------------------
def sym_int(a: Any) -> int:
    """``int(a)`` (towards zero)."""
    return int(a)


def sym_float(a: Any) -> float:
    """``float(a)``."""
    return float(a)


def sym_max(a: Any, b: Any) -> Any:
    """``max(a, b)``."""
    return builtins.max(a, b)


def sym_min(a: Any, b: Any) -> Any:
    """``min(a, b)``."""
    return builtins.min(a, b)


def sym_not(a: Any) -> bool:
    """``not a``."""
    return not a


def sym_sqrt(a: Any) -> float:
    """``math.sqrt(a)``."""
    return math.sqrt(a)


def sym_sum(args: Any) -> Any:
    """``sum(args)``."""
    return builtins.sum(args)


def sym_ite(b: Any, t: Any, f: Any) -> Any:
    """``t if b else f``."""
    return t if b else f


# -- Tensor methods taking Python callables (CPU only, as PyTorch) -------------------------------
def _cpu_only(self: Tensor, name: str) -> None:
    if not self.is_cpu:
        raise TypeError(f"{name} is only implemented on CPU tensors")


def _apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:  # noqa: A002
    """Replace each element ``v`` with ``callable(v)`` in place (slow; CPU only)."""
    _cpu_only(self, "apply_")
    with no_grad():
        flat = [callable(v) for v in self._data.reshape(-1).tolist()]
        self.copy_(_wrap(np.asarray(flat).reshape(self._data.shape)))
    return self


def _map_(self: Tensor, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:  # noqa: A002
    """``self[i] = callable(self[i], tensor[i])`` in place (``tensor`` broadcasts; CPU only)."""
    _cpu_only(self, "map_")
    other = np.broadcast_to(tensor._data, self._data.shape).reshape(-1).tolist()
    with no_grad():
        flat = [callable(a, b) for a, b in zip(self._data.reshape(-1).tolist(), other)]
        self.copy_(_wrap(np.asarray(flat).reshape(self._data.shape)))
    return self


def _map2_(self: Tensor, x: Tensor, y: Tensor, callable: Callable[..., Any]) -> Tensor:  # noqa: A002
    """``self[i] = callable(self[i], x[i], y[i])`` in place (CPU only)."""
    _cpu_only(self, "map2_")
    xs = np.broadcast_to(x._data, self._data.shape).reshape(-1).tolist()
    ys = np.broadcast_to(y._data, self._data.shape).reshape(-1).tolist()
    with no_grad():
        flat = [callable(a, b, c) for a, b, c in zip(self._data.reshape(-1).tolist(), xs, ys)]
        self.copy_(_wrap(np.asarray(flat).reshape(self._data.shape)))
    return self


def _dense_dim(self: Tensor) -> int:
    """Every dimension of a dense tensor is dense."""
    return self._data.ndim


def _sparse_dim(self: Tensor) -> int:
    """A dense tensor has no sparse dimensions."""
    return 0


def _to_dense(self: Tensor, dtype: Any = None, *, masked_grad: Any = None) -> Tensor:
    """``self`` (already dense), cast to ``dtype`` when given."""
    return self if dtype is None else self.to(dtype)


def _record_stream(self: Tensor, stream: Any) -> None:
    """Accepted for compatibility: CuPy's memory pool keeps the memory until it is freed."""


def _const_data_ptr(self: Tensor) -> int:
    """``data_ptr()``."""
    return self.data_ptr()


def _as_subclass(self: Tensor, cls: type) -> Tensor:
    """A ``cls`` instance sharing ``self``'s data and staying attached to its graph (a view)."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError(f"as_subclass: expected a subclass of Tensor, got {cls!r}")
    out = self.view_as(self)
    out.__class__ = cls
    return out


TENSOR_METHODS: dict[str, Any] = {
    "as_subclass": _as_subclass,
    "apply_": _apply_,
    "map_": _map_,
    "map2_": _map2_,
    "dense_dim": _dense_dim,
    "sparse_dim": _sparse_dim,
    "to_dense": _to_dense,
    "record_stream": _record_stream,
    "const_data_ptr": _const_data_ptr,
}
