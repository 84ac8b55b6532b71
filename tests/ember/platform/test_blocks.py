"""ember.nn.MLP, ember.nn.StochasticDepth, ember.nn.functional.stochastic_depth (moved from
embervision.ops, which re-exports them)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import nn
from ember.testing import assert_close, make_tensor
from ember.testing.domain import check_model


def test_mlp_matches_a_numpy_reference(device):
    mlp = nn.MLP(4, [8, 3], activation_layer=nn.ReLU, dropout=0.0).to(device)
    x = make_tensor(5, 4, dtype=ember.float32, device=device)
    p = {k: v.detach().cpu().numpy() for k, v in mlp.state_dict().items()}
    xn = x.cpu().numpy()
    hidden = np.maximum(xn @ p["0.weight"].T + p["0.bias"], 0)
    ref = hidden @ p["3.weight"].T + p["3.bias"]
    assert_close(mlp(x).cpu(), ember.tensor(ref), rtol=1e-5, atol=1e-5)
    assert list(p) == ["0.weight", "0.bias", "3.weight", "3.bias"]  # torchvision's keys


def test_mlp_options_and_contract():
    mlp = nn.MLP(3, [6, 6, 2], norm_layer=nn.LayerNorm, activation_layer=None, bias=False)
    kinds = [type(m).__name__ for m in mlp]
    assert kinds == [
        "Linear",
        "LayerNorm",
        "Dropout",
        "Linear",
        "LayerNorm",
        "Dropout",
        "Linear",
        "Dropout",
    ]
    assert mlp[0].bias is None
    x = make_tensor(8, 4, dtype=ember.float32, low=-1, high=1)
    y = ember.randint(0, 3, (8,))
    check_model(lambda: nn.MLP(4, [16, 3]), x, y, steps=40, lr=0.05)


def test_stochastic_depth_rows_and_batch(device):
    x = ember.ones(400, 3, device=device)
    ember.manual_seed(0)
    out = nn.functional.stochastic_depth(x, 0.25, "row").cpu().numpy()
    rows = out[:, 0]
    assert set(np.unique(rows).tolist()) <= {0.0, float(np.float32(1 / 0.75))}
    assert (out == out[:, :1]).all()  # whole rows
    dropped = int((rows == 0).sum())
    assert abs(dropped - 100) < 6 * np.sqrt(400 * 0.25 * 0.75)
    batch = nn.functional.stochastic_depth(x, 0.5, "batch").cpu().numpy()
    assert len(np.unique(batch)) == 1
    assert nn.functional.stochastic_depth(x, 0.5, "row", training=False) is x
    sd = nn.StochasticDepth(0.5, "row").eval()
    assert sd(x) is x and repr(sd) == "StochasticDepth(p=0.5, mode=row)"
    with pytest.raises(ValueError, match="mode must be"):
        nn.functional.stochastic_depth(x, 0.5, "col")
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        nn.StochasticDepth(1.5, "row")(x)


def test_stochastic_depth_gradient_is_the_mask():
    x = make_tensor(6, 2, dtype=ember.float64, requires_grad=True)

    def fn(t):
        ember.manual_seed(3)  # the same mask on every call
        return nn.functional.stochastic_depth(t, 0.4, "row")

    assert ember.autograd.gradcheck(fn, (x,))
    fn(x).sum().backward()
    assert_close(x.grad, fn(ember.ones(6, 2, dtype=ember.float64)))


def test_embervision_ops_reexports():
    from embervision import ops

    assert ops.MLP is nn.MLP and ops.StochasticDepth is nn.StochasticDepth
    assert ops.stochastic_depth is nn.functional.stochastic_depth
