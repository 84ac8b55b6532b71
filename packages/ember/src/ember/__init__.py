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

from ember import _alloc, _argcheck, _blasspin, _dtype, ops
from ember._creation import *  # noqa: F403
from ember._creation import __all__ as _creation_all
from ember._dtype import (
    bfloat16,
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
from ember._memory_format import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    memory_format,
    preserve_format,
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

_alloc.tune_malloc()
_blasspin.shorten_blas_spin()

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
# ``guard`` gives a non-Tensor argument PyTorch's TypeError (see ember._argcheck).
_op_names: list[str] = []
for _mod in ops.load_all():
    for _name in _mod.__all__:
        globals()[_name] = _argcheck.guard(getattr(_mod, _name), _name)
        _op_names.append(_name)
del _mod, _name

from ember import (  # noqa: E402
    _bf16,
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
from ember.backends import cpu as _backends_cpu  # noqa: E402,F401
from ember.backends import cuda as _backends_cuda  # noqa: E402,F401
from ember.backends import cudnn  # noqa: E402,F401  (ember.backends.cudnn / .mps / .cuda)
from ember.backends import mkl as _backends_mkl  # noqa: E402,F401
from ember.backends import mkldnn as _backends_mkldnn  # noqa: E402,F401
from ember.backends import mps as _backends_mps  # noqa: E402,F401
from ember.backends import openmp as _backends_openmp  # noqa: E402,F401
from ember.serialization import *  # noqa: E402,F403
from ember.serialization import __all__ as _serialization_all  # noqa: E402

_bf16.install()  # now that every op module is loaded: bfloat16 primitives compute in float32

__all__ = [
    "Tensor", "Size", "dtype", "device", "Device", "autograd", "no_grad", "enable_grad",
    "set_grad_enabled", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled",
    "get_default_dtype", "set_default_dtype", "result_type", "promote_types",
    "set_printoptions", "get_printoptions", "bool", "uint8", "int8", "int16", "int32", "int64",
    "memory_format", "preserve_format", "contiguous_format", "channels_last", "channels_last_3d",
    "float16", "float32", "float64", "half", "float", "double", "short", "int", "long",
    *_creation_all, *_random_all, *_op_names, *_serialization_all, "nn", "optim",
    "utils", "linalg", "fft", "hub", "cuda", "distributed", "accelerator", "amp", "autocast",
    "is_autocast_enabled", "get_autocast_dtype", "multiprocessing", *_runtime_all,
    "special", "distributions", "masked", "signal", "compiler", "xpu", "mps",
    "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
    "CharTensor", "ByteTensor", "BoolTensor",
    "bfloat16",
]
_ = _dtype
_argcheck.guard_names(globals(), list(_creation_all))
for _ns in (special, linalg, fft, nn.functional):
    _argcheck.guard_names(vars(_ns), [n for n in dir(_ns) if not n.startswith("_")],
                          strict=_ns is nn.functional)
del _ns

# torch.conv2d, torch.layer_norm, ... (nn.functional's ATen spellings); cond, sym_*, typename,
# ...; is_xpu, is_mps, ... on Tensor
from ember import _functional_aliases, _tensor_props, _torch_misc  # noqa: E402
from ember.ops import _out  # noqa: E402  (out= on every function torch gives it)

for _mod in (_functional_aliases, _torch_misc):
    for _name in _mod.__all__:
        globals()[_name] = getattr(_mod, _name)
    __all__ += _mod.__all__
_out.install(globals(), "torch")
for _name, _ns in (("special", special), ("fft", fft), ("linalg", linalg)):
    _out.install(vars(_ns), _name)

for _name, _prop in {
    **_tensor_props.TENSOR_PROPERTIES,
    **_tensor_props.TENSOR_METHODS,
    **_functional_aliases.TENSOR_METHODS,
    **_torch_misc.TENSOR_METHODS,
}.items():
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _prop)
del _mod, _name, _prop, _ns
