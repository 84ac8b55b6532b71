"""The Tensor: an n-dimensional NumPy or CuPy array plus autograd metadata.

Methods are thin calls into ``ember.ops``; most of them are attached from the op modules'
``TENSOR_METHODS`` tables (see ``ember/ops/__init__.py``), so an op is defined in one place.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._printing import tensor_repr
from ember.backends import CPU, Device, device_of
from ember.backends.meta import MetaArray, from_meta

__all__ = ["Tensor", "Size", "_wrap"]


class Size(tuple):
    """The shape of a tensor: a tuple of ints that prints as ``ember.Size([2, 3])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ember.Size({list(self)})"

    def __getitem__(self, key: Any) -> Any:
        out = tuple.__getitem__(self, key)
        return tuple.__new__(Size, out) if isinstance(key, slice) else out

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return tuple.__new__(Size, tuple(other) + tuple(self))

    def __mul__(self, n: Any) -> Size:
        return tuple.__new__(Size, tuple(self) * n)

    __rmul__ = __mul__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        n = 1
        for s in self:
            n *= s
        return n


class RemovableHandle:
    """Returned by ``register_hook``-style calls; ``remove()`` undoes the registration."""

    def __init__(self, container: Any, item: Any) -> None:
        self._container = container
        self._item = item

    def remove(self) -> None:
        """Unregister the hook (idempotent)."""
        try:
            self._container.remove(self._item)
        except ValueError:
            pass

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _root_array(arr: Any) -> Any:
    """The array owning ``arr``'s memory (through ``as_strided`` helper objects too)."""
    root, node = arr, arr
    while getattr(node, "base", None) is not None:
        node = node.base
        if hasattr(node, "dtype") and hasattr(node, "shape"):
            root = node
    return root


def _address(arr: Any) -> int:
    if type(arr) is np.ndarray:
        return int(arr.__array_interface__["data"][0])
    return int(arr.data.ptr)


class _Storage:
    """A block of memory shared by a tensor and its views (``untyped_storage()``/``storage()``)."""

    _live: weakref.WeakValueDictionary[int, _Storage] = weakref.WeakValueDictionary()

    def __init__(self, root: Any, dtype: Any = None) -> None:
        self._root = root
        self.dtype = dtype

    @classmethod
    def of(cls, arr: Any) -> _Storage:
        root = _root_array(arr)
        found = cls._live.get(id(root))
        if found is None or found._root is not root:
            found = cls(root)
            cls._live[id(root)] = found
        return found

    def typed(self, dtype: Any) -> _Storage:
        return _Storage(self._root, dtype)

    def _flat(self) -> Any:
        flat = self._root.reshape(-1) if self._root.flags.c_contiguous else self._root.ravel()
        return flat.view(self.dtype) if self.dtype is not None else flat.view(np.uint8)

    def nbytes(self) -> int:
        """Size of the block in bytes."""
        return int(self._root.nbytes)

    def data_ptr(self) -> int:
        """Address of the first byte."""
        return _address(self._root)

    def size(self) -> int:
        """Bytes (untyped) or elements (typed) in the block."""
        return int(self._flat().size)

    __len__ = size

    def element_size(self) -> int:
        """Bytes per element."""
        return int(self._flat().itemsize)

    def tolist(self) -> list[Any]:
        """The elements as a Python list."""
        flat = self._flat()
        return (flat.get() if type(flat) is not np.ndarray else flat).tolist()

    def __getitem__(self, i: Any) -> Any:
        return self._flat()[i].item()

    def __repr__(self) -> str:
        body = "\n".join(f" {v}" for v in self.tolist())
        kind = "TypedStorage" if self.dtype is not None else "UntypedStorage"
        return f"{body}\n[ember.storage.{kind} of size {self.size()}]"


