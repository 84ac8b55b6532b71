"""embervision.transforms.functional against the same operation done directly with Pillow/NumPy.

Every kernel is run on a PIL image, an HWC NumPy array and a CHW ember tensor (on each device);
the tensor/array results are compared with Pillow's (ImageOps, ImageEnhance, Image.resize,
Image.transform) or a NumPy reference. Tolerances are stated per test: uint8 results may differ
by one grey level where Pillow uses fixed-point arithmetic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

import ember
from ember.testing import require_data
from embervision.transforms import InterpolationMode
from embervision.transforms import functional as F


def _smooth_image(h: int = 29, w: int = 41, seed: int = 0) -> np.ndarray:
    """A uint8 RGB image with gradients, edges and noise (so every op has work to do)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 / w, y * 255 / h, (x + y) * 127 / (h + w) + 60], axis=-1)
    base[h // 3 : 2 * h // 3, w // 4 : w // 2] = [250, 20, 90]
    noise = rng.integers(-25, 26, size=base.shape)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def _t(arr: np.ndarray, device: str = "cpu") -> ember.Tensor:
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return ember.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1))).to(device)


def _hwc(t: ember.Tensor) -> np.ndarray:
    return t.cpu().numpy().transpose(1, 2, 0)


def _diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int64) - np.asarray(b).astype(np.int64)).max())


ARR = _smooth_image()
PIL_IMG = Image.fromarray(ARR)


def _check_all_kinds(fn, pil_ref: np.ndarray, device: str, atol: int = 1) -> None:
    """``fn`` on PIL, array and tensor inputs all agree with ``pil_ref`` within ``atol``."""
    out_pil = fn(PIL_IMG)
    assert isinstance(out_pil, Image.Image)
    assert _diff(np.asarray(out_pil), pil_ref) == 0
    out_arr = fn(ARR.copy())
    assert isinstance(out_arr, np.ndarray) and out_arr.dtype == np.uint8
    assert out_arr.shape == pil_ref.shape
    assert _diff(out_arr, pil_ref) <= atol
    out_t = fn(_t(ARR, device))
    assert isinstance(out_t, ember.Tensor) and out_t.dtype == ember.uint8
    assert str(out_t.device).startswith(device)
    assert _diff(_hwc(out_t).reshape(pil_ref.shape), pil_ref) <= atol


# -- resize --------------------------------------------------------------------------------

RESIZE_MODES = ["bilinear", "bicubic", "box", "hamming", "lanczos"]


@pytest.mark.parametrize("mode", RESIZE_MODES)
@pytest.mark.parametrize("size", [(13, 17), (40, 71), (29, 20)])
def test_resize_matches_pillow(device, mode, size):
    # Pillow resamples in fixed point (22-bit weights) and rounds between its two passes;
    # the tensor kernel uses the same windows in float32, so uint8 results agree within 1.
    filt = F.InterpolationMode(mode)
    ref = np.asarray(
        PIL_IMG.resize(
            size[::-1],
            {
                "bilinear": Image.BILINEAR,
                "bicubic": Image.BICUBIC,
                "box": Image.BOX,
                "hamming": Image.HAMMING,
                "lanczos": Image.LANCZOS,
            }[mode],
        )
    )
    _check_all_kinds(lambda x: F.resize(x, list(size), filt), ref, device, atol=1)


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_resize_float_tensor_matches_pillow_float_mode(mode):
    plane = ARR[:, :, 0].astype(np.float32) / 255.0
    ref = np.asarray(
        Image.fromarray(plane, mode="F").resize(
            (15, 11), Image.BILINEAR if mode == "bilinear" else Image.BICUBIC
        )
    )
    out = F.resize(ember.from_numpy(plane[None].copy()), [11, 15], mode)
    np.testing.assert_allclose(out.numpy()[0], ref, atol=2e-5)


