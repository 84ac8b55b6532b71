"""``Module``: the base class of every layer, with registration, state dicts and hooks."""

from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator
from typing import Any

from ember import _dtype
from ember._tensor import Tensor
from ember.autograd.grad_mode import no_grad
from ember.nn.parameter import Buffer, Parameter

__all__ = ["Module", "register_module_forward_pre_hook", "register_module_forward_hook"]

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"
_hook_ids = itertools.count()
_global_forward_pre_hooks: dict[int, Callable[..., Any]] = OrderedDict()
_global_forward_hooks: dict[int, Callable[..., Any]] = OrderedDict()


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it could not match."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook."""

    def __init__(self, *dicts: dict[int, Any]) -> None:
        self.id = next(_hook_ids)
        self._dicts = dicts

    def remove(self) -> None:
        """Unregister the hook (idempotent)."""
        for d in self._dicts:
            d.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Register ``hook(module, args)`` to run before every module's forward."""
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Register ``hook(module, args, output)`` to run after every module's forward."""
    handle = RemovableHandle(_global_forward_hooks)
    _global_forward_hooks[handle.id] = hook
    return handle


def _addindent(s: str, num_spaces: int) -> str:
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    return first + "\n" + "\n".join(" " * num_spaces + line for line in lines)


def _shape_str(t: Any) -> str:
    return f"ember.Size({list(t.shape)})"


