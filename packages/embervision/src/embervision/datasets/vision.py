"""The base class of every vision dataset, with torchvision's transform handling and repr."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ember.utils.data import Dataset


class StandardTransform:
    """Apply ``transform`` to the input and ``target_transform`` to the target of a pair.

    Args:
        transform: called on the input (for example a PIL image), or None.
        target_transform: called on the target, or None.

    Example:
        >>> StandardTransform(str, None)(1, 2)
        ('1', 2)
    """

    def __init__(
        self, transform: Callable | None = None, target_transform: Callable | None = None
    ) -> None:
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input: Any, target: Any) -> tuple[Any, Any]:
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @staticmethod
    def _format(transform: Callable, head: str) -> list[str]:
        lines = repr(transform).splitlines()
        return [f"{head}{lines[0]}"] + [" " * len(head) + line for line in lines[1:]]

    def __repr__(self) -> str:
        body = [self.__class__.__name__]
        if self.transform is not None:
            body += self._format(self.transform, "Transform: ")
        if self.target_transform is not None:
            body += self._format(self.target_transform, "Target transform: ")
        return "\n".join(body)


class VisionDataset(Dataset):
    """Base class for vision datasets: stores ``root`` and the transforms, prints like torchvision.

    Pass either ``transforms`` (called on ``(input, target)``) or ``transform`` and
    ``target_transform`` (called on each separately), not both.

    Args:
        root: the dataset folder (``~`` is expanded for strings), or None.
        transforms: a callable taking and returning ``(input, target)``.
        transform: a callable applied to the input.
        target_transform: a callable applied to the target.

    Example:
        >>> class Pairs(VisionDataset):
        ...     def __getitem__(self, i): return self.transforms(i, -i)
        ...     def __len__(self): return 3
        >>> Pairs("data", transform=str)[2]
        ('2', -2)
    """

    _repr_indent = 4

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        transforms: Callable | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        separate = transform is not None or target_transform is not None
        if transforms is not None and separate:
            raise ValueError(
                "Only transforms or transform/target_transform can be passed as "
                "argument; wrap them in one callable taking (input, target)"
            )
        self.transform = transform
        self.target_transform = target_transform
        if separate:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")

    def extra_repr(self) -> str:
        """Extra lines for the repr (for example ``Split: Train``); empty by default."""
        return ""

    def __repr__(self) -> str:
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body.append(repr(self.transforms))  # later lines unindented, as torchvision prints
        lines = [f"Dataset {self.__class__.__name__}"]
        return "\n".join(lines + [" " * self._repr_indent + line for line in body])
