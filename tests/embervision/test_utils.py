"""embervision.utils against stored torchvision.utils outputs (fixtures/make_utils_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ember
from embervision import utils

REF = np.load(Path(__file__).parent / "fixtures" / "utils_reference.npz")


def inputs() -> dict[str, np.ndarray]:
    """Same as make_utils_fixtures.inputs."""
    rng = np.random.default_rng(0)
    return {
        "batch": rng.standard_normal((5, 3, 6, 7)).astype(np.float32),
        "gray": rng.uniform(0, 1, (3, 1, 5, 5)).astype(np.float32),
        "img": rng.integers(0, 256, (3, 40, 50), dtype=np.uint8),
        "boxes": np.array([[2, 3, 20, 30], [10, 5, 45, 25], [0, 0, 49, 39]], np.float32),
        "masks": rng.uniform(0, 1, (3, 40, 50)) > 0.6,
        "kpts": np.array(
            [[[5, 5], [20, 30], [40, 10]], [[30, 30], [10, 20], [45, 35]]], np.float32
        ),
        "vis": np.array([[True, True, False], [True, True, True]]),
    }


@pytest.fixture
def d(device):
    return {k: ember.tensor(v, device=device) for k, v in inputs().items()}


def check(out: ember.Tensor, name: str, atol: float = 0.0) -> None:
    got = out.cpu().numpy()
    assert got.dtype == REF[name].dtype, (got.dtype, REF[name].dtype)
    np.testing.assert_allclose(got, REF[name], rtol=0, atol=atol)


def test_make_grid(d):
    check(utils.make_grid(d["batch"], nrow=2), "grid")
    norm = utils.make_grid(d["batch"], nrow=3, padding=1, normalize=True, pad_value=0.5)
    check(norm, "grid_norm", atol=1e-6)
    each = utils.make_grid(d["batch"], normalize=True, scale_each=True, value_range=(-1, 1))
    check(each, "grid_each", atol=1e-6)
    check(utils.make_grid(d["gray"], nrow=2), "grid_gray")
    assert utils.make_grid([t for t in d["batch"]], nrow=2).shape == REF["grid"].shape
    assert utils.make_grid(d["batch"][0]).shape == (3, 6, 7)
    with pytest.raises(TypeError, match="list of tensors"):
        utils.make_grid([np.zeros((3, 2, 2))])


def test_save_image(tmp_path: Path):
    x = ember.tensor(inputs()["gray"])
    utils.save_image(x, tmp_path / "g.png", nrow=2)
    saved = np.asarray(Image.open(tmp_path / "g.png"))
    grid = REF["grid_gray"].transpose(1, 2, 0)
    np.testing.assert_array_equal(saved, np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8))


def test_draw_bounding_boxes(d):
    check(utils.draw_bounding_boxes(d["img"], d["boxes"], width=2), "boxes")
    colors = ["red", (0, 200, 10), "#FF00FF"]
    check(utils.draw_bounding_boxes(d["img"], d["boxes"], fill=True, colors=colors), "boxes_fill")
    labelled = utils.draw_bounding_boxes(
        d["img"], d["boxes"], labels=["a", "bc", "d"], colors="yellow"
    )
    check(labelled, "boxes_labels")
    check(utils.draw_bounding_boxes(d["img"].float() / 255, d["boxes"]), "boxes_float", 1e-6)


def test_draw_bounding_boxes_errors(d):
    with pytest.raises(ValueError, match="box_convert"):
        utils.draw_bounding_boxes(d["img"], ember.tensor([[5.0, 5.0, 1.0, 9.0]]))
    with pytest.raises(ValueError, match="labels"):
        utils.draw_bounding_boxes(d["img"], d["boxes"], labels=["a"])
    with pytest.raises(ValueError, match="not batches"):
        utils.draw_bounding_boxes(d["img"][None], d["boxes"])
    with pytest.warns(UserWarning, match="No box"):
        out = utils.draw_bounding_boxes(d["img"], ember.zeros(0, 4))
    assert out is d["img"]


def test_draw_segmentation_masks(d):
    check(utils.draw_segmentation_masks(d["img"], d["masks"], alpha=0.6), "masks")
    floats = utils.draw_segmentation_masks(d["img"].float() / 255, d["masks"][0], colors="green")
    check(floats, "masks_float", atol=1e-6)
    with pytest.raises(ValueError, match="bool"):
        utils.draw_segmentation_masks(d["img"], d["masks"].to(ember.uint8))


def test_draw_keypoints(d):
    out = utils.draw_keypoints(
        d["img"],
        d["kpts"],
        connectivity=[(0, 1), (1, 2)],
        colors="blue",
        radius=3,
        visibility=d["vis"],
    )
    check(out, "kpts")
    with pytest.raises(ValueError, match="num_instances, K, 2"):
        utils.draw_keypoints(d["img"], d["kpts"][0])
