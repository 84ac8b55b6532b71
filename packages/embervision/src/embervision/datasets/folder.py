"""Datasets read from a folder tree ``root/<class>/<file>``: DatasetFolder and ImageFolder."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PIL import Image

from embervision.datasets.vision import VisionDataset

__all__ = [
    "IMG_EXTENSIONS",
    "DatasetFolder",
    "ImageFolder",
    "default_loader",
    "find_classes",
    "has_file_allowed_extension",
    "is_image_file",
    "make_dataset",
    "pil_loader",
]

# torchvision's list exactly: ImageFolder picks the files torchvision picks (GIFs are skipped;
# pass ``extensions``/``is_valid_file`` to DatasetFolder to include them).
IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename: str, extensions: str | tuple[str, ...]) -> bool:
    """Say whether a file name ends with one of ``extensions`` (case-insensitive).

    Args:
        filename: the file's name or path.
        extensions: one suffix or a tuple of them, lower case, with the dot.

    Returns:
        True when the name ends with an allowed suffix.

    Example:
        >>> has_file_allowed_extension("a/B.JPG", (".jpg", ".png"))
        True
    """
    suffixes = extensions if isinstance(extensions, str) else tuple(extensions)
    return filename.lower().endswith(suffixes)


def is_image_file(filename: str) -> bool:
    """Say whether a file name has one of :data:`IMG_EXTENSIONS`.

    Example:
        >>> is_image_file("notes.txt"), is_image_file("cat.jpeg")
        (False, True)
    """
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
    """List the class folders of ``directory`` (sorted) and number them.

    Args:
        directory: the dataset root; every sub-folder is a class, files beside them are ignored.

    Returns:
        ``(classes, class_to_idx)``.

    Raises:
        FileNotFoundError: when there is no sub-folder.

    Example:
        >>> find_classes("hymenoptera_data/train")  # doctest: +SKIP
        (['ants', 'bees'], {'ants': 0, 'bees': 1})
    """
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def _validity_check(
    extensions: str | tuple[str, ...] | None, is_valid_file: Callable[[str], bool] | None
) -> Callable[[str], bool]:
    if (extensions is None) == (is_valid_file is None):
        raise ValueError(
            "Both extensions and is_valid_file cannot be None or not None at the "
            "same time; pass exactly one of them"
        )
    if is_valid_file is not None:
        return is_valid_file
    return lambda path: has_file_allowed_extension(path, extensions)


def make_dataset(
    directory: str | os.PathLike,
    class_to_idx: dict[str, int] | None = None,
    extensions: str | tuple[str, ...] | None = None,
    is_valid_file: Callable[[str], bool] | None = None,
    allow_empty: bool = False,
) -> list[tuple[str, int]]:
    """List ``(path, class_index)`` for every valid file under each class folder, sorted.

    Args:
        directory: the dataset root.
        class_to_idx: class folder name to index; found with :func:`find_classes` when None.
        extensions: allowed suffixes (exclusive with ``is_valid_file``).
        is_valid_file: a predicate on the full path (exclusive with ``extensions``).
        allow_empty: accept class folders without a valid file.

    Returns:
        The samples, class by class, files in sorted order (sub-folders included).

    Raises:
        FileNotFoundError: when a class has no valid file and ``allow_empty`` is False.

    Example:
        >>> make_dataset("root", extensions=(".png",))  # doctest: +SKIP
        [('root/cat/1.png', 0), ('root/dog/7.png', 1)]
    """
    directory = os.path.expanduser(os.fspath(directory))
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("'class_to_index' must have at least one entry to collect any samples.")
    valid = _validity_check(extensions, is_valid_file)
    instances, found = [], set()
    for target_class in sorted(class_to_idx):
        target_dir = os.path.join(directory, target_class)
        if not os.path.isdir(target_dir):
            continue
        for root, _, fnames in sorted(os.walk(target_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if valid(path):
                    instances.append((path, class_to_idx[target_class]))
                    found.add(target_class)
    empty = set(class_to_idx) - found
    if empty and not allow_empty:
        msg = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            shown = extensions if isinstance(extensions, str) else ", ".join(extensions)
            msg += f"Supported extensions are: {shown}"
        raise FileNotFoundError(msg)
    return instances


def _to_rgb(image: Image.Image) -> Image.Image:
    # Palette images with a transparent colour go through RGBA so Pillow does not warn.
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    return image.convert("RGB")


def pil_loader(path: str | os.PathLike) -> Image.Image:
    """Open an image with Pillow and convert it to RGB (GIF, palette, RGBA, L and CMYK included).

    Pillow's decompression-bomb guard stays on. A file that is not a readable image raises
    ``OSError`` naming the file.

    Args:
        path: the image file.

    Returns:
        A loaded RGB PIL image (the file is closed).

    Example:
        >>> pil_loader("hymenoptera_data/train/ants/imageNotFound.gif").mode  # doctest: +SKIP
        'RGB'
    """
    try:
        with Image.open(path) as image:
            return _to_rgb(image)
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise OSError(f"cannot read image {os.fspath(path)!r}: {err}") from err


def default_loader(path: str | os.PathLike) -> Image.Image:
    """The loader ImageFolder uses by default: :func:`pil_loader`.

    Example:
        >>> default_loader("cat.png").mode  # doctest: +SKIP
        'RGB'
    """
    return pil_loader(path)


class DatasetFolder(VisionDataset):
    """A generic dataset of files arranged as ``root/<class>/**/<file>``.

    Classes are the sorted sub-folder names; files whose names do not pass ``extensions`` or
    ``is_valid_file`` are skipped.

    Args:
        root: the dataset root.
        loader: turns a path into a sample.
        extensions: allowed suffixes (exclusive with ``is_valid_file``).
        transform: called on each sample.
        target_transform: called on each int class index.
        is_valid_file: a predicate on the full path (exclusive with ``extensions``).
        allow_empty: accept class folders without a valid file.

    Attributes:
        classes: class names. class_to_idx: name to index. samples: ``(path, index)`` pairs.
        targets: the class index of each sample.

    Example:
        >>> ds = DatasetFolder("root", loader=open, extensions=(".txt",))  # doctest: +SKIP
        >>> ds.classes  # doctest: +SKIP
        ['neg', 'pos']
    """

    def __init__(
        self,
        root: str | os.PathLike,
        loader: Callable[[str], Any],
        extensions: str | tuple[str, ...] | None = None,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        is_valid_file: Callable[[str], bool] | None = None,
        allow_empty: bool = False,
    ) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        classes, class_to_idx = self.find_classes(self.root)
        samples = self.make_dataset(
            self.root, class_to_idx, extensions, is_valid_file, allow_empty=allow_empty
        )
        self.loader = loader
        self.extensions = extensions
        self.classes = classes
        self.class_to_idx = class_to_idx
        self.samples = samples
        self.targets = [target for _, target in samples]

    @staticmethod
    def make_dataset(
        directory: str | os.PathLike,
        class_to_idx: dict[str, int],
        extensions: str | tuple[str, ...] | None = None,
        is_valid_file: Callable[[str], bool] | None = None,
        allow_empty: bool = False,
    ) -> list[tuple[str, int]]:
        """The samples of ``directory``; override to change how files are listed."""
        if class_to_idx is None:
            raise ValueError("The class_to_idx parameter cannot be None.")
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
        """The classes of ``directory``; override for another folder layout."""
        return find_classes(directory)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        path, target = self.samples[index]
        sample = self.loader(path)
        return self.apply_transforms(sample, target)

    def __len__(self) -> int:
        return len(self.samples)


class ImageFolder(DatasetFolder):
    """Images arranged as ``root/<class>/**/<image>``, loaded as RGB PIL images.

    Files with an extension in :data:`IMG_EXTENSIONS` (``.jpg .jpeg .png .ppm .bmp .pgm .tif
    .tiff .webp .gif``, any case) are kept; other files are skipped. ``imgs`` is the same list
    as ``samples``.

    Args:
        root: the dataset root.
        transform: called on each PIL image.
        target_transform: called on each int class index.
        loader: turns a path into an image; :func:`default_loader` converts to RGB.
        is_valid_file: a predicate on the full path, replacing the extension check.
        allow_empty: accept class folders without an image.

    Example:
        >>> ds = ImageFolder("hymenoptera_data/train")  # doctest: +SKIP
        >>> ds.classes, ds[0][0].mode  # doctest: +SKIP
        (['ants', 'bees'], 'RGB')
    """

    def __init__(
        self,
        root: str | os.PathLike,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        loader: Callable[[str], Any] = default_loader,
        is_valid_file: Callable[[str], bool] | None = None,
        allow_empty: bool = False,
    ) -> None:
        super().__init__(
            root,
            loader,
            IMG_EXTENSIONS if is_valid_file is None else None,
            transform=transform,
            target_transform=target_transform,
            is_valid_file=is_valid_file,
            allow_empty=allow_empty,
        )
        self.imgs = self.samples
