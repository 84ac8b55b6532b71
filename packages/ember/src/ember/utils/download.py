"""Download files with checksums, mirrors and atomic writes, and extract archives safely.

The domain packages fetch every dataset and weight file through this module, so the rules live
in one place: a file is written under a temporary name and renamed into place only once its
size and checksum are right; each mirror is tried in turn; a failure names the file and says
what every URL returned; archives cannot write outside the folder they are extracted into.

Example:
    >>> from ember.utils.download import download_url, check_integrity
    >>> path = download_url(  # doctest: +SKIP
    ...     "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz", "data",
    ...     sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")
    >>> check_integrity(path, md5="ec29112dd5afa0611ce80d1b7f02629c")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import http.client
import lzma
import os
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any, BinaryIO

__all__ = [
    "DownloadError",
    "Resource",
    "download_resource",
    "calculate_md5",
    "calculate_sha256",
    "check_integrity",
    "download_url",
    "download_and_extract_archive",
    "extract_archive",
]

USER_AGENT = "ember"
_CHUNK = 1 << 16
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz")
_SINGLE_FILE = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)

PathLike = str | os.PathLike


class DownloadError(RuntimeError):
    """No URL of a file gave the expected bytes. The message names the file and each attempt."""


class _BadDownload(Exception):
    """A response arrived but its bytes are wrong (truncated or a checksum mismatch)."""


def _hash_file(fpath: PathLike, algorithm: str, chunk_size: int) -> str:
    digest = hashlib.new(algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def calculate_sha256(fpath: PathLike, chunk_size: int = 1 << 20) -> str:
    """Return the hex sha256 digest of a file.

    Args:
        fpath: the file to hash.
        chunk_size: bytes read at a time.

    Returns:
        The 64-character lower-case hex digest.

    Example:
        >>> len(calculate_sha256(__file__))
        64
    """
    return _hash_file(fpath, "sha256", chunk_size)


def calculate_md5(fpath: PathLike, chunk_size: int = 1 << 20) -> str:
    """Return the hex md5 digest of a file (the checksum torchvision lists for most datasets).

    Args:
        fpath: the file to hash.
        chunk_size: bytes read at a time.

    Returns:
        The 32-character lower-case hex digest.

    Example:
        >>> len(calculate_md5(__file__))
        32
    """
    return _hash_file(fpath, "md5", chunk_size)


def _mismatch(digests: dict[str, str], md5: str | None, sha256: str | None) -> str | None:
    """Describe the first checksum that disagrees with ``digests``, or return None."""
    for name, expected in (("sha256", sha256), ("md5", md5)):
        # a prefix is accepted, as torch.hub accepts the digits in ``resnet18-f37072fd.pth``
        if expected is not None and not digests[name].startswith(expected.lower()):
            return f"{name} mismatch: expected {expected.lower()}, got {digests[name]}"
    return None


def check_integrity(fpath: PathLike, md5: str | None = None, *, sha256: str | None = None) -> bool:
    """Say whether a file exists and matches the given checksums (any that are not None).

    Args:
        fpath: the file to check.
        md5: expected hex md5, or None.
        sha256: expected hex sha256, or None (checked first when both are given). A prefix of
            the digest (as in ``resnet18-f37072fd.pth``) is accepted.

    Returns:
        False when the file is missing or a checksum differs; True otherwise.

    Example:
        >>> check_integrity("/no/such/file")
        False
    """
    if not os.path.isfile(fpath):
        return False
    digests = {
        "sha256": calculate_sha256(fpath) if sha256 is not None else "",
        "md5": calculate_md5(fpath) if md5 is not None else "",
    }
    return _mismatch(digests, md5, sha256) is None


def _progress_bar(label: str, total: int | None, enabled: bool) -> Any:
    """A tqdm bar on stderr; disabled when asked or when stderr is not a terminal (CI, logs)."""
    from tqdm.auto import tqdm

    quiet = not enabled or not getattr(sys.stderr, "isatty", lambda: False)()
    return tqdm(
        total=total,
        desc=label,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=quiet,
        file=sys.stderr,
    )


def _copy(src: BinaryIO, dst: IO[bytes], bar: Any) -> tuple[int, dict[str, str]]:
    """Stream ``src`` into ``dst``, hashing on the way; return the byte count and hex digests."""
    sha256, md5 = hashlib.sha256(), hashlib.md5()
    done = 0
    for chunk in iter(lambda: src.read(_CHUNK), b""):
        dst.write(chunk)
        sha256.update(chunk)
        md5.update(chunk)
        done += len(chunk)
        bar.update(len(chunk))
    return done, {"sha256": sha256.hexdigest(), "md5": md5.hexdigest()}


def _content_length(response: http.client.HTTPResponse) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value is not None and value.isdigit() else None


def _fetch(
    url: str, fpath: str, md5: str | None, sha256: str | None, *, progress: bool, timeout: float
) -> None:
    """Download one URL to a temporary file beside ``fpath``; rename it into place if good."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(fpath), prefix=os.path.basename(fpath) + ".")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=timeout) as resp:
            total = _content_length(resp)
            with _progress_bar(os.path.basename(fpath), total, progress) as bar:
                done, digests = _copy(resp, out, bar)
        if total is not None and done != total:
            raise _BadDownload(f"truncated: received {done} of {total} bytes")
        problem = _mismatch(digests, md5, sha256)
        if problem is not None:
            raise _BadDownload(problem)
        os.replace(tmp, fpath)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def download_url(
    url: str,
    root: PathLike,
    filename: str | None = None,
    md5: str | None = None,
    *,
    sha256: str | None = None,
    mirrors: Sequence[str] = (),
    progress: bool = True,
    timeout: float = 60.0,
) -> str:
    """Download a file into ``root``, trying ``url`` then each mirror until the bytes check out.

    A file that is already there with the right checksum is not downloaded again. The bytes go
    to a temporary file in ``root`` that is renamed into place only after its length (when the
    server sent one) and checksums match, so a failed download never leaves a half-written file.

    Args:
        url: where to download from.
        root: the folder to put the file in (created if needed).
        filename: the name to save under; defaults to the last part of the URL's path.
        md5: expected hex md5 of the file, or None.
        sha256: expected hex sha256 of the file, or None (preferred over md5).
        mirrors: further full URLs for the same file, tried in order after ``url``.
        progress: draw a progress bar on stderr (only when stderr is a terminal).
        timeout: seconds to wait for the server at each step.

    Returns:
        The path of the downloaded (or already present) file.

    Raises:
        DownloadError: when every URL failed; the message names the file and each failure.

    Example:
        >>> download_url("https://example.com/a.bin", "data", sha256="...")  # doctest: +SKIP
        'data/a.bin'
    """
    root = os.path.expanduser(os.fspath(root))
    filename = filename or os.path.basename(urllib.parse.urlparse(url).path)
    fpath = os.path.join(root, filename)
    os.makedirs(root, exist_ok=True)
    if (md5 is not None or sha256 is not None) and check_integrity(fpath, md5, sha256=sha256):
        return fpath
    failures = []
    for candidate in (url, *mirrors):
        try:
            _fetch(candidate, fpath, md5, sha256, progress=progress, timeout=timeout)
            return fpath
        except (*_NETWORK_ERRORS, _BadDownload) as err:
            failures.append(f"{candidate}: {err}")
    tried = "\n  ".join(failures)
    raise DownloadError(f"could not download {filename!r} into {root!r}; tried:\n  {tried}")


