"""Vision datasets with torchvision's signatures: ``root``, ``train``/``split``, ``transform``,
``target_transform`` and ``download=False``. Items are PIL images and int targets.

Example:
    >>> from embervision.datasets import FakeData
    >>> len(FakeData(size=4))
    4
"""

from __future__ import annotations

from embervision.datasets.cifar import CIFAR10, CIFAR100
from embervision.datasets.coco import CocoCaptions, CocoDetection
from embervision.datasets.fakedata import FakeData
from embervision.datasets.folder import IMG_EXTENSIONS, DatasetFolder, ImageFolder, default_loader
from embervision.datasets.mnist import EMNIST, KMNIST, MNIST, FashionMNIST
from embervision.datasets.vision import StandardTransform, VisionDataset

__all__ = [
    "CIFAR10",
    "CIFAR100",
    "EMNIST",
    "IMG_EXTENSIONS",
    "KMNIST",
    "MNIST",
    "CocoCaptions",
    "CocoDetection",
    "DatasetFolder",
    "FakeData",
    "FashionMNIST",
    "ImageFolder",
    "StandardTransform",
    "VisionDataset",
    "default_loader",
]
