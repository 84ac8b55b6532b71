"""Model registry and pretrained weights: ``ember.hub``.

Domain packages (embervision, embertext, ...) register model builders by name with
:func:`register_model` and describe their pretrained weights as members of a
:class:`WeightsEnum`. Each member holds a :class:`Weights` record: where the file lives (a URL,
or a file shipped inside the package), its sha256, the preprocessing transform the weights
expect, and metadata (categories, metrics, number of parameters, how they were trained).

Installed domain packages announce themselves through the ``ember.domains`` entry-point group
(``[project.entry-points."ember.domains"] vision = "embervision.models"``); the hub imports
them the first time it is asked for a model, so :func:`list_models` sees every installed
domain, third-party ones included. Importing ``ember`` itself loads nothing.

Downloaded files are cached in :func:`get_dir` ``/checkpoints`` (``$EMBER_HOME/hub``, by
default ``~/.cache/ember/hub``) and verified against their sha256.

Example:
    >>> from ember import hub
    >>> "lenet" in hub.list_models()          # with embervision installed
    True
    >>> model = hub.get_model("lenet", weights="DEFAULT")
    >>> hub.get_weight("LeNet_Weights.DEFAULT").meta["categories"][:3]
    ['0', '1', '2']
"""

from __future__ import annotations

import enum
import fnmatch
import hashlib
import importlib.metadata
import importlib.resources
import os
import re
import sys
import tempfile
import typing
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import IO, Any

import ember

__all__ = [
    "Weights",
    "WeightsEnum",
    "register_model",
    "list_models",
    "get_model",
    "get_model_builder",
    "get_model_weights",
    "get_weight",
    "get_dir",
    "set_dir",
    "download_url_to_file",
    "load_state_dict_from_url",
    "load_domains",
    "ENTRY_POINT_GROUP",
]

ENTRY_POINT_GROUP = "ember.domains"

_MODELS: dict[str, Callable[..., Any]] = {}
_WEIGHTS_OF: dict[str, type[WeightsEnum]] = {}
_WEIGHT_ENUMS: dict[str, type[WeightsEnum]] = {}
_hub_dir: str | None = None
_domains_loaded = False
_HASH_IN_NAME = re.compile(r"-([a-f0-9]{6,64})\.")
_CHUNK = 1 << 20


# --------------------------------------------------------------------------------- weights ---


@dataclass(eq=True)
class Weights:
    """One set of pretrained weights: where it lives, how to check it, how to use it.

    Args:
        url: an ``http(s)://`` or ``file://`` URL or a local path; None for package data.
        transforms: a callable returning the preprocessing the weights expect
            (``weights.transforms()`` gives the transform object).
        meta: metadata: ``categories``, ``num_params``, ``recipe``, ``_metrics`` ...
        sha256: the file's sha256 in hex (a prefix of at least 8 digits is accepted, as in
            ``torch.hub`` file names like ``resnet18-f37072fd.pth``).
        file: a file shipped inside a package, as ``"package.subpackage/file-name.ext"``.

    Example:
        >>> w = Weights("https://example.org/net-0123abcd.pth", transforms=None, meta={})
        >>> w.file_name
        'net-0123abcd.pth'
    """

    url: str | None
    transforms: Callable[..., Any] | None
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str | None = None
    file: str | None = None

    @classmethod
    def from_location(cls, location: str | os.PathLike[str]) -> Weights:
        """Weights with no metadata read from a path or URL the user gave."""
        return cls(url=os.fspath(location), transforms=None, meta={})

    @property
    def file_name(self) -> str:
        """The base name of the file (from ``file`` or the URL path)."""
        where = self.file if self.file is not None else urllib.parse.urlparse(self.url or "").path
        return os.path.basename(where or "")

    def get_state_dict(
        self, progress: bool = True, check_hash: bool = True, map_location: Any = "cpu"
    ) -> dict[str, Any]:
        """Read (downloading first if needed) and return the state dict of these weights.

        Args:
            progress: print download progress to stderr.
            check_hash: verify the file against ``sha256`` (when one is given).
            map_location: passed to :func:`ember.load`.

        Returns:
            A dict ``{name: Tensor}`` for ``model.load_state_dict``.
        """
        if self.file is not None:
            return _load_package_file(self.file, self.sha256 if check_hash else None, map_location)
        if not self.url:
            raise ValueError("ember.hub: these Weights have neither a url nor a package file")
        if _is_remote(self.url):
            return load_state_dict_from_url(
                self.url,
                progress=progress,
                check_hash=check_hash,
                sha256=self.sha256,
                map_location=map_location,
            )
        path = _local_path(self.url)
        if check_hash and self.sha256:
            _check_file_hash(path, self.sha256)
        return _unwrap_state_dict(ember.load(path, map_location=map_location), path)