def _inside(dest: str, name: str) -> bool:
    target = os.path.realpath(os.path.join(dest, name))
    return os.path.commonpath([dest, target]) == dest


def _refuse(archive: PathLike, name: str, why: str) -> RuntimeError:
    return RuntimeError(f"refusing to extract {os.fspath(archive)!r}: member {name!r} {why}")


def _check_tar_member(member: tarfile.TarInfo, dest: str, archive: PathLike) -> None:
    if os.path.isabs(member.name) or not _inside(dest, member.name):
        raise _refuse(archive, member.name, "would be written outside the target folder")
    if member.issym() or member.islnk():
        base = os.path.dirname(member.name) if member.issym() else ""
        link = member.linkname
        if os.path.isabs(link) or not _inside(dest, os.path.join(base, link)):
            raise _refuse(archive, member.name, f"links outside the target folder ({link})")
    elif not (member.isfile() or member.isdir()):
        raise _refuse(archive, member.name, "is a device, fifo or other special file")


def _extract_tar(from_path: PathLike, dest: str) -> None:
    with tarfile.open(from_path, "r:*") as tar:
        for member in tar.getmembers():
            _check_tar_member(member, dest, from_path)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python without extraction filters; members checked above
            tar.extractall(dest)


def _extract_zip(from_path: PathLike, dest: str) -> None:
    with zipfile.ZipFile(from_path) as archive:
        for name in archive.namelist():
            if os.path.isabs(name) or name.startswith(("/", "\\")) or not _inside(dest, name):
                raise _refuse(from_path, name, "would be written outside the target folder")
        archive.extractall(dest)


