"""Transform classes: boxes and masks move with the image, seeded reproducibility, parameter
sampling ranges, argument validation, AutoAugment-style policies and MixUp/CutMix."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from PIL import Image, ImageOps

import ember
from embervision import transforms as T
from embervision.transforms import BoundingBoxes, Mask
from embervision.transforms import functional as F

H, W = 40, 56
BOX = (10, 6, 30, 22)  # x1, y1, x2, y2


def _scene(device: str = "cpu") -> tuple[ember.Tensor, BoundingBoxes, Mask]:
    """An image whose only bright pixels are the box, the box, and a mask of the same area."""
    img = np.zeros((3, H, W), np.uint8)
    x1, y1, x2, y2 = BOX
    img[:, y1:y2, x1:x2] = 255
    boxes = BoundingBoxes([list(BOX)], format="XYXY", canvas_size=(H, W), device=device)
    mask = Mask(ember.from_numpy((img[0] > 0).astype(np.uint8)).to(device))
    return ember.from_numpy(img).to(device), boxes, mask


def _bright_extent(img: ember.Tensor) -> list[float]:
    ys, xs = np.nonzero(img.cpu().numpy()[0] > 127)
    return [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]


GEOMETRIC = [
    T.RandomHorizontalFlip(p=1.0),
    T.RandomVerticalFlip(p=1.0),
    T.Resize((25, 33), interpolation=T.InterpolationMode.NEAREST),
    T.CenterCrop((30, 40)),
    T.RandomCrop((32, 48), padding=4),
    T.Pad([3, 5, 2, 1]),
    T.RandomResizedCrop((36, 36), scale=(0.6, 1.0), interpolation="nearest"),
    T.RandomRotation((90, 90), expand=True),
    T.RandomRotation((180, 180)),
    T.RandomAffine(0, translate=(0.1, 0.1)),
]


@pytest.mark.parametrize("transform", GEOMETRIC, ids=lambda t: type(t).__name__)
def test_boxes_and_masks_move_with_the_image(device, transform):
    ember.manual_seed(4)
    img, boxes, mask = _scene(device)
    out_img, out_boxes, out_mask = transform(img, boxes, mask)
    assert isinstance(out_boxes, BoundingBoxes) and isinstance(out_mask, Mask)
    assert out_boxes.canvas_size == tuple(out_img.shape[-2:])
    assert tuple(out_mask.shape) == tuple(out_img.shape[-2:])
    extent = _bright_extent(out_img)
    # nearest resampling moves box edges by at most one pixel
    np.testing.assert_allclose(out_boxes.as_tensor().cpu().numpy()[0], extent, atol=1.0)
    np.testing.assert_array_equal(out_mask.cpu().numpy() > 0, out_img.cpu().numpy()[0] > 127)


def test_dict_samples_keep_structure_and_labels():
    img, boxes, mask = _scene()
    sample = {"image": img, "target": {"boxes": boxes, "masks": mask, "labels": [3]}, "id": 7}
    out = T.RandomHorizontalFlip(p=1.0)(sample)
    assert set(out) == {"image", "target", "id"} and out["id"] == 7
    assert out["target"]["labels"] == [3]
    x1, y1, x2, y2 = BOX
    assert out["target"]["boxes"].as_tensor().tolist() == [[W - x2, y1, W - x1, y2]]


def test_only_first_plain_tensor_is_the_image():
    img, _, _ = _scene()
    other = ember.arange(6.0)
    out_img, out_other = T.RandomHorizontalFlip(p=1.0)(img, other)
    assert out_other is other
    assert out_img.tolist() == ember.flip(img, [-1]).tolist()


def test_box_formats_round_trip_and_transform():
    b = BoundingBoxes([[2.0, 4.0, 10.0, 12.0]], format="XYXY", canvas_size=(20, 30))
    for fmt, ref in [("XYWH", [2, 4, 8, 8]), ("CXCYWH", [6, 8, 8, 8])]:
        conv = F.convert_bounding_box_format(b, fmt)
        assert conv.as_tensor().tolist() == [ref]
        flipped = F.hflip(conv)
        back = F.convert_bounding_box_format(flipped, "XYXY")
        assert back.as_tensor().tolist() == [[20.0, 4.0, 28.0, 12.0]]
    clamped = F.clamp_bounding_boxes(
        BoundingBoxes([[-3, 2, 40, 5]], format="XYXY", canvas_size=(20, 30))
    )
    assert clamped.as_tensor().tolist() == [[0.0, 2.0, 30.0, 5.0]]
    with pytest.raises(ValueError, match="shape"):
        BoundingBoxes([[1, 2, 3]], format="XYXY", canvas_size=(4, 4))


def test_boxes_survive_pickling_and_resize_scales_them():
    b = BoundingBoxes([[2, 4, 10, 12]], format="XYWH", canvas_size=(20, 30))
    again = pickle.loads(pickle.dumps(b))
    assert isinstance(again, BoundingBoxes) and again.format == b.format
    assert again.canvas_size == (20, 30) and again.tolist() == b.tolist()
    r = F.resize(b, [10, 60])
    assert r.as_tensor().tolist() == [[4.0, 2.0, 20.0, 6.0]] and r.canvas_size == (10, 60)


def test_rotated_box_encloses_rotated_corners():
    b = BoundingBoxes([[10, 10, 20, 14]], format="XYXY", canvas_size=(40, 40))
    out = F.rotate(b, 90, expand=False)
    # 90 degrees counter-clockwise about (20, 20): (x, y) -> (y, 40 - x)
    np.testing.assert_allclose(out.as_tensor().numpy(), [[10, 20, 14, 30]], atol=1e-4)


# -- reproducibility -----------------------------------------------------------------------


def _pipeline() -> T.Compose:
    return T.Compose(
        [
            T.RandomResizedCrop(24),
            T.RandomHorizontalFlip(),
            T.ColorJitter(0.4, 0.4, 0.4, 0.1),
            T.RandomRotation(15),
            T.RandomErasing(p=0.5),
            T.ToDtype(ember.float32, scale=True),
        ]
    )


def test_seeding_ember_makes_pipelines_reproducible():
    img = ember.randint(0, 256, (3, 48, 48)).to(ember.uint8)
    pipe = _pipeline()
    ember.manual_seed(11)
    first = [pipe(img).numpy() for _ in range(3)]
    ember.manual_seed(11)
    second = [pipe(img).numpy() for _ in range(3)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])


def test_random_params_follow_the_requested_ranges():
    ember.manual_seed(0)
    crop = T.RandomResizedCrop(8, scale=(0.25, 0.5), ratio=(1.0, 1.0))
    areas = []
    for _ in range(200):
        p = crop.make_params([ember.zeros(3, 64, 64)])
        assert p["height"] == p["width"]
        areas.append(p["height"] * p["width"] / 64**2)
    assert 0.22 <= min(areas) and max(areas) <= 0.53
    rot = T.RandomRotation((10, 20))
    angles = [rot.make_params([])["angle"] for _ in range(200)]
    assert 10 <= min(angles) < 11 and 19 < max(angles) <= 20
    flips = [T.RandomHorizontalFlip(0.3).needs_transform([]) for _ in range(2000)]
    assert 0.25 < np.mean(flips) < 0.35


def test_random_crop_pad_if_needed_and_padding_modes():
    img = ember.from_numpy(np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5))
    out = T.RandomCrop((8, 9), pad_if_needed=True, padding_mode="edge")(img)
    assert out.shape == (3, 8, 9)
    assert set(np.unique(out.numpy())) <= set(np.unique(img.numpy()))
    with pytest.raises(ValueError, match="larger"):
        T.RandomCrop(10)(img)


# -- class outputs vs Pillow ---------------------------------------------------------------


def test_deterministic_classes_match_pillow():
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    pil = Image.fromarray(arr)
    t = ember.from_numpy(arr.transpose(2, 0, 1).copy())
    assert np.array_equal(np.asarray(T.RandomInvert(1.0)(pil)), np.asarray(ImageOps.invert(pil)))
    assert (
        T.RandomPosterize(3, 1.0)(t).numpy().transpose(1, 2, 0).tolist()
        == np.asarray(ImageOps.posterize(pil, 3)).tolist()
    )
    assert (
        T.RandomEqualize(1.0)(t).numpy().transpose(1, 2, 0).tolist()
        == np.asarray(ImageOps.equalize(pil)).tolist()
    )
    ref = np.asarray(ImageOps.solarize(pil, 128))
    assert np.array_equal(T.RandomSolarize(128, 1.0)(arr), ref)
    gray = T.Grayscale(3)(pil)
    assert gray.mode == "RGB"
    assert np.asarray(T.RandomGrayscale(1.0)(t)).shape == (3, 20, 30)
    assert T.ToPILImage()(t).size == (30, 20)
    assert T.PILToTensor()(pil).tolist() == t.tolist()
    np.testing.assert_allclose(T.ToTensor()(pil).numpy(), t.numpy() / 255.0, atol=1e-7)


def test_color_jitter_applies_the_sampled_factors_in_order():
    img = ember.rand(3, 10, 12)
    jit = T.ColorJitter(brightness=0.5, contrast=0.5, saturation=0.5, hue=0.2)
    ember.manual_seed(5)
    params = jit.make_params([img])
    ember.manual_seed(5)
    out = jit(img)
    expected = img
    fns = [F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue]
    for i in params["order"]:
        expected = fns[i](expected, params["factors"][i])
    np.testing.assert_allclose(out.numpy(), expected.numpy(), atol=1e-6)
    lo, hi = jit.brightness
    assert (lo, hi) == (0.5, 1.5)
    assert 0.5 <= params["factors"][0] <= 1.5 and -0.2 <= params["factors"][3] <= 0.2


def test_random_erasing_erases_one_rectangle():
    ember.manual_seed(2)
    img = ember.ones(3, 32, 32)
    out = T.RandomErasing(p=1.0, value=0)(img)
    zero = out.numpy()[0] == 0
    ys, xs = np.nonzero(zero)
    assert zero.sum() == (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
    assert 0.02 * 32 * 32 * 0.9 <= zero.sum() <= 0.33 * 32 * 32 * 1.1
    noisy = T.RandomErasing(p=1.0, value="random")(img)
    assert float((noisy != 1).to(ember.float32).mean().item()) > 0


def test_containers_and_lambda():
    x = ember.zeros(1, 2, 2)
    add = T.Lambda(lambda t: t + 1)
    assert T.Compose([add, add])(x).sum().item() == 8
    assert T.RandomApply([add], p=0.0)(x) is x
    assert T.RandomChoice([add, add], p=[1, 3])(x).sum().item() == 4
    assert T.RandomOrder([add, T.Lambda(lambda t: t * 2)])(x).sum().item() in (8, 4)
    img, boxes = T.Compose([T.RandomHorizontalFlip(1.0), T.Resize(10)])(
        ember.zeros(3, 20, 20), BoundingBoxes([[0, 0, 2, 2]], format="XYXY", canvas_size=(20, 20))
    )
    assert boxes.as_tensor().tolist() == [[9.0, 0.0, 10.0, 1.0]]
    assert "RandomHorizontalFlip" in repr(T.Compose([T.RandomHorizontalFlip()]))


def test_to_dtype_with_dict_and_normalize():
    img, boxes, mask = _scene()
    out_img, out_boxes, out_mask = T.ToDtype(
        {ember.Tensor: ember.float32, Mask: ember.int64}, scale=True
    )(img, boxes, mask)
    assert out_img.dtype == ember.float32 and float(out_img.max().item()) == 1.0
    assert out_mask.dtype == ember.int64 and isinstance(out_mask, Mask)
    assert out_boxes is boxes
    norm = T.Normalize([0.5] * 3, [0.25] * 3)(out_img)
    np.testing.assert_allclose(norm.numpy(), (out_img.numpy() - 0.5) / 0.25, atol=1e-6)


def test_five_and_ten_crop_classes():
    img = ember.arange(36).reshape(1, 6, 6)
    crops = T.FiveCrop(2)(img)
    assert [c.tolist() for c in crops[:1]] == [[[[0, 1], [6, 7]]]]
    assert len(T.TenCrop(2, vertical_flip=True)(img)) == 10


# -- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,exc",
    [
        (lambda: T.RandomHorizontalFlip(p=1.5), ValueError),
        (lambda: T.Resize(10, max_size=5)(ember.zeros(3, 8, 8)), ValueError),
        (lambda: T.Resize(None), ValueError),
        (lambda: T.ColorJitter(brightness=-1), ValueError),
        (lambda: T.ColorJitter(hue=0.7), ValueError),
        (lambda: T.ColorJitter(contrast=(2, 1)), ValueError),
        (lambda: T.RandomRotation(-5), ValueError),
        (lambda: T.RandomAffine(0, translate=(1.5, 0)), ValueError),
        (lambda: T.RandomAffine(0, scale=(0, 1)), ValueError),
        (lambda: T.RandomAffine(0, shear=(1, 2, 3)), ValueError),
        (lambda: T.RandomPerspective(distortion_scale=2), ValueError),
        (lambda: T.GaussianBlur(4), ValueError),
        (lambda: T.GaussianBlur(3, sigma=(2, 1)), ValueError),
        (lambda: T.GaussianBlur(3, sigma=0), ValueError),
        (lambda: T.RandomErasing(value="noise"), ValueError),
        (lambda: T.RandomErasing(p=1.0, value=[1, 2])(ember.zeros(3, 8, 8)), ValueError),
        (lambda: T.Grayscale(2), ValueError),
        (lambda: T.Pad(1, padding_mode="wrap"), ValueError),
        (lambda: T.RandomCrop(4, padding_mode="wrap"), ValueError),
        (lambda: T.RandomResizedCrop(4, scale=(1.0, 0.5)), ValueError),
        (lambda: T.RandomChoice([T.Identity()], p=[0.5, 0.5]), ValueError),
        (lambda: T.Lambda(3), TypeError),
        (lambda: T.Compose(T.Identity()), TypeError),
        (lambda: T.Normalize([0.5], [0.5])(ember.zeros(1, 2, 2, dtype=ember.uint8)), TypeError),
        (lambda: T.RandomAdjustSharpness(-1.0), ValueError),
        (lambda: T.AutoAugment(policy="mnist"), ValueError),
        (lambda: T.RandAugment(num_ops=-1), ValueError),
        (lambda: T.RandAugment(magnitude=31), ValueError),
        (lambda: T.AugMix(severity=11), ValueError),
        (lambda: T.MixUp(alpha=0, num_classes=3), ValueError),
        (lambda: T.MixUp()(ember.zeros(2, 3, 4, 4), ember.tensor([0, 1])), ValueError),
        (
            lambda: T.CutMix(num_classes=3)(ember.zeros(3, 4, 4), ember.tensor([0, 1, 2])),
            ValueError,
        ),
    ],
)
def test_invalid_arguments_raise(make, exc):
    with pytest.raises(exc):
        make()


# -- augmentation policies -----------------------------------------------------------------

POLICIES = [
    T.AutoAugment(T.AutoAugmentPolicy.IMAGENET),
    T.AutoAugment("cifar10"),
    T.AutoAugment(T.AutoAugmentPolicy.SVHN),
    T.RandAugment(),
    T.TrivialAugmentWide(),
    T.AugMix(),
    T.AugMix(all_ops=False, chain_depth=2),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: repr(p)[:40])
def test_policies_keep_kind_shape_dtype_and_are_seeded(policy):
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 256, (24, 20, 3), dtype=np.uint8)
    t = ember.from_numpy(arr.transpose(2, 0, 1).copy())
    outs = []
    for seed in (1, 1):
        ember.manual_seed(seed)
        outs.append([policy(t).numpy() for _ in range(4)])
    for a, b in zip(*outs):
        np.testing.assert_array_equal(a, b)
    out = policy(t)
    assert out.shape == t.shape and out.dtype == ember.uint8
    assert isinstance(policy(Image.fromarray(arr)), Image.Image)
    assert policy(arr).shape == arr.shape
    label_out = policy(t, 5)
    assert label_out[1] == 5


def test_policies_reject_boxes():
    img, boxes, _ = _scene()
    with pytest.raises(TypeError, match="BoundingBoxes"):
        T.RandAugment()(img, boxes)


def test_named_augmentations_match_pillow():
    from embervision.transforms.autoaugment import apply_op

    rng = np.random.default_rng(4)
    arr = rng.integers(0, 256, (16, 18, 3), dtype=np.uint8)
    pil = Image.fromarray(arr)
    t = ember.from_numpy(arr.transpose(2, 0, 1).copy())
    nearest = T.InterpolationMode.NEAREST
    # TranslateX by 3 pixels is a plain shift with zero fill
    shifted = apply_op(t, "TranslateX", 3.0, nearest, None).numpy().transpose(1, 2, 0)
    np.testing.assert_array_equal(shifted[:, 3:], arr[:, :-3])
    assert (shifted[:, :3] == 0).all()
    # ShearX uses PIL's (1, tan, 0, 0, 1, 0) convention around the origin
    # (0.23 avoids source positions landing exactly on pixel edges, where floor() is a coin
    # toss between two float roundings)
    ref = np.asarray(pil.transform(pil.size, Image.AFFINE, (1, 0.23, 0, 0, 1, 0), Image.NEAREST))
    out = apply_op(t, "ShearX", 0.23, nearest, None).numpy().transpose(1, 2, 0)
    assert (out != ref).any(axis=-1).mean() < 0.02
    solar = apply_op(t, "Solarize", 0.5, nearest, None).numpy().transpose(1, 2, 0)
    np.testing.assert_array_equal(solar, np.asarray(ImageOps.solarize(pil, 127.5)))


def test_mixup_and_cutmix_mix_images_and_labels():
    ember.manual_seed(0)
    imgs = ember.rand(4, 3, 8, 8)
    labels = ember.tensor([0, 1, 2, 1])
    ember.manual_seed(9)
    lam = float(ember.default_generator.rng.beta(0.4, 0.4))
    ember.manual_seed(9)
    mixed, soft = T.MixUp(alpha=0.4, num_classes=3)(imgs, labels)
    ref = imgs.numpy() * lam + np.roll(imgs.numpy(), 1, axis=0) * (1 - lam)
    np.testing.assert_allclose(mixed.numpy(), ref, atol=1e-6)
    onehot = np.eye(3)[[0, 1, 2, 1]]
    np.testing.assert_allclose(
        soft.numpy(), onehot * lam + np.roll(onehot, 1, 0) * (1 - lam), atol=1e-6
    )
    cut, soft = T.CutMix(alpha=1.0, num_classes=3)((imgs, labels))
    same = (cut.numpy() == imgs.numpy()).all(axis=1)
    rolled = (cut.numpy() == np.roll(imgs.numpy(), 1, 0)).all(axis=1)
    assert (same | rolled).all()
    area = rolled[0].mean()
    np.testing.assert_allclose(
        soft.numpy()[0], onehot[0] * (1 - area) + onehot[3] * area, atol=1e-6
    )
    np.testing.assert_allclose(soft.numpy().sum(1), 1.0, atol=1e-6)


def test_transforms_are_modules_that_survive_module_methods():
    # Transform subclasses ember.nn.Module; its to()/eval()/apply() must keep working.
    for t in [T.AutoAugment(), T.RandAugment(), T.AugMix(), T.Compose([T.Resize(4)])]:
        assert t.to("cpu") is t
        assert t.eval() is t
        assert t(ember.zeros(3, 8, 8, dtype=ember.uint8)).shape[0] == 3
