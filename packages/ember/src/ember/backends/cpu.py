"""``ember.backends.cpu``: what the CPU kernels (NumPy's) can use."""

from __future__ import annotations

__all__ = ["get_cpu_capability"]


def get_cpu_capability() -> str:
    """The widest vector instruction set NumPy dispatches to, with PyTorch's names.

    Returns:
        ``"AVX512"``, ``"AVX2"`` or ``"DEFAULT"`` (also on non-x86 machines).

    Example:
        >>> ember.backends.cpu.get_cpu_capability() in ("AVX512", "AVX2", "DEFAULT")
        True
    """
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # NumPy < 2
        from numpy.core._multiarray_umath import __cpu_features__ as features
    if features.get("AVX512F") and features.get("AVX512BW"):
        return "AVX512"
    return "AVX2" if features.get("AVX2") else "DEFAULT"