def _extract_single(
    from_path: PathLike, dest: str, opener: Callable[..., IO[bytes]], suffix: str
) -> None:
    """Decompress a lone .gz/.bz2/.xz file next to where it belongs, atomically."""
    target = os.path.join(dest, os.path.basename(os.fspath(from_path))[: -len(suffix)])
    fd, tmp = tempfile.mkstemp(dir=dest, prefix=os.path.basename(target) + ".")
    try:
        with os.fdopen(fd, "wb") as out, opener(from_path, "rb") as src:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                out.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _archive_kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".zip"):
        return ".zip"
    for suffix in _TAR_SUFFIXES:
        if lower.endswith(suffix):
            return ".tar"
    for suffix in _SINGLE_FILE:
        if lower.endswith(suffix):
            return suffix
    kinds = ", ".join((".zip", *_TAR_SUFFIXES, *_SINGLE_FILE))
    raise RuntimeError(f"cannot extract {path!r}: unknown archive type; supported: {kinds}")


def extract_archive(
    from_path: PathLike, to_path: PathLike | None = None, remove_finished: bool = False
) -> str:
    """Extract a .zip, a tar (plain, .gz, .bz2, .xz) or a lone .gz/.bz2/.xz file.

    Members that would land outside ``to_path`` (absolute names, ``..``, links pointing out,
    device files) make the whole extraction fail before anything is written.

    Args:
        from_path: the archive.
        to_path: the folder to extract into; defaults to the archive's folder.
        remove_finished: delete the archive after a successful extraction.

    Returns:
        The folder extracted into.

    Example:
        >>> extract_archive("data/cifar-10-python.tar.gz")  # doctest: +SKIP
        'data'
    """
    from_path = os.fspath(from_path)
    dest = os.path.realpath(
        os.fspath(to_path) if to_path is not None else os.path.dirname(os.path.abspath(from_path))
    )
    os.makedirs(dest, exist_ok=True)
    kind = _archive_kind(from_path)
    if kind == ".zip":
        _extract_zip(from_path, dest)
    elif kind == ".tar":
        _extract_tar(from_path, dest)
    else:
        _extract_single(from_path, dest, _SINGLE_FILE[kind], kind)
    if remove_finished:
        os.remove(from_path)
    return dest


def download_and_extract_archive(
    url: str,
    download_root: PathLike,
    extract_root: PathLike | None = None,
    filename: str | None = None,
    md5: str | None = None,
    remove_finished: bool = False,
    *,
    sha256: str | None = None,
    mirrors: Sequence[str] = (),
    progress: bool = True,
) -> str:
    """Download an archive (checked as in :func:`download_url`) and extract it.

    Args:
        url: where to download from.
        download_root: the folder for the archive.
        extract_root: the folder to extract into; defaults to ``download_root``.
        filename: the archive's name on disk; defaults to the last part of the URL's path.
        md5: expected hex md5 of the archive, or None.
        remove_finished: delete the archive after extracting it.
        sha256: expected hex sha256 of the archive, or None.
        mirrors: further full URLs for the same archive.
        progress: draw a progress bar on stderr.

    Returns:
        The folder extracted into.

    Example:
        >>> download_and_extract_archive(  # doctest: +SKIP
        ...     "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", "data",
        ...     md5="c58f30108f718f92721af3b95e74349a")
        'data'
    """
    archive = download_url(
        url, download_root, filename, md5, sha256=sha256, mirrors=mirrors, progress=progress
    )
    target = extract_root if extract_root is not None else download_root
    return extract_archive(archive, target, remove_finished)


