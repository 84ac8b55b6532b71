"""Lazy layers: their input size is read from the first input, as torch.nn's ``Lazy*`` modules.

A lazy layer starts with ``UninitializedParameter`` (and ``UninitializedBuffer``) placeholders.
Its first forward call infers the input size, materialises the placeholders in place (so an
optimizer built before still holds the right objects), initialises them as the eager layer does,
and turns the module into that eager layer (``LazyLinear`` becomes ``Linear``). Loading a
``state_dict`` before the first forward materialises the placeholders from the stored shapes.
"""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.autograd.grad_mode import no_grad
from ember.nn.modules.conv import (
    Conv1d,
    Conv2d,
    Conv3d,
    ConvTranspose1d,
    ConvTranspose2d,
    ConvTranspose3d,
)
from ember.nn.modules.linear import Linear
from ember.nn.modules.normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)
from ember.nn.parameter import UninitializedBuffer, UninitializedParameter, is_lazy

__all__ = [
    "LazyModuleMixin",
    "LazyLinear",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
]


class LazyModuleMixin:
    """Mixin for modules whose parameter shapes come from the first input, as PyTorch's.

    A subclass implements ``initialize_parameters(*args, **kwargs)`` (materialise every
    placeholder from the inputs) and names the eager class in ``cls_to_become``. The mixin runs
    it as a forward pre-hook, then removes its hooks and changes the module's class.

    Example:
        >>> layer = ember.nn.LazyLinear(4)
        >>> layer.has_uninitialized_params()
        True
        >>> layer(ember.randn(2, 3)).shape
        ember.Size([2, 4])
        >>> type(layer).__name__, layer.in_features
        ('Linear', 3)
    """

    cls_to_become: type | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._load_hook = self._register_load_state_dict_pre_hook(  # type: ignore[attr-defined]
            self._lazy_load_hook
        )
        self._initialize_hook = self.register_forward_pre_hook(  # type: ignore[attr-defined]
            _infer_parameters, with_kwargs=True
        )

    def _save_to_state_dict(
        self, destination: dict[str, Any], prefix: str, keep_vars: bool
    ) -> None:
        # Placeholders go into the state dict as they are (they have no values to detach).
        for name, t in self._named_local():
            if t is not None and name not in self._non_persistent_buffers_set:  # type: ignore
                destination[prefix + name] = t if keep_vars or is_lazy(t) else t.detach()

    def _named_local(self) -> list[tuple[str, Tensor | None]]:
        return [*self._parameters.items(), *self._buffers.items()]  # type: ignore[attr-defined]

    def _lazy_load_hook(self, state_dict: dict[str, Any], prefix: str, *_args: Any) -> None:
        """Materialise each placeholder whose entry in ``state_dict`` has a shape."""
        for name, t in self._named_local():
            key = prefix + name
            if t is not None and is_lazy(t) and key in state_dict:
                value = state_dict[key]
                if not is_lazy(value):
                    with no_grad():
                        t.materialize(tuple(value.shape))  # type: ignore[attr-defined]

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Materialise and initialise the placeholders from the first inputs."""
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {type(self).__name__}"
        )

    def has_uninitialized_params(self) -> bool:
        """True while some parameter or buffer is still a placeholder."""
        return any(t is not None and is_lazy(t) for _, t in self._named_local())

    def _replicate_for_data_parallel(self) -> Any:
        raise RuntimeError(
            "Modules with uninitialized parameters can't be used with `DataParallel`. Run a "
            "dummy forward pass to correctly initialize the modules"
        )


def _infer_parameters(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The forward pre-hook: initialise, check, then become the eager class."""
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._initialize_hook.remove()
    module._load_hook.remove()
    del module._initialize_hook
    del module._load_hook
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