def test_resize_nearest_matches_numpy_index_rule():
    out = F.resize(_t(ARR), [10, 13], InterpolationMode.NEAREST)
    rows = np.floor(np.arange(10) * np.float32(ARR.shape[0] / 10)).astype(int)
    cols = np.floor(np.arange(13) * np.float32(ARR.shape[1] / 13)).astype(int)
    np.testing.assert_array_equal(_hwc(out), ARR[rows][:, cols])


def test_resize_without_antialias_matches_interpolate():
    x = ember.from_numpy(ARR.transpose(2, 0, 1).astype(np.float32) / 255)
    out = F.resize(x, [10, 13], "bilinear", antialias=False)
    ref = ember.nn.functional.interpolate(
        x[None], size=(10, 13), mode="bilinear", align_corners=False
    )[0]
    np.testing.assert_allclose(out.numpy(), ref.numpy(), atol=1e-6)


def test_resize_batched_and_size_rules():
    batch = ember.zeros(2, 5, 3, 20, 40)
    assert F.resize(batch, 10).shape == (2, 5, 3, 10, 20)
    assert F.resize(ember.zeros(3, 40, 20), 10).shape == (3, 20, 10)
    assert F.resize(ember.zeros(3, 20, 40), 10, max_size=15).shape == (3, 7, 15)
    assert F.resize(ember.zeros(3, 20, 40), None, max_size=16).shape == (3, 8, 16)
    assert F.resize(PIL_IMG, 10).size == (14, 10)  # PIL size is (w, h)
    with pytest.raises(ValueError, match="max_size"):
        F.resize(ember.zeros(3, 20, 40), 10, max_size=10)
    with pytest.raises(ValueError, match="max_size"):
        F.resize(ember.zeros(3, 20, 40), [10, 12], max_size=20)


# -- crops, pads, flips --------------------------------------------------------------------


def test_crop_center_crop_and_out_of_bounds_match_pillow(device):
    for box in [(3, 5, 10, 12), (-4, -3, 12, 9), (20, 30, 15, 20)]:
        top, left, h, w = box
        ref = np.asarray(PIL_IMG.crop((left, top, left + w, top + h)))
        _check_all_kinds(lambda x: F.crop(x, top, left, h, w), ref, device, atol=0)
    # center crop: torchvision's rounding rule
    h, w = ARR.shape[:2]
    top, left = int(round((h - 10) / 2.0)), int(round((w - 7) / 2.0))
    _check_all_kinds(
        lambda x: F.center_crop(x, [10, 7]), ARR[top : top + 10, left : left + 7], device, atol=0
    )


def test_center_crop_larger_than_image_pads():
    out = F.center_crop(_t(ARR), [33, 44])
    ref = np.pad(ARR, ((2, 2), (1, 2), (0, 0)))
    np.testing.assert_array_equal(_hwc(out), ref)


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_matches_numpy(device, mode):
    pads = [2, 3, 1, 4]  # left, top, right, bottom
    kw = {"constant_values": 7} if mode == "constant" else {}
    ref = np.pad(ARR, ((3, 4), (2, 1), (0, 0)), mode=mode, **kw)
    fill = 7 if mode == "constant" else None
    _check_all_kinds(lambda x: F.pad(x, pads, fill=fill, padding_mode=mode), ref, device, 0)


def test_pad_per_channel_fill_and_forms():
    out = F.pad(_t(ARR), 1, fill=[1, 2, 3])
    assert out.shape == (3, ARR.shape[0] + 2, ARR.shape[1] + 2)
    assert _hwc(out)[0, 0].tolist() == [1, 2, 3]
    assert F.pad(_t(ARR), [1, 2]).shape == (3, ARR.shape[0] + 4, ARR.shape[1] + 2)
    with pytest.raises(ValueError, match="padding_mode"):
        F.pad(_t(ARR), 1, padding_mode="wrap")
    with pytest.raises(ValueError, match="padding"):
        F.pad(_t(ARR), [1, 2, 3])


def test_flips_match_pillow(device):
    _check_all_kinds(F.hflip, np.asarray(ImageOps.mirror(PIL_IMG)), device, 0)
    _check_all_kinds(F.vflip, np.asarray(ImageOps.flip(PIL_IMG)), device, 0)


