"""The Optimizer base class: parameter groups, per-parameter state, ``state_dict`` round trips.

Subclasses implement ``step`` and do their arithmetic on raw arrays (``p._data``,
``p.grad._data``) in place, so an update records no graph and allocates almost nothing:
temporaries come from a per-optimizer scratch ``Workspace`` that is reused across steps.
All optimizers but LBFGS derive from ``_ParamwiseOptimizer``, which runs the per-parameter
loop they share, so each one only gives its options, state layout and update rule (written
with the raw-array helpers of ``optim/_functional.py``). State buffers are kept as Tensors
wrapping those arrays, so ``optimizer.state[p]`` and ``state_dict()`` look exactly like
PyTorch's.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from ember._dtype import np_kind
from ember._tensor import RemovableHandle, Tensor, _wrap
from ember.autograd.grad_mode import enable_grad
from ember.backends import device_of, to_device
from ember.optim._functional import Hyper, State, Workspace, effective_grad, real_view

__all__ = ["Optimizer", "required"]

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


class _RequiredParameter:
    """Marks a default that every parameter group must give (``lr`` in old-style optimizers)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of all optimizers, as ``torch.optim.Optimizer``.

    Args:
        params: an iterable of Tensors, of ``(name, Tensor)`` pairs, or of dicts, each a
            parameter group with a ``"params"`` entry and per-group options.
        defaults: the options each parameter group gets unless it sets them itself.

    Example:
        >>> w = ember.zeros(3, requires_grad=True)
        >>> opt = ember.optim.SGD([{"params": [w], "lr": 0.1}], lr=0.01)
        >>> opt.param_groups[0]["lr"]
        0.1
    """

    _in_step: bool  # set by the step wrapper while a step runs (see _with_step_hooks)

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._step_pre_hooks: list[Callable[..., Any]] = []
        self._step_post_hooks: list[Callable[..., Any]] = []
        self._opt_called = False
        self._ws = Workspace()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}; wrap a single tensor in a list"
            )
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups: list[Any] = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_ember_hooked", False):
            cls.step = _with_step_hooks(step)  # type: ignore[method-assign]

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_step_pre_hooks", [])
        self.__dict__.setdefault("_step_post_hooks", [])
        self.__dict__.setdefault("_opt_called", False)
        self.__dict__.setdefault("_ws", Workspace())
        for group in self.param_groups:
            for name, default in self.defaults.items():
                if default is not required:
                    group.setdefault(name, default)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"

    # -- parameter groups ----------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a parameter group (a dict with ``"params"`` and optional per-group options).

        Args:
            param_group: the group; missing options are filled in from ``defaults``.

        Example:
            >>> opt = ember.optim.SGD([ember.zeros(2, requires_grad=True)], lr=0.1)
            >>> opt.add_param_group({"params": [ember.zeros(3, requires_grad=True)], "lr": 1.0})
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        param_group["params"], names = _split_params(param_group["params"])
        if names:
            param_group["param_names"] = names
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            param_group.setdefault(name, default)
        self._check_new_group(param_group)
        self.param_groups.append(param_group)

    def _check_new_group(self, param_group: dict[str, Any]) -> None:
        params = param_group["params"]
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is "
                    f"{type(p).__name__}"
                )
            if not self.defaults.get("differentiable") and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this "
                "will cause an error",
                UserWarning,
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                raise ValueError(
                    "all optimizer param groups should be with/without names; cannot add a "
                    "group with names to groups without (or the reverse)"
                )
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")

    # -- gradients and stepping ----------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors.

        Args:
            set_to_none: drop ``.grad`` (the default, cheaper) instead of filling it with zeros.
        """
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if set_to_none:
                    p.grad = None
                    continue
                if g.grad_fn is not None:
                    g.detach_()
                else:
                    g._requires_grad = False
                g._data[...] = 0
                g._vc[0] += 1

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step; subclasses implement it.

        Args:
            closure: a callable that re-evaluates the model and returns the loss.

        Returns:
            The closure's loss, or None.
        """
        raise NotImplementedError

    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` before each ``step``.

        The hook may return a new ``(args, kwargs)`` pair for ``step``.

        Returns:
            A handle whose ``remove()`` unregisters the hook.
        """
        self._step_pre_hooks.append(hook)
        return RemovableHandle(self._step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` after each ``step``.

        Returns:
            A handle whose ``remove()`` unregisters the hook.
        """
        self._step_post_hooks.append(hook)
        return RemovableHandle(self._step_post_hooks, hook)

    # -- state dicts ---------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer state in PyTorch's layout.

        Returns:
            ``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``, where
            parameters are numbered in the order they appear across groups. State tensors are
            shared with the optimizer (deep-copy the dict to keep a snapshot).

        Example:
            >>> sd = opt.state_dict()
            >>> opt2.load_state_dict(copy.deepcopy(sd))
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a ``state_dict()`` of an optimizer over parameters of the same groups and sizes.

        Floating-point state is cast to each parameter's dtype and moved to its device (``step``
        counters stay as they are).

        Args:
            state_dict: the dict returned by ``state_dict()``.

        Raises:
            ValueError: when the number of groups or of parameters in a group differs.
        """
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(self.param_groups) != len(saved_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups "
                f"({len(saved_groups)}) than the optimizer ({len(self.param_groups)})"
            )
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    f"of optimizer's group ({len(saved['params'])} vs {len(group['params'])})"
                )
        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in self.param_groups),
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = _cast_state(param, value, None)
            else:
                state[key] = value
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})

    # -- helpers for subclasses ----------------------------------------------------------
    @staticmethod
    def _eval_closure(closure: Callable[[], Any] | None) -> Any:
        if closure is None:
            return None
        with enable_grad():
            return closure()


def _split_params(params: Any) -> tuple[list[Tensor], list[str]]:
    """A group's params as a list of tensors, plus their names when given as (name, tensor)."""
    if isinstance(params, Tensor):
        return [params], []
    if isinstance(params, set):
        raise TypeError(
            "optimizer parameters need to be organized in ordered collections, but the ordering "
            "of tensors in sets will change between runs. Please use a list instead."
        )
    tensors, names = [], []
    for item in params:
        if isinstance(item, tuple):
            name, item = item
            names.append(name)
        tensors.append(item)
    if names and len(names) != len(tensors):
        raise ValueError(
            "all optimizer params should be with/without names. Some param names are missing"
        )
    return tensors, names


def _with_step_hooks(step: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a subclass's ``step`` so registered pre/post hooks run around it."""

    @functools.wraps(step)
    def wrapper(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
        if self.__dict__.get("_in_step"):  # a subclass's step calling super().step()
            return step(self, *args, **kwargs)
        self._opt_called = True
        for hook in tuple(self._step_pre_hooks):
            out = hook(self, args, kwargs)
            if out is not None:
                args, kwargs = out
        self._in_step = True
        try:
            result = step(self, *args, **kwargs)
        finally:
            self._in_step = False
        for hook in tuple(self._step_post_hooks):
            hook(self, args, kwargs)
        return result

    wrapper._ember_hooked = True  # type: ignore[attr-defined]
    return wrapper


def _cast_state(param: Tensor, value: Any, key: str | None) -> Any:
    """Move loaded state onto the parameter's device (and dtype, for floating state)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value
        arr = value._data
        if np_kind(param._data.dtype) == "f" and np_kind(arr.dtype) in "fc":  # PyTorch: not complex
            arr = arr.astype(param._data.dtype, copy=False)
        arr = to_device(arr, device_of(param._data))
        return value if arr is value._data else _wrap(arr)
    if isinstance(value, dict):
        return {k: _cast_state(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, key) for v in value)
    return value


class _ParamwiseOptimizer(Optimizer):
    """Base of the optimizers whose rule updates each parameter on its own (all but LBFGS).

    ``step`` does what they share, for each parameter with a gradient, on raw arrays: it gets
    the state (``_state_of``, which fills an empty one with ``_init_state``), applies decoupled
    weight decay, then calls ``_update(p, d, state, *self._hyper(group), ws)`` with real views of
    the parameter and of the effective gradient ``d`` (negated under ``maximize``, plus the L2
    term ``weight_decay * p``), and bumps the parameter's version counter. ``weight_decay`` and
    ``decoupled_weight_decay`` are read only where the optimizer has those options.
    """

    _update: Callable[..., None]

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        """The group's options, as the tuple that ``_update`` gets as ``hyper``."""
        raise NotImplementedError

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        """Fill the empty state of ``p`` before its first update."""
        raise NotImplementedError

    def _state_of(self, p: Tensor, group: dict[str, Any]) -> Any:
        """What ``_update`` gets as ``state``: ``self.state[p]``, initialised on first use."""
        state = self.state[p]
        if not state:
            self._init_state(state, p, group)
        return state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one update; returns the closure's loss when a closure is given."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            self._step_group(group)
        return loss

    def _step_group(self, group: dict[str, Any]) -> None:
        l2, shrink = self._weight_decay(group)
        maximize, hyper, update, ws = group["maximize"], self._hyper(group), self._update, self._ws
        for p in group["params"]:
            grad = p.grad
            if grad is None:
                continue
            state = self._state_of(p, group)
            data = real_view(p._data)
            if shrink is not None:
                data *= shrink
            d = effective_grad(data, real_view(grad._data), l2, maximize, ws)
            update(data, d, state, hyper, ws)
            p._vc[0] += 1

    def _weight_decay(self, group: dict[str, Any]) -> tuple[float, float | None]:
        """The L2 coefficient left for the gradient, and the decoupled shrink factor of ``p``."""
        wd = group["weight_decay"] if "weight_decay" in self.defaults else 0.0
        if (
            wd != 0
            and "decoupled_weight_decay" in self.defaults
            and group["decoupled_weight_decay"]
        ):
            return 0.0, 1 - float(group["lr"]) * wd
        return wd, None


def _check_range(name: str, value: float, ok: bool) -> None:
    if not ok:
        raise ValueError(f"Invalid {name}: {value}")


def _check_common(lr: Any, eps: float | None = None, weight_decay: float = 0.0) -> None:
    """The argument checks (and messages) that PyTorch's optimizers share."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    _check_range("learning rate", lr, float(lr) >= 0.0)
    if eps is not None:
        _check_range("epsilon value", eps, eps >= 0.0)
    _check_range("weight_decay value", weight_decay, weight_decay >= 0.0)


def _check_betas(betas: tuple[float, float]) -> tuple[float, float]:
    for i, beta in enumerate(betas):
        _check_range(f"beta parameter at index {i}", beta, 0.0 <= float(beta) < 1.0)
    return (float(betas[0]), float(betas[1]))


def _adam_hyper(group: dict[str, Any], *extra: str) -> Hyper:
    """``(lr, beta1, beta2, eps, *extra options)`` of an Adam-family parameter group."""
    beta1, beta2 = group["betas"]
    return float(group["lr"]), float(beta1), float(beta2), group["eps"], *(group[k] for k in extra)
