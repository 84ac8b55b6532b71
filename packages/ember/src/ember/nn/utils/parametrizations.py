"""Ready-made parametrizations, as ``torch.nn.utils.parametrizations``: weight_norm,
spectral_norm and orthogonal (computed on access through ``nn.utils.parametrize``)."""

from __future__ import annotations

from typing import Any, TypeVar

import ember
import ember.nn.functional as F
from ember._tensor import Tensor
from ember.autograd.grad_mode import no_grad
from ember.nn.modules.module import Module
from ember.nn.utils import parametrize

__all__ = ["weight_norm", "spectral_norm", "orthogonal"]

M = TypeVar("M", bound=Module)


def _norm_except_dim(v: Tensor, dim: int) -> Tensor:
    """The 2-norm over every dim but ``dim`` (kept as size 1); ``dim=-1`` is the whole norm."""
    if dim == -1:
        return v.norm()
    if dim == 0:
        return v.reshape(v.shape[0], -1).norm(dim=1).reshape((-1,) + (1,) * (v.ndim - 1))
    if dim == v.ndim - 1:
        return v.reshape(-1, v.shape[-1]).norm(dim=0).reshape((1,) * (v.ndim - 1) + (-1,))
    return _norm_except_dim(v.transpose(0, dim), 0).transpose(0, dim)


def _weight_norm(v: Tensor, g: Tensor, dim: int) -> Tensor:
    return v * (g / _norm_except_dim(v, dim))


class _WeightNorm(Module):
    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor) -> tuple[Tensor, Tensor]:
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module: M, name: str = "weight", dim: int | None = 0) -> M:
    """Reparametrize ``module.<name>`` as ``g * v / ||v||`` (magnitude and direction).

    The originals are ``parametrizations.<name>.original0`` (g) and ``original1`` (v). Old
    checkpoints with ``<name>_g`` / ``<name>_v`` keys (``nn.utils.weight_norm``) still load.

    Args:
        module: the module.
        name: the parameter to reparametrize.
        dim: the dim that keeps its own norm (``None``: one norm for the whole tensor).

    Returns:
        The module.

    Example:
        >>> m = weight_norm(nn.Linear(20, 40))
        >>> m.parametrizations.weight.original0.shape
        ember.Size([40, 1])
    """
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def compat_hook(state_dict: dict[str, Any], prefix: str, *args: Any) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(compat_hook)
    return module