def test_five_and_ten_crop():
    crops = F.five_crop(_t(ARR), [8, 10])
    h, w = ARR.shape[:2]
    refs = [ARR[:8, :10], ARR[:8, w - 10 :], ARR[h - 8 :, :10], ARR[h - 8 :, w - 10 :]]
    for c, r in zip(crops, refs):
        np.testing.assert_array_equal(_hwc(c), r)
    ten = F.ten_crop(_t(ARR), 8)
    np.testing.assert_array_equal(_hwc(ten[5]), ARR[:8, ::-1][:, :8])
    with pytest.raises(ValueError, match="bigger"):
        F.five_crop(_t(ARR), 100)


# -- warps ---------------------------------------------------------------------------------


def _mismatch(a: np.ndarray, b: np.ndarray) -> float:
    return float((np.asarray(a) != np.asarray(b)).any(axis=-1).mean())


@pytest.mark.parametrize("angle,expand", [(30, False), (-47, True), (90, True), (180, False)])
def test_rotate_nearest_matches_pillow(device, angle, expand):
    ref = np.asarray(PIL_IMG.rotate(angle, Image.NEAREST, expand=expand, fillcolor=(9, 8, 7)))
    out = _hwc(F.rotate(_t(ARR, device), angle, "nearest", expand=expand, fill=[9, 8, 7]))
    assert out.shape == ref.shape
    # The same pixel-centre mapping as Pillow; floor() at exact .0 boundaries may differ in
    # float rounding for a handful of pixels.
    assert _mismatch(out, ref) < 0.01


def test_rotate_bilinear_and_center_match_pillow(device):
    ref = np.asarray(PIL_IMG.rotate(25, Image.BILINEAR, center=(5, 7)))
    out = _hwc(F.rotate(_t(ARR, device), 25, "bilinear", center=[5, 7]))
    # Tensors follow torchvision's grid_sample (taps outside the image count as 0, so the
    # border fades; see test_v1_compat.py); inside the image they agree with Pillow.
    inner = np.asarray(PIL_IMG.convert("L").point(lambda _: 255).rotate(
        25, Image.NEAREST, center=(5, 7)).filter(ImageFilter.MinFilter(5))) > 0
    assert _diff(out[inner], ref[inner]) <= 1
    out_arr = F.rotate(ARR, 25, InterpolationMode.BILINEAR, center=[5, 7])
    assert _diff(out_arr[inner], ref[inner]) <= 1


def _torchvision_affine_matrix(center, angle, translate, scale, shear):
    # An independent transcription of torchvision's documented inverse affine formula.
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    rs = (
        np.array(
            [
                [
                    math.cos(rot - sy) / math.cos(sy),
                    -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot),
                ],
                [
                    math.sin(rot - sy) / math.cos(sy),
                    -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot),
                ],
            ]
        )
        * scale
    )
    forward = np.eye(3)
    forward[:2, :2] = rs
    t_c = np.array([[1, 0, cx + tx], [0, 1, cy + ty], [0, 0, 1]])
    c_inv = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    return np.linalg.inv(t_c @ forward @ c_inv)


@pytest.mark.parametrize(
    "params", [(20, (3, -2), 1.1, (5, 0)), (0, (4, 1), 1.0, (0, 0)), (-15, (0, 0), 0.8, (10, -8))]
)
def test_affine_matches_pillow_transform(device, params):
    angle, translate, scale, shear = params
    h, w = ARR.shape[:2]
    inv = _torchvision_affine_matrix((w * 0.5, h * 0.5), angle, translate, scale, shear)
    ref = np.asarray(
        PIL_IMG.transform((w, h), Image.AFFINE, tuple(inv[:2].reshape(-1)), Image.NEAREST)
    )
    out = F.affine(_t(ARR, device), angle, list(translate), scale, list(shear))
    assert _mismatch(_hwc(out), ref) < 0.01
    out_pil = F.affine(PIL_IMG, angle, list(translate), scale, list(shear))
    assert _mismatch(np.asarray(out_pil), ref) == 0