class Module:
    """Base class for all neural-network layers, as ``torch.nn.Module``.

    Subclasses create parameters and sub-modules in ``__init__`` (assignment registers them) and
    define ``forward``; calling the module runs hooks and ``forward``.

    Example:
        >>> class Net(ember.nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc = ember.nn.Linear(3, 1)
        ...     def forward(self, x):
        ...         return self.fc(x)
        >>> [k for k in Net().state_dict()]
        ['fc.weight', 'fc.bias']
    """

    _version: int = 1
    training: bool
    dump_patches: bool = False
    call_super_init: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected arguments {args} {kwargs}; "
                "Module.__init__ takes none"
            )
        setter = object.__setattr__
        setter(self, "training", True)
        setter(self, "_parameters", OrderedDict())
        setter(self, "_buffers", OrderedDict())
        setter(self, "_non_persistent_buffers_set", set())
        setter(self, "_modules", OrderedDict())
        setter(self, "_forward_pre_hooks", OrderedDict())
        setter(self, "_forward_pre_hooks_with_kwargs", set())
        setter(self, "_forward_hooks", OrderedDict())
        setter(self, "_forward_hooks_with_kwargs", set())
        setter(self, "_forward_hooks_always_called", set())
        setter(self, "_backward_hooks", OrderedDict())
        setter(self, "_backward_pre_hooks", OrderedDict())
        setter(self, "_state_dict_hooks", OrderedDict())
        setter(self, "_state_dict_pre_hooks", OrderedDict())
        setter(self, "_load_state_dict_pre_hooks", OrderedDict())
        setter(self, "_load_state_dict_post_hooks", OrderedDict())

    forward: Callable[..., Any]

    def forward(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
        """The computation; every subclass overrides it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    # -- registration ----------------------------------------------------------------------
    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not a parameter (such as BatchNorm's running mean).

        Args:
            name: attribute name.
            tensor: the buffer, or None (then it is skipped by ``state_dict``).
            persistent: whether ``state_dict()`` includes it.

        Example:
            >>> m = ember.nn.Module()
            >>> m.register_buffer("count", ember.zeros(1))
            >>> list(m.state_dict())
            ['count']
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if name in self.__dict__ and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(ember Tensor or None required)"
            )
        if isinstance(tensor, Buffer):
            persistent = tensor.persistent
            tensor = tensor.detach()
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter under ``name`` (None registers an absent parameter, like ``bias``).

        Example:
            >>> m = ember.nn.Module()
            >>> m.register_parameter("w", ember.nn.Parameter(ember.ones(2)))
            >>> [n for n, _ in m.named_parameters()]
            ['w']
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if name in self.__dict__ and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(ember.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                "created explicitly. To express this parameter as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name``; it becomes an attribute and part of the state."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name(name, "module")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    @staticmethod
    def _check_name(name: Any, kind: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    # -- attribute protocol ----------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            items = d.get(store)
            if items is not None and name in items:
                return items[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._remove_from(name, d, "_buffers", "_modules", "_non_persistent_buffers_set")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(ember.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        else:
            self._set_module_or_buffer(name, value, d)

    def _set_module_or_buffer(self, name: str, value: Any, d: dict[str, Any]) -> None:
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._remove_from(name, d, "_parameters", "_buffers", "_non_persistent_buffers_set")
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(ember.nn.Module or None expected)"
                )
            modules[name] = value
        else:
            buffers = d.get("_buffers")
            if isinstance(value, Buffer) or (buffers is not None and name in buffers):
                if value is not None and not isinstance(value, Tensor):
                    raise TypeError(
                        f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                        "(ember Tensor or None expected)"
                    )
                persistent = name not in d["_non_persistent_buffers_set"]
                if isinstance(value, Buffer):
                    persistent = value.persistent
                    d.pop(name, None)
                self.register_buffer(name, value, persistent)
            else:
                object.__setattr__(self, name, value)

    @staticmethod
    def _remove_from(name: str, d: dict[str, Any], *stores: str) -> None:
        d.pop(name, None)
        for store in stores:
            items = d.get(store)
            if items is None:
                continue
            if isinstance(items, set):
                items.discard(name)
            else:
                items.pop(name, None)

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if name in d.get(store, ()):
                del d[store][name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        attrs = dir(self.__class__) + list(self.__dict__)
        keys = attrs + list(self._parameters) + list(self._modules) + list(self._buffers)
        return sorted(k for k in set(keys) if not k[0].isdigit())

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        fresh = Module()
        for key, value in fresh.__dict__.items():
            self.__dict__.setdefault(key, value)

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (
            self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
            or self._backward_pre_hooks or _global_forward_pre_hooks or _global_forward_hooks
        ):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    _call_impl = __call__

    def _call_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        args, kwargs = self._run_pre_hooks(args, kwargs)
        bw = None
        if self._backward_hooks or self._backward_pre_hooks:
            bw = _BackwardHookState(self)
            args = bw.setup_inputs(args)
        result = self.forward(*args, **kwargs)
        result = self._run_post_hooks(args, kwargs, result)
        if bw is not None:
            result = bw.setup_outputs(result)
        return result

    def _run_pre_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]):
        hooks = list(_global_forward_pre_hooks.items()) + list(self._forward_pre_hooks.items())
        for hid, hook in hooks:
            if hid in self._forward_pre_hooks_with_kwargs:
                res = hook(self, args, kwargs)
                if res is not None:
                    if not (isinstance(res, tuple) and len(res) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {res}."
                        )
                    args, kwargs = res
                continue
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
        return args, kwargs

    def _run_post_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> Any:
        hooks = list(_global_forward_hooks.items()) + list(self._forward_hooks.items())
        for hid, hook in hooks:
            if hid in self._forward_hooks_with_kwargs:
                res = hook(self, args, kwargs, result)
            else:
                res = hook(self, args, result)
            if res is not None:
                result = res
        return result

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before ``forward``; it may return replacement args.

        Args:
            hook: the callable. With ``with_kwargs=True`` it is ``hook(module, args, kwargs)``
                and may return ``(args, kwargs)``.
            prepend: run before the hooks already registered.
            with_kwargs: pass the keyword arguments too.

        Returns:
            A handle whose ``remove()`` unregisters the hook.
        """
        handle = RemovableHandle(self._forward_pre_hooks)
        _insert(self._forward_pre_hooks, handle.id, hook, prepend)
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs.add(handle.id)
        return handle

    def register_forward_hook(
        self,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after ``forward``; it may return a new output.

        Args:
            hook: the callable (``hook(module, args, kwargs, output)`` with ``with_kwargs``).
            prepend: run before the hooks already registered.
            with_kwargs: pass the keyword arguments too.
            always_call: accepted for compatibility.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Example:
            >>> m = ember.nn.Identity()
            >>> h = m.register_forward_hook(lambda mod, args, out: out * 2)
            >>> m(ember.tensor([1.0]))
            tensor([2.])
        """
        handle = RemovableHandle(self._forward_hooks)
        _insert(self._forward_hooks, handle.id, hook, prepend)
        if with_kwargs:
            self._forward_hooks_with_kwargs.add(handle.id)
        if always_call:
            self._forward_hooks_always_called.add(handle.id)
        return handle

    def register_full_backward_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` when the module's input grads are known.

        The hook may return a replacement ``grad_input`` tuple.

        Returns:
            A handle whose ``remove()`` unregisters the hook.
        """
        handle = RemovableHandle(self._backward_hooks)
        _insert(self._backward_hooks, handle.id, hook, prepend)
        return handle

    def register_full_backward_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` when the module's output grads are known.

        The hook may return a replacement ``grad_output`` tuple, which then flows into the
        module's backward (and into full backward hooks as ``grad_output``).

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Example:
            >>> m = ember.nn.Linear(2, 1)
            >>> h = m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 0,))
            >>> m(ember.ones(1, 2)).sum().backward()
            >>> m.bias.grad
            tensor([0.])
        """
        handle = RemovableHandle(self._backward_pre_hooks)
        _insert(self._backward_pre_hooks, handle.id, hook, prepend)
        return handle

    def register_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Deprecated alias of ``register_full_backward_hook``."""
        return self.register_full_backward_hook(hook)

    # -- iteration -------------------------------------------------------------------------
    def _named_members(self, get_members: Callable[[Module], Any], prefix: str = "",
                       recurse: bool = True, remove_duplicate: bool = True):
        memo: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse else [(prefix, self)]
        )
        for mod_prefix, mod in modules:
            for k, v in get_members(mod):
                if v is None or (remove_duplicate and id(v) in memo):
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                yield (mod_prefix + ("." if mod_prefix else "") + k, v)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Iterate over the parameters (of sub-modules too when ``recurse``).

        Example:
            >>> sum(p.numel() for p in ember.nn.Linear(3, 2).parameters())
            8
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Iterate over ``(dotted_name, parameter)`` pairs; shared parameters appear once.

        Args:
            prefix: prepended to every name.
            recurse: include sub-modules' parameters.
            remove_duplicate: skip a parameter already yielded under another name.
        """
        yield from self._named_members(
            lambda m: m._parameters.items(), prefix, recurse, remove_duplicate
        )

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Iterate over the buffers (of sub-modules too when ``recurse``)."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Iterate over ``(dotted_name, buffer)`` pairs."""
        yield from self._named_members(
            lambda m: m._buffers.items(), prefix, recurse, remove_duplicate
        )

    def children(self) -> Iterator[Module]:
        """Iterate over the direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Iterate over ``(name, module)`` for the direct sub-modules (each once)."""
        memo: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in memo:
                memo.add(id(module))
                yield name, module

    def modules(self) -> Iterator[Module]:
        """Iterate over this module and all sub-modules, depth first (each once)."""
        for _, module in self.named_modules():
            yield module

    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Iterate over ``(dotted_name, module)`` for this module (name ``prefix``) and below.

        Example:
            >>> [n for n, _ in ember.nn.Sequential(ember.nn.ReLU()).named_modules()]
            ['', '0']
        """
        if memo is None:
            memo = set()
        if id(self) in memo:
            return
        if remove_duplicate:
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def get_submodule(self, target: str) -> Module:
        """The sub-module at dotted path ``target`` (``""`` is this module)."""
        if target == "":
            return self
        mod: Module = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return mod

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path ``target`` (``"encoder.fc.weight"``)."""
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at dotted path ``target``."""
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return mod._buffers[name]

    # -- state dict ------------------------------------------------------------------------
    def get_extra_state(self) -> Any:
        """Extra picklable state for ``state_dict``; override together with ``set_extra_state``."""
        raise RuntimeError(
            "Reached a code path in Module.get_extra_state() that should never be called."
        )

    def set_extra_state(self, state: Any) -> None:
        """Restore what ``get_extra_state`` returned."""
        raise RuntimeError(
            "Reached a code path in Module.set_extra_state() that should never be called."
        )

    def _has_extra_state(self) -> bool:
        return type(self).get_extra_state is not Module.get_extra_state

    def _save_to_state_dict(self, destination: dict[str, Any], prefix: str,
                            keep_vars: bool) -> None:
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()
        if self._has_extra_state():
            destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()

    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Any]:
        """An ``OrderedDict`` of every parameter and persistent buffer by dotted name.

        Args:
            destination: a dict to fill (a new OrderedDict when None).
            prefix: prepended to every key.
            keep_vars: keep the tensors attached to autograd (default: detached views).

        Returns:
            The state dict; values share memory with the module.

        Example:
            >>> list(ember.nn.Linear(2, 2).state_dict())
            ['weight', 'bias']
        """
        if args:  # PyTorch's deprecated positional form: (destination, prefix, keep_vars)
            destination, prefix, keep_vars = (list(args) + [destination, prefix, keep_vars][
                len(args):])[:3]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()  # type: ignore[attr-defined]
        for pre_hook in self._state_dict_pre_hooks.values():
            pre_hook(self, prefix, keep_vars)
        metadata = getattr(destination, "_metadata", None)
        if metadata is not None:
            metadata[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            result = hook(self, destination, prefix, {"version": self._version})
            if result is not None:
                destination = result
        return destination

    def _local_state(self) -> dict[str, Tensor]:
        persistent = {k: v for k, v in self._buffers.items()
                      if k not in self._non_persistent_buffers_set}
        return {**{k: v for k, v in self._parameters.items() if v is not None},
                **{k: v for k, v in persistent.items() if v is not None}}

    def _check_state_dict(self, state_dict: dict[str, Any], prefix: str, missing: list[str],
                          unexpected: list[str], errors: list[str]) -> None:
        """Validate this module's part of ``state_dict`` without changing anything."""
        local = self._local_state()
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            _check_entry(key, state_dict[key], param, errors)
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if self._has_extra_state() and extra_key not in state_dict:
            missing.append(extra_key)
        for key in state_dict:
            if not key.startswith(prefix) or key == extra_key and self._has_extra_state():
                continue
            parts = key[len(prefix):].split(".", 1)
            if len(parts) > 1:
                if parts[0] not in self._modules:
                    unexpected.append(key)
            elif parts[0] not in local:
                unexpected.append(key)

    def _load_from_state_dict(self, state_dict: dict[str, Any], prefix: str,
                              local_metadata: dict[str, Any], strict: bool,
                              missing_keys: list[str], unexpected_keys: list[str],
                              error_msgs: list[str]) -> None:
        """Copy this module's entries of ``state_dict`` (already validated) into it."""
        assign = getattr(self, "_load_assign", False)
        for name, param in self._local_state().items():
            key = prefix + name
            if key not in state_dict:
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                from ember._creation import as_tensor

                value = as_tensor(value)
            if param.ndim == 0 and value.ndim == 1:
                value = value.reshape(())
            if assign:
                self._assign_loaded(name, param, value)
            else:
                if param.is_meta and not value.is_meta:
                    warnings.warn(
                        f"for {key}: copying from a non-meta parameter in the checkpoint to a "
                        "meta parameter in the current model, which is a no-op. (Did you mean "
                        "to pass `assign=True` to assign items in the state dictionary to their "
                        "corresponding key in the module instead of copying them in place?)",
                        stacklevel=4,
                    )
                with no_grad():
                    param.copy_(value)  # type: ignore[attr-defined]
        extra_key = prefix + _EXTRA_STATE_KEY_SUFFIX
        if self._has_extra_state() and extra_key in state_dict:
            self.set_extra_state(state_dict[extra_key])

    def _assign_loaded(self, name: str, old: Tensor, value: Tensor) -> None:
        if isinstance(old, Parameter):
            new = value if isinstance(value, Parameter) else Parameter(value.detach())
            new.requires_grad_(old.requires_grad)
            self._parameters[name] = new
        else:
            self._buffers[name] = value.detach()

    def load_state_dict(
        self, state_dict: dict[str, Any], strict: bool = True, assign: bool = False
    ) -> _IncompatibleKeys:
        """Copy parameters and buffers from ``state_dict`` into this module and its children.

        Everything is checked first, so a load that raises leaves the module unchanged.

        Args:
            state_dict: a dict as returned by ``state_dict()``.
            strict: raise when keys are missing or unexpected.
            assign: use the given tensors as the new parameters instead of copying into the
                existing ones.

        Returns:
            ``(missing_keys, unexpected_keys)`` as a namedtuple.

        Raises:
            RuntimeError: "Error(s) in loading state_dict for ...", listing every problem.

        Example:
            >>> a, b = ember.nn.Linear(2, 2), ember.nn.Linear(2, 2)
            >>> b.load_state_dict(a.state_dict())
            <All keys matched successfully>
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata  # type: ignore[attr-defined]
        modules = list(self.named_modules(prefix=""))
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        for name, module in modules:
            prefix = name + "." if name else ""
            local_meta = {} if metadata is None else metadata.get(name, {})
            for hook in module._load_state_dict_pre_hooks.values():
                hook(state_dict, prefix, local_meta, strict, missing, unexpected, errors)
        for name, module in modules:
            module._check_state_dict(state_dict, name + "." if name else "", missing,
                                     unexpected, errors)
        self._raise_load_errors(strict, missing, unexpected, errors)
        for name, module in modules:
            prefix = name + "." if name else ""
            local_meta = {} if metadata is None else metadata.get(name, {})
            object.__setattr__(module, "_load_assign", assign)
            try:
                module._load_from_state_dict(state_dict, prefix, local_meta, True, [], [], [])
            finally:
                object.__delattr__(module, "_load_assign")
        result = _IncompatibleKeys(missing, unexpected)
        for _name, module in modules:
            for hook in module._load_state_dict_post_hooks.values():
                hook(module, result)
        return result

    def _raise_load_errors(self, strict: bool, missing: list[str], unexpected: list[str],
                           errors: list[str]) -> None:
        msgs = list(errors)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                msgs.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                msgs.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if msgs:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(msgs)
            )

    def register_load_state_dict_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, incompatible_keys)`` after ``load_state_dict``."""
        handle = RemovableHandle(self._load_state_dict_post_hooks)
        self._load_state_dict_post_hooks[handle.id] = hook
        return handle

    def _register_load_state_dict_pre_hook(self, hook: Callable[..., Any],
                                           with_module: bool = False) -> RemovableHandle:
        handle = RemovableHandle(self._load_state_dict_pre_hooks)
        if with_module:
            module = self

            def bound(*args: Any) -> Any:
                return hook(module, *args)

            self._load_state_dict_pre_hooks[handle.id] = bound
        else:
            self._load_state_dict_pre_hooks[handle.id] = hook
        return handle

    def register_load_state_dict_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` before ``load_state_dict`` checks this module's entries.

        The hook may edit ``state_dict`` in place (rename or convert old keys).
        """
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_state_dict_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        handle = RemovableHandle(self._state_dict_hooks)
        self._state_dict_hooks[handle.id] = hook
        return handle

    def register_state_dict_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, state_dict, prefix, local_metadata)`` after ``state_dict`` has
        collected this module's entries; the hook edits ``state_dict`` in place."""
        def checked(*args: Any) -> None:
            if hook(*args) is not None:
                raise RuntimeError("state_dict post-hook must return None")

        return self._register_state_dict_hook(checked)

    def register_state_dict_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, prefix, keep_vars)`` before ``state_dict`` collects entries."""
        handle = RemovableHandle(self._state_dict_pre_hooks)
        self._state_dict_pre_hooks[handle.id] = hook
        return handle

    # -- modes and conversion ---------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (affects Dropout, BatchNorm, ...) here and below; returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode; the same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter; returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad`` (to None by default, else to zeros)."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                g = p.grad
                g.grad_fn = None
                g._requires_grad = False
                g._data[...] = 0

    def _apply(self, fn: Callable[[Tensor], Tensor], recurse: bool = True) -> Module:
        """Apply ``fn`` to every parameter, gradient and buffer, keeping Parameter identities."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        with no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                new = fn(param)
                if new is not param:
                    param._data = new._data
                    param._vc = [0]
                if param.grad is not None:
                    g = fn(param.grad)
                    if g is not param.grad:
                        param.grad = g
            for key, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[key] = fn(buf)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on self; returns self.

        Example:
            >>> net = ember.nn.Sequential(ember.nn.Linear(2, 2))
            >>> _ = net.apply(lambda m: print(type(m).__name__))
            Linear
            Sequential
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Move and/or cast parameters and buffers in place; returns self.

        Accepts ``to(device)``, ``to(dtype)``, ``to(device, dtype)``, ``to(tensor)`` and the
        keywords ``device``, ``dtype``, ``non_blocking``. Only floating-point tensors change dtype.

        Example:
            >>> ember.nn.Linear(2, 2).to(ember.float64).weight.dtype
            ember.float64
        """
        from ember.ops.conversion import _parse_to_args

        kwargs = {k: v for k, v in kwargs.items() if k not in ("non_blocking", "memory_format")}
        device, dtype = _parse_to_args(args, dict(kwargs))
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )

        def convert(t: Tensor) -> Tensor:
            if dtype is not None and t.is_floating_point():
                return t.to(device, dtype) if device is not None else t.to(dtype)
            return t.to(device) if device is not None else t

        try:
            return self._apply(convert)
        except NotImplementedError as err:
            if "Cannot copy out of meta tensor" not in str(err):
                raise
            raise NotImplementedError(
                f"{err} Please use ember.nn.Module.to_empty() instead of ember.nn.Module.to() "
                "when moving module from meta to a different device."
            ) from None

    def cpu(self) -> Module:
        """Move everything to host memory; returns self."""
        return self._apply(lambda t: t.cpu())  # type: ignore[attr-defined]

    def cuda(self, device: Any = None) -> Module:
        """Move everything to a CUDA device (the current one by default); returns self."""
        target = "cuda" if device is None else (
            f"cuda:{device}" if isinstance(device, int) else device)
        return self._apply(lambda t: t.to(target))

    def type(self, dst_type: Any) -> Module:
        """Cast every parameter and buffer to ``dst_type``; returns self."""
        return self._apply(lambda t: t.type(dst_type))

    def _cast_floats(self, dt: Any) -> Module:
        return self._apply(lambda t: t.to(dt) if t.is_floating_point() else t)

    def float(self) -> Module:
        """Cast floating-point parameters and buffers to float32; returns self."""
        return self._cast_floats(_dtype.float32)

    def double(self) -> Module:
        """Cast floating-point parameters and buffers to float64; returns self."""
        return self._cast_floats(_dtype.float64)

    def half(self) -> Module:
        """Cast floating-point parameters and buffers to float16; returns self."""
        return self._cast_floats(_dtype.float16)

    def to_empty(self, *, device: Any = None, recurse: bool = True) -> Module:
        """Replace every parameter and buffer with uninitialised memory on ``device``."""
        from ember._creation import empty_like

        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def share_memory(self) -> Module:
        """Move parameters and buffers to shared memory (for multiprocessing); returns self."""
        return self._apply(lambda t: t.share_memory_())

    # -- printing --------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr``; override in layers."""
        return ""

    def _get_name(self) -> str:
        return self.__class__.__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = []
        for key, module in self._modules.items():
            child_lines.append(f"({key}): " + _addindent(repr(module), 2))
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"


def _insert(hooks: dict[int, Any], key: int, hook: Any, prepend: bool) -> None:
    hooks[key] = hook
    if prepend:
        hooks.move_to_end(key, last=False)  # type: ignore[attr-defined]


def _check_entry(key: str, value: Any, param: Tensor, errors: list[str]) -> None:
    if not isinstance(value, Tensor) and not (hasattr(value, "shape") and hasattr(value, "dtype")):
        errors.append(
            f'While copying the parameter named "{key}", expected ember.Tensor or Tensor-like '
            f"object from checkpoint but received {type(value)}"
        )
        return
    shape = tuple(value.shape)
    if param.ndim == 0 and len(shape) == 1 and shape[0] == 1:
        shape = ()
    if shape != tuple(param.shape):
        errors.append(
            f"size mismatch for {key}: copying a param with shape {_shape_str(value)} from "
            f"checkpoint, the shape in current model is {_shape_str(param)}."
        )


class _BackwardHookState:
    """Wires a module's full backward hooks around one call: identity autograd nodes on the
    tensor inputs and outputs catch ``grad_input`` and ``grad_output``."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.grad_outputs: tuple[Any, ...] | None = None
        self.has_inputs = False

    def setup_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        from ember.autograd.grad_mode import is_grad_enabled

        idx = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        if not is_grad_enabled() or not any(args[i].requires_grad for i in idx):
            return args
        self.has_inputs = True
        outs = _HookInputs.apply(self, *(args[i] for i in idx))
        outs = outs if isinstance(outs, tuple) else (outs,)
        new = list(args)
        for i, t in zip(idx, outs):
            new[i] = t
        return tuple(new)

    def setup_outputs(self, result: Any) -> Any:
        single = isinstance(result, Tensor)
        items = (result,) if single else result
        if not isinstance(items, tuple) or not any(
            isinstance(t, Tensor) and t.requires_grad for t in items
        ):
            return result
        outs = _HookOutputs.apply(self, *items)
        return outs if single or isinstance(outs, tuple) else (outs,)

    def run_pre_hooks(self, grad_output: tuple[Any, ...]) -> tuple[Any, ...]:
        for hook in list(self.module._backward_pre_hooks.values()):
            res = hook(self.module, grad_output)
            if res is not None:
                grad_output = tuple(res)
        return grad_output

    def run_hooks(self, grad_input: tuple[Any, ...]) -> tuple[Any, ...]:
        for hook in list(self.module._backward_hooks.values()):
            res = hook(self.module, grad_input, self.grad_outputs)
            if res is not None:
                grad_input = tuple(res)
        return grad_input


def _make_hook_functions() -> tuple[type, type]:
    from ember.autograd.function import Function

    class BackwardHookFunction(Function):
        @staticmethod
        def forward(ctx: Any, state: _BackwardHookState, *tensors: Tensor) -> Any:
            ctx.state = state
            return tensors if len(tensors) != 1 else tensors[0]

    class _HookIn(BackwardHookFunction):
        @staticmethod
        def backward(ctx: Any, *grads: Any) -> Any:
            return (None, *ctx.state.run_hooks(grads))

    class _HookOut(BackwardHookFunction):
        @staticmethod
        def backward(ctx: Any, *grads: Any) -> Any:
            state = ctx.state
            grads = state.run_pre_hooks(grads)
            state.grad_outputs = grads
            if not state.has_inputs:
                state.run_hooks((None,))
            return (None, *grads)

    return _HookIn, _HookOut


_HookInputs, _HookOutputs = _make_hook_functions()
