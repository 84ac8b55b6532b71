"""Text datasets in their original on-disk formats, and language-model batching."""

from __future__ import annotations

from embertext.datasets.classification import AG_NEWS, IMDB, CSVTextDataset
from embertext.datasets.language_modeling import (
    PennTreebank,
    TextLineDataset,
    TinyShakespeare,
    WikiText2,
    WikiText103,
    batchify,
    bptt_batches,
    get_batch,
)

__all__ = [
    "AG_NEWS",
    "IMDB",
    "CSVTextDataset",
    "TextLineDataset",
    "WikiText2",
    "WikiText103",
    "PennTreebank",
    "TinyShakespeare",
    "batchify",
    "get_batch",
    "bptt_batches",
]
