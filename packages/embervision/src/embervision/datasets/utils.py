"""Download and checksum helpers for datasets (``ember.utils.download``), as torchvision names them.

Example:
    >>> from embervision.datasets.utils import verify_str_arg
    >>> verify_str_arg("train", "split", ("train", "test"))
    'train'
"""

from __future__ import annotations

from ember.utils.data import verify_str_arg
from ember.utils.download import (
    DownloadError,
    Resource,
    calculate_md5,
    calculate_sha256,
    check_integrity,
    download_and_extract_archive,
    download_resource,
    download_url,
    extract_archive,
)

__all__ = [
    "DownloadError",
    "Resource",
    "calculate_md5",
    "calculate_sha256",
    "check_integrity",
    "download_and_extract_archive",
    "download_resource",
    "download_url",
    "extract_archive",
    "verify_str_arg",
]
