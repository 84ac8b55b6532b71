"""embervision.ops against stored torchvision.ops values (fixtures/make_ops_fixtures.py), plus
gradient checks and the reusable layers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
from ember.autograd import gradcheck
from embervision import ops

REF = np.load(Path(__file__).parent / "fixtures" / "ops_reference.npz")


def T(name: str, device: str = "cpu") -> ember.Tensor:
    return ember.tensor(REF[name], device=device)


def _np(t: ember.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


def test_box_iou_and_giou(device):
    a, b = T("a", device), T("b", device)
    np.testing.assert_allclose(_np(ops.box_iou(a, b)), REF["iou"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        _np(ops.generalized_box_iou(a, b)), REF["giou"], rtol=1e-5, atol=1e-6
    )
    assert ops.box_iou(a, b)[0, 0].item() == pytest.approx(1.0)


@pytest.mark.parametrize("fmt", ["xywh", "cxcywh"])
def test_box_convert(fmt, device):
    a = T("a", device)
    np.testing.assert_allclose(_np(ops.box_convert(a, "xyxy", fmt)), REF[f"to_{fmt}"], rtol=1e-6)
    np.testing.assert_allclose(_np(ops.box_convert(a, fmt, "xyxy")), REF[f"from_{fmt}"], rtol=1e-6)
    back = ops.box_convert(ops.box_convert(a, "xyxy", fmt), fmt, "xyxy")
    np.testing.assert_allclose(_np(back), REF["a"], rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="unsupported format 'xy'"):
        ops.box_convert(a, "xy", fmt)


def test_clip_area_and_small_boxes(device):
    a = T("a", device)
    np.testing.assert_allclose(_np(ops.clip_boxes_to_image(a - 5, (12, 15))), REF["clip"])
    assert _np(ops.remove_small_boxes(a, 4.0)).tolist() == REF["small"].tolist()
    expected = (REF["a"][:, 2] - REF["a"][:, 0]) * (REF["a"][:, 3] - REF["a"][:, 1])
    np.testing.assert_allclose(_np(ops.box_area(a)), expected, rtol=1e-6)
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 4\)"):
        ops.box_area(ember.zeros(3, 5))


@pytest.mark.parametrize("thr", [0.1, 0.3, 0.5, 0.7])
def test_nms_matches_torchvision(thr, device):
    boxes, scores = T("nms_boxes", device), T("nms_scores", device)
    keep = ops.nms(boxes, scores, thr)
    assert keep.dtype == ember.int64
    # ties between equal scores may be broken either way: compare sets, and order by score
    assert set(_np(keep).tolist()) == set(REF[f"nms_{thr}"].tolist())
    kept_scores = REF["nms_scores"][_np(keep)]
    assert (np.diff(kept_scores) <= 0).all()
    bkeep = ops.batched_nms(boxes, scores, T("nms_idxs", device), thr)
    assert set(_np(bkeep).tolist()) == set(REF[f"bnms_{thr}"].tolist())


def test_nms_edge_cases():
    empty = ember.zeros(0, 4)
    assert ops.nms(empty, ember.zeros(0), 0.5).shape == (0,)
    assert (
        ops.batched_nms(empty, ember.zeros(0), ember.zeros(0, dtype=ember.int64), 0.5).numel() == 0
    )
    with pytest.raises(ValueError, match="scores of shape"):
        ops.nms(ember.zeros(3, 4), ember.zeros(2), 0.5)


SETTINGS = {
    "align_default": lambda x, r: ops.roi_align(x, r, (3, 4), 0.8),
    "align_aligned": lambda x, r: ops.roi_align(x, r, (3, 4), 0.8, aligned=True),
    "align_ratio2": lambda x, r: ops.roi_align(x, r, (3, 4), 0.5, sampling_ratio=2),
    "align_ratio1_aligned": lambda x, r: ops.roi_align(x, r, (3, 4), 1.0, 1, True),
    "pool": lambda x, r: ops.roi_pool(x, r, (3, 4), 0.8),
    "pool_scale1": lambda x, r: ops.roi_pool(x, r, (3, 4), 1.0),
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_roi_ops_match_torchvision(name, device):
    x = T("x", device).requires_grad_()
    y = SETTINGS[name](x, T("rois", device))
    np.testing.assert_allclose(_np(y), REF[f"{name}_out"], rtol=1e-4, atol=1e-5)
    (y * T("gw", device)).sum().backward()
    np.testing.assert_allclose(_np(x.grad), REF[f"{name}_grad"], rtol=1e-4, atol=1e-5)


def test_roi_align_accepts_box_lists():
    x, rois = T("x"), REF["rois"]
    per_image = [ember.tensor(rois[rois[:, 0] == i, 1:]) for i in range(2)]
    order = np.argsort(rois[:, 0], kind="stable")
    y = ops.RoIAlign((3, 4), 0.8, -1)(x, per_image)
    np.testing.assert_allclose(_np(y), REF["align_default_out"][order], rtol=1e-4, atol=1e-5)
    assert ops.RoIPool(2, 1.0)(x, [ember.zeros(0, 4), ember.zeros(0, 4)]).shape == (0, 3, 2, 2)


def test_roi_align_gradcheck():
    x = ember.randn(1, 2, 5, 6, dtype=ember.float64, requires_grad=True)
    rois = ember.tensor([[0, 0.3, 0.2, 4.1, 3.7], [0, 1.0, 1.5, 2.5, 4.0]], dtype=ember.float64)
    assert gradcheck(lambda t: ops.roi_align(t, rois, 2, 1.0, 2, True), (x,))


def test_box_iou_gradcheck():
    a = ember.tensor([[0.0, 0.0, 2.0, 2.5], [1.0, 0.5, 3.0, 3.0]], dtype=ember.float64)
    b = ember.tensor([[0.5, 0.2, 2.2, 2.0]], dtype=ember.float64)
    a.requires_grad_()
    assert gradcheck(lambda t: ops.generalized_box_iou(t, b), (a,))
    assert gradcheck(lambda t: ops.box_iou(t, b), (a,))


def test_stochastic_depth():
    x = ember.ones(2000, 3)
    y = ops.stochastic_depth(x, 0.25, "row")
    rows = _np(y)[:, 0]
    assert np.isclose(rows, 0.0).sum() + np.isclose(rows, 1 / 0.75).sum() == len(rows)
    assert (_np(y) == rows[:, None]).all()  # whole rows dropped together
    assert abs((rows == 0).mean() - 0.25) < 0.05
    whole = _np(ops.stochastic_depth(x, 0.5, "batch"))
    assert len(np.unique(whole)) == 1
    assert ops.StochasticDepth(0.9, "row").eval()(x) is x
    with pytest.raises(ValueError, match="mode must be"):
        ops.stochastic_depth(x, 0.1, "col")


def test_layers_match_their_definition():
    block = ops.Conv2dNormActivation(3, 8, kernel_size=3, stride=2).eval()
    assert [k for k in block.state_dict()][:2] == ["0.weight", "1.weight"]
    x = ember.randn(2, 3, 8, 8)
    ref = ember.nn.functional.relu(block[1](block[0](x)))
    np.testing.assert_allclose(_np(block(x)), _np(ref), rtol=1e-6)
    se = ops.SqueezeExcitation(8, 2)
    y = ember.randn(1, 8, 4, 4)
    gate = ember.sigmoid(se.fc2(ember.relu(se.fc1(y.mean(dim=(2, 3), keepdim=True)))))
    np.testing.assert_allclose(_np(se(y)), _np(gate * y), rtol=1e-5, atol=1e-6)
    mlp = ops.MLP(4, [8, 2])
    assert list(mlp.state_dict()) == ["0.weight", "0.bias", "3.weight", "3.bias"]
