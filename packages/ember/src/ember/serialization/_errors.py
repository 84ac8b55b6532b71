"""The exceptions every ember reader raises."""

from __future__ import annotations

import pickle

__all__ = [
    "SerializationError",
    "WeightsOnlyUnpicklingError",
    "UnrecognisedFormatError",
    "EmptyFileError",
]


class SerializationError(RuntimeError):
    """A file could not be read or written: corrupt, truncated, malformed or unsupported.

    Example:
        >>> try:
        ...     ember.load(io.BytesIO(b"not a checkpoint"))
        ... except ember.serialization.SerializationError as e:
        ...     print("refused")
        refused
    """


class WeightsOnlyUnpicklingError(SerializationError, pickle.UnpicklingError):
    """``weights_only=True`` met a global that is not allow-listed.

    It is a ``pickle.UnpicklingError`` (what PyTorch raises) and a ``SerializationError``.
    """


class UnrecognisedFormatError(SerializationError, pickle.UnpicklingError):
    """The bytes are no checkpoint format ember knows.

    It is a ``pickle.UnpicklingError`` too, as PyTorch raises for bytes that are not a pickle.
    """


class EmptyFileError(SerializationError, EOFError):
    """The file is empty; an ``EOFError`` too, as PyTorch raises for an empty file."""


_WEIGHTS_ONLY_INTRO = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, "
    "do those steps only if you trust the source of the checkpoint. \n"
    "\t(1) Re-running `ember.load` with `weights_only` set to `False` will likely succeed, but it "
    "can result in arbitrary code execution. Do it only if you got the file from a trusted "
    "source.\n"
    "\t(2) Alternatively, to load with `weights_only=True` please check the recommended steps in "
    "the following error message.\n"
    "\tWeightsUnpickler error: "
)
_WEIGHTS_ONLY_OUTRO = (
    "\n\nCheck the documentation of ember.load (docs/serialization.md) to learn more about types "
    "accepted by default with weights_only."
)


def unsupported_global(module: str, name: str) -> WeightsOnlyUnpicklingError:
    """The PyTorch-worded refusal for a global outside the allow-list."""
    full = f"{module}.{name}"
    short = name.rpartition(".")[2]
    msg = (
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`ember.serialization.add_safe_globals([{short}])` or the "
        f"`ember.serialization.safe_globals([{short}])` context manager to allowlist this global "
        "if you trust this class/function."
    )
    return WeightsOnlyUnpicklingError(_WEIGHTS_ONLY_INTRO + msg + _WEIGHTS_ONLY_OUTRO)


def blocked_global(module: str, name: str) -> WeightsOnlyUnpicklingError:
    """The refusal for a global from a module that is never allowed (os, subprocess, ...)."""
    msg = (
        f"Trying to load unsupported GLOBAL {module}.{name} whose module {module} is blocked. "
        "Loading never runs code from a file; this checkpoint tries to."
    )
    return WeightsOnlyUnpicklingError(_WEIGHTS_ONLY_INTRO + msg + _WEIGHTS_ONLY_OUTRO)
