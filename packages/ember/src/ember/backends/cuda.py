"""``ember.backends.cuda`` switches PyTorch programs set: TF32 and reduced-precision matmul.

ember's CUDA matmuls come from CuPy (cuBLAS) in the dtype of their inputs; the switches are
recorded so programs that set or read them run unchanged.

Example:
    >>> ember.backends.cuda.matmul.allow_tf32 = True
    >>> ember.backends.cuda.matmul.allow_tf32
    True
"""

from __future__ import annotations

__all__ = ["matmul", "is_built", "preferred_linalg_library"]


class _MatmulFlags:
    """The ``matmul`` switches: ``allow_tf32`` (False, as PyTorch) and reduced precision."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True

    def __setattr__(self, name: str, value: object) -> None:
        if name not in (
            "allow_tf32",
            "allow_fp16_reduced_precision_reduction",
            "allow_bf16_reduced_precision_reduction",
        ):
            raise AttributeError(f"Unknown attribute {name}")
        object.__setattr__(self, name, bool(value))


matmul = _MatmulFlags()


def is_built() -> bool:
    """False: ember is not built against CUDA itself (its GPU path is CuPy, loaded on demand)."""
    return False


def preferred_linalg_library(backend: str | None = None) -> str:
    """Recorded for compatibility; ember's GPU linear algebra always comes from CuPy."""
    return "default"
