"""Download and checksum helpers for datasets (``ember.utils.download``), as torchvision names them.

Example:
    >>> from embervision.datasets.utils import verify_str_arg
    >>> verify_str_arg("train", "split", ("train", "test"))
    'train'
"""

from __future__ import annotations

from collections.abc import Iterable

from ember.utils.download import (
    DownloadError,
    calculate_md5,
    calculate_sha256,
    check_integrity,
    download_and_extract_archive,
    download_url,
    extract_archive,
)

__all__ = [
    "DownloadError",
    "calculate_md5",
    "calculate_sha256",
    "check_integrity",
    "download_and_extract_archive",
    "download_url",
    "extract_archive",
    "verify_str_arg",
]


def verify_str_arg(
    value: str, arg: str | None = None, valid_values: Iterable[str] | None = None
) -> str:
    """Check that ``value`` is a string and one of ``valid_values``; return it.

    Args:
        value: the argument's value.
        arg: the argument's name, used in the error message.
        valid_values: the accepted values, or None to accept any string.

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
        choices = ", ".join(repr(v) for v in valid)
        raise ValueError(f"Unknown value '{value}'{name}. Valid values are {{{choices}}}.")
    return value