def test_perspective_matches_pillow_transform(device):
    h, w = ARR.shape[:2]
    start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
    end = [[3, 2], [w - 5, 1], [w - 2, h - 4], [1, h - 3]]
    a = np.zeros((8, 8))
    b = np.zeros(8)
    for i, ((sx, sy), (ex, ey)) in enumerate(zip(start, end)):
        a[2 * i] = [ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]
        a[2 * i + 1] = [0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]
        b[2 * i], b[2 * i + 1] = sx, sy
    coeffs = np.linalg.solve(a, b)
    for mode, pil_mode in [("bilinear", Image.BILINEAR), ("nearest", Image.NEAREST)]:
        ref = np.asarray(PIL_IMG.transform((w, h), Image.PERSPECTIVE, tuple(coeffs), pil_mode))
        out = _hwc(F.perspective(_t(ARR, device), start, end, mode))
        # Points landing exactly on the source border flip between inside and outside with
        # the last bit of the coefficients, so compare all but a handful of pixels.
        # Bilinear tensors also fade at the border (torchvision's zero padding): skip 2 pixels.
        cover = Image.new("L", (w, h), 255).transform((w, h), Image.PERSPECTIVE, tuple(coeffs))
        inner = np.asarray(cover.filter(ImageFilter.MinFilter(5))) > 0
        far = np.abs(out.astype(int) - ref.astype(int)).max(axis=-1) > 1
        assert far[inner].mean() < 0.01


def test_warp_rejects_other_interpolation():
    with pytest.raises(ValueError, match="NEAREST or BILINEAR"):
        F.rotate(_t(ARR), 10, "bicubic")


# -- colour --------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [0.0, 0.6, 1.7])
def test_enhance_ops_match_pillow(device, factor):
    cases = [
        (F.adjust_brightness, ImageEnhance.Brightness, 1),
        (F.adjust_contrast, ImageEnhance.Contrast, 1),
        (F.adjust_saturation, ImageEnhance.Color, 1),
        (F.adjust_sharpness, ImageEnhance.Sharpness, 1),
    ]
    for fn, enh, atol in cases:
        ref = np.asarray(enh(PIL_IMG).enhance(factor))
        _check_all_kinds(lambda x, fn=fn: fn(x, factor), ref, device, atol)


@pytest.mark.parametrize("hue", [-0.5, -0.2, 0.13, 0.45])
def test_adjust_hue_matches_pillow_hsv(device, hue):
    # Pillow quantises hue to uint8 in its HSV mode; the tensor path works in float, so a few
    # grey levels of difference are expected (torchvision tests use the same tolerance).
    h, s, v = PIL_IMG.convert("HSV").split()
    np_h = (np.asarray(h).astype(np.int64) + int(hue * 255)) % 256
    ref = np.asarray(
        Image.merge("HSV", (Image.fromarray(np_h.astype(np.uint8)), s, v)).convert("RGB")
    )
    out = _hwc(F.adjust_hue(_t(ARR, device), hue))
    assert np.mean(np.abs(out.astype(int) - ref.astype(int))) < 2.0
    assert _diff(np.asarray(F.adjust_hue(PIL_IMG, hue)), ref) == 0


def test_hue_round_trip_is_identity_for_float():
    x = ember.rand(3, 6, 7)
    y = F.adjust_hue(F.adjust_hue(x, 0.25), -0.25)
    np.testing.assert_allclose(y.numpy(), x.numpy(), atol=1e-5)


@pytest.mark.parametrize("gamma,gain", [(0.5, 1.0), (2.2, 0.9)])
def test_adjust_gamma_matches_lut(device, gamma, gain):
    lut = np.array([int((255 + 1 - 1e-3) * gain * pow(i / 255.0, gamma)) for i in range(256)])
    ref = np.clip(lut, 0, 255)[ARR].astype(np.uint8)
    _check_all_kinds(lambda x: F.adjust_gamma(x, gamma, gain), ref, device, 1)


