"""Hand-written linear-algebra tests: PyTorch's error messages, shapes, dtypes and identities."""

from __future__ import annotations

import numpy as np
import pytest

import ember

r = ember.randn

MATMUL_ERRORS = [
    ((2, 3), (4, 5), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
    ((3,), (4,), "inconsistent tensor size, expected tensor [3] and src [4]"),
    ((2, 3), (4,), "size mismatch, got input (2), mat (2x3), vec (4)"),
    ((3,), (4, 5), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)"),
    ((2, 3, 4), (2, 5, 6), "Expected size for first two dimensions of batch2 tensor to be: "
                           "[2, 4] but got: [2, 5]."),
    ((2, 3, 4), (3, 4, 6), "The size of tensor a (2) must match the size of tensor b (3) at "
                           "non-singleton dimension 0"),
    ((2, 3, 4), (5,), "size mismatch, got input (6), mat (6x4), vec (5)"),
    ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
]


@pytest.mark.parametrize("sa,sb,msg", MATMUL_ERRORS)
def test_matmul_errors_match_pytorch(sa, sb, msg):
    with pytest.raises(RuntimeError) as err:
        ember.matmul(r(*sa), r(*sb))
    assert msg in str(err.value)


def test_product_errors_match_pytorch():
    cases = [
        (lambda: ember.matmul(r(2, 3), r(3, 4, dtype=ember.float64)),
         "expected m1 and m2 to have the same dtype, but got: float != double"),
        (lambda: ember.mm(r(2, 3, 3), r(3, 5)), "self must be a matrix"),
        (lambda: ember.bmm(r(2, 3), r(3, 5)), "batch1 must be a 3D tensor"),
        (lambda: ember.bmm(r(2, 3, 4), r(3, 4, 6)),
         "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4]."),
        (lambda: ember.mv(r(2, 3), r(4, 1)), "vector + matrix @ vector expected, got 1, 2, 2"),
        (lambda: ember.dot(r(3, 1), r(3)), "1D tensors expected, but got 2D and 1D tensors"),
        (lambda: ember.dot(r(3), r(3, dtype=ember.float64)),
         "dot : expected both vectors to have same dtype, but found Float and Double"),
        (lambda: ember.inner(r(2, 3), r(4)), "inner() the last dimension must match"),
        (lambda: ember.outer(r(2, 3), r(4)), "outer: Expected 1-D argument self, but got 2-D"),
        (lambda: ember.einsum("ij,jk->ik", r(2, 3), r(4, 5)),
         "subscript j has size 4 for operand 1 which does not broadcast with previously seen "
         "size 3"),
        (lambda: ember.tensordot(r(2, 3), r(4, 5), dims=1),
         "contracted dimensions need to match, but first has size 3 in dim -1 and second has "
         "size 4 in dim 0"),
    ]
    for fn, msg in cases:
        with pytest.raises(RuntimeError) as err:
            fn()
        assert msg in str(err.value)


def test_matmul_shapes_and_operators(device):
    a, b = ember.randn(2, 1, 3, 4, device=device), ember.randn(5, 4, 2, device=device)
    assert (a @ b).shape == (2, 5, 3, 2)
    assert ember.matmul(ember.randn(4, device=device), ember.randn(4, device=device)).shape == ()
    assert ember.matmul(ember.randn(3, device=device), ember.randn(2, 3, 5, device=device)).shape == (2, 5)
    x = ember.ones(2, 3, dtype=ember.int64, device=device)
    assert (x @ x.mT).tolist() == [[3, 3], [3, 3]]
    out = ember.empty(2, 2, device=device)
    ember.matmul(ember.ones(2, 3, device=device), ember.ones(3, 2, device=device), out=out)
    assert out.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_matmul_is_twice_differentiable():
    a = ember.randn(3, 4, dtype=ember.float64, requires_grad=True)
    b = ember.randn(4, 2, dtype=ember.float64, requires_grad=True)
    (ga,) = ember.autograd.grad((a @ b).pow(2).sum(), a, create_graph=True)
    (gb,) = ember.autograd.grad(ga.sum(), b)
    an, bn = a.detach().numpy(), b.detach().numpy()
    # d/db sum_ij 2 (a b b^T)_ij = 2 (a^T 1 1^T b + ... ): checked against finite differences.
    eps = 1e-6
    num = np.zeros_like(bn)
    for idx in np.ndindex(*bn.shape):
        bp, bm = bn.copy(), bn.copy()
        bp[idx] += eps
        bm[idx] -= eps
        num[idx] = (np.sum(2 * an @ bp @ bp.T) - np.sum(2 * an @ bm @ bm.T)) / (2 * eps)
    np.testing.assert_allclose(gb.numpy(), num, rtol=1e-5, atol=1e-6)


def test_addmm_beta_zero_ignores_nan_input(device):
    inp = ember.full((2, 2), float("nan"), device=device)
    out = ember.addmm(inp, ember.ones(2, 3, device=device), ember.ones(3, 2, device=device),
                      beta=0)
    assert out.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_linalg_identities(device):
    a = ember.randn(3, 4, 4, dtype=ember.float64, device=device) + 4 * ember.eye(
        4, dtype=ember.float64, device=device)
    eye = np.broadcast_to(np.eye(4), (3, 4, 4))
    np.testing.assert_allclose((a @ ember.linalg.inv(a)).cpu().numpy(), eye, atol=1e-12)
    sign, logabs = ember.linalg.slogdet(a)
    np.testing.assert_allclose((sign * logabs.exp()).cpu().numpy(),
                               ember.linalg.det(a).cpu().numpy(), rtol=1e-10)
    spd = a @ a.mT
    low = ember.linalg.cholesky(spd)
    np.testing.assert_allclose((low @ low.mT).cpu().numpy(), spd.cpu().numpy(), rtol=1e-10)
    w, v = ember.linalg.eigh(spd)
    np.testing.assert_allclose((v @ (w.unsqueeze(-1) * v.mT)).cpu().numpy(),
                               spd.cpu().numpy(), rtol=1e-9)
    b = ember.randn(4, dtype=ember.float64, device=device)
    x = ember.linalg.solve(a, b)
    assert x.shape == (3, 4)
    x_right = ember.linalg.solve(a, ember.randn(3, 2, 4, dtype=ember.float64, device=device),
                                 left=False)
    assert x_right.shape == (3, 2, 4)


def test_linalg_errors():
    with pytest.raises(RuntimeError, match="square matrices"):
        ember.linalg.inv(ember.randn(2, 3))
    with pytest.raises(ember.linalg.LinAlgError):
        ember.linalg.inv(ember.zeros(2, 2))
    with pytest.raises(ember.linalg.LinAlgError):
        ember.linalg.cholesky(-ember.eye(2))
    with pytest.raises(RuntimeError, match="floating point"):
        ember.linalg.vector_norm(ember.tensor([1, 2]))


def test_vector_norm_gradient_is_zero_at_origin():
    x = ember.zeros(3, requires_grad=True)
    ember.linalg.vector_norm(x).backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_complex_norm_is_real():
    z = ember.complex(ember.tensor([3.0, 0.0]), ember.tensor([4.0, 1.0]))
    n = ember.linalg.vector_norm(z)
    assert n.dtype is ember.float32
    np.testing.assert_allclose(n.item(), np.sqrt(26.0), rtol=1e-6)
