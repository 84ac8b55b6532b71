"""ember: PyTorch-style tensors, autograd and neural networks on NumPy (CPU) and CuPy (GPU).

Example:
    >>> import ember
    >>> x = ember.randn(3, requires_grad=True)
    >>> (x * x).sum().backward()
    >>> bool((x.grad == 2 * x).all())
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ember import _malloc

_malloc.tune()  # before the first large array: see ember/_malloc.py

from ember import _dtype, ops  # noqa: E402
from ember._creation import *  # noqa: F403
from ember._creation import __all__ as _creation_all
from ember._dtype import (
    bool,
    complex64,
    complex128,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    result_type,
    set_default_dtype,
    uint8,
)
from ember._printing import get_printoptions, set_printoptions
from ember._random import *  # noqa: F403
from ember._random import __all__ as _random_all
from ember._tensor import Size, Tensor
from ember.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from ember.backends import Device, device

__version__ = "0.1.0"

if TYPE_CHECKING:
    # The op functions (ember.exp, ember.matmul, ...) are exported below from the op modules.
    def __getattr__(name: str) -> Any: ...
else:

    def __getattr__(name: str) -> Any:
        """``ember.onnx`` loads on first use (deployment stays off the import path)."""
        if name == "onnx":
            import importlib

            return importlib.import_module("ember.onnx")
        raise AttributeError(f"module 'ember' has no attribute {name!r}")

half, float, double = float16, float32, float64  # noqa: A001 - PyTorch's aliases
short, int, long = int16, int32, int64  # noqa: A001

# Every op module's public functions become ember.<name>; their Tensor methods are attached.
_op_names: list[str] = []
for _mod in ops.load_all():
    for _name in _mod.__all__:
        globals()[_name] = getattr(_mod, _name)
        _op_names.append(_name)
del _mod, _name

from ember import (  # noqa: E402
    accelerator,
    amp,
    autograd,
    compiler,
    cuda,
    distributed,
    distributions,
    fft,
    hub,
    linalg,
    masked,
    mps,
    multiprocessing,
    nn,
    optim,
    serialization,
    signal,
    special,
    utils,
    xpu,
)
from ember._legacy import (  # noqa: E402  (legacy tensor types)
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from ember._runtime import *  # noqa: E402,F403
from ember._runtime import __all__ as _runtime_all  # noqa: E402
from ember.amp import autocast, get_autocast_dtype, is_autocast_enabled  # noqa: E402
from ember.backends import cuda as _backends_cuda  # noqa: E402,F401
from ember.backends import cudnn  # noqa: E402,F401  (ember.backends.cudnn / .mps / .cuda)
from ember.backends import mps as _backends_mps  # noqa: E402,F401
from ember.serialization import *  # noqa: E402,F403
from ember.serialization import __all__ as _serialization_all  # noqa: E402

__all__ = [
    "Tensor", "Size", "dtype", "device", "Device", "autograd", "no_grad", "enable_grad",
    "set_grad_enabled", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled",
    "get_default_dtype", "set_default_dtype", "result_type", "promote_types",
    "set_printoptions", "get_printoptions", "bool", "uint8", "int8", "int16", "int32", "int64",
    "float16", "float32", "float64", "half", "float", "double", "short", "int", "long",
    *_creation_all, *_random_all, *_op_names, *_serialization_all, "nn", "optim",
    "utils", "linalg", "fft", "hub", "cuda", "distributed", "accelerator", "amp", "autocast",
    "is_autocast_enabled", "get_autocast_dtype", "multiprocessing", *_runtime_all,
    "special", "distributions", "masked", "signal", "compiler", "xpu", "mps",
    "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
    "CharTensor", "ByteTensor", "BoolTensor",
]
_ = _dtype

from ember import _tensor_props  # noqa: E402  (is_xpu, is_mps, ... on Tensor)

for _name, _prop in _tensor_props.TENSOR_PROPERTIES.items():
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _prop)
for _name, _prop in _tensor_props.TENSOR_METHODS.items():
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _prop)
del _name, _prop
