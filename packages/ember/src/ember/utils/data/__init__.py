"""Datasets, samplers and the DataLoader, as ``torch.utils.data``, plus the base every domain
package's file-backed datasets derive from (:class:`RootDataset`, :class:`StandardTransform`,
:func:`verify_str_arg`) and the transform combinators (:mod:`ember.utils.data.transforms`).

Example:
    >>> from ember.utils.data import DataLoader, TensorDataset
    >>> loader = DataLoader(TensorDataset(ember.arange(6.0)), batch_size=4)
    >>> [len(b[0]) for b in loader]
    [4, 2]
"""

from __future__ import annotations

from ember.utils.data import transforms
from ember.utils.data._fetch import ExceptionWrapper
from ember.utils.data._root import RootDataset, StandardTransform, verify_str_arg
from ember.utils.data._worker import WorkerInfo, get_worker_info
from ember.utils.data.collate import collate, default_collate, default_convert
from ember.utils.data.dataloader import DataLoader
from ember.utils.data.dataset import (
    BatchedSamples,
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from ember.utils.data.distributed import DistributedSampler
from ember.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset", "Subset",
    "StackDataset", "random_split", "BatchedSamples", "Sampler", "SequentialSampler",
    "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
    "DistributedSampler", "default_collate", "default_convert", "collate", "DataLoader",
    "get_worker_info", "WorkerInfo", "ExceptionWrapper", "RootDataset", "StandardTransform",
    "verify_str_arg", "transforms",
]
