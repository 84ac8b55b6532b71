"""The root-based dataset base shared by every domain package, and its argument checks.

A dataset read from files on disk takes a ``root`` folder and optional transforms. Domain
packages derive from :class:`RootDataset` (embervision's ``VisionDataset`` is a thin subclass),
so the transform handling and the printed form are the same for images, text and audio.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from ember.utils.data.dataset import Dataset

__all__ = ["RootDataset", "StandardTransform", "verify_str_arg"]


class StandardTransform:
    """Apply ``transform`` to the input and ``target_transform`` to the target of a pair.

    Args:
        transform: called on the input (an image, a waveform, a string ...), or None.
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


class RootDataset(Dataset):
    """Base class for datasets kept in a ``root`` folder: stores the transforms, prints like torch.

    Pass either ``transforms`` (called on ``(input, target)``) or ``transform`` and
    ``target_transform`` (called on each separately), not both. ``self.transforms`` is then
    always the callable to apply to a pair (a :class:`StandardTransform` when the separate
    ones were given), or None. Subclasses implement ``__getitem__`` and ``__len__`` and may
    override :meth:`extra_repr` to add lines such as ``Split: train`` to the printed form.

    Args:
        root: the dataset folder (``~`` is expanded for strings), or None.
        transforms: a callable taking and returning ``(input, target)``.
        transform: a callable applied to the input.
        target_transform: a callable applied to the target.

    Raises:
        ValueError: when ``transforms`` is given together with ``transform`` or
            ``target_transform``.

    Example:
        >>> class Pairs(RootDataset):
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

    def apply_transforms(self, input: Any, target: Any) -> tuple[Any, Any]:
        """Return ``(input, target)`` passed through ``self.transforms`` (unchanged if None).

        Example:
            >>> RootDataset(transform=str).apply_transforms(1, 2)
            ('1', 2)
        """
        if self.transforms is None:
            return input, target
        return self.transforms(input, target)

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


def verify_str_arg(
    value: str,
    arg: str | None = None,
    valid_values: Iterable[str] | None = None,
    custom_msg: str | None = None,
) -> str:
    """Check that ``value`` is a string and one of ``valid_values``; return it.

    Args:
        value: the argument's value.
        arg: the argument's name, used in the error message.
        valid_values: the accepted values, or None to accept any string.
        custom_msg: the message to raise instead of the default one when ``value`` is not valid.

    Returns:
        ``value`` unchanged.

    Raises:
        ValueError: when ``value`` is not a string or not one of ``valid_values``.

    Example:
        >>> verify_str_arg("val", "split", ("train", "val"))
        'val'
    """
    name = f" for argument {arg}" if arg else ""
    if not isinstance(value, str):
        raise ValueError(f"Expected type str{name}, but got type {type(value).__name__}.")
    if valid_values is None:
        return value
    valid = tuple(valid_values)
    if value not in valid:
        if custom_msg is not None:
            raise ValueError(custom_msg)
        choices = ", ".join(repr(v) for v in valid)
        raise ValueError(f"Unknown value '{value}'{name}. Valid values are {{{choices}}}.")
    return value
