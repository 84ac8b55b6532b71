"""torchvision's v1 API as segmentation and training code uses it: static ``get_params``,
introspection helpers, bilinear geometry and colour ops on float tensors and PIL images, and
ImageFolder's file selection; against fixtures/v1_reference.* (made by make_v1_fixtures.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ember
from embervision.datasets import DatasetFolder, ImageFolder
from embervision.transforms import InterpolationMode
from embervision.transforms import functional as F
from embervision.transforms import transforms as T

FIX = Path(__file__).parent / "fixtures"
REF = json.loads((FIX / "v1_reference.json").read_text())
ARR = np.load(FIX / "v1_reference.npz")
P = REF["params"]
BIL = InterpolationMode.BILINEAR


def test_get_params_deterministic_draws_match_torchvision():
    assert list(T.RandomCrop.get_params(ember.zeros(3, 8, 10), (8, 10))) == P["random_crop_full"]
    img = ember.zeros(3, 10, 40)
    assert list(T.RandomResizedCrop.get_params(img, [1.0, 1.0], [1.0, 1.0])) == P["rrc_fallback"]
    narrow = T.RandomResizedCrop.get_params(ember.zeros(3, 40, 10), [1.0, 1.0], [2.0, 2.0])
    assert list(narrow) == P["rrc_fallback_narrow"]
    fn_idx, *factors = T.ColorJitter.get_params(None, [0.5, 0.5], None, [0.1, 0.1])
    assert sorted(fn_idx.tolist()) == P["jitter"][0]
    assert factors[0] is None and factors[2] is None
    np.testing.assert_allclose(
        [factors[1], factors[3]], [P["jitter"][1][1], P["jitter"][1][3]], rtol=1e-6
    )
    assert T.RandomRotation.get_params([30.0, 30.0]) == P["rotation"]
    got = T.RandomAffine.get_params(
        [10.0, 10.0], None, [1.5, 1.5], [5.0, 5.0, -3.0, -3.0], [20, 10]
    )
    assert json.loads(json.dumps(got)) == P["affine"]
    got = T.RandomAffine.get_params([-5.0, -5.0], [0.0, 0.0], None, None, [20, 10])
    assert json.loads(json.dumps(got)) == P["affine_no_shear"]
    assert (
        json.loads(json.dumps(T.RandomPerspective.get_params(10, 8, 0.0))) == P["perspective_zero"]
    )
    i, j, h, w, v = T.RandomErasing.get_params(ember.zeros(3, 8, 8), (1.0, 1.0), (1.0, 1.0))
    assert [i, j, h, w, v is not None] == P["erasing_none"]
    *_, h, w, v = T.RandomErasing.get_params(
        ember.zeros(3, 8, 8), (0.25, 0.25), (1.0, 1.0), value=[1.0, 2.0, 3.0]
    )
    assert [h, w, v.flatten().tolist(), list(v.shape)] == P["erasing_value"]
    assert T.GaussianBlur.get_params(1.5, 1.5) == P["blur"]
    with pytest.raises(ValueError) as err:
        T.RandomCrop.get_params(ember.zeros(3, 4, 4), (5, 5))
    assert str(err.value) == P["crop_too_big"][1]


def test_get_params_draws_stay_in_range_and_apply_to_image_and_mask():
    img = ember.rand(3, 20, 30)
    mask = (img[:1] > 0.5).to(ember.uint8)
    for _ in range(20):
        i, j, h, w = T.RandomResizedCrop.get_params(img, [0.08, 1.0], [3 / 4, 4 / 3])
        assert 0 <= i <= 20 - h and 0 <= j <= 30 - w and h > 0 and w > 0
        a = F.resized_crop(img, i, j, h, w, [8, 8])
        m = F.resized_crop(mask, i, j, h, w, [8, 8], InterpolationMode.NEAREST)
        assert a.shape == (3, 8, 8) and m.shape == (1, 8, 8)
        i, j, th, tw = T.RandomCrop.get_params(img, (5, 7))
        assert (th, tw) == (5, 7) and 0 <= i <= 15 and 0 <= j <= 23
        angle, (tx, ty), scale, (sx, sy) = T.RandomAffine.get_params(
            [-10, 10], [0.1, 0.2], [0.9, 1.1], [-5, 5, -2, 2], [30, 20]
        )
        assert -10 <= angle <= 10 and abs(tx) <= 3 and abs(ty) <= 4 and 0.9 <= scale <= 1.1
        assert -5 <= sx <= 5 and -2 <= sy <= 2
        start, end = T.RandomPerspective.get_params(30, 20, 0.5)
        assert start == [[0, 0], [29, 0], [29, 19], [0, 19]]
        assert all(0 <= x < 30 and 0 <= y < 20 for x, y in end)
        assert 0.1 <= T.GaussianBlur.get_params(0.1, 2.0) <= 2.0


def test_introspection_helpers():
    dims = P["dims"]
    assert F.get_dimensions(ember.zeros(2, 3, 5, 7)) == dims[0]
    assert F.get_image_size(ember.zeros(3, 5, 7)) == dims[1]
    assert F.get_image_num_channels(ember.zeros(1, 5, 7)) == dims[2]
    assert F.get_dimensions(Image.new("RGB", (7, 5))) == dims[3]
    assert F.get_image_size(Image.new("L", (7, 5))) == dims[4]
    assert F.get_image_num_channels(Image.new("RGBA", (7, 5))) == dims[5]
    assert F.get_size(ember.zeros(3, 5, 7)) == [5, 7]


GEOMETRY = {
    "rot30": lambda im: F.rotate(im, 30.0, BIL),
    "rot30_expand": lambda im: F.rotate(im, 30.0, BIL, expand=True),
    "rot_m75_expand_center": lambda im: F.rotate(im, -75.0, BIL, expand=True, center=[3, 4]),
    "rot45_fill": lambda im: F.rotate(
        im,
        45.0,
        BIL,
        expand=True,
        fill=[0.5, 0.25, 1.0] if isinstance(im, ember.Tensor) else (128, 64, 255),
    ),
    "affine": lambda im: F.affine(im, 20.0, [2, -1], 1.2, [10.0, 5.0], BIL),
    "affine_nearest": lambda im: F.affine(im, -35.0, [1, 3], 0.8, [0.0, 12.0]),
    "perspective": lambda im: F.perspective(
        im, [[0, 0], [16, 0], [16, 12], [0, 12]], [[2, 1], [15, 0], [14, 12], [1, 10]], BIL
    ),
}
COLOR = {
    "contrast": lambda im: F.adjust_contrast(im, 0.6),
    "contrast_hi": lambda im: F.adjust_contrast(im, 1.7),
    "saturation": lambda im: F.adjust_saturation(im, 0.3),
    "saturation_hi": lambda im: F.adjust_saturation(im, 2.2),
    "gray1": lambda im: F.rgb_to_grayscale(im),
    "gray3": lambda im: F.rgb_to_grayscale(im, 3),
}


@pytest.mark.parametrize("name", sorted(GEOMETRY))
def test_geometry_matches_torchvision_on_tensors(name):
    out = GEOMETRY[name](ember.tensor(ARR["x"]))
    want = ARR[f"t_{name}"]
    assert tuple(out.shape) == want.shape
    np.testing.assert_allclose(out.numpy(), want, atol=1e-5)


@pytest.mark.parametrize("name", sorted(GEOMETRY))
def test_geometry_matches_torchvision_on_pil(name):
    out = np.asarray(GEOMETRY[name](Image.fromarray(ARR["pil"])))
    want = ARR[f"p_{name}"]
    assert out.shape == want.shape
    assert np.abs(out.astype(int) - want.astype(int)).max() <= 1


@pytest.mark.parametrize("name", sorted(COLOR))
def test_color_matches_torchvision_on_float_tensors_and_pil(name):
    fn = COLOR[name]
    np.testing.assert_allclose(fn(ember.tensor(ARR["x"])).numpy(), ARR[f"t_{name}"], atol=1e-6)
    out64 = fn(ember.tensor(ARR["x"], dtype=ember.float64))
    assert out64.dtype == ember.float64
    np.testing.assert_allclose(out64.numpy(), ARR[f"t64_{name}"], atol=1e-12)
    pil = np.asarray(fn(Image.fromarray(ARR["pil"])))
    assert np.abs(pil.astype(int) - ARR[f"p_{name}"].astype(int)).max() <= 1


def _tree(root: Path) -> None:
    for rel in REF["tree"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    (root / "only_dir").mkdir()


FOLDER_CASES = {
    "default": dict(),
    "allow_empty": dict(allow_empty=True),
    "png_only": dict(extensions=(".png",), allow_empty=True),
    "png_str": dict(extensions=".PNG", allow_empty=True),
    "valid_fn": dict(is_valid_file=lambda p: p.endswith("g"), allow_empty=True),
}


@pytest.mark.parametrize("case", sorted(FOLDER_CASES))
def test_folder_selection_matches_torchvision(case, tmp_path):
    _tree(tmp_path)
    kw = FOLDER_CASES[case]
    want = REF["folder"][case]
    cls = DatasetFolder if ("extensions" in kw or "is_valid_file" in kw) else ImageFolder
    if "error" in want:
        with pytest.raises(FileNotFoundError) as err:
            cls(str(tmp_path), loader=lambda p: p, **kw)
        assert str(err.value).replace(str(tmp_path), "ROOT") == want["msg"]
        return
    ds = cls(str(tmp_path), loader=lambda p: p, **kw)
    assert ds.classes == want["classes"]
    assert [[os.path.relpath(p, tmp_path), t] for p, t in ds.samples] == want["samples"]