class _SpectralNorm(Module):
    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(
                "Dimension out of range (expected to be in range of "
                f"[-{ndim}, {ndim - 1}] but got {dim})"
            )
        if n_power_iterations <= 0:
            raise ValueError(
                "Expected n_power_iterations to be positive, but got "
                f"n_power_iterations={n_power_iterations}"
            )
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            mat = self._reshape_weight_to_matrix(weight)
            h, w = mat.shape
            u = F.normalize(mat.new_empty(h).normal_(0, 1), dim=0, eps=eps)
            v = F.normalize(mat.new_empty(w).normal_(0, 1), dim=0, eps=eps)
            self.register_buffer("_u", u)
            self.register_buffer("_v", v)
            self._power_method(mat, 15)

    def _reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        if self.dim != 0:
            rest = [d for d in range(weight.ndim) if d != self.dim]
            weight = weight.permute(self.dim, *rest)
        return weight.flatten(1)

    def _power_method(self, mat: Tensor, n_power_iterations: int) -> None:
        with no_grad():
            mat = mat.detach()
            for _ in range(n_power_iterations):
                self._u.copy_(F.normalize(ember.mv(mat, self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(ember.mv(mat.H, self._u), dim=0, eps=self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = ember.vdot(u, ember.mv(mat, v))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def _is_transposed_conv(module: Module) -> bool:
    from ember.nn import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d

    return isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d))


def spectral_norm(module: M, name: str = "weight", n_power_iterations: int = 1,
                  eps: float = 1e-12, dim: int | None = None) -> M:
    """Divide ``module.<name>`` by its largest singular value (estimated by power iteration).

    The power-iteration vectors are buffers ``parametrizations.<name>.0._u`` / ``_v``,
    updated on every access in training mode (15 iterations at registration).

    Args:
        module: the module.
        name: the parameter to normalise.
        n_power_iterations: power iterations per access in training mode.
        eps: added for numerical stability when normalising the vectors.
        dim: the output-channel dim (default 1 for transposed convolutions, else 0).

    Returns:
        The module.

    Example:
        >>> m = spectral_norm(nn.Linear(20, 40))
        >>> m.parametrizations.weight[0]._u.shape
        ember.Size([40])
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if _is_transposed_conv(module) else 0
    sn = _SpectralNorm(weight, n_power_iterations, dim, eps)
    parametrize.register_parametrization(module, name, sn)
    return module


_ORTH_MAPS = ("matrix_exp", "cayley", "householder")


def _is_orthogonal(q: Tensor) -> bool:
    n, k = q.shape[-2], q.shape[-1]
    eps = 10.0 * n * ember.finfo(q.dtype).eps
    return ember.allclose(q.mH @ q, ember.eye(k, dtype=q.dtype, device=q.device), atol=eps)


def _make_orthogonal(a: Tensor) -> Tensor:
    """The Q of ``a = QR`` (``a`` tall) normalised so that ``diag(R) >= 0``."""
    x, tau = ember.geqrf(a)
    q = ember.linalg.householder_product(x, tau)
    return q * x.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


class _Orthogonal(Module):
    """Map an unconstrained (batch of) matrix to an orthogonal one (see ``orthogonal``)."""

    def __init__(self, weight: Tensor, orthogonal_map: str, *,
                 use_trivialization: bool = True) -> None:
        super().__init__()
        if weight.is_complex() and orthogonal_map == "householder":
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = tuple(weight.shape)
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:  # noqa: N803 - PyTorch's argument name
        n, k = X.shape[-2], X.shape[-1]
        transposed = n < k
        if transposed:
            X, n, k = X.mT, k, n
        if self.orthogonal_map == "householder":
            a = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (a * a).sum(dim=-2))
            q = ember.linalg.householder_product(a, tau)
            # the diagonal of X holds the signs (+-1) and is neither learnt nor differentiated
            q = q * X.diagonal(dim1=-2, dim2=-1).detach().trunc().unsqueeze(-2)
        else:
            x = X.tril()
            if n != k:  # embed the tall matrix into a square one
                x = ember.cat([x, x.new_zeros(*x.shape[:-1], n - k)], dim=-1)
            a = x - x.mH  # skew-symmetric (skew-Hermitian)
            if self.orthogonal_map == "matrix_exp":
                q = ember.linalg.matrix_exp(a)
            else:  # the Cayley map (I + A/2)(I - A/2)^-1
                eye = ember.eye(n, dtype=a.dtype, device=a.device)
                q = ember.linalg.solve(eye - 0.5 * a, eye + 0.5 * a)
            q = q[..., :k]
        if getattr(self, "base", None) is not None:
            q = self.base @ q
        return q.mT if transposed else q

    def right_inverse(self, Q: Tensor) -> Tensor:  # noqa: N803 - PyTorch's argument name
        with no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q: Tensor) -> Tensor:  # noqa: N803
        if tuple(Q.shape) != self.shape:
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {tuple(Q.shape)}.")
        q_init = Q
        n, k = Q.shape[-2], Q.shape[-1]
        transposed = n < k
        if transposed:
            Q, n, k = Q.mT, k, n
        if "base" not in self._buffers:
            if self.orthogonal_map != "householder":
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False.")
            a, tau = ember.geqrf(Q)
            # diag(R) > 0 makes the decomposition unique; the diagonal then stores the signs
            sign = a.diagonal(dim1=-2, dim2=-1).sign()
            sign = ember.where(tau == 0, -sign, sign)
            a = ember.where(ember.eye(n, k, dtype=ember.bool, device=a.device),
                            sign.unsqueeze(-2), a)
            return a.mT if transposed else a
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
        else:  # complete Q into an n x n orthogonal matrix with random columns
            extra = ember.randn(*Q.shape[:-2], n, n - k, dtype=Q.dtype, device=Q.device)
            Q = _make_orthogonal(ember.cat([Q, extra], dim=-1))
        self.base = Q
        # -Id: householder(zeros) is -Id, so the forward map starts at ``base`` exactly
        n0, k0 = q_init.shape[-2], q_init.shape[-1]
        eye = ember.eye(n0, k0, dtype=q_init.dtype, device=q_init.device)
        return (-eye).expand(q_init.shape).clone()


def orthogonal(module: M, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> M:
    """Constrain ``module.<name>`` (a matrix or batch of matrices) to be orthogonal (unitary).

    The weight is ``base @ f(original)`` with ``f`` the matrix exponential or Cayley map of a
    skew-symmetric matrix, or a product of Householder reflections; a wide ``n x k`` weight is
    handled through its transpose, so the rows (wide) or columns (tall) are orthonormal. With
    ``use_trivialization=True`` (dynamic trivialization) ``base`` is a buffer
    (``parametrizations.<name>.0.base``) set by assigning to ``module.<name>``, and
    ``original`` starts at ``-I``; registration keeps the current weight's orthogonal part.

    Args:
        module: the module.
        name: the matrix to constrain.
        orthogonal_map: ``"matrix_exp"``, ``"cayley"`` or ``"householder"`` (default:
            ``"matrix_exp"`` for square or complex matrices, else ``"householder"``).
        use_trivialization: keep a ``base`` so that optimisation moves around it.

    Returns:
        The module.

    Example:
        >>> m = orthogonal(nn.Linear(4, 3))
        >>> ember.allclose(m.weight @ m.weight.T, ember.eye(3), atol=1e-5)
        True
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    if orthogonal_map not in _ORTH_MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