class LazyLinear(LazyModuleMixin, Linear):
    """A ``Linear`` layer whose ``in_features`` is ``input.shape[-1]`` of the first input.

    Args:
        out_features: size of each output sample.
        bias: if False, the layer has no additive bias.
        device: the device of the parameters.
        dtype: the dtype of the parameters.

    Example:
        >>> layer = ember.nn.LazyLinear(2)
        >>> layer(ember.randn(5, 7)).shape
        ember.Size([5, 2])
        >>> layer
        Linear(in_features=7, out_features=2, bias=True)
    """

    cls_to_become = Linear

    def __init__(
        self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(0, 0, False, device, dtype)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        """Initialise as ``Linear`` does, once the parameters have a shape."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Take ``in_features`` from ``input.shape[-1]`` and materialise the parameters."""
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()
        if self.in_features == 0:  # materialised by load_state_dict: take the size now
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(
                    f"The in_features inferred from input: {input.shape[-1]} is not equal to "
                    f"in_features from self.weight: {self.weight.shape[-1]}"
                )
            self.in_features = input.shape[-1]


class _LazyConvMixin(LazyModuleMixin):
    _nd = 2
    _transposed = False

    def __init__(
        self,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0,
            0,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            False,
            padding_mode,
            device,
            dtype,
        )
        self._lazy_setup(out_channels, bias, device, dtype)

    def _lazy_setup(self, out_channels: int, bias: bool, device: Any, dtype: Any) -> None:
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        """Initialise as the eager convolution does, once the parameters have a shape."""
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()  # type: ignore[misc]

    def _get_in_channels(self, input: Tensor) -> int:
        nd = self._nd
        if input.ndim not in (nd + 1, nd + 2):
            raise RuntimeError(
                f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                f"{self._get_name()}, but got input of size: "  # type: ignore
                f"{list(input.shape)}"
            )
        return input.shape[1] if input.ndim == nd + 2 else input.shape[0]

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Take ``in_channels`` from the input's channel dimension and materialise."""
        if not self.has_uninitialized_params():
            return
        with no_grad():
            cin = self._get_in_channels(input)
            if cin % self.groups != 0:  # type: ignore[attr-defined]
                raise ValueError("in_channels must be divisible by groups")
            self.in_channels = cin
            k = tuple(self.kernel_size)  # type: ignore[attr-defined]
            g = self.groups  # type: ignore[attr-defined]
            shape = (
                (cin, self.out_channels // g) if self._transposed else (self.out_channels, cin // g)
            ) + k
            self.weight.materialize(shape)
            if self.bias is not None:  # type: ignore[attr-defined]
                self.bias.materialize((self.out_channels,))  # type: ignore[attr-defined]
            self.reset_parameters()


class LazyConv1d(_LazyConvMixin, Conv1d):
    """A ``Conv1d`` whose ``in_channels`` is read from the first input.

    Args (as ``Conv1d`` without ``in_channels``): out_channels, kernel_size, stride, padding,
    dilation, groups, bias, padding_mode, device, dtype.

    Example:
        >>> ember.nn.LazyConv1d(4, 3)(ember.randn(2, 5, 9)).shape
        ember.Size([2, 4, 7])
    """

    cls_to_become = Conv1d
    _nd = 1


class LazyConv2d(_LazyConvMixin, Conv2d):
    """A ``Conv2d`` whose ``in_channels`` is read from the first input.

    Args (as ``Conv2d`` without ``in_channels``): out_channels, kernel_size, stride, padding,
    dilation, groups, bias, padding_mode, device, dtype.

    Example:
        >>> conv = ember.nn.LazyConv2d(8, 3, padding=1)
        >>> conv(ember.randn(1, 3, 6, 6)).shape
        ember.Size([1, 8, 6, 6])
        >>> conv.in_channels
        3
    """

    cls_to_become = Conv2d
    _nd = 2


class LazyConv3d(_LazyConvMixin, Conv3d):
    """A ``Conv3d`` whose ``in_channels`` is read from the first input.

    Example:
        >>> ember.nn.LazyConv3d(2, 2)(ember.randn(1, 3, 4, 4, 4)).shape
        ember.Size([1, 2, 3, 3, 3])
    """

    cls_to_become = Conv3d
    _nd = 3


class _LazyConvTransposeMixin(_LazyConvMixin):
    _transposed = True

    def __init__(
        self,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        # skips _LazyConvMixin.__init__: the transposed layers take output_padding
        LazyModuleMixin.__init__(
            self,
            0,
            0,
            kernel_size,
            stride,
            padding,
            output_padding,
            groups,
            False,
            dilation,
            padding_mode,
            device,
            dtype,
        )
        self._lazy_setup(out_channels, bias, device, dtype)


class LazyConvTranspose1d(_LazyConvTransposeMixin, ConvTranspose1d):
    """A ``ConvTranspose1d`` whose ``in_channels`` is read from the first input.

    Example:
        >>> ember.nn.LazyConvTranspose1d(2, 3)(ember.randn(1, 4, 5)).shape
        ember.Size([1, 2, 7])
    """

    cls_to_become = ConvTranspose1d
    _nd = 1


class LazyConvTranspose2d(_LazyConvTransposeMixin, ConvTranspose2d):
    """A ``ConvTranspose2d`` whose ``in_channels`` is read from the first input.

    Example:
        >>> ember.nn.LazyConvTranspose2d(2, 3, stride=2)(ember.randn(1, 4, 5, 5)).shape
        ember.Size([1, 2, 11, 11])
    """

    cls_to_become = ConvTranspose2d
    _nd = 2


class LazyConvTranspose3d(_LazyConvTransposeMixin, ConvTranspose3d):
    """A ``ConvTranspose3d`` whose ``in_channels`` is read from the first input.

    Example:
        >>> ember.nn.LazyConvTranspose3d(1, 2)(ember.randn(1, 2, 3, 3, 3)).shape
        ember.Size([1, 1, 4, 4, 4])
    """

    cls_to_become = ConvTranspose3d
    _nd = 3


class _LazyNormMixin(LazyModuleMixin):
    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(0, eps, momentum, affine, track_running_stats, device, dtype)
        kw = {"device": device, "dtype": dtype}
        if affine:
            self.weight = UninitializedParameter(**kw)
            self.bias = UninitializedParameter(**kw)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(**kw)
            self.running_var = UninitializedBuffer(**kw)

    def reset_parameters(self) -> None:
        """Reset as the eager layer does, once the parameters have a shape."""
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()  # type: ignore[misc]

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Take ``num_features`` from ``input.shape[1]`` (as PyTorch, also for an unbatched
        instance-norm input) and materialise."""
        if not self.has_uninitialized_params():
            return
        self.num_features = input.shape[1]
        with no_grad():
            for name in ("weight", "bias", "running_mean", "running_var"):
                t = getattr(self, name)
                if t is not None and is_lazy(t):
                    t.materialize((self.num_features,))
            self.reset_parameters()


class LazyBatchNorm1d(_LazyNormMixin, BatchNorm1d):
    """A ``BatchNorm1d`` whose ``num_features`` is ``input.shape[1]`` of the first input.

    Args: eps, momentum, affine, track_running_stats, device, dtype (as ``BatchNorm1d``).

    Example:
        >>> bn = ember.nn.LazyBatchNorm1d()
        >>> bn(ember.randn(4, 3)).shape
        ember.Size([4, 3])
        >>> bn.num_features
        3
    """

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormMixin, BatchNorm2d):
    """A ``BatchNorm2d`` whose ``num_features`` is read from the first input.

    Example:
        >>> ember.nn.LazyBatchNorm2d()(ember.randn(2, 3, 4, 4)).shape
        ember.Size([2, 3, 4, 4])
    """

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormMixin, BatchNorm3d):
    """A ``BatchNorm3d`` whose ``num_features`` is read from the first input.

    Example:
        >>> ember.nn.LazyBatchNorm3d()(ember.randn(2, 3, 2, 2, 2)).shape
        ember.Size([2, 3, 2, 2, 2])
    """

    cls_to_become = BatchNorm3d


class LazyInstanceNorm1d(_LazyNormMixin, InstanceNorm1d):
    """An ``InstanceNorm1d`` whose ``num_features`` is read from the first input.

    As PyTorch's, the lazy instance norms default to ``affine=True`` and
    ``track_running_stats=True``.

    Example:
        >>> ember.nn.LazyInstanceNorm1d()(ember.randn(2, 3, 5)).shape
        ember.Size([2, 3, 5])
    """

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormMixin, InstanceNorm2d):
    """An ``InstanceNorm2d`` whose ``num_features`` is read from the first input.

    Example:
        >>> ember.nn.LazyInstanceNorm2d()(ember.randn(2, 3, 4, 4)).shape
        ember.Size([2, 3, 4, 4])
    """

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormMixin, InstanceNorm3d):
    """An ``InstanceNorm3d`` whose ``num_features`` is read from the first input.

    Example:
        >>> ember.nn.LazyInstanceNorm3d()(ember.randn(1, 2, 3, 3, 3)).shape
        ember.Size([1, 2, 3, 3, 3])
    """

    cls_to_become = InstanceNorm3d
