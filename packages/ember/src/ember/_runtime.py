"""Process-wide switches PyTorch programs call: threads, determinism, accelerator queries."""

from __future__ import annotations

import warnings
from typing import Any

__all__ = [
    "set_num_threads",
    "get_num_threads",
    "set_num_interop_threads",
    "get_num_interop_threads",
    "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "set_float32_matmul_precision",
    "get_float32_matmul_precision",
    "compile",
    "set_default_device",
    "get_default_device",
]


class _State:
    deterministic = False
    warn_only = False
    matmul_precision = "highest"
    interop_threads = 1
    compile_warned = False
    default_device: Any = None


def _controller() -> Any:
    from threadpoolctl import ThreadpoolController

    if not hasattr(_controller, "cached"):
        _controller.cached = ThreadpoolController()  # type: ignore[attr-defined]
    return _controller.cached  # type: ignore[attr-defined]


def set_num_threads(n: int) -> None:
    """Set how many threads the BLAS library (and so matmul and convolution) uses.

    Args:
        n: a positive thread count.

    Example:
        >>> ember.set_num_threads(2)
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"set_num_threads expects a positive integer, got {n}")
    _controller().limit(limits=n, user_api="blas")


def get_num_threads() -> int:
    """The number of threads the BLAS library uses."""
    infos = [i for i in _controller().info() if i.get("user_api") == "blas"]
    return int(infos[0]["num_threads"]) if infos else 1


def set_num_interop_threads(n: int) -> None:
    """Recorded for compatibility; ember runs ops on the calling thread."""
    _State.interop_threads = int(n)


def get_num_interop_threads() -> int:
    """The value given to ``set_num_interop_threads`` (default 1)."""
    return _State.interop_threads


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms. ember's CPU kernels are deterministic already.

    Args:
        mode: turn the requirement on or off.
        warn_only: accepted for compatibility.
    """
    _State.deterministic = bool(mode)
    _State.warn_only = bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """True after ``use_deterministic_algorithms(True)``."""
    return _State.deterministic


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` flag last given to ``use_deterministic_algorithms``."""
    return _State.warn_only


def set_float32_matmul_precision(precision: str) -> None:
    """Recorded for compatibility ("highest", "high", "medium"); float32 matmul is always exact."""
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision {precision!r}")
    _State.matmul_precision = precision


def get_float32_matmul_precision() -> str:
    """The value given to ``set_float32_matmul_precision``."""
    return _State.matmul_precision


def compile(model: Any = None, **kwargs: Any) -> Any:  # noqa: A001 - PyTorch's name
    """Return ``model`` unchanged: ember runs eagerly, so there is nothing to compile.

    Says so once per process (a ``UserWarning``); usable as ``compile(m)``, ``@compile`` and
    ``@compile(mode=...)``. Options (``mode``, ``fullgraph``, ``dynamic``, ``backend``, ...) are
    accepted and ignored.

    Args:
        model: a module or function.
        kwargs: torch.compile's options.

    Returns:
        ``model`` itself (or a decorator returning its argument).

    Example:
        >>> net = ember.nn.Linear(2, 2)
        >>> ember.compile(net) is net
        True
    """
    if not _State.compile_warned:
        _State.compile_warned = True
        warnings.warn("ember.compile: ember runs eagerly; the model is returned unchanged",
                      UserWarning, stacklevel=2)
    if model is None:
        return lambda m: m
    return model


def set_default_device(device: Any) -> None:
    """Set the device that factories use when none is given (``None`` resets it to the CPU).

    Args:
        device: ``"cpu"``, ``"cuda"``, ``"cuda:N"``, a ``Device``, or None.

    Example:
        >>> ember.set_default_device("cpu")
        >>> ember.get_default_device()
        device(type='cpu')
    """
    from ember._creation import _Default
    from ember.backends import Device

    dev = None if device is None else Device(device)
    if dev is not None and dev.type == "cuda":
        from ember import cuda

        if not cuda.is_available():
            raise RuntimeError(
                "set_default_device('cuda'): CUDA is not available (ember needs CuPy and a GPU)"
            )
    _State.default_device = dev
    _Default.device = Device("cpu") if dev is None else dev


def get_default_device() -> Any:
    """The device factories use when none is given (``device(type='cpu')`` unless set)."""
    from ember.backends import Device

    dev = _State.default_device
    if dev is None:
        return Device("cpu")
    if dev.type == "cuda" and dev.index is None:
        from ember import cuda

        return Device("cuda", cuda.current_device())
    return dev
