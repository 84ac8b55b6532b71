"""Hand-written checks for the LU/LDL/Householder family: structure of the factors, PyTorch's
error classes, and the gauge checks of the SVD and eigen-decomposition gradients."""

from __future__ import annotations

import numpy as np
import pytest

import ember

L = ember.linalg


def _t(a, grad=False):
    return ember.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def test_lu_factors_have_their_structure(device):
    rng = np.random.default_rng(0)
    for shape in [(4, 4), (2, 3, 5), (5, 3)]:
        a = ember.tensor(rng.standard_normal(shape), device=device)
        p, low, up = L.lu(a)
        k = min(shape[-2:])
        assert tuple(low.shape) == shape[:-1] + (k,) and tuple(up.shape) == shape[:-2] + (
            k,
            shape[-1],
        )
        lo, u = low.cpu().numpy(), up.cpu().numpy()
        assert np.allclose(np.triu(lo[..., :k, :], 1), 0) and np.allclose(np.tril(u, -1), 0)
        assert np.allclose(np.diagonal(lo, 0, -2, -1), 1)
        assert np.all(np.abs(lo) <= 1 + 1e-12), "partial pivoting keeps multipliers <= 1"
        pm = p.cpu().numpy()
        assert np.allclose(pm @ np.swapaxes(pm, -1, -2), np.eye(shape[-2]))
        lu_, piv = L.lu_factor(a)
        assert piv.dtype is ember.int32 and tuple(piv.shape) == shape[:-2] + (k,)
        p2, l2, u2 = ember.lu_unpack(lu_, piv)
        for x, y in ((p, p2), (low, l2), (up, u2)):
            np.testing.assert_allclose(x.cpu().numpy(), y.cpu().numpy())


