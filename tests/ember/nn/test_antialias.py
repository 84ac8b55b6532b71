"""``F.interpolate(..., antialias=True)`` and ``mode="lanczos"`` against PyTorch 2.13.

The fixtures (``tests/ember/fixtures/antialias.npz``) hold PyTorch's float32 and float64 outputs
and the float64 input gradient of ``(out * w).sum()`` for each case in ``antialias_cases.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.ember.fixtures.antialias_cases import CASES, inputs, weights

REF = np.load(Path(__file__).resolve().parents[1] / "fixtures" / "antialias.npz")


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_pytorch(name):
    kw = CASES[name][1]
    x64 = inputs(name)
    y32 = F.interpolate(ember.tensor(x64.astype(np.float32)), antialias=True, **kw)
    assert y32.dtype == ember.float32
    np.testing.assert_allclose(y32.numpy(), REF[f"{name}/f32"], rtol=1e-5, atol=2e-6)
    x = ember.tensor(x64, requires_grad=True)
    y = F.interpolate(x, antialias=True, **kw)
    np.testing.assert_allclose(y.detach().numpy(), REF[f"{name}/f64"], rtol=1e-10, atol=1e-12)
    (y * ember.tensor(weights(name, tuple(y.shape)))).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), REF[f"{name}/grad"], rtol=1e-10, atol=1e-12)


def test_downsampling_blurs_where_plain_aliases():
    # a 1-pixel checkerboard halved: plain bilinear samples between pixels (0.5 everywhere by
    # luck of the phase), antialias averages; at a third the plain mode aliases, antialias not
    x = ember.tensor(np.indices((12, 12)).sum(0) % 2, dtype=ember.float32).reshape(1, 1, 12, 12)
    aa = F.interpolate(x, size=(4, 4), mode="bilinear", antialias=True)
    plain = F.interpolate(x, size=(4, 4), mode="bilinear")
    assert float(aa.std()) < 0.05 < float(plain.std())


def test_gradcheck():
    x = ember.tensor(inputs("bicubic_down")[:1, :1, :7, :6], requires_grad=True)
    assert ember.autograd.gradcheck(
        lambda t: F.interpolate(t, size=(3, 4), mode="bicubic", antialias=True), (x,)
    )


@pytest.mark.parametrize(
    ("kw", "msg"),
    [
        ({"mode": "nearest", "antialias": True}, "restricted to bilinear, bicubic, and lanczos"),
        ({"mode": "lanczos"}, "Lanczos mode requires antialias=True"),
        ({"mode": "lanczos", "antialias": True, "align_corners": True}, "does not support"),
    ],
)
def test_errors_as_pytorch(kw, msg):
    with pytest.raises(ValueError, match=msg):
        F.interpolate(ember.ones(1, 1, 4, 4), size=(2, 2), **kw)
