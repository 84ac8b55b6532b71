"""ember.masked details PyTorch's sample inputs exposed: argmax/argmin in the input's dtype,
median, products over several dims, var/std ``correction``, and the out-of-place
masked_scatter growing ``input`` to the mask's shape (the in-place masked_fill_ refusing to)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember.autograd import gradcheck

X = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]])
M = np.array([[True, False, True], [False, True, True]])


def test_argmax_argmin_return_the_input_dtype():
    x, m = ember.tensor(X, dtype=ember.float32), ember.tensor(M)
    out = ember.masked.argmax(x, 1, mask=m)
    assert out.dtype == ember.float32
    np.testing.assert_array_equal(out.numpy(), [0.0, 1.0])
    np.testing.assert_array_equal(ember.masked.argmin(x, 1, mask=m).numpy(), [2.0, 2.0])
    assert ember.masked.argmax(x, 1, dtype=ember.int64, mask=m).dtype == ember.int64


def test_median_of_kept_elements():
    x, m = ember.tensor(X), ember.tensor(M)
    want = [2.0, -2.0]  # the lower middle of the kept [3, 2] and [4, -2], as torch
    np.testing.assert_array_equal(ember.masked.median(x, 1, mask=m).numpy(), want)
    empty = ember.masked.median(x, 1, mask=ember.zeros(2, 3, dtype=ember.bool))
    assert np.isnan(empty.numpy()).all()
    with pytest.raises(ValueError, match="fully masked"):
        ember.masked.median(ember.tensor([[1, 2]]), 1, mask=ember.tensor([[False, False]]))


def test_prod_over_a_tuple_of_dims_and_gradient():
    x, m = ember.tensor(X, requires_grad=True), ember.tensor(M)
    out = ember.masked.prod(x, (0, 1), mask=m)
    np.testing.assert_allclose(out.detach().numpy(), np.prod(X[M]))
    assert ember.masked.prod(x, (0, 1), keepdim=True, mask=m).shape == (1, 1)
    assert gradcheck(lambda t: ember.masked.prod(t, (0, -1), mask=m), (x,))


def test_var_std_correction():
    x, m = ember.tensor(X, requires_grad=True), ember.tensor(M)
    for c in (0, 1, 2):
        want = [np.var(X[i, M[i]], ddof=c) if M[i].sum() > c else np.nan for i in range(2)]
        np.testing.assert_allclose(
            ember.masked.var(x, 1, correction=c, mask=m).detach().numpy(), want
        )
        np.testing.assert_allclose(
            ember.masked.std(x, 1, correction=c, mask=m).detach().numpy(), np.sqrt(want)
        )
    assert gradcheck(lambda t: ember.masked.var(t, 1, correction=0, mask=m), (x,))


def test_out_of_place_masked_scatter_grows_input_in_place_fill_does_not():
    x, m = ember.zeros(3), ember.tensor([[True, False, True], [False, True, False]])
    np.testing.assert_array_equal(
        x.masked_scatter(m, ember.arange(6.0)).numpy(), [[0, 0, 1], [0, 2, 0]]
    )
    with pytest.raises(RuntimeError, match="would broadcast"):
        x.masked_fill_(m, 1.0)


def test_logsumexp_keeps_an_integer_input_dtype():
    x = ember.tensor([[1, 2, 3], [4, 5, 6]])
    out = ember.masked.logsumexp(x, 1)
    assert out.dtype == ember.int64
    np.testing.assert_array_equal(out.numpy(), [3, 6])  # 3.4076 and 6.4076, truncated
    assert ember.masked.logsumexp(x, 1, dtype=ember.float32).dtype == ember.float32


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # logaddexp(-inf, -inf)
def test_where_backward_keeps_nan_out_of_the_unselected_branch():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = ember.where(ember.tensor([True, False]), x, -np.inf)
    (y * float("nan")).sum().backward()
    assert np.isnan(x.grad.numpy()[0]) and x.grad.numpy()[1] == 0.0  # as torch
    a = ember.tensor([0.5, -1.0], requires_grad=True)
    b = ember.tensor([2.0, 3.0])
    out = ember.masked.logaddexp(
        a, b, input_mask=ember.tensor([True, False]), other_mask=ember.tensor([True, False])
    )
    (g,) = ember.autograd.grad(out.sum(), a)
    np.testing.assert_allclose(g.numpy(), [1 / (1 + np.exp(1.5)), 0.0], rtol=1e-6)


def test_norm_minus_inf_of_a_fully_masked_slice_is_inf():
    x = ember.tensor([[1.0, -2.0], [3.0, 4.0]])
    m = ember.tensor([[True, True], [False, False]])
    out = ember.masked.norm(x, -np.inf, 1, mask=m).numpy()
    np.testing.assert_array_equal(out, [1.0, np.inf])
    np.testing.assert_array_equal(ember.masked.norm(x, 2.0, 1, mask=m).numpy()[1], 0.0)
