"""Text transforms (torchtext's ``transforms``) and collate helpers for padded batches."""

from __future__ import annotations

from embertext.transforms import functional
from embertext.transforms.functional import collate_padded, pad_sequences
from embertext.transforms.transforms import (
    AddToken,
    PadTransform,
    Sequential,
    ToTensor,
    Truncate,
    VocabTransform,
)

__all__ = [
    "functional",
    "VocabTransform",
    "Truncate",
    "AddToken",
    "PadTransform",
    "ToTensor",
    "Sequential",
    "collate_padded",
    "pad_sequences",
]