def test_lu_errors_match_pytorch():
    with pytest.raises(RuntimeError, match="U\\[2,2\\] is zero"):
        L.lu_factor(_t([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(RuntimeError, match="without pivoting is not implemented"):
        L.lu(_t(np.eye(3)), pivot=False)
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        L.lu_factor(_t([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="floating point or complex"):
        L.lu(ember.ones(2, 2, dtype=ember.int64))
    lu_, piv = L.lu_factor(_t(np.eye(3) * 2))
    with pytest.raises(RuntimeError, match="Incompatible shapes"):
        L.lu_solve(lu_, piv, _t(np.ones((4, 2))))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        L.lu_solve(lu_, piv, _t(np.ones(3)))
    with pytest.raises(RuntimeError, match="square"):
        L.lu_solve(*L.lu_factor(_t(np.ones((3, 4)) + np.eye(3, 4))), _t(np.ones((3, 1))))
    info = L.lu_factor_ex(_t([[1.0, 2.0], [2.0, 4.0]])).info
    assert info.dtype is ember.int32 and int(info) == 2


def test_householder_and_pinv_argument_errors():
    with pytest.raises(TypeError, match="must be Tensor"):
        L.householder_product(_t(np.ones((3, 2))), 1.0)
    with pytest.raises(RuntimeError, match="input.shape\\[-2\\] must be greater"):
        L.householder_product(_t(np.ones((2, 3))), _t(np.ones(2)))
    with pytest.raises(RuntimeError, match="must be greater than or equal to tau"):
        L.householder_product(_t(np.ones((3, 2))), _t(np.ones(3)))
    with pytest.raises(TypeError, match="must be Tensor"):
        L.pinv([[1.0, 2.0]])


def test_householder_product_rebuilds_q_of_geqrf(device):
    a = ember.tensor(np.random.default_rng(1).standard_normal((2, 5, 3)), device=device)
    h, tau = ember.geqrf(a)
    q = L.householder_product(h, tau)
    r = h.triu()[..., :3, :]
    np.testing.assert_allclose((q @ r).cpu().numpy(), a.cpu().numpy(), atol=1e-12)
    full = ember.ormqr(h, tau, ember.eye(5, dtype=a.dtype, device=device).expand(2, 5, 5))
    np.testing.assert_allclose(full[..., :, :3].cpu().numpy(), q.cpu().numpy(), atol=1e-12)


def test_ldl_solves_symmetric_indefinite_systems(device):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 6, 6))
    a = a + np.swapaxes(a, -1, -2)
    a[:, 0, 0] = 0.0  # forces a 2x2 pivot block
    b = rng.standard_normal((3, 6, 2))
    ld, piv = L.ldl_factor(ember.tensor(a, device=device))
    assert (piv.cpu().numpy() < 0).any()
    x = L.ldl_solve(ld, piv, ember.tensor(b, device=device))
    np.testing.assert_allclose(a @ x.cpu().numpy(), b, atol=1e-10)
    out = L.ldl_factor_ex(ember.zeros(2, 2))
    assert int(out.info) == 1
    with pytest.raises(RuntimeError):
        L.ldl_factor(ember.zeros(2, 2))


def test_svd_gradient_refuses_phase_dependent_losses():
    re = _t(np.random.default_rng(3).standard_normal((3, 3)), grad=True)
    a = ember.complex(re, re * 0.5)
    u = L.svd(a).U
    with pytest.raises(RuntimeError, match="e\\^\\{i phi\\}"):
        ember.view_as_real(u).sum().backward()


def test_eig_gradient_refuses_phase_dependent_losses():
    a = _t(np.random.default_rng(4).standard_normal((3, 3)), grad=True)
    v = L.eig(a).eigenvectors
    with pytest.raises(RuntimeError, match="e\\^\\{i phi\\}"):
        ember.view_as_real(v).sum().backward()


def test_decomposition_outputs_require_grad():
    a = _t(np.random.default_rng(5).standard_normal((3, 3)), grad=True)
    assert all(t.requires_grad for t in L.svd(a))
    assert all(t.requires_grad for t in L.eig(a))
    assert L.eigvals(a).requires_grad
    assert all(t.requires_grad for t in L.slogdet(a))
    assert L.lstsq(a, a).solution.requires_grad
    p, low, up = L.lu(a)
    assert not p.requires_grad and low.requires_grad and up.requires_grad
    lu_, piv = L.lu_factor(a)
    assert lu_.requires_grad and not piv.requires_grad


def test_pinv_tolerances_follow_pytorch():
    a = _t(np.diag([4.0, 1.0, 0.01]))
    np.testing.assert_allclose(np.diag(L.pinv(a).numpy()), [0.25, 1.0, 100.0])
    np.testing.assert_allclose(np.diag(L.pinv(a, atol=0.5).numpy()), [0.25, 1.0, 0.0])
    np.testing.assert_allclose(np.diag(L.pinv(a, rtol=0.3).numpy()), [0.25, 0.0, 0.0])
    batch = ember.stack([a, a])
    out = L.pinv(batch, atol=ember.tensor([0.5, 2.0], dtype=ember.float64))
    np.testing.assert_allclose(np.diag(out[1].numpy()), [0.25, 0.0, 0.0])
    assert int(L.matrix_rank(a, atol=0.5)) == 2 and int(L.matrix_rank(a, rtol=0.3)) == 1


def test_inv_ex_and_solve_ex_report_singular_matrices():
    s = _t([[1.0, 2.0], [2.0, 4.0]])
    inv, info = L.inv_ex(s)
    assert int(info) == 2 and np.isnan(inv.numpy()).all()
    with pytest.raises(RuntimeError, match="singular"):
        L.inv_ex(s, check_errors=True)
    res, info = L.solve_ex(s, _t([1.0, 1.0]))
    assert int(info) == 2 and np.isnan(res.numpy()).all()
    assert float(L.cond(s, "fro")) == float("inf")


def test_ex_functions_keep_the_good_matrices_of_a_batch(device):
    a = ember.stack([2 * ember.eye(2), ember.tensor([[1.0, 2.0], [2.0, 4.0]])]).to(device)
    inv, info = L.inv_ex(a)
    assert info.cpu().tolist() == [0, 2]
    np.testing.assert_allclose(inv[0].cpu().numpy(), 0.5 * np.eye(2))
    assert np.isnan(inv[1].cpu().numpy()).all()
    res, info = L.solve_ex(a, ember.ones(2, device=device))
    np.testing.assert_allclose(res[0].cpu().numpy(), [0.5, 0.5])
    assert L.cond(a, 1).cpu().tolist() == [1.0, float("inf")]


def test_eigh_gradient_refuses_phase_dependent_losses():
    re = _t(np.random.default_rng(6).standard_normal((3, 3)), grad=True)
    x = ember.complex(re, re.mT * 0.3)
    v = L.eigh(x + x.mH).eigenvectors
    with pytest.raises(RuntimeError, match="linalg_eigh_backward.*e\\^\\{i phi\\}"):
        ember.view_as_real(v).sum().backward()


def test_vector_norm_below_one_has_zero_gradient_at_zero_entries():
    x = _t([0.0, 1.0, 2.0], grad=True)
    L.vector_norm(x, 0.5).backward()
    s = 1 + np.sqrt(2.0)  # d/dx_i (sum sqrt|x|)^2 = S / sqrt(x_i), and 0 where x_i = 0
    np.testing.assert_allclose(x.grad.numpy(), [0.0, s, s / np.sqrt(2.0)])


@pytest.mark.parametrize(
    "call",
    [
        lambda: L.inv([[1.0, 0.0], [0.0, 1.0]]),
        lambda: L.det([[1.0]]),
        lambda: L.svd([[1.0]]),
        lambda: L.qr([[1.0]]),
        lambda: L.lu_factor([[1.0]]),
        lambda: L.lstsq(_t(np.eye(2)), [1.0, 2.0]),
        lambda: L.lu_solve(*L.lu_factor(_t(np.eye(2))), [[1.0], [2.0]]),
    ],
)
def test_non_tensor_arguments_raise_type_error(call):
    with pytest.raises(TypeError, match="must be Tensor, not list"):
        call()
