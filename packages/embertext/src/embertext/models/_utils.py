"""Helpers shared by the text model builders: configuration and files from the weights."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from ember.hub import overwrite_named_param


def fix_kwargs(weights: Any, kwargs: dict[str, Any]) -> None:
    """Set the model's configuration from ``weights.meta["config"]``; a conflicting value raises."""
    config = getattr(weights, "meta", {}).get("config") if weights is not None else None
    for name, value in (config or {}).items():
        overwrite_named_param(kwargs, name, value)


def read_package_json(spec: str, sha256: str) -> Any:
    """A JSON file shipped in a package (``"package/relative/name.json"``), hash-checked."""
    package, _, name = spec.partition("/")
    data = resources.files(package).joinpath(name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not digest.startswith(sha256):
        raise RuntimeError(f"{spec}: sha256 {digest[:16]}... does not match {sha256}; reinstall")
    return json.loads(data.decode("utf-8"))
