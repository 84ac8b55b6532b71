"""Call a module with some parameters or buffers swapped for given tensors, as
``torch.nn.utils.stateless.functional_call`` (meta-learning, per-sample gradients...)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ember._tensor import Tensor

__all__ = ["functional_call"]


def _merge(dicts: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    if isinstance(dicts, Mapping):
        return dict(dicts)
    merged: dict[str, Any] = {}
    for d in dicts:
        for key, value in d.items():
            if key in merged:
                raise ValueError(
                    f"{key} appeared in multiple dictionaries; behavior of functional call is "
                    "ambiguous"
                )
            merged[key] = value
    return merged


def _owner(module: Any, name: str) -> tuple[Any, str]:
    path, _, attr = name.rpartition(".")
    return module.get_submodule(path), attr


def _with_tied(module: Any, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` plus every other name of a tensor that is tied (the same object) to one given."""
    by_id: dict[int, Any] = {}
    names = list(module.named_parameters(remove_duplicate=False))
    names += list(module.named_buffers(remove_duplicate=False))
    current = dict(names)
    for name, value in given.items():
        if name in current:
            by_id[id(current[name])] = value
    out = dict(given)
    for name, tensor in names:
        if name not in out and id(tensor) in by_id:
            out[name] = by_id[id(tensor)]
    return out


def _check_strict(module: Any, given: dict[str, Any]) -> None:
    known = [n for n, _ in module.named_parameters(remove_duplicate=False)]
    known += [n for n, _ in module.named_buffers(remove_duplicate=False)]
    missing = [k for k in known if k not in given]
    unexpected = [k for k in given if k not in known]
    msgs = []
    if unexpected:
        msgs.append("Unexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
    if missing:
        msgs.append("Missing key(s): " + ", ".join(repr(k) for k in missing) + ".")
    if msgs:
        raise RuntimeError(
            f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(msgs)
        )


@contextmanager
def _reparametrize(module: Any, tensors: dict[str, Any]) -> Iterator[None]:
    saved: list[tuple[Any, str, str, Any]] = []
    try:
        for name, value in tensors.items():
            owner, attr = _owner(module, name)
            for store in ("_parameters", "_buffers"):
                if attr in owner.__dict__[store]:
                    saved.append((owner, store, attr, owner.__dict__[store][attr]))
                    owner.__dict__[store][attr] = value
                    break
            else:
                saved.append((owner, "", attr, owner.__dict__.get(attr, _MISSING)))
                object.__setattr__(owner, attr, value)
        yield
    finally:
        for owner, store, attr, old in reversed(saved):
            if store:
                owner.__dict__[store][attr] = old
            elif old is _MISSING:
                owner.__dict__.pop(attr, None)
            else:
                object.__setattr__(owner, attr, old)


_MISSING = object()


def functional_call(
    module: Any,
    parameter_and_buffer_dicts: Mapping[str, Tensor] | Sequence[Mapping[str, Tensor]],
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """Run ``module(*args, **kwargs)`` with the named parameters/buffers replaced, then restore.

    Args:
        module: the module to call.
        parameter_and_buffer_dicts: ``{dotted_name: tensor}`` (or a sequence of such dicts)
            standing in for the module's own parameters and buffers during the call.
        args: positional arguments (a single non-tuple value is one argument).
        kwargs: keyword arguments.
        tie_weights: a tensor given for one name of a tied parameter replaces every name of it.
        strict: every parameter and buffer must be given, and nothing else.

    Returns:
        What the module returns. Gradients flow to the given tensors, not to the module's own.

    Example:
        >>> lin = nn.Linear(2, 2)
        >>> functional_call(lin, {"weight": ember.eye(2), "bias": ember.zeros(2)},
        ...                 (ember.ones(1, 2),))
        tensor([[1., 1.]])
    """
    tensors = _merge(parameter_and_buffer_dicts)
    if tie_weights:
        tensors = _with_tied(module, tensors)
    if strict:
        _check_strict(module, tensors)
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize(module, tensors):
        return module(*args, **(kwargs or {}))
