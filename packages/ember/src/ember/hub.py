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

import builtins
import enum
import fnmatch
import importlib.metadata
import importlib.resources
import importlib.util
import os
import re
import shutil
import sys
import typing
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar

import ember
from ember.utils.download import DownloadError, calculate_sha256, download_url, extract_archive

__all__ = [
    "Weights",
    "WeightsEnum",
    "register_model",
    "list_models",
    "list_domains",
    "domain_of",
    "domain_list_models",
    "overwrite_named_param",
    "set_params_from_weights",
    "load_weights",
    "sha256_prefix_from_name",
    "list",
    "help",
    "load",
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
_DOMAIN_OF: dict[str, str] = {}
_WEIGHTS_OF: dict[str, type[WeightsEnum]] = {}
_WEIGHT_ENUMS: dict[str, type[WeightsEnum]] = {}
_hub_dir: str | None = None
_domains_loaded = False
_ep_domains: dict[str, str] | None = None
_HASH_IN_NAME = re.compile(r"-([a-f0-9]{6,64})\.")
_GITHUB_ARCHIVE = "https://github.com/{owner}/{repo}/archive/{ref}.zip"
M = TypeVar("M")


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
    name: str | None = None,
    *,
    weights: type[WeightsEnum] | None = None,
    domain: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering a model builder under ``name`` (default: the function's name).

    The builder is recorded under a domain (``"vision"``, ``"text"``, ...). When ``domain`` is
    not given it is inferred, in this order: the name of the ``ember.domains`` entry point whose
    target module lives in the same top-level package as the builder (``embervision.models``
    declares ``vision``, so every builder defined under ``embervision`` is ``"vision"``); else the
    builder's top-level package name (``"mypkg"`` for ``mypkg.models.net``).

    Args:
        name: the registry name.
        weights: the builder's :class:`WeightsEnum`; found from the ``weights`` annotation when
            omitted.
        domain: the domain to file the builder under; inferred when None (see above).

    Example:
        >>> @register_model(domain="toy")
        ... def tiny_mlp(*, weights=None, progress=True, **kwargs):
        ...     return ember.nn.Linear(4, 2)
        >>> get_model("tiny_mlp").weight.shape
        (2, 4)
        >>> list_models(domain="toy")
        ['tiny_mlp']
    """

    def wrapper(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name if name is not None else fn.__name__
        if key in _MODELS and _MODELS[key] is not fn:
            old = _MODELS[key]
            if (old.__module__, old.__qualname__) != (fn.__module__, fn.__qualname__):
                raise ValueError(f"ember.hub: a model is already registered as {key!r}")
        _MODELS[key] = fn
        if domain is not None:
            _DOMAIN_OF[key] = domain
        if weights is not None:
            _WEIGHTS_OF[key] = weights
        return fn

    return wrapper


def _entry_point_domains() -> dict[str, str]:
    """``{top-level package: domain}`` from the declared ``ember.domains`` entry points."""
    global _ep_domains
    if _ep_domains is None:
        found: dict[str, str] = {}
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            found.setdefault(ep.value.split(":")[0].split(".")[0], ep.name)
        _ep_domains = found
    return _ep_domains


def _domain_of_key(key: str) -> str:
    if key in _DOMAIN_OF:
        return _DOMAIN_OF[key]
    top = _MODELS[key].__module__.split(".")[0]
    return _entry_point_domains().get(top, top)


def domain_of(name: str) -> str:
    """The domain a registered model is filed under (see :func:`register_model` for the rule).

    Example:
        >>> domain_of("resnet18")          # with embervision installed
        'vision'
    """
    fn = get_model_builder(name)
    return _domain_of_key(next(k for k, v in _MODELS.items() if v is fn))


def load_domains() -> list[str]:
    """Import every package registered in the ``ember.domains`` entry-point group.

    Called automatically by the registry functions. A domain that fails to import is skipped
    with a warning naming it. Returns the names of the domains found.
    """
    global _domains_loaded, _ep_domains
    _ep_domains = None
    names = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        names.append(ep.name)
        try:
            ep.load()
        except Exception as exc:  # a broken third-party domain must not break the hub
            dist = getattr(getattr(ep, "dist", None), "name", None) or "an unknown distribution"
            warnings.warn(
                f"ember.hub: could not load domain {ep.name!r} ({ep.value}) from {dist}: "
                f"{type(exc).__name__}: {exc}. Reinstall or uninstall {dist}; the other "
                "domains are unaffected",
                stacklevel=2,
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
    *,
    domain: str | None = None,
) -> builtins.list[str]:
    """Names of the registered models, sorted, optionally filtered.

    Args:
        module: only builders defined in this module or below it (for example
            ``embervision.models``). A string with wildcards is taken as ``include``, so
            ``list_models("resnet*")`` works.
        include: fnmatch pattern(s) a name must match (any of them).
        exclude: fnmatch pattern(s) that remove names.
        domain: only models of this domain (``"vision"``, ``"text"`` ...; see
            :func:`list_domains`).

    Example:
        >>> list_models("resnet1*")
        ['resnet101', 'resnet152', 'resnet18']
        >>> "resnet18" in list_models(domain="vision")
        True
    """
    _ensure_domains()
    if isinstance(module, str) and include is None and any(c in module for c in "*?["):
        module, include = None, module
    names = [n for n, fn in _MODELS.items() if _in_module(fn, module)]
    if domain is not None:
        names = [n for n in names if _domain_of_key(n) == domain]
    if include is not None:
        pats = [include] if isinstance(include, str) else builtins.list(include)
        names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in pats)]
    if exclude is not None:
        pats = [exclude] if isinstance(exclude, str) else builtins.list(exclude)
        names = [n for n in names if not any(fnmatch.fnmatch(n, p) for p in pats)]
    return sorted(names)


def list_domains() -> builtins.list[str]:
    """The domains known to the hub: every ``ember.domains`` entry point and every domain a
    registered model is filed under, sorted.

    Example:
        >>> "vision" in list_domains()     # with embervision installed
        True
    """
    _ensure_domains()
    names = set(_entry_point_domains().values()) | {_domain_of_key(n) for n in _MODELS}
    return sorted(names)


def domain_list_models(domain: str) -> Callable[..., builtins.list[str]]:
    """A ``list_models(module=None, include=None, exclude=None)`` that lists only ``domain``.

    Each domain package exposes one as ``<package>.models.list_models``, so it lists its own
    models and never a third-party package's, as ``torchvision.models.list_models`` does.

    Example:
        >>> vision_models = domain_list_models("vision")
        >>> "resnet18" in vision_models()   # with embervision installed
        True
    """

    def list_models_of_domain(
        module: ModuleType | str | None = None,
        include: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
    ) -> builtins.list[str]:
        return list_models(module, include, exclude, domain=domain)

    list_models_of_domain.__name__ = "list_models"
    list_models_of_domain.__qualname__ = "list_models"
    list_models_of_domain.__doc__ = (
        f"Names of the {domain!r} models registered in ember.hub, sorted, optionally filtered "
        "(see ember.hub.list_models for the arguments)."
    )
    return list_models_of_domain


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

    The download goes through :func:`ember.utils.download.download_url` (the one download path):
    the file is written next to ``dst`` under a temporary name and renamed only when complete
    (``Content-Length``) and verified, so an interrupted download never leaves a partial file.

    Raises:
        ember.utils.download.DownloadError: naming the URL and what went wrong, with a hint for
            offline use.

    Example:
        >>> download_url_to_file("file:///tmp/a.bin", "/tmp/b.bin")  # doctest: +SKIP
    """
    dst = os.path.abspath(os.fspath(dst))
    try:
        download_url(
            url, os.path.dirname(dst), os.path.basename(dst), sha256=hash_prefix, progress=progress
        )
    except DownloadError as exc:
        raise DownloadError(
            f"ember.hub: {exc}. Without network access, download "
            f"the file elsewhere and put it in {os.path.join(get_dir(), 'checkpoints')}, or "
            "pass its path as weights="
        ) from exc


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
    return sha256_prefix_from_name(name)


def sha256_prefix_from_name(file_name: str) -> str | None:
    """The hex digits after the last ``-`` of a ``torch.hub``-style file name, or None.

    Example:
        >>> sha256_prefix_from_name("resnet18-f37072fd.pth")
        'f37072fd'
        >>> sha256_prefix_from_name("weights.pth") is None
        True
    """
    match = _HASH_IN_NAME.search(os.path.basename(file_name))
    return match.group(1) if match else None


def _is_remote(location: str) -> bool:
    return urllib.parse.urlparse(location).scheme in ("http", "https", "ftp")


def _local_path(location: str) -> str:
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme == "file":
        return urllib.request.url2pathname(parsed.path)
    return os.path.expanduser(location)


def _check_file_hash(path: str, expected: str) -> None:
    digest = calculate_sha256(path)
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


# ------------------------------------------------------------------- helpers for builders ---


def overwrite_named_param(kwargs: dict[str, Any], param: str, new_value: Any) -> None:
    """Set ``kwargs[param] = new_value`` for a builder, refusing a conflicting user value.

    Builders call it when pretrained weights fix an argument (``num_classes``, ``image_size``).
    torchvision spells it ``_ovewrite_named_param``.

    Raises:
        ValueError: when the caller passed another value for ``param``.

    Example:
        >>> kw = {}
        >>> overwrite_named_param(kw, "num_classes", 10)
        >>> kw
        {'num_classes': 10}
    """
    if param in kwargs and kwargs[param] != new_value:
        raise ValueError(
            f"the weights fix {param}={new_value}, but {param}={kwargs[param]} was given; "
            f"drop {param}= or build without weights and load a state dict yourself"
        )
    kwargs[param] = new_value


def set_params_from_weights(weights: Any, kwargs: dict[str, Any]) -> None:
    """Fix the builder arguments the weights decide: ``num_classes`` from their categories.

    Args:
        weights: a :class:`WeightsEnum` member, a :class:`Weights`, or None (nothing to do).
        kwargs: the builder's keyword arguments, changed in place.

    Example:
        >>> kw = {}
        >>> set_params_from_weights(Weights(None, None, {"categories": ["a", "b"]}), kw)
        >>> kw
        {'num_classes': 2}
    """
    categories = getattr(weights, "meta", {}).get("categories") if weights is not None else None
    if categories:
        overwrite_named_param(kwargs, "num_classes", len(categories))


def load_weights(model: M, weights: Any, progress: bool = True) -> M:
    """Load ``weights`` (downloading and hash-checking them) into ``model``; return ``model``.

    Args:
        model: the freshly built module.
        weights: a :class:`WeightsEnum` member or :class:`Weights`, or None (nothing to do).
        progress: show a download progress bar (only on a terminal).

    Example:
        >>> net = load_weights(ember.nn.Linear(2, 2), None)
    """
    if weights is not None:
        model.load_state_dict(  # type: ignore[attr-defined]
            weights.get_state_dict(progress=progress, check_hash=True)
        )
    return model


# --------------------------------------------------------------- torch.hub-style entry points ---


def _hub_repo_dir(repo_or_dir: str, source: str, force_reload: bool, trust_repo: Any) -> str:
    if source == "local":
        path = os.path.expanduser(repo_or_dir)
        if not os.path.isfile(os.path.join(path, "hubconf.py")):
            hint = " (pass source='github' to fetch 'owner/repo[:ref]')" if "/" in path else ""
            raise FileNotFoundError(f"ember.hub: no hubconf.py in directory {path!r}{hint}")
        return path
    if source != "github":
        raise ValueError(f"ember.hub: source must be 'local' or 'github', got {source!r}")
    if trust_repo is not True:
        raise ValueError(
            f"ember.hub: loading {repo_or_dir!r} runs its hubconf.py; pass trust_repo=True if "
            "you trust it"
        )
    return _fetch_github(repo_or_dir, force_reload)


def _fetch_github(repo: str, force_reload: bool) -> str:
    owner_repo, _, ref = repo.partition(":")
    owner, _, name = owner_repo.partition("/")
    if not owner or not name:
        raise ValueError(f"ember.hub: expected 'owner/repo[:ref]', got {repo!r}")
    ref = ref or "main"
    folder = os.path.join(get_dir(), f"{owner}_{name}_{ref.replace('/', '_')}")
    if os.path.isdir(folder) and not force_reload:
        return folder
    url = _GITHUB_ARCHIVE.format(owner=owner, repo=name, ref=ref)
    archive = download_url(url, get_dir(), f"{owner}_{name}_{ref.replace('/', '_')}.zip")
    staging = folder + ".extract"
    shutil.rmtree(staging, ignore_errors=True)
    extract_archive(archive, staging, remove_finished=True)
    tops = os.listdir(staging)
    inner = os.path.join(staging, tops[0]) if len(tops) == 1 else staging
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(inner, folder)
    shutil.rmtree(staging, ignore_errors=True)
    return folder


def _import_hubconf(repo_dir: str) -> ModuleType:
    path = os.path.join(repo_dir, "hubconf.py")
    spec = importlib.util.spec_from_file_location(f"hubconf_{abs(hash(repo_dir))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, repo_dir)  # hubconf.py imports its repository's modules, as in torch.hub
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(repo_dir)
    missing = [
        d for d in getattr(module, "dependencies", []) if importlib.util.find_spec(d) is None
    ]
    if missing:
        raise RuntimeError(f"ember.hub: {path} needs missing packages: {', '.join(missing)}")
    return module


def _entry(module: ModuleType, model: str) -> Callable[..., Any]:
    fn = getattr(module, model, None)
    if model.startswith("_") or not callable(fn):
        raise RuntimeError(
            f"ember.hub: no callable entry point {model!r} in hubconf.py; "
            f"available: {', '.join(_entries(module)) or 'none'}"
        )
    return fn


def _entries(module: ModuleType) -> builtins.list[str]:
    return sorted(
        n
        for n, v in vars(module).items()
        if callable(v) and not n.startswith("_") and not isinstance(v, (type, ModuleType))
    )


def list(  # noqa: A001 - torch.hub.list's name
    repo_or_dir: str,
    force_reload: bool = False,
    skip_validation: bool = False,
    trust_repo: Any = None,
    verbose: bool = True,
    source: str = "local",
) -> builtins.list[str]:
    """The entry points (public functions) of a repository's ``hubconf.py``, as ``torch.hub.list``.

    Args:
        repo_or_dir: a directory holding ``hubconf.py`` (``source="local"``), or
            ``"owner/repo[:ref]"`` on GitHub (``source="github"``, fetched through
            :mod:`ember.utils.download` into :func:`get_dir`).
        force_reload: fetch a GitHub repository again even when cached.
        skip_validation: accepted for torch.hub compatibility (no GitHub API calls are made).
        trust_repo: must be True for a GitHub source (its ``hubconf.py`` is run).
        verbose: accepted for torch.hub compatibility.
        source: ``"local"`` (the default here, unlike torch.hub) or ``"github"``.

    Example:
        >>> ember.hub.list("path/to/repo")  # doctest: +SKIP
        ['tiny_net']
    """
    return _entries(_import_hubconf(_hub_repo_dir(repo_or_dir, source, force_reload, trust_repo)))


def help(  # noqa: A001 - torch.hub.help's name
    repo_or_dir: str,
    model: str,
    force_reload: bool = False,
    skip_validation: bool = False,
    trust_repo: Any = None,
    source: str = "local",
) -> str:
    """The docstring of entry point ``model`` in a repository's ``hubconf.py`` (see :func:`list`).

    Example:
        >>> ember.hub.help("path/to/repo", "tiny_net")  # doctest: +SKIP
        'A tiny network.'
    """
    module = _import_hubconf(_hub_repo_dir(repo_or_dir, source, force_reload, trust_repo))
    return _entry(module, model).__doc__ or ""


def load(
    repo_or_dir: str,
    model: str,
    *args: Any,
    source: str = "local",
    trust_repo: Any = None,
    force_reload: bool = False,
    verbose: bool = True,
    skip_validation: bool = False,
    **kwargs: Any,
) -> Any:
    """Call entry point ``model`` of a repository's ``hubconf.py`` with ``*args, **kwargs``.

    As ``torch.hub.load``, but ``source`` defaults to ``"local"`` (a directory); GitHub
    repositories (``source="github"``, ``trust_repo=True``) are fetched through the one
    download path into :func:`get_dir`.

    Returns:
        Whatever the entry point returns (usually a model).

    Example:
        >>> net = ember.hub.load("path/to/repo", "tiny_net", num_classes=3)  # doctest: +SKIP
    """
    module = _import_hubconf(_hub_repo_dir(repo_or_dir, source, force_reload, trust_repo))
    return _entry(module, model)(*args, **kwargs)
