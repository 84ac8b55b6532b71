"""L-BFGS with an optional strong-Wolfe line search, following PyTorch's iterates.

The algorithm is limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, alg. 7.4 and
7.5): the search direction comes from the two-loop recursion over the last ``history_size``
curvature pairs ``(s, y)``, accepted only when ``y.s > 1e-10``, with the initial Hessian guess
``y.s / y.y``. The first step is scaled to ``min(1, 1 / |g|_1) * lr``. The line search brackets
a step satisfying the strong Wolfe conditions (``c1 = 1e-4``, ``c2 = 0.9``) and zooms in with
safeguarded cubic interpolation (Nocedal & Wright, alg. 3.5 and 3.6, as in minFunc).

Scalars (dot products, curvature ratios) stay array scalars of the parameters' dtype, so float32
problems follow float32 arithmetic the way PyTorch's 0-d tensors do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.optim._functional import real_view
from ember.optim.optimizer import Optimizer, ParamsT, _check_common

__all__ = ["LBFGS"]

_C1, _C2 = 1e-4, 0.9
_STATE_ARRAYS = ("d", "prev_flat_grad")
_STATE_LISTS = ("old_dirs", "old_stps")


class LBFGS(Optimizer):
    """Limited-memory BFGS; ``step`` needs a closure that recomputes the loss and gradients.

    Args:
        params: the tensors to optimize (one parameter group only).
        lr: learning rate / initial step length (default 1).
        max_iter: maximal number of iterations per ``step`` (default 20).
        max_eval: maximal number of function evaluations per ``step``
            (default ``max_iter * 5 // 4``).
        tolerance_grad: stop when the largest gradient entry is at most this (default 1e-7).
        tolerance_change: stop when a step or the change of the loss is below this (default 1e-9).
        history_size: number of curvature pairs kept (default 100).
        line_search_fn: ``None`` (fixed step ``lr``) or ``"strong_wolfe"``.

    Example:
        >>> x = ember.tensor([-1.5, 2.0], dtype=ember.float64, requires_grad=True)
        >>> opt = ember.optim.LBFGS([x], line_search_fn="strong_wolfe")
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        ...     loss.backward()
        ...     return loss
        >>> for _ in range(5):
        ...     _ = opt.step(closure)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        _check_common(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    # -- flat views of the parameters ---------------------------------------------------
    def _flat_grad(self) -> Any:
        xp = get_xp(self._params[0]._data)
        parts = []
        for p in self._params:
            data = real_view(p._data)
            g = xp.zeros_like(data) if p.grad is None else real_view(p.grad._data)
            parts.append(g.reshape(-1))
        return xp.concatenate(parts)

    def _add_step(self, t: Any, d: Any) -> None:
        """``params += t * d``, ``d`` being a flat vector over all parameters."""
        offset = 0
        for p in self._params:
            data = real_view(p._data)
            n = data.size
            data += (d[offset : offset + n] * t).reshape(data.shape)
            offset += n
            p._vc[0] += 1

    def _snapshot(self) -> list[Any]:
        return [p._data.copy() for p in self._params]

    def _restore(self, saved: list[Any]) -> None:
        for p, arr in zip(self._params, saved):
            get_xp(arr).copyto(p._data, arr)
            p._vc[0] += 1

    def _evaluate(self, closure: Callable[[], Any]) -> tuple[float, Any]:
        loss = float(self._eval_closure(closure))
        return loss, self._flat_grad()

    # -- the iteration ------------------------------------------------------------------
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; returns the loss before the first one.

        Args:
            closure: re-evaluates the model (zeroing and recomputing gradients) and returns
                the loss.
        """
        if closure is None:
            raise RuntimeError("LBFGS.step() requires a closure that reevaluates the model")
        group = self.param_groups[0]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = self._eval_closure(closure)
        loss = float(orig_loss)
        state["func_evals"] += 1
        g = self._flat_grad()
        xp = get_xp(g)
        if xp.abs(g).max() <= group["tolerance_grad"]:
            return orig_loss
        run = _Run(self, closure, group, _load_memory(state), loss, g)
        run.iterate()
        _store_memory(state, run.mem)
        return orig_loss


class _Run:
    """One ``LBFGS.step``: the iteration loop and its bookkeeping."""

    def __init__(
        self,
        opt: LBFGS,
        closure: Callable[[], Any],
        group: dict[str, Any],
        mem: dict[str, Any],
        loss: float,
        g: Any,
    ) -> None:
        self.opt, self.closure, self.group, self.mem = opt, closure, group, mem
        self.loss, self.g = loss, g
        self.xp = get_xp(g)
        self.evals = 1

    def iterate(self) -> None:
        group, mem, state = self.group, self.mem, self.opt.state[self.opt._params[0]]
        tol_change = group["tolerance_change"]
        for n_iter in range(1, group["max_iter"] + 1):
            state["n_iter"] += 1
            first = state["n_iter"] == 1
            self._update_direction(first)
            mem["prev_flat_grad"], mem["prev_loss"] = self.g, self.loss
            g, d = self.g, mem["d"]
            lr = float(group["lr"])
            mem["t"] = min(1.0, 1.0 / self.xp.abs(g).sum()) * lr if first else lr
            gtd = self.xp.dot(g, d)
            if gtd > -tol_change:
                break
            ls_evals, opt_cond = self._take_step(gtd, last=n_iter == group["max_iter"])
            self.evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == group["max_iter"] or self.evals >= group["max_eval"] or opt_cond:
                break
            if self.xp.abs(d * mem["t"]).max() <= tol_change:
                break
            if abs(self.loss - mem["prev_loss"]) < tol_change:
                break

    def _update_direction(self, first: bool) -> None:
        mem, g = self.mem, self.g
        if first:
            mem.update(d=-g, old_dirs=[], old_stps=[], ro=[], H_diag=1)
            return
        y = g - mem["prev_flat_grad"]
        s = mem["d"] * mem["t"]
        ys = self.xp.dot(y, s)
        if ys > 1e-10:
            if len(mem["old_dirs"]) == self.group["history_size"]:
                for key in ("old_dirs", "old_stps", "ro"):
                    mem[key].pop(0)
            mem["old_dirs"].append(y)
            mem["old_stps"].append(s)
            mem["ro"].append(1.0 / ys)
            mem["H_diag"] = ys / self.xp.dot(y, y)
        mem["d"] = _two_loop(-g, mem["old_dirs"], mem["old_stps"], mem["ro"], mem["H_diag"])

    def _take_step(self, gtd: Any, last: bool) -> tuple[int, bool]:
        """Move along ``d``; returns (function evaluations used, gradient-tolerance reached)."""
        group, mem, opt = self.group, self.mem, self.opt
        tol_grad = group["tolerance_grad"]
        ls = group["line_search_fn"]
        if ls is not None:
            if ls != "strong_wolfe":
                raise RuntimeError("only 'strong_wolfe' is supported")
            x0 = opt._snapshot()

            def phi(t: Any) -> tuple[float, Any]:
                opt._add_step(t, mem["d"])
                out = opt._evaluate(self.closure)
                opt._restore(x0)
                return out

            search = _StrongWolfe(phi, self.xp, group["tolerance_change"])
            self.loss, self.g, mem["t"], evals = search.run(
                mem["t"], mem["d"], self.loss, self.g, gtd, group["max_eval"] - self.evals
            )
            opt._add_step(mem["t"], mem["d"])
            return evals, bool(self.xp.abs(self.g).max() <= tol_grad)
        opt._add_step(mem["t"], mem["d"])
        if last:
            return 0, False
        self.loss, self.g = opt._evaluate(self.closure)
        return 1, bool(self.xp.abs(self.g).max() <= tol_grad)


def _two_loop(q: Any, dirs: list[Any], stps: list[Any], ro: list[Any], h_diag: Any) -> Any:
    """The L-BFGS two-loop recursion: approximately ``H @ q`` from the stored pairs."""
    xp = get_xp(q)
    al = [None] * len(dirs)
    for i in range(len(dirs) - 1, -1, -1):
        al[i] = xp.dot(stps[i], q) * ro[i]
        q -= dirs[i] * al[i]
    r = q * h_diag
    for i in range(len(dirs)):
        be_i = xp.dot(dirs[i], r) * ro[i]
        r += stps[i] * (al[i] - be_i)
    return r


def _cubic_min(
    x1: Any,
    f1: Any,
    g1: Any,
    x2: Any,
    f2: Any,
    g2: Any,
    bounds: tuple[Any, Any] | None = None,
) -> Any:
    """Minimiser of the cubic through two points with slopes, clipped to ``bounds``.

    Falls back to the midpoint of the bounds when the cubic has no real minimiser.
    """
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    disc = d1**2 - g1 * g2
    if disc < 0:
        return (lo + hi) / 2.0
    d2 = disc**0.5 if isinstance(disc, float) else get_xp(disc).sqrt(disc)
    if x1 <= x2:
        pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(pos, lo), hi)


class _Point:
    """A trial step length with its loss, gradient and directional derivative."""

    __slots__ = ("t", "f", "g", "gtd")

    def __init__(self, t: Any, f: Any, g: Any, gtd: Any) -> None:
        self.t, self.f, self.g, self.gtd = t, f, g, gtd


class _StrongWolfe:
    """Bracketing then zoom line search for the strong Wolfe conditions."""

    def __init__(self, phi: Callable[[Any], tuple[float, Any]], xp: Any, tol_change: float):
        self.phi, self.xp, self.tol_change = phi, xp, tol_change

    def _eval(self, t: Any) -> _Point:
        f, g = self.phi(t)
        self.evals += 1
        return _Point(t, f, g, self.xp.dot(g, self.d))

    def _armijo_fails(self, p: _Point) -> bool:
        return bool(p.f > self.f0 + _C1 * p.t * self.gtd0)

    def _curvature_ok(self, p: _Point) -> bool:
        return bool(abs(p.gtd) <= -_C2 * self.gtd0)

    def run(
        self, t: Any, d: Any, f: float, g: Any, gtd: Any, max_ls: int
    ) -> tuple[float, Any, Any, int]:
        """Returns (loss, flat gradient, step length, evaluations) at the accepted step."""
        self.d, self.f0, self.g0, self.gtd0 = d, f, g, gtd
        self.evals, self.max_ls = 0, max_ls
        origin = _Point(0, f, g, gtd)
        bracket, done, ls_iter = self._bracket(origin, self._eval(t))
        if not done:
            bracket = self._zoom(bracket, ls_iter, self.xp.abs(d).max())
        best = bracket[0] if len(bracket) == 1 else min(bracket, key=_f_then_first(bracket))
        return best.f, best.g, best.t, self.evals

    def _bracket(self, prev: _Point, new: _Point) -> tuple[list[_Point], bool, int]:
        """Grow the step until an interval holding a Wolfe point is found."""
        ls_iter = 0
        while ls_iter < self.max_ls:
            if self._armijo_fails(new) or (ls_iter > 1 and new.f >= prev.f):
                return [prev, new], False, ls_iter
            if self._curvature_ok(new):
                return [new], True, ls_iter
            if new.gtd >= 0:
                return [prev, new], False, ls_iter
            bounds = (new.t + 0.01 * (new.t - prev.t), new.t * 10)
            t = _cubic_min(prev.t, prev.f, prev.gtd, new.t, new.f, new.gtd, bounds)
            prev, new = new, self._eval(t)
            ls_iter += 1
        # Out of evaluations: keep the better of the origin and the last trial.
        return [_Point(0, self.f0, self.g0, self.gtd0), new], True, ls_iter

    def _zoom(self, bracket: list[_Point], ls_iter: int, d_norm: Any) -> list[_Point]:
        """Shrink the interval with safeguarded cubic steps until a Wolfe point is found."""
        low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
        insuf_progress = False
        while ls_iter < self.max_ls:
            a, b = bracket
            if abs(b.t - a.t) * d_norm < self.tol_change:
                break
            t = _cubic_min(a.t, a.f, a.gtd, b.t, b.f, b.gtd)
            t, insuf_progress = _safeguard(t, a.t, b.t, insuf_progress)
            new = self._eval(t)
            ls_iter += 1
            if self._armijo_fails(new) or new.f >= bracket[low].f:
                bracket[high] = new
                low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
                continue
            if self._curvature_ok(new):
                bracket[low] = new
                return [new]
            if new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = new
        return [bracket[low]]


def _f_then_first(bracket: list[_Point]) -> Callable[[_Point], tuple[Any, int]]:
    return lambda p: (p.f, bracket.index(p))


def _safeguard(t: Any, a: Any, b: Any, insuf_progress: bool) -> tuple[Any, bool]:
    """Keep a zoom trial away from the interval ends (10% margin), as in minFunc."""
    lo, hi = min(a, b), max(a, b)
    margin = 0.1 * (hi - lo)
    if min(hi - t, t - lo) >= margin:
        return t, False
    if not (insuf_progress or t >= hi or t <= lo):
        return t, True
    t = hi - margin if abs(t - hi) < abs(t - lo) else lo + margin
    return t, False


def _load_memory(state: dict[str, Any]) -> dict[str, Any]:
    """The iteration memory from the optimizer state, as raw arrays."""
    mem = {k: state.get(k) for k in ("t", "ro", "H_diag", "prev_loss")}
    for key in _STATE_ARRAYS:
        mem[key] = state[key]._data if key in state else None
    for key in _STATE_LISTS:
        mem[key] = [v._data for v in state[key]] if key in state else None
    if mem["ro"] is not None:
        mem["ro"] = list(mem["ro"])
    return mem


def _store_memory(state: dict[str, Any], mem: dict[str, Any]) -> None:
    for key in ("t", "ro", "H_diag", "prev_loss"):
        state[key] = mem[key]
    for key in _STATE_ARRAYS:
        state[key] = _wrap(mem[key])
    for key in _STATE_LISTS:
        state[key] = [_wrap(v) for v in mem[key]]
