"""The base class of every vision dataset: ember's :class:`~ember.utils.data.RootDataset`.

``VisionDataset`` keeps torchvision's name; the transform handling, ``StandardTransform`` and
the printed form live in the core so text and audio datasets share them.
"""

from __future__ import annotations

from ember.utils.data import RootDataset, StandardTransform

__all__ = ["VisionDataset", "StandardTransform"]


class VisionDataset(RootDataset):
    """Base class for vision datasets (torchvision's ``VisionDataset``); see
    :class:`ember.utils.data.RootDataset` for the arguments and the transform rules.

    Example:
        >>> from ember.utils.data import RootDataset
        >>> issubclass(VisionDataset, RootDataset)
        True
    """