def _check_grad(t: Tensor, g: Any) -> None:
    """PyTorch's checks when a gradient is assigned to ``t.grad``."""
    if not isinstance(g, Tensor):
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                        f"{type(g).__name__}")
    if g._data.shape != t._data.shape:
        raise RuntimeError(f"attempting to assign a gradient of size '{list(g._data.shape)}' to "
                           f"a tensor of size '{list(t._data.shape)}'. Please ensure that the "
                           "gradient and the tensor are the same size")
    if g._data.dtype != t._data.dtype:
        raise RuntimeError(f"attempting to assign a gradient with dtype '{g.dtype}' to a tensor "
                           f"with dtype '{t.dtype}'. Please ensure that the gradient and the "
                           "tensor have the same dtype")
    if type(g._data) is not type(t._data):
        raise RuntimeError(f"attempting to assign a gradient on device {g.device} to a tensor on "
                           f"device {t.device}. Please ensure that the gradient and the tensor "
                           "are on the same device")


class Tensor:
    """A multi-dimensional array that records operations for automatic differentiation.

    Build tensors with ``ember.tensor``, ``ember.zeros`` and friends. ``Tensor(...)`` itself is the
    legacy constructor: ``Tensor(2, 3)`` is an uninitialised float32 tensor of shape (2, 3) and
    ``Tensor([1, 2])`` copies data as float32.

    Example:
        >>> x = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([[2., 4.],
                [6., 8.]])
    """

    __slots__ = ("_data", "_requires_grad", "grad_fn", "_vc", "__dict__", "__weakref__")
    __array_priority__ = 1000  # NumPy defers mixed operators to Tensor
    _grad: Tensor | None = None
    _output_nr = 0

    if TYPE_CHECKING:
        # Op methods are defined next to their ops (each module's TENSOR_METHODS) and listed,
        # name -> module, in ember/ops/_methods.py; ember.ops.load_all attaches them.
        def __getattr__(self, name: str) -> Any: ...

        def __add__(self, other: Any) -> Tensor: ...

        def __radd__(self, other: Any) -> Tensor: ...

        def __sub__(self, other: Any) -> Tensor: ...

        def __rsub__(self, other: Any) -> Tensor: ...

        def __mul__(self, other: Any) -> Tensor: ...

        def __rmul__(self, other: Any) -> Tensor: ...

        def __truediv__(self, other: Any) -> Tensor: ...

        def __rtruediv__(self, other: Any) -> Tensor: ...

        def __floordiv__(self, other: Any) -> Tensor: ...

        def __rfloordiv__(self, other: Any) -> Tensor: ...

        def __mod__(self, other: Any) -> Tensor: ...

        def __rmod__(self, other: Any) -> Tensor: ...

        def __pow__(self, other: Any) -> Tensor: ...

        def __rpow__(self, other: Any) -> Tensor: ...

        def __matmul__(self, other: Any) -> Tensor: ...

        def __rmatmul__(self, other: Any) -> Tensor: ...

        def __and__(self, other: Any) -> Tensor: ...

        def __rand__(self, other: Any) -> Tensor: ...

        def __or__(self, other: Any) -> Tensor: ...

        def __ror__(self, other: Any) -> Tensor: ...

        def __xor__(self, other: Any) -> Tensor: ...

        def __rxor__(self, other: Any) -> Tensor: ...

        def __lt__(self, other: Any) -> Tensor: ...

        def __le__(self, other: Any) -> Tensor: ...

        def __gt__(self, other: Any) -> Tensor: ...

        def __ge__(self, other: Any) -> Tensor: ...

        def __iadd__(self, other: Any) -> Tensor: ...

        def __isub__(self, other: Any) -> Tensor: ...

        def __imul__(self, other: Any) -> Tensor: ...

        def __itruediv__(self, other: Any) -> Tensor: ...

        def __ipow__(self, other: Any) -> Tensor: ...

        def __ifloordiv__(self, other: Any) -> Tensor: ...

        def __imod__(self, other: Any) -> Tensor: ...

        def __getitem__(self, other: Any) -> Tensor: ...

        def __lshift__(self, other: Any) -> Tensor: ...

        def __rshift__(self, other: Any) -> Tensor: ...

        def __eq__(self, other: Any) -> Tensor: ...  # type: ignore[override]

        def __ne__(self, other: Any) -> Tensor: ...  # type: ignore[override]

        def __setitem__(self, key: Any, value: Any) -> None: ...

        def __neg__(self) -> Tensor: ...

        def __abs__(self) -> Tensor: ...

        def __invert__(self) -> Tensor: ...

        def __pos__(self) -> Tensor: ...

    _hooks: list[Callable[..., Any]] | None = None
    _post_acc_hooks: list[Callable[..., Any]] | None = None
    _base: Tensor | None = None
    _retains_grad = False

    def __init__(self, *args: Any, device: Any = None) -> None:
        from ember import _creation  # _creation builds Tensors: it imports this module

        src = _creation.legacy_new(args, _dtype.get_default_dtype(), device)
        self._data = src._data
        self._requires_grad = False
        self.grad_fn = None
        self._vc = [0]

    # -- basic properties ------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """The same tensor detached from the graph; assigning replaces the storage."""
        return self.detach()

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data = value._data

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (None until a backward pass reaches this leaf)."""
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            _check_grad(self, value)
        self.__dict__["_grad"] = value

    @grad.deleter
    def grad(self) -> None:
        self.__dict__["_grad"] = None

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for autograd."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place on a leaf tensor and return it."""
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and np_kind(self._data.dtype) not in "fc":
            raise RuntimeError(
                "only Tensors of floating point dtype can require gradients; this tensor is "
                f"{self.dtype}"
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors not created by a recorded operation."""
        return self.grad_fn is None

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor after ``retain_grad()``."""
        return self._retains_grad

    @property
    def _version(self) -> int:
        return self._vc[0]

    @property
    def shape(self) -> Size:
        """The tensor's shape as an ``ember.Size``."""
        return tuple.__new__(Size, self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the length of dimension ``dim``."""
        if dim is None:
            return tuple.__new__(Size, self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim, "size")]

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes held by the elements."""
        return int(self._data.nbytes)

    @property
    def dtype(self) -> _dtype.dtype:
        """The element type, such as ``ember.float32``."""
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> Device:
        """The device the data lives on."""
        if type(self._data) is np.ndarray:
            return CPU
        return device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        """True when the data lives on a CUDA device."""
        return type(self._data) is not np.ndarray and device_of(self._data).type == "cuda"

    @property
    def is_cpu(self) -> bool:
        """True when the data lives in host memory."""
        return type(self._data) is np.ndarray

    def get_device(self) -> int:
        """The CUDA ordinal, or -1 for CPU tensors."""
        return -1 if self.is_cpu else (self.device.index or 0)

    def is_floating_point(self) -> bool:
        """True for float16/32/64 tensors."""
        return np_kind(self._data.dtype) == "f"

    def is_complex(self) -> bool:
        """True for complex64/complex128 tensors."""
        return self._data.dtype.kind == "c"

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """True when the elements are laid out in row-major order without gaps."""
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim: int | None = None) -> Any:
        """Strides in elements (not bytes), as PyTorch reports them."""
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        return st if dim is None else st[_wrap_dim(dim, self._data.ndim, "stride")]

    def data_ptr(self) -> int:
        """Address of the first element."""
        if type(self._data) is np.ndarray:
            return int(self._data.__array_interface__["data"][0])
        if type(self._data) is MetaArray:
            return 0
        return int(self._data.data.ptr)

    def untyped_storage(self) -> Any:
        """The memory this tensor views, as bytes (one object per memory block while alive)."""
        return _Storage.of(self._data)

    def storage(self) -> Any:
        """The memory this tensor views, as elements of its dtype (``TypedStorage``)."""
        return _Storage.of(self._data).typed(self._data.dtype)

    def storage_offset(self) -> int:
        """Elements between the start of the storage and this tensor's first element."""
        root = _root_array(self._data)
        start = _address(root)
        return (_address(self._data) - start) // self._data.itemsize if root.size else 0

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def is_sparse(self) -> bool:
        """Always False: ember tensors are dense (strided)."""
        return False

    @property
    def is_quantized(self) -> bool:
        """Always False."""
        return False

    @property
    def is_meta(self) -> bool:
        """True for a tensor on the ``meta`` device (shape and dtype, no data)."""
        return type(self._data) is MetaArray

    def is_signed(self) -> bool:
        """True unless the dtype is unsigned (uint8) or bool."""
        return np_kind(self._data.dtype) in "ifc"

    def is_conj(self) -> bool:
        """Always False: ember conjugates eagerly."""
        return False

    def is_neg(self) -> bool:
        """Always False: ember negates eagerly."""
        return False

    def resolve_neg(self) -> Tensor:
        """The tensor itself (there is no lazy negation bit)."""
        return self

    def is_inference(self) -> bool:
        """Always False."""
        return False

    def is_pinned(self) -> bool:
        """Always False (pinning is a no-op in ember)."""
        return False

    def pin_memory(self, device: Any = None) -> Tensor:
        """The tensor itself: host memory needs no pinning for NumPy/CuPy copies."""
        return self

    @property
    def output_nr(self) -> int:
        """Which output of its ``grad_fn`` this tensor is."""
        return self._output_nr

    def dim_order(self) -> tuple[int, ...]:
        """Dimensions from outermost to innermost in memory (by decreasing stride)."""
        st = self.stride()
        return tuple(sorted(range(len(st)), key=lambda d: -st[d]))

    # -- autograd --------------------------------------------------------------------------
    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate the gradient of this tensor with respect to graph leaves into their ``.grad``.

        Args:
            gradient: d(something)/d(self); needed unless the tensor has one element.
            retain_graph: keep the graph for another backward (defaults to ``create_graph``).
            create_graph: record the backward pass so higher-order gradients can be taken.
            inputs: accumulate only into these tensors' ``.grad``.
        """
        from ember import autograd  # the autograd engine imports this module

        autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` whenever the gradient of this tensor is computed.

        The hook may return a replacement gradient. Returns a handle whose ``remove()`` unregisters
        it.
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            self._hooks.append(hook)
            return RemovableHandle(self._hooks, hook)
        hooks = self.grad_fn.__dict__.setdefault("_tensor_hooks", {})
        lst = hooks.setdefault(self._output_nr, [])
        lst.append(hook)
        return RemovableHandle(lst, hook)

    def register_post_accumulate_grad_hook(
        self, hook: Callable[[Tensor], None]
    ) -> RemovableHandle:
        """Call ``hook(self)`` after a gradient has been accumulated into this leaf's ``.grad``.

        Returns a handle whose ``remove()`` unregisters it.
        """
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = []
        self._post_acc_hooks.append(hook)
        return RemovableHandle(self._post_acc_hooks, hook)

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None:
            return
        retained = self.grad_fn.__dict__.setdefault("_retained", {})
        retained[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    def detach(self) -> Tensor:
        """A new tensor sharing this one's data, outside the graph."""
        t = _wrap(self._data)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Detach this tensor from the graph in place."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- conversion ------------------------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a NumPy array; shares memory for CPU tensors.

        Args:
            force: copy to host and detach instead of raising for CUDA or grad-requiring tensors.
        """
        if force:
            return self.detach().cpu()._data
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        if type(self._data) is not np.ndarray:
            raise TypeError(
                f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to "
                "copy the tensor to host memory first."
            )
        return self._data

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        if type(self._data) is MetaArray:
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        return self._data.item()

    def tolist(self) -> Any:
        """The data as (nested) Python lists of numbers."""
        if type(self._data) is MetaArray:
            from_meta(self._data)
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        arr = self._data if type(self._data) is np.ndarray else self._data
        if type(arr) is MetaArray:
            from_meta(arr)
        if type(arr) is not np.ndarray:
            arr = arr.get()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        return self._data.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self) -> Any:
        return self._data.__dlpack_device__()

    # -- Python protocol -------------------------------------------------------------------
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))  # type: ignore[attr-defined]

    def __bool__(self) -> bool:
        if self._data.size != 1:
            what = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
        return bool(self._data)

    def __int__(self) -> int:
        return int(self._scalar_for("int"))

    def __float__(self) -> float:
        return float(self._scalar_for("float"))

    def _scalar_for(self, what: str) -> Any:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.item()

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __complex__(self) -> complex:
        return complex(self.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __hash__(self) -> int:
        return id(self)

    def __contains__(self, element: Any) -> bool:
        if isinstance(element, Tensor):
            element = element._data
        return bool((self._data == element).any())

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return tensor_repr(self, tensor_contents)

    def __reduce_ex__(self, protocol: int) -> Any:
        from ember import multiprocessing as emp  # it rebuilds Tensors: it imports this module

        handle = emp.shared_handle(self._data)
        if handle is not None:  # shared memory travels as a handle, not a copy
            return (_rebuild_shared, (type(self), handle, self._requires_grad))
        arr = self.__array__()
        return (_rebuild, (type(self), arr, self._requires_grad, str(self.device)))

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment."
            )
        new = type(self).__new__(type(self))
        new._data = self._data.copy()
        new._requires_grad = self._requires_grad
        new.grad_fn = None
        new._vc = [0]
        memo[id(self)] = new
        if self.grad is not None:
            new.grad = self.grad.__deepcopy__(memo)
        for k, v in self.__dict__.items():
            if k not in ("_grad", "_hooks"):
                new.__dict__[k] = copy.deepcopy(v, memo)
        return new

    def share_memory_(self) -> Tensor:
        """Move the data to shared memory, so processes started later see in-place updates."""
        from ember.multiprocessing import _share_array  # it imports this module

        self._data = _share_array(self._data)
        return self

    def is_shared(self) -> bool:
        """True after ``share_memory_()`` (the data lives in a shared-memory block)."""
        from ember import multiprocessing as emp  # it imports this module

        return emp.shared_handle(self._data) is not None


def _rebuild(cls: type, arr: np.ndarray, requires_grad: bool, device: str) -> Tensor:
    t = _wrap(np.array(arr))
    if device != "cpu":
        t = t.to(device)
    if cls is not Tensor:
        t = cls(t, requires_grad=requires_grad) if hasattr(cls, "_is_param") else t
    elif requires_grad:
        t._requires_grad = True
    return t


def _rebuild_shared(cls: type, handle: tuple[Any, ...], requires_grad: bool) -> Tensor:
    from ember import multiprocessing as emp  # it imports this module

    t = emp.rebuild_shared(handle, requires_grad)
    if cls is not Tensor and hasattr(cls, "_is_param"):
        return cls(t, requires_grad=requires_grad)
    return t


_new = object.__new__
_ndarray = np.ndarray


def _wrap(arr: Any) -> Tensor:
    """Wrap a raw array in a Tensor with no autograd history (the hot-path constructor)."""
    if type(arr) is not _ndarray and isinstance(arr, (np.generic, int, float, bool)):
        arr = np.asarray(arr)
    t = _new(Tensor)
    t._data = arr
    t._requires_grad = False
    t.grad_fn = None
    t._vc = [0]
    return t


def _wrap_dim(dim: int, ndim: int, op: str = "op") -> int:
    """Normalise a possibly negative ``dim`` against ``ndim``; IndexError when out of range."""
    n = ndim if ndim > 0 else 1
    if not -n <= dim < n:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got "
            f"{dim})"
        )
    return dim % n