def test_grayscale_matches_pillow(device):
    ref = np.asarray(PIL_IMG.convert("L"))[:, :, None]
    out = F.rgb_to_grayscale(_t(ARR, device))
    assert out.shape == (1, *ARR.shape[:2])
    assert _diff(_hwc(out), ref) <= 1
    assert F.rgb_to_grayscale(ARR).shape == ref.shape  # arrays keep their channel axis
    assert _diff(F.rgb_to_grayscale(ARR), ref) <= 1
    three = F.rgb_to_grayscale(_t(ARR), num_output_channels=3)
    assert three.shape == (3, *ARR.shape[:2])
    assert np.asarray(F.to_grayscale(PIL_IMG, 3)).shape == ARR.shape
    with pytest.raises(ValueError):
        F.rgb_to_grayscale(_t(ARR), 2)


def test_pixel_ops_match_imageops(device):
    _check_all_kinds(F.invert, np.asarray(ImageOps.invert(PIL_IMG)), device, 0)
    for bits in (1, 3, 8):
        _check_all_kinds(
            lambda x: F.posterize(x, bits), np.asarray(ImageOps.posterize(PIL_IMG, bits)), device, 0
        )
    _check_all_kinds(
        lambda x: F.solarize(x, 100), np.asarray(ImageOps.solarize(PIL_IMG, 100)), device, 0
    )
    low = Image.fromarray((ARR // 3 + 40).astype(np.uint8))
    ref = np.asarray(ImageOps.autocontrast(low))
    out = F.autocontrast(_t(np.asarray(low), device))
    assert _diff(_hwc(out), ref) <= 1
    _check_all_kinds(F.equalize, np.asarray(ImageOps.equalize(PIL_IMG)), device, 0)


def test_equalize_flat_and_float_images():
    flat = ember.full((3, 4, 4), 77, dtype=ember.uint8)
    assert F.equalize(flat).tolist() == flat.tolist()
    x = ember.from_numpy(ARR.transpose(2, 0, 1).copy()).to(ember.float32) / 255
    out = F.equalize(x)
    assert out.dtype == ember.float32
    ref = np.asarray(ImageOps.equalize(PIL_IMG)).astype(np.float32) / 255
    assert np.abs(_hwc(out) - ref).max() <= 1 / 255 + 1e-6


def test_float_colour_ops_match_numpy():
    x = ARR.astype(np.float32) / 255
    t = _t(x)
    np.testing.assert_allclose(_hwc(F.adjust_brightness(t, 1.5)), np.clip(x * 1.5, 0, 1), atol=1e-6)
    np.testing.assert_allclose(_hwc(F.invert(t)), 1 - x, atol=1e-6)
    np.testing.assert_allclose(_hwc(F.solarize(t, 0.5)), np.where(x >= 0.5, 1 - x, x), atol=1e-6)
    lo, hi = x.min(axis=(0, 1)), x.max(axis=(0, 1))
    np.testing.assert_allclose(_hwc(F.autocontrast(t)), (x - lo) / (hi - lo), atol=1e-5)
    gray = x @ np.array([0.2989, 0.587, 0.114], dtype=np.float32)  # torchvision's tensor weights
    mean = gray.mean()
    np.testing.assert_allclose(
        _hwc(F.adjust_contrast(t, 0.3)), np.clip(0.3 * x + 0.7 * mean, 0, 1), atol=1e-5
    )


def _np_gaussian_blur(x: np.ndarray, k: int, sigma: float) -> np.ndarray:
    r = np.arange(k) - (k - 1) / 2
    kern = np.exp(-0.5 * (r / sigma) ** 2)
    kern /= kern.sum()
    p = np.pad(x, ((k // 2, k // 2), (k // 2, k // 2), (0, 0)), mode="reflect")
    rows = sum(kern[i] * p[i : i + x.shape[0]] for i in range(k))
    return sum(kern[j] * rows[:, j : j + x.shape[1]] for j in range(k))


def test_gaussian_blur_matches_numpy(device):
    x = ARR.astype(np.float32) / 255
    out = F.gaussian_blur(_t(x, device), 5, 1.3)
    np.testing.assert_allclose(_hwc(out), _np_gaussian_blur(x, 5, 1.3), atol=1e-5)
    ref_u8 = np.clip(np.round(_np_gaussian_blur(ARR.astype(np.float64), 5, 1.3)), 0, 255)
    _check_all_kinds(
        lambda i: F.gaussian_blur(i, [5, 5], [1.3, 1.3]), ref_u8.astype(np.uint8), device, atol=1
    )


def test_colour_ops_validate_arguments():
    t = _t(ARR)
    for fn, bad in [
        (F.adjust_brightness, -1),
        (F.adjust_contrast, -0.1),
        (F.adjust_saturation, -2),
        (F.adjust_sharpness, -1),
    ]:
        with pytest.raises(ValueError, match="non-negative"):
            fn(t, bad)
    with pytest.raises(ValueError, match="hue_factor"):
        F.adjust_hue(t, 0.7)
    with pytest.raises(ValueError, match="bits"):
        F.posterize(t, 9)
    with pytest.raises(ValueError, match="odd"):
        F.gaussian_blur(t, 4)
    with pytest.raises(ValueError, match="sigma"):
        F.gaussian_blur(t, 3, -1.0)
    with pytest.raises(TypeError, match="channel"):
        F.adjust_saturation(ember.zeros(4, 3, 3), 0.5)


def test_colour_ops_leave_boxes_and_masks_alone():
    from embervision.transforms import BoundingBoxes, Mask

    b = BoundingBoxes([[1, 2, 3, 4]], format="XYXY", canvas_size=(5, 5))
    m = Mask(ember.ones(5, 5))
    assert F.adjust_brightness(b, 2.0) is b
    assert F.invert(m) is m


# -- normalize / erase / conversions -------------------------------------------------------


def test_normalize_matches_numpy(device):
    x = ARR.astype(np.float32) / 255
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    out = F.normalize(_t(x, device), mean, std)
    np.testing.assert_allclose(_hwc(out), (x - mean) / np.array(std, np.float32), atol=1e-5)
    t = _t(x, device)
    same = F.normalize(t, mean, std, inplace=True)
    assert same is t
    np.testing.assert_allclose(_hwc(t), _hwc(out), atol=1e-6)
    with pytest.raises(TypeError, match="float"):
        F.normalize(_t(ARR), mean, std)
    with pytest.raises(ValueError, match="zero"):
        F.normalize(_t(x), mean, [1.0, 0.0, 1.0])
    with pytest.raises(TypeError):
        F.normalize(PIL_IMG, mean, std)


def test_erase_matches_numpy():
    x = _t(ARR)
    out = F.erase(x, 2, 3, 4, 5, ember.tensor([1, 2, 3], dtype=ember.uint8).reshape(3, 1, 1))
    ref = ARR.copy()
    ref[2:6, 3:8] = [1, 2, 3]
    np.testing.assert_array_equal(_hwc(out), ref)
    np.testing.assert_array_equal(_hwc(x), ARR)  # not in place
    F.erase(x, 0, 0, 1, 1, 0, inplace=True)
    assert _hwc(x)[0, 0].tolist() == [0, 0, 0]
    np.testing.assert_array_equal(F.erase(ARR, 2, 3, 4, 5, 9)[2:6, 3:8], 9)


def test_conversions_match_numpy():
    t = F.to_tensor(PIL_IMG)
    assert t.dtype == ember.float32 and t.shape == (3, *ARR.shape[:2])
    np.testing.assert_allclose(_hwc(t), ARR / 255.0, atol=1e-7)
    np.testing.assert_array_equal(_hwc(F.pil_to_tensor(PIL_IMG)), ARR)
    np.testing.assert_array_equal(_hwc(F.to_image(ARR)), ARR)
    back = F.to_pil_image(F.to_tensor(PIL_IMG))
    assert back.mode == "RGB"
    # torchvision truncates float * 255, so a round trip can lose one level
    assert _diff(np.asarray(back), ARR) <= 1
    assert F.to_pil_image(ember.zeros(1, 4, 5)).mode == "L"
    assert F.to_pil_image(np.zeros((4, 5, 4), np.uint8)).mode == "RGBA"
    gray = Image.fromarray(ARR[:, :, 0])
    assert F.pil_to_tensor(gray).shape == (1, *ARR.shape[:2])
    with pytest.raises(TypeError):
        F.to_tensor(ember.zeros(3, 2, 2))
    with pytest.raises(ValueError):
        F.to_pil_image(ember.zeros(2, 3, 4, 5))


def test_convert_image_dtype_values():
    u8 = ember.tensor([0, 128, 255], dtype=ember.uint8)
    np.testing.assert_allclose(
        F.convert_image_dtype(u8, ember.float32).numpy(), np.array([0, 128, 255]) / 255, atol=1e-7
    )
    f = ember.tensor([0.0, 0.5, 1.0])
    assert F.convert_image_dtype(f, ember.uint8).tolist() == [0, 127, 255]
    assert F.convert_image_dtype(u8, ember.int16).tolist() == [0, 128 * 128, 255 * 128]
    i16 = ember.tensor([0, 32767], dtype=ember.int16)
    assert F.convert_image_dtype(i16, ember.uint8).tolist() == [0, 255]
    assert F.to_dtype(u8, ember.float32, scale=False).tolist() == [0.0, 128.0, 255.0]


def test_dimensions_of_each_kind():
    assert F.get_dimensions(PIL_IMG) == [3, *ARR.shape[:2]]
    assert F.get_dimensions(ARR) == [3, *ARR.shape[:2]]
    assert F.get_dimensions(ARR[:, :, 0]) == [1, *ARR.shape[:2]]
    assert F.get_dimensions(ember.zeros(4, 3, 5, 6)) == [3, 5, 6]
    assert F.get_image_size(PIL_IMG) == [ARR.shape[1], ARR.shape[0]]
    assert F.get_image_num_channels(ember.zeros(1, 2, 2)) == 1
    with pytest.raises(TypeError):
        F.get_dimensions([1, 2, 3])
    with pytest.raises(TypeError):
        F.hflip("image")


def test_real_photos_resize_like_pillow(shared_data):
    # Photos (smooth regions, JPEG noise) rather than synthetic noise; files are found, not named.
    folder = require_data("vision", "hymenoptera_data", root=shared_data)
    files = sorted(folder.rglob("*.jpg"))[:3]
    assert files, f"no JPEGs under {folder}"
    for path in files:
        with Image.open(path) as im:
            pil = im.convert("RGB")
        ref = np.asarray(pil.resize((96, 72), Image.BILINEAR))
        out = F.resize(F.pil_to_tensor(pil), [72, 96], "bilinear")
        assert _diff(_hwc(out), ref) <= 1
        crop = F.center_crop(F.resize(pil, 64), 64)
        assert crop.size == (64, 64)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: F.rotate(x, 33, "bilinear", expand=True),
        lambda x: F.affine(x, 10, [2, -1], 0.9, [4, 2]),
        lambda x: F.resize(x, [11, 19], "bicubic"),
        lambda x: F.adjust_hue(x, 0.2),
        lambda x: F.adjust_sharpness(x, 1.8),
        lambda x: F.equalize(x),
        lambda x: F.gaussian_blur(x, 3, 0.8),
        lambda x: F.pad(x, [1, 2], padding_mode="reflect"),
    ],
)
def test_batched_tensors_equal_per_image_results(fn):
    batch = ember.from_numpy(np.stack([ARR, ARR[::-1].copy()]).transpose(0, 3, 1, 2).copy())
    out = fn(batch)
    for i in range(2):
        np.testing.assert_array_equal(out[i].numpy(), fn(batch[i]).numpy())