class WeightsEnum(enum.Enum):
    """Base class of the per-model weight enums (``ResNet18_Weights.IMAGENET1K_V1`` ...).

    Members' values are :class:`Weights`; ``url``, ``transforms``, ``meta``, ``sha256`` and
    ``get_state_dict`` are forwarded to them. Subclasses usually alias their best member as
    ``DEFAULT``.

    Example:
        >>> class Tiny_Weights(WeightsEnum):
        ...     V1 = Weights("https://example.org/tiny-0123abcd.pth", None, {"categories": ["a"]})
        ...     DEFAULT = V1
        >>> Tiny_Weights.verify("DEFAULT") is Tiny_Weights.V1
        True
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _WEIGHT_ENUMS.setdefault(cls.__name__, cls)

    @classmethod
    def verify(cls, obj: Any) -> Any:
        """Turn ``weights=`` into a member of this enum, a :class:`Weights`, or None.

        Accepts None, a member, a :class:`Weights`, a member name (``"DEFAULT"`` or
        ``"ResNet18_Weights.DEFAULT"``), an existing file path or a URL.
        """
        if obj is None or isinstance(obj, (cls, Weights)):
            return obj
        if isinstance(obj, (str, os.PathLike)):
            return cls._from_string(os.fspath(obj))
        if isinstance(obj, WeightsEnum):
            raise TypeError(
                f"weights {type(obj).__name__}.{obj.name} belong to another model; "
                f"expected a member of {cls.__name__} ({cls._names()})"
            )
        raise TypeError(
            f"weights must be None, a {cls.__name__} member, its name, a file path or a URL; "
            f"got {type(obj).__name__}"
        )

    @classmethod
    def _from_string(cls, text: str) -> Any:
        name = text.removeprefix(cls.__name__ + ".")
        if name in cls.__members__:
            return cls.__members__[name]
        if _is_remote(text) or os.path.exists(_local_path(text)):
            return Weights.from_location(text)
        raise ValueError(
            f"weights {text!r} is neither a member of {cls.__name__} ({cls._names()}), "
            "an existing file, nor a URL"
        )

    @classmethod
    def _names(cls) -> str:
        return ", ".join(cls.__members__)

    @property
    def url(self) -> str | None:
        return self.value.url

    @property
    def transforms(self) -> Callable[..., Any] | None:
        return self.value.transforms

    @property
    def meta(self) -> dict[str, Any]:
        return self.value.meta

    @property
    def sha256(self) -> str | None:
        return self.value.sha256

    @property
    def file(self) -> str | None:
        return self.value.file

    def get_state_dict(
        self, progress: bool = True, check_hash: bool = True, map_location: Any = "cpu"
    ) -> dict[str, Any]:
        """See :meth:`Weights.get_state_dict`."""
        return self.value.get_state_dict(progress, check_hash, map_location)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


# -------------------------------------------------------------------------------- registry ---


def register_model(
    name: str | None = None, *, weights: type[WeightsEnum] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering a model builder under ``name`` (default: the function's name).

    Args:
        name: the registry name.
        weights: the builder's :class:`WeightsEnum`; found from the ``weights`` annotation when
            omitted.

    Example:
        >>> @register_model()
        ... def tiny_mlp(*, weights=None, progress=True, **kwargs):
        ...     return ember.nn.Linear(4, 2)
        >>> get_model("tiny_mlp").weight.shape
        (2, 4)
    """

    def wrapper(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name if name is not None else fn.__name__
        if key in _MODELS and _MODELS[key] is not fn:
            old = _MODELS[key]
            if (old.__module__, old.__qualname__) != (fn.__module__, fn.__qualname__):
                raise ValueError(f"ember.hub: a model is already registered as {key!r}")
        _MODELS[key] = fn
        if weights is not None:
            _WEIGHTS_OF[key] = weights
        return fn

    return wrapper


def load_domains() -> list[str]:
    """Import every package registered in the ``ember.domains`` entry-point group.

    Called automatically by the registry functions. A domain that fails to import is skipped
    with a warning naming it. Returns the names of the domains found.
    """
    global _domains_loaded
    names = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        names.append(ep.name)
        try:
            ep.load()
        except Exception as exc:  # a broken third-party domain must not break the hub
            warnings.warn(
                f"ember.hub: could not load domain {ep.name!r} ({ep.value}): {exc}", stacklevel=2
            )
    _domains_loaded = True
    return names


def _ensure_domains() -> None:
    if not _domains_loaded:
        load_domains()


def list_models(
    module: ModuleType | str | None = None,
    include: str | Iterable[str] | None = None,
    exclude: str | Iterable[str] | None = None,
) -> list[str]:
    """Names of the registered models, sorted, optionally filtered.

    Args:
        module: only builders defined in this module or below it (for example
            ``embervision.models``). A string that is not an importable-looking module name
            with wildcards is taken as ``include``, so ``list_models("resnet*")`` works.
        include: fnmatch pattern(s) a name must match (any of them).
        exclude: fnmatch pattern(s) that remove names.

    Example:
        >>> list_models("resnet1*")
        ['resnet101', 'resnet152', 'resnet18']
    """
    _ensure_domains()
    if isinstance(module, str) and include is None and any(c in module for c in "*?["):
        module, include = None, module
    names = [n for n, fn in _MODELS.items() if _in_module(fn, module)]
    if include is not None:
        pats = [include] if isinstance(include, str) else list(include)
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in pats)]
    if exclude is not None:
        pats = [exclude] if isinstance(exclude, str) else list(exclude)
        names = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in pats)]
    return sorted(names)


