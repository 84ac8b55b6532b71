"""Padding, interpolation, grid sampling, unfold/fold and shuffles against PyTorch values."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures.conv import reference as ref

FNS = {"pad", "interpolate", "grid_sample", "affine_grid", "unfold", "fold", "pixel_shuffle",
       "pixel_unshuffle", "channel_shuffle"}
CASES = ref.cases(FNS)
IDS = [c["name"] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_pytorch(case, device):
    ref.check_case(case, device)


@pytest.mark.parametrize("case", CASES[::4], ids=IDS[::4])
def test_matches_pytorch_float32(case, device):
    ref.check_case(case, device, ember.float32)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradcheck(case, device):
    # PyTorch has no double backward for grid_sample either.
    ref.gradchecks(case, device, second=case["fn"] != "grid_sample")


def test_grid_sample_double_backward_raises():
    x = ember.randn(1, 1, 3, 3, dtype=ember.float64, requires_grad=True)
    grid = ember.rand(1, 2, 2, 2, dtype=ember.float64) * 2 - 1
    (g,) = ember.autograd.grad(F.grid_sample(x, grid, align_corners=False).sum(), (x,),
                               create_graph=True)
    with pytest.raises(RuntimeError, match="double backward"):
        g.sum().backward()


def test_identity_affine_grid_sample_is_identity(device):
    x = ember.randn(2, 3, 5, 4, dtype=ember.float64, device=device)
    theta = ember.tensor([[[1.0, 0, 0], [0, 1.0, 0]]] * 2, dtype=ember.float64, device=device)
    for ac in (False, True):
        grid = F.affine_grid(theta, list(x.shape), align_corners=ac)
        out = F.grid_sample(x, grid, align_corners=ac)
        np.testing.assert_allclose(out.cpu().numpy(), x.cpu().numpy(), atol=1e-12)


def test_fold_is_adjoint_of_unfold(device):
    rng = np.random.default_rng(0)
    x = ember.tensor(rng.standard_normal((2, 3, 6, 5)), device=device)
    cols = F.unfold(x, 3, padding=1, stride=2)
    y = ember.tensor(rng.standard_normal(tuple(cols.shape)), device=device)
    lhs = float((cols * y).sum())
    rhs = float((x * F.fold(y, (6, 5), 3, padding=1, stride=2)).sum())
    assert abs(lhs - rhs) < 1e-9 * max(1.0, abs(lhs))


def test_pixel_shuffle_roundtrip(device):
    x = ember.randn(2, 8, 3, 5, device=device)
    np.testing.assert_array_equal(F.pixel_unshuffle(F.pixel_shuffle(x, 2), 2).cpu().numpy(),
                                  x.cpu().numpy())


def test_padding_layers_match_functional(device):
    x = ember.randn(2, 3, 5, 6, device=device)
    pairs = [
        (nn.ZeroPad2d((1, 2, 0, 3)), F.pad(x, (1, 2, 0, 3))),
        (nn.ConstantPad2d(1, 2.5), F.pad(x, (1, 1, 1, 1), value=2.5)),
        (nn.ReflectionPad2d((2, 1, 1, 0)), F.pad(x, (2, 1, 1, 0), mode="reflect")),
        (nn.ReplicationPad2d(2), F.pad(x, (2, 2, 2, 2), mode="replicate")),
        (nn.CircularPad2d(1), F.pad(x, (1, 1, 1, 1), mode="circular")),
        (nn.ReflectionPad1d(2), F.pad(x[0], (2, 2), mode="reflect")),
    ]
    for layer, want in pairs:
        inp = x[0] if isinstance(layer, nn.ReflectionPad1d) else x
        np.testing.assert_array_equal(layer(inp).cpu().numpy(), want.cpu().numpy())
    assert repr(nn.ConstantPad2d(1, 2.5)) == "ConstantPad2d(padding=(1, 1, 1, 1), value=2.5)"
    assert repr(nn.ReflectionPad1d(2)) == "ReflectionPad1d((2, 2))"


def test_reflect_pad_values():
    x = ember.tensor([[[0.0, 1.0, 2.0, 3.0]]])
    assert F.pad(x, (3, 2), mode="reflect").tolist() == [[[3, 2, 1, 0, 1, 2, 3, 2, 1]]]
    assert F.pad(x, (2, 3), mode="circular").tolist() == [[[2, 3, 0, 1, 2, 3, 0, 1, 2]]]


def test_upsample_layers(device):
    x = ember.randn(1, 2, 3, 4, device=device)
    np.testing.assert_allclose(
        nn.Upsample(scale_factor=2, mode="bilinear")(x).cpu().numpy(),
        F.interpolate(x, scale_factor=2, mode="bilinear").cpu().numpy())
    np.testing.assert_allclose(
        nn.UpsamplingBilinear2d(size=(5, 7))(x).cpu().numpy(),
        F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=True).cpu().numpy())
    assert tuple(nn.UpsamplingNearest2d(scale_factor=3)(x).shape) == (1, 2, 9, 12)
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
    assert tuple(nn.Fold((4, 5), 2)(nn.Unfold(2)(ember.randn(1, 3, 4, 5))).shape) == (1, 3, 4, 5)
    assert tuple(nn.PixelShuffle(2)(ember.randn(1, 8, 2, 2)).shape) == (1, 2, 4, 4)


@pytest.mark.parametrize(("call", "err"), [
    (lambda x: F.pad(x, (1,)), ValueError),
    (lambda x: F.pad(x, (5, 5), mode="reflect"), RuntimeError),
    (lambda x: F.pad(x, (1, 1), mode="reflect", value=1.0), ValueError),
    (lambda x: F.interpolate(x, size=3, scale_factor=2), ValueError),
    (lambda x: F.interpolate(x, size=3, mode="nearest", align_corners=True), ValueError),
    (lambda x: F.interpolate(x, size=3, mode="bilinear"), NotImplementedError),
    (lambda x: F.interpolate(x, size=3, mode="linear", antialias=True), ValueError),  # as torch
    (lambda x: F.fold(x, (3, 3), 2), RuntimeError),
])
def test_errors(call, err):
    with pytest.raises(err):
        call(ember.randn(1, 2, 5))
