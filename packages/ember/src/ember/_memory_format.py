"""``ember.memory_format`` and its four values, accepted wherever PyTorch takes one.

ember's arrays are always row-major (NumPy's C order), so a memory format changes no values and
no strides: ``x.to(memory_format=ember.channels_last)`` is ``x``. The names exist so that code
written for PyTorch (``x.float(memory_format=torch.contiguous_format)``) runs unchanged.

Example:
    >>> x = ember.ones(1, 3, 2, 2)
    >>> x.contiguous(memory_format=ember.channels_last) is x
    True
"""

from __future__ import annotations

__all__ = [
    "channels_last",
    "channels_last_3d",
    "contiguous_format",
    "memory_format",
    "preserve_format",
]


class memory_format:  # noqa: N801 - PyTorch's spelling
    """A memory layout tag (printed as ``ember.<name>``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ember.{self.name}"

    def __reduce__(self) -> str:
        return self.name


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