def _in_module(fn: Callable[..., Any], module: ModuleType | str | None) -> bool:
    if module is None:
        return True
    prefix = module if isinstance(module, str) else module.__name__
    return fn.__module__ == prefix or fn.__module__.startswith(prefix + ".")


def get_model_builder(name: str) -> Callable[..., Any]:
    """The registered builder function called ``name`` (case-insensitive).

    Raises:
        ValueError: naming the closest registered models when ``name`` is unknown.
    """
    _ensure_domains()
    key = name.lower()
    if key in _MODELS:
        return _MODELS[key]
    if name in _MODELS:
        return _MODELS[name]
    near = [n for n in _MODELS if n.startswith(key[:4])][:8]
    hint = f" Close matches: {', '.join(sorted(near))}." if near else ""
    raise ValueError(
        f"ember.hub: unknown model {name!r}.{hint} See ember.hub.list_models() for all "
        f"{len(_MODELS)} registered models (is the domain package installed?)"
    )


def get_model(name: str, **config: Any) -> Any:
    """Build the model registered as ``name``, passing ``config`` to its builder.

    Example:
        >>> model = get_model("resnet18", num_classes=10)
        >>> model.fc.out_features
        10
    """
    return get_model_builder(name)(**config)


def get_model_weights(name: str | Callable[..., Any]) -> type[WeightsEnum]:
    """The :class:`WeightsEnum` of a registered model (by name or builder).

    Example:
        >>> get_model_weights("lenet").DEFAULT.meta["categories"][0]
        '0'
    """
    fn = get_model_builder(name) if isinstance(name, str) else name
    key = next((k for k, v in _MODELS.items() if v is fn), None)
    if key is not None and key in _WEIGHTS_OF:
        return _WEIGHTS_OF[key]
    found = _enum_from_annotation(fn)
    if found is None:
        raise ValueError(f"ember.hub: model {key or fn.__name__!r} has no weights enum")
    return found


