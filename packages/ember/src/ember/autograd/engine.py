"""The backward engine: an iterative walk of the recorded graph in dependency order.

Each node runs once all the nodes that feed it gradients have run. Gradients reaching a leaf are
accumulated into its ``.grad`` (``backward``) or handed back (``autograd.grad``). Unless
``retain_graph`` is set, every node that ran drops what it saved, so the graph is freed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ember._dtype import from_numpy_dtype
from ember._tensor import Tensor, _wrap
from ember.autograd import anomaly
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops.registry import DISPATCH

__all__ = ["run_backward"]


def run_backward(
    roots: Sequence[Tensor],
    grads: Sequence[Tensor],
    *,
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...] | None:
    """Propagate ``grads`` from ``roots`` back through the graph.

    With ``inputs`` (``autograd.grad``) the gradients of those tensors are returned and no
    ``.grad`` is touched; otherwise gradients accumulate into the leaves.
    """
    run = _Run(retain_graph, create_graph, inputs)
    prev = _State.enabled
    _State.enabled = create_graph
    try:
        run.execute(roots, grads)
    finally:
        _State.enabled = prev
    if inputs is None:
        return None
    return run.results(allow_unused)


class _Run:
    """State of one backward pass."""

    def __init__(self, retain: bool, create: bool, inputs: Sequence[Tensor] | None) -> None:
        self.retain = retain
        self.create = create
        self.capture: dict[Any, Tensor | None] | None = None
        if inputs is not None:
            self.capture = {}
            self.targets = list(inputs)
            self.leaf_targets = {id(t): t for t in inputs if t.grad_fn is None}
            self.node_targets = {
                (id(t.grad_fn), t._output_nr): t for t in inputs if t.grad_fn is not None
            }

    def execute(self, roots: Sequence[Tensor], grads: Sequence[Tensor]) -> None:
        buffers: dict[Any, list[Any]] = {}
        for root, g in zip(roots, grads):
            if root.grad_fn is None:
                self.deliver_leaf(root, g, shared=True)
            else:
                _add_to_buffer(buffers, root.grad_fn, root._output_nr, g)
        deps = self.dependencies(buffers.keys())
        ready = [n for n in buffers if deps.get(n, 0) == 0]
        while ready:
            node = ready.pop()
            grads_in = buffers.pop(node)
            self.run_node(node, grads_in, buffers, deps, ready)

    def dependencies(self, starts: Any) -> dict[Any, int]:
        deps: dict[Any, int] = {}
        stack = list(starts)
        visited = set(stack)
        while stack:
            node = stack.pop()
            for edge in node.next_functions:
                if edge is None:
                    continue
                nxt = edge[0]
                if isinstance(nxt, Tensor):
                    continue
                deps[nxt] = deps.get(nxt, 0) + 1
                if nxt not in visited:
                    visited.add(nxt)
                    stack.append(nxt)
        if self.capture is not None:
            self.needed = self.prune(starts)
        return deps

    def prune(self, starts: Any) -> set[Any]:
        """The nodes that lie on a path to one of ``autograd.grad``'s inputs."""
        needed: set[Any] = set()
        state: dict[Any, bool] = {}
        for start in starts:
            stack = [(start, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    hit = any(
                        e is not None
                        and (
                            id(e[0]) in self.leaf_targets
                            if isinstance(e[0], Tensor)
                            else state.get(e[0], False) or (id(e[0]), e[1]) in self.node_targets
                        )
                        for e in node.next_functions
                    )
                    state[node] = hit
                    if hit:
                        needed.add(node)
                    continue
                if node in state:
                    continue
                state[node] = False
                stack.append((node, True))
                for e in node.next_functions:
                    if e is not None and not isinstance(e[0], Tensor) and e[0] not in state:
                        stack.append((e[0], False))
        return needed

    def run_node(self, node: Any, grads_in: list[Any], buffers: dict, deps: dict, ready: list):
        d = node.__dict__
        if "_tensor_hooks" in d or "_retained" in d:
            grads_in = self.pre_hooks(node, grads_in)
        if self.capture is not None:
            for nr, g in enumerate(grads_in):
                t = self.node_targets.get((id(node), nr))
                if t is not None:
                    self.capture[id(t)] = g
            if node not in self.needed:
                self.release(node, buffers, deps, ready)
                return
        if (grads_in[0] is None if len(grads_in) == 1 else _count_none(grads_in) == len(grads_in)):
            self.release(node, buffers, deps, ready)
            return
        outputs = self.call_backward(node, grads_in)
        n_out = len(outputs)
        in_meta = node._in_meta
        for i, edge in enumerate(node.next_functions):
            if edge is None:
                continue
            g = outputs[i] if i < n_out else None
            target, nr = edge
            if g is not None:
                try:
                    data = g._data
                except AttributeError:
                    raise _not_a_tensor(node, i, g) from None
                meta = in_meta[i]
                if data.shape != meta[0] or data.dtype != meta[1]:
                    g = _conform(node, i, g)
                if type(target) is Tensor or isinstance(target, Tensor):
                    # A gradient passed through unchanged may be held elsewhere: copy on store.
                    self.deliver_leaf(target, g, _passed_through(g, grads_in))
                    continue
                _add_to_buffer(buffers, target, nr, g)
            elif type(target) is Tensor or isinstance(target, Tensor):
                continue
            left = deps[target] - 1
            deps[target] = left
            if left == 0:
                if target not in buffers:
                    buffers[target] = [None] * len(target._out_meta)
                ready.append(target)
        if not self.retain and node._saved:
            node._saved = None

    def release(self, node: Any, buffers: dict, deps: dict, ready: list) -> None:
        """Skip a node that leads to no requested input, still counting its edges as done."""
        for edge in node.next_functions:
            if edge is None or isinstance(edge[0], Tensor):
                continue
            target = edge[0]
            deps[target] -= 1
            if deps[target] == 0:
                buffers.setdefault(target, [None] * len(target._out_meta))
                ready.append(target)

    def pre_hooks(self, node: Any, grads_in: list[Any]) -> list[Any]:
        hooks = node.__dict__.get("_tensor_hooks")
        if hooks:
            for nr, fns in hooks.items():
                for fn in fns:
                    if grads_in[nr] is None:
                        continue
                    res = fn(grads_in[nr])
                    if res is not None:
                        grads_in[nr] = res
        retained = node.__dict__.get("_retained")
        if retained:
            for nr, ref in retained.items():
                t = ref()
                if t is not None and grads_in[nr] is not None:
                    g = grads_in[nr] if self.create else grads_in[nr].detach()
                    t.grad = g if t.grad is None else t.grad + g
        return grads_in

    def call_backward(self, node: Any, grads_in: list[Any]) -> tuple[Any, ...]:
        if node._saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Specify retain_graph=True if you "
                "need to backward through the graph a second time."
            )
        if DISPATCH.guard is not None and (scope := DISPATCH.guard(grads_in)) is not None:
            with scope:  # backward runs with its gradients' GPU current, as each primitive does
                return self.call_backward(node, grads_in)
        if node._materialize and (len(grads_in) > 1 or grads_in[0] is None) and _count_none(
            grads_in
        ):
            grads_in = _materialize(node, grads_in)
        out = node._fn.backward(node, *grads_in)
        if type(out) is not tuple:
            out = (out,)
        n_in = len(node.next_functions)
        if len(out) != n_in and not (len(out) > n_in and all(o is None for o in out[n_in:])):
            raise RuntimeError(
                f"function {node.name()} returned an incorrect number of gradients "
                f"(expected {n_in}, got {len(out)})"
            )
        if anomaly._State.enabled:
            anomaly.check_gradients(node, out)
        return out

    def deliver_leaf(self, leaf: Tensor, g: Tensor, shared: bool = True) -> None:
        if self.capture is not None:
            if id(leaf) in self.leaf_targets:
                prev = self.capture.get(id(leaf))
                self.capture[id(leaf)] = g if prev is None else prev + g
            return
        for hook in leaf._hooks or ():
            res = hook(g)
            if res is not None:
                g = res
        if not leaf._requires_grad:
            return
        # The engine's gradients match the leaf by construction: set ``_grad`` directly, skipping
        # the checks of the public ``.grad`` setter.
        current = leaf._grad
        if current is None:
            if not self.create:
                if shared or g._data.base is not None or g._requires_grad:
                    g = _wrap(g._data.copy())
            leaf.__dict__["_grad"] = g
        elif self.create or current._requires_grad or current._data.shape != g._data.shape:
            leaf.__dict__["_grad"] = current + g
        else:
            current._data += g._data
        if leaf._post_acc_hooks:
            for hook in leaf._post_acc_hooks:
                hook(leaf)

    def results(self, allow_unused: bool) -> tuple[Tensor | None, ...]:
        assert self.capture is not None
        out = []
        for i, t in enumerate(self.targets):
            g = self.capture.get(id(t))
            if g is None and not allow_unused:
                raise RuntimeError(
                    f"One of the differentiated Tensors (input {i}) appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
            out.append(g)
        return tuple(out)


def _passed_through(g: Tensor, grads_in: list[Any]) -> bool:
    for x in grads_in:
        if x is g:
            return True
    return False


def _count_none(items: list[Any]) -> int:
    # Not `None in items`: that would call Tensor.__eq__.
    n = 0
    for g in items:
        if g is None:
            n += 1
    return n


def _add_to_buffer(buffers: dict, node: Any, nr: int, g: Tensor) -> None:
    buf = buffers.get(node)
    if buf is None:
        buf = buffers[node] = [None] * len(node._out_meta)
    buf[nr] = g if buf[nr] is None else buf[nr] + g


def _materialize(node: Any, grads_in: list[Any]) -> list[Any]:
    if all(g is not None for g in grads_in):
        return grads_in

    filled = []
    for g, meta in zip(grads_in, node._out_meta):
        if g is None and meta is not None:
            like = next((x for x in grads_in if x is not None), None)
            xp = get_xp(like._data) if like is not None else np
            g = _wrap(xp.zeros(meta[0], dtype=meta[1]))
        filled.append(g)
    return filled


def _not_a_tensor(node: Any, i: int, g: Any) -> TypeError:
    return TypeError(
        f"function {node.name()} returned a gradient of type {type(g).__name__} at index {i}; "
        "expected a Tensor or None"
    )


def _conform(node: Any, i: int, g: Any) -> Tensor:
    """Check a returned gradient against its input's shape, and cast it to the input's dtype."""
    shape, dtype = node._in_meta[i]
    data = g._data
    if data.shape != shape:
        if data.size != _numel(shape):
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"{list(data.shape)} but expected shape compatible with {list(shape)}"
            )
        g = g.reshape(shape)
    if data.dtype != dtype:
        if data.dtype.kind == "c" and dtype.kind != "c":
            g = g.real  # a real input's gradient is the real part (PyTorch's convention)
        g = g.to(_dtype_from_np(dtype))
    return g


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _dtype_from_np(np_dtype: Any) -> Any:
    return from_numpy_dtype(np_dtype)
