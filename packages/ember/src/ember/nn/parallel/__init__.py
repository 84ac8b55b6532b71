"""Data parallelism in the style of ``torch.nn.parallel``, transparent on a single device.

``DataParallel`` and ``data_parallel`` keep PyTorch's interface (``device_ids``,
``output_device``, ``dim``, the ``module.`` prefix in ``state_dict`` keys), so programs written
for several GPUs run unchanged: without CUDA they simply call the wrapped module, and on a GPU
they run it on ``device_ids[0]``. ``scatter``, ``gather``, ``replicate`` and ``parallel_apply``
are the building blocks, usable on their own.

Example:
    >>> model = ember.nn.DataParallel(ember.nn.Linear(4, 2))
    >>> model(ember.randn(8, 4)).shape
    ember.Size([8, 2])
    >>> list(model.state_dict())
    ['module.weight', 'module.bias']
"""

from __future__ import annotations

from ember.nn.parallel.data_parallel import DataParallel, data_parallel
from ember.nn.parallel.distributed import DistributedDataParallel
from ember.nn.parallel.parallel_apply import parallel_apply
from ember.nn.parallel.replicate import replicate
from ember.nn.parallel.scatter_gather import gather, scatter, scatter_kwargs

__all__ = [
    "DataParallel",
    "data_parallel",
    "DistributedDataParallel",
    "parallel_apply",
    "replicate",
    "scatter",
    "scatter_kwargs",
    "gather",
]