@dataclass(frozen=True)
class Resource:
    """One downloadable file: its name on disk, where to get it, and how to check it.

    ``urls`` lists the primary location first and then its mirrors; :func:`download_resource`
    tries them in order. Give ``sha256`` (the rule for everything ember ships); ``md5`` is
    accepted as well where the publisher only lists md5, and both are checked when both are set.

    Args:
        filename: the file's name inside the dataset or cache folder.
        urls: one URL or a sequence of URLs (primary first, then mirrors).
        sha256: the expected hex sha256 (a prefix of at least 8 digits is accepted), or None.
        md5: the expected hex md5, or None.

    Example:
        >>> r = Resource("a.gz", ["https://example.org/a.gz", "https://mirror.org/a.gz"],
        ...              sha256="0123abcd" * 8)
        >>> r.urls[1]
        'https://mirror.org/a.gz'
    """

    filename: str
    urls: tuple[str, ...]
    sha256: str | None = None
    md5: str | None = None

    def __post_init__(self) -> None:
        urls = (self.urls,) if isinstance(self.urls, str) else tuple(self.urls)
        if not urls:
            raise ValueError(f"Resource {self.filename!r}: give at least one URL")
        object.__setattr__(self, "urls", urls)
        for name in ("sha256", "md5"):
            value = getattr(self, name)
            if value is not None and (len(value) < 8 or not _is_hex(value)):
                raise ValueError(
                    f"Resource {self.filename!r}: {name} must be at least 8 hex digits, "
                    f"got {value!r}"
                )

    def path(self, root: PathLike) -> str:
        """Where the file lives under ``root``."""
        return os.path.join(os.path.expanduser(os.fspath(root)), self.filename)

    def is_intact(self, root: PathLike) -> bool:
        """Whether the file is under ``root`` and matches its checksums (any it has)."""
        return check_integrity(self.path(root), self.md5, sha256=self.sha256)


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


def download_resource(
    resource: Resource,
    root: PathLike,
    *,
    extract: bool = False,
    progress: bool = True,
    timeout: float = 60.0,
) -> str:
    """Download ``resource`` into ``root`` (unless already there and intact), optionally extract it.

    The URLs are tried in order; each download goes to a temporary file that is renamed into
    place only after its length (``Content-Length``) and checksums match, so a failure never
    leaves a partial file. Archives are extracted into ``root`` with :func:`extract_archive`'s
    safety checks.

    Args:
        resource: the file to fetch.
        root: the folder for it (created if needed).
        extract: also extract the file (a .zip, a tar or a lone .gz/.bz2/.xz) into ``root``.
        progress: draw a tqdm progress bar on stderr (only when stderr is a terminal).
        timeout: seconds to wait for a server at each step.

    Returns:
        The path of the downloaded file.

    Raises:
        DownloadError: when no URL gave the expected bytes; the message lists every attempt.

    Example:
        >>> r = Resource("t10k-labels-idx1-ubyte.gz",  # doctest: +SKIP
        ...     ["https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz"],
        ...     sha256="f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")
        >>> download_resource(r, "data/MNIST/raw", extract=True)  # doctest: +SKIP
        'data/MNIST/raw/t10k-labels-idx1-ubyte.gz'
    """
    primary, *mirrors = resource.urls
    path = download_url(
        primary,
        root,
        resource.filename,
        resource.md5,
        sha256=resource.sha256,
        mirrors=mirrors,
        progress=progress,
        timeout=timeout,
    )
    if extract:
        extract_archive(path, root)
    return path