def _enum_from_annotation(fn: Callable[..., Any]) -> type[WeightsEnum] | None:
    try:
        hint = typing.get_type_hints(fn).get("weights")
    except Exception:  # an unresolvable annotation is the same as none
        return None
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, WeightsEnum):
            return arg
    return None


def get_weight(name: str) -> WeightsEnum:
    """The weights member called ``"EnumName.MEMBER"``, e.g. ``"ResNet18_Weights.DEFAULT"``.

    Example:
        >>> get_weight("LeNet_Weights.DEFAULT").meta["_metrics"]["MNIST"]["acc@1"] > 98
        True
    """
    enum_name, _, member = name.partition(".")
    _ensure_domains()
    cls = _WEIGHT_ENUMS.get(enum_name)
    if cls is None or not member:
        raise ValueError(
            f"ember.hub: no weights {name!r}; expected 'EnumName.MEMBER' with one of "
            f"{', '.join(sorted(_WEIGHT_ENUMS)) or 'no registered enums'}"
        )
    if member not in cls.__members__:
        raise ValueError(f"ember.hub: {enum_name} has no member {member!r} ({cls._names()})")
    return cls.__members__[member]


# -------------------------------------------------------------------------- files, caching ---


def get_dir() -> str:
    """The hub cache folder: ``set_dir``'s value, else ``$EMBER_HOME/hub``, else
    ``~/.cache/ember/hub``. Weights files go into its ``checkpoints`` subfolder."""
    if _hub_dir is not None:
        return _hub_dir
    home = os.environ.get("EMBER_HOME")
    if home:
        return os.path.join(os.path.expanduser(home), "hub")
    xdg = os.environ.get("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    return os.path.join(os.path.expanduser(xdg), "ember", "hub")


def set_dir(path: str | os.PathLike[str]) -> None:
    """Use ``path`` as the hub cache folder for this process."""
    global _hub_dir
    _hub_dir = os.path.expanduser(os.fspath(path))


def download_url_to_file(
    url: str, dst: str | os.PathLike[str], hash_prefix: str | None = None, progress: bool = True
) -> None:
    """Download ``url`` to ``dst`` atomically, checking its sha256 against ``hash_prefix``.

    The file is written next to ``dst`` under a temporary name and renamed only when complete
    and verified, so an interrupted download never leaves a partial file in the cache.

    Example:
        >>> download_url_to_file("file:///tmp/a.bin", "/tmp/b.bin")
    """
    dst = os.fspath(dst)
    folder = os.path.dirname(os.path.abspath(dst))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".download-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _fetch(url, out, progress)
        if hash_prefix and not digest.startswith(hash_prefix.lower()):
            raise RuntimeError(
                f"ember.hub: sha256 of {url} is {digest}, expected it to start with "
                f"{hash_prefix}; the download is corrupt or the file changed upstream"
            )
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _fetch(url: str, out: IO[bytes], progress: bool) -> str:
    sha = hashlib.sha256()
    try:
        response = urllib.request.urlopen(url, timeout=60)  # noqa: S310 - the user's URL
    except OSError as exc:
        raise RuntimeError(
            f"ember.hub: could not download {url}: {exc}. Without network access, download "
            f"the file elsewhere and put it in {os.path.join(get_dir(), 'checkpoints')}, or "
            "pass its path as weights="
        ) from exc
    with response:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            sha.update(chunk)
            done += len(chunk)
            if progress:
                _report(url, done, total)
    if progress:
        sys.stderr.write("\n")
    return sha.hexdigest()


def _report(url: str, done: int, total: int) -> None:
    size = f"{done / 2**20:.1f} MiB"
    pct = f" ({100 * done / total:.0f}%)" if total else ""
    sys.stderr.write(f"\rDownloading {os.path.basename(url)}: {size}{pct}")
    sys.stderr.flush()


def load_state_dict_from_url(
    url: str,
    model_dir: str | os.PathLike[str] | None = None,
    map_location: Any = None,
    progress: bool = True,
    check_hash: bool = False,
    file_name: str | None = None,
    weights_only: bool = True,
    sha256: str | None = None,
) -> dict[str, Any]:
    """Load a state dict from ``url``, downloading it into the cache first if needed.

    Args:
        url: where the file is (``http(s)://`` or ``file://``).
        model_dir: the cache folder (default ``get_dir()/checkpoints``).
        map_location: passed to :func:`ember.load`.
        progress: print download progress to stderr.
        check_hash: verify the sha256: against ``sha256`` when given, else against the hex
            digits after the last ``-`` of the file name (``resnet18-f37072fd.pth``).
        file_name: the cached file's name (default: the URL's).
        weights_only: passed to :func:`ember.load`.
        sha256: the expected digest (or a prefix of at least 8 hex digits).

    Returns:
        The state dict.
    """
    folder = os.fspath(model_dir) if model_dir is not None else _checkpoint_dir()
    name = file_name or os.path.basename(urllib.parse.urlparse(url).path)
    path = os.path.join(folder, name)
    expected = _expected_hash(name, sha256) if check_hash else None
    if not os.path.exists(path):
        download_url_to_file(url, path, expected, progress)
    elif expected:
        _check_file_hash(path, expected)
    obj = ember.load(path, map_location=map_location, weights_only=weights_only)
    return _unwrap_state_dict(obj, path)


def _checkpoint_dir() -> str:
    return os.path.join(get_dir(), "checkpoints")


def _expected_hash(name: str, sha256: str | None) -> str | None:
    if sha256:
        return sha256.lower()
    match = _HASH_IN_NAME.search(name)
    return match.group(1) if match else None


def _is_remote(location: str) -> bool:
    return urllib.parse.urlparse(location).scheme in ("http", "https", "ftp")


def _local_path(location: str) -> str:
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme == "file":
        return urllib.request.url2pathname(parsed.path)
    return os.path.expanduser(location)


def _sha256_of(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _check_file_hash(path: str, expected: str) -> None:
    digest = _sha256_of(path)
    if not digest.startswith(expected.lower()):
        raise RuntimeError(
            f"ember.hub: sha256 of {path} is {digest}, expected {expected}; the file is corrupt "
            "or not the one these weights describe (delete it to download it again)"
        )


def _load_package_file(spec: str, sha256: str | None, map_location: Any) -> dict[str, Any]:
    package, _, name = spec.partition("/")
    resource = importlib.resources.files(package).joinpath(name)
    with importlib.resources.as_file(resource) as path:
        if not path.is_file():
            raise FileNotFoundError(
                f"ember.hub: weights file {name!r} is missing from package {package!r}; "
                "reinstall the package"
            )
        if sha256:
            _check_file_hash(str(path), sha256)
        return _unwrap_state_dict(ember.load(path, map_location=map_location), str(path))


def _unwrap_state_dict(obj: Any, where: str) -> dict[str, Any]:
    """Accept a bare state dict or a training checkpoint holding one under a usual key."""
    if not isinstance(obj, dict):
        raise TypeError(f"ember.hub: {where} holds a {type(obj).__name__}, not a state dict")
    if any(isinstance(v, ember.Tensor) for v in obj.values()):
        return obj
    for key in ("state_dict", "model_state_dict", "model"):
        if isinstance(obj.get(key), dict):
            return obj[key]
    return obj
