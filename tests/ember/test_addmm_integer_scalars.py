"""addmm/addmv/addr/baddbmm/addbmm on integer tensors truncate beta and alpha to integers, and
on boolean tensors combine with a logical or, as PyTorch; logit of integers and booleans is
float."""

from __future__ import annotations

import numpy as np

import ember


def test_integer_and_boolean_scaled_sums():
    m = ember.tensor([[1, 2], [3, 4]])
    out = ember.addmm(ember.full((2, 2), 7), m, m, beta=0.5, alpha=1.5)  # beta 0, alpha 1
    assert out.dtype == ember.int64
    np.testing.assert_array_equal(out.numpy(), [[7, 10], [15, 22]])
    out = ember.addmv(ember.tensor([1, 2]), m, ember.tensor([1, 1]), beta=2.7, alpha=0.6)
    np.testing.assert_array_equal(out.numpy(), [2, 4])
    b = ember.ones(2, 2, 2, dtype=ember.int64)
    assert ember.baddbmm(b, b, b, beta=1.9, alpha=2.2).numpy().tolist() == [[[5, 5]] * 2] * 2
    flags = ember.tensor([[True, False]])
    got = ember.addr(flags, ember.tensor([True]), ember.tensor([True, True]), beta=False)
    np.testing.assert_array_equal(got.numpy(), [[True, True]])
    got = ember.addr(flags, ember.tensor([False]), ember.tensor([True, True]))
    np.testing.assert_array_equal(got.numpy(), [[True, False]])
    np.testing.assert_allclose(
        ember.addmm(
            ember.ones(2, 2), ember.ones(2, 2), ember.ones(2, 2), beta=0.5, alpha=2
        ).numpy(),
        np.full((2, 2), 4.5),
    )


def test_logit_of_integer_and_boolean_inputs_is_float():
    with np.errstate(divide="ignore", invalid="ignore"):
        out = ember.logit(ember.tensor([True, False]))
        assert out.dtype == ember.float32
        np.testing.assert_array_equal(out.numpy(), [np.inf, -np.inf])
        np.testing.assert_array_equal(ember.logit(ember.tensor([0, 1])).numpy(), [-np.inf, np.inf])
