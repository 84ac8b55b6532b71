"""Learned and random augmentation policies (AutoAugment, RandAugment, TrivialAugmentWide,
AugMix) and the batch mixers MixUp and CutMix.

The policies act on one image (uint8 tensors, arrays or PIL images in L/RGB mode); boxes and
masks are rejected, as in torchvision, because the colour/geometry mix has no box semantics.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import ember
from ember import Tensor
from embervision.transforms import functional as F
from embervision.transforms._base import Transform, flatten, is_image, randint, select_targets
from embervision.transforms._meta import (
    BoundingBoxes,
    InterpolationMode,
    Mask,
    _max_value,
    chw_to_array,
)
from embervision.transforms._meta import interpolation_mode as _mode

__all__ = [
    "AutoAugmentPolicy",
    "AutoAugment",
    "RandAugment",
    "TrivialAugmentWide",
    "AugMix",
    "MixUp",
    "CutMix",
]


class AutoAugmentPolicy(enum.Enum):
    """The datasets AutoAugment policies were learned on."""

    IMAGENET = "imagenet"
    CIFAR10 = "cifar10"
    SVHN = "svhn"


def _lin(lo: float, hi: float) -> Callable[[int, int, int], np.ndarray]:
    return lambda n, h, w: np.linspace(lo, hi, n)


def _posterize_bins(top: int, span: int) -> Callable[[int, int, int], np.ndarray]:
    # torch rounds half to even, as np.round does
    return lambda n, h, w: np.round(top - np.arange(n) / ((n - 1) / span)).astype(np.int64)


def _none(n: int, h: int, w: int) -> None:
    return None


Space = dict[str, tuple[Callable[[int, int, int], Any], bool]]

_BASE_SPACE: Space = {
    "ShearX": (_lin(0.0, 0.3), True),
    "ShearY": (_lin(0.0, 0.3), True),
    "TranslateX": (lambda n, h, w: np.linspace(0.0, 150.0 / 331.0 * w, n), True),
    "TranslateY": (lambda n, h, w: np.linspace(0.0, 150.0 / 331.0 * h, n), True),
    "Rotate": (_lin(0.0, 30.0), True),
    "Brightness": (_lin(0.0, 0.9), True),
    "Color": (_lin(0.0, 0.9), True),
    "Contrast": (_lin(0.0, 0.9), True),
    "Sharpness": (_lin(0.0, 0.9), True),
    "Posterize": (_posterize_bins(8, 4), False),
    "Solarize": (_lin(1.0, 0.0), False),
    "AutoContrast": (_none, False),
    "Equalize": (_none, False),
}


def apply_op(
    image: Any, op: str, magnitude: float, interpolation: InterpolationMode, fill: Any
) -> Any:
    """One named augmentation at ``magnitude`` (torchvision's definitions)."""
    if op == "Identity":
        return image
    if op in ("ShearX", "ShearY"):
        deg = math.degrees(math.atan(magnitude))
        shear = [deg, 0.0] if op == "ShearX" else [0.0, deg]
        return F.affine(image, 0.0, [0, 0], 1.0, shear, interpolation, fill, center=[0, 0])
    if op in ("TranslateX", "TranslateY"):
        shift = [int(magnitude), 0] if op == "TranslateX" else [0, int(magnitude)]
        return F.affine(image, 0.0, shift, 1.0, [0.0, 0.0], interpolation, fill)
    if op == "Rotate":
        return F.rotate(image, magnitude, interpolation, fill=fill)
    enhance = {
        "Brightness": F.adjust_brightness,
        "Color": F.adjust_saturation,
        "Contrast": F.adjust_contrast,
        "Sharpness": F.adjust_sharpness,
    }
    if op in enhance:
        return enhance[op](image, 1.0 + magnitude)
    if op == "Posterize":
        return F.posterize(image, int(magnitude))
    if op == "Solarize":
        bound = _max_value(image.dtype) if isinstance(image, Tensor) else 255.0
        return F.solarize(image, bound * magnitude)
    simple = {"AutoContrast": F.autocontrast, "Equalize": F.equalize, "Invert": F.invert}
    if op in simple:
        return simple[op](image)
    raise ValueError(f"no augmentation named {op!r}")


class _AutoAugmentBase(Transform):
    def __init__(self, interpolation: Any, fill: Any) -> None:
        super().__init__()
        self.interpolation = _mode(interpolation)
        self.fill = fill

    def forward(self, *inputs: Any) -> Any:
        sample = inputs if len(inputs) > 1 else inputs[0]
        leaves, rebuild = flatten(sample)
        idx = self._image_index(leaves)
        leaves[idx] = self.augment(leaves[idx], *F.get_dimensions(leaves[idx])[1:])
        return rebuild(leaves)

    def _image_index(self, leaves: list[Any]) -> int:
        targets = select_targets(leaves)
        found = [i for i, (x, t) in enumerate(zip(leaves, targets)) if t and is_image(x)]
        for x, t in zip(leaves, targets):
            if t and isinstance(x, (BoundingBoxes, Mask)):
                raise TypeError(
                    f"inputs of type {type(x).__name__} are not supported by "
                    f"{type(self).__name__}()"
                )
        if len(found) != 1:
            raise TypeError(
                f"{type(self).__name__} needs exactly one image in the sample, found {len(found)}"
            )
        return found[0]

    def augment(self, image: Any, height: int, width: int) -> Any:
        raise NotImplementedError

    def _magnitude(self, space: Space, op: str, bins: int, index: int, h: int, w: int) -> float:
        fn, signed = space[op]
        mags = fn(bins, h, w)
        if mags is None:
            return 0.0
        m = float(mags[index])
        return -m if signed and float(ember.rand(1).item()) <= 0.5 else m

    def _apply_op(self, image: Any, op: str, magnitude: float) -> Any:
        return apply_op(image, op, magnitude, self.interpolation, self.fill)


def _pick(space: Space) -> str:
    keys = list(space)
    return keys[randint(0, len(keys))]


_IMAGENET = [
    (("Posterize", 0.4, 8), ("Rotate", 0.6, 9)),
    (("Solarize", 0.6, 5), ("AutoContrast", 0.6, None)),
    (("Equalize", 0.8, None), ("Equalize", 0.6, None)),
    (("Posterize", 0.6, 7), ("Posterize", 0.6, 6)),
    (("Equalize", 0.4, None), ("Solarize", 0.2, 4)),
    (("Equalize", 0.4, None), ("Rotate", 0.8, 8)),
    (("Solarize", 0.6, 3), ("Equalize", 0.6, None)),
    (("Posterize", 0.8, 5), ("Equalize", 1.0, None)),
    (("Rotate", 0.2, 3), ("Solarize", 0.6, 8)),
    (("Equalize", 0.6, None), ("Posterize", 0.4, 6)),
    (("Rotate", 0.8, 8), ("Color", 0.4, 0)),
    (("Rotate", 0.4, 9), ("Equalize", 0.6, None)),
    (("Equalize", 0.0, None), ("Equalize", 0.8, None)),
    (("Invert", 0.6, None), ("Equalize", 1.0, None)),
    (("Color", 0.6, 4), ("Contrast", 1.0, 8)),
    (("Rotate", 0.8, 8), ("Color", 1.0, 2)),
    (("Color", 0.8, 8), ("Solarize", 0.8, 7)),
    (("Sharpness", 0.4, 7), ("Invert", 0.6, None)),
    (("ShearX", 0.6, 5), ("Equalize", 1.0, None)),
    (("Color", 0.4, 0), ("Equalize", 0.6, None)),
    (("Equalize", 0.4, None), ("Solarize", 0.2, 4)),
    (("Solarize", 0.6, 5), ("AutoContrast", 0.6, None)),
    (("Invert", 0.6, None), ("Equalize", 1.0, None)),
    (("Color", 0.6, 4), ("Contrast", 1.0, 8)),
    (("Equalize", 0.8, None), ("Equalize", 0.6, None)),
]
_CIFAR10 = [
    (("Invert", 0.1, None), ("Contrast", 0.2, 6)),
    (("Rotate", 0.7, 2), ("TranslateX", 0.3, 9)),
    (("Sharpness", 0.8, 1), ("Sharpness", 0.9, 3)),
    (("ShearY", 0.5, 8), ("TranslateY", 0.7, 9)),
    (("AutoContrast", 0.5, None), ("Equalize", 0.9, None)),
    (("ShearY", 0.2, 7), ("Posterize", 0.3, 7)),
    (("Color", 0.4, 3), ("Brightness", 0.6, 7)),
    (("Sharpness", 0.3, 9), ("Brightness", 0.7, 9)),
    (("Equalize", 0.6, None), ("Equalize", 0.5, None)),
    (("Contrast", 0.6, 7), ("Sharpness", 0.6, 5)),
    (("Color", 0.7, 7), ("TranslateX", 0.5, 8)),
    (("Equalize", 0.3, None), ("AutoContrast", 0.4, None)),
    (("TranslateY", 0.4, 3), ("Sharpness", 0.2, 6)),
    (("Brightness", 0.9, 6), ("Color", 0.2, 8)),
    (("Solarize", 0.5, 2), ("Invert", 0.0, None)),
    (("Equalize", 0.2, None), ("AutoContrast", 0.6, None)),
    (("Equalize", 0.2, None), ("Equalize", 0.6, None)),
    (("Color", 0.9, 9), ("Equalize", 0.6, None)),
    (("AutoContrast", 0.8, None), ("Solarize", 0.2, 8)),
    (("Brightness", 0.1, 3), ("Color", 0.7, 0)),
    (("Solarize", 0.4, 5), ("AutoContrast", 0.9, None)),
    (("TranslateY", 0.9, 9), ("TranslateY", 0.7, 9)),
    (("AutoContrast", 0.9, None), ("Solarize", 0.8, 3)),
    (("Equalize", 0.8, None), ("Invert", 0.1, None)),
    (("TranslateY", 0.7, 9), ("AutoContrast", 0.9, None)),
]
_SVHN = [
    (("ShearX", 0.9, 4), ("Invert", 0.2, None)),
    (("ShearY", 0.9, 8), ("Invert", 0.7, None)),
    (("Equalize", 0.6, None), ("Solarize", 0.6, 6)),
    (("Invert", 0.9, None), ("Equalize", 0.6, None)),
    (("Equalize", 0.6, None), ("Rotate", 0.9, 3)),
    (("ShearX", 0.9, 4), ("AutoContrast", 0.8, None)),
    (("ShearY", 0.9, 8), ("Invert", 0.4, None)),
    (("ShearY", 0.9, 5), ("Solarize", 0.2, 6)),
    (("Invert", 0.9, None), ("AutoContrast", 0.8, None)),
    (("Equalize", 0.6, None), ("Rotate", 0.9, 3)),
    (("ShearX", 0.9, 4), ("Solarize", 0.3, 3)),
    (("ShearY", 0.8, 8), ("Invert", 0.7, None)),
    (("Equalize", 0.9, None), ("TranslateY", 0.6, 6)),
    (("Invert", 0.9, None), ("Equalize", 0.6, None)),
    (("Contrast", 0.3, 3), ("Rotate", 0.8, 4)),
    (("Invert", 0.8, None), ("TranslateY", 0.0, 2)),
    (("ShearY", 0.7, 6), ("Solarize", 0.4, 8)),
    (("Invert", 0.6, None), ("Rotate", 0.8, 4)),
    (("ShearY", 0.3, 7), ("TranslateX", 0.9, 3)),
    (("ShearX", 0.1, 6), ("Invert", 0.6, None)),
    (("Solarize", 0.7, 2), ("TranslateY", 0.6, 7)),
    (("ShearY", 0.8, 4), ("Invert", 0.8, None)),
    (("ShearX", 0.7, 9), ("TranslateY", 0.8, 3)),
    (("ShearY", 0.8, 5), ("AutoContrast", 0.7, None)),
    (("ShearX", 0.7, 2), ("Invert", 0.1, None)),
]
_POLICIES = {
    AutoAugmentPolicy.IMAGENET: _IMAGENET,
    AutoAugmentPolicy.CIFAR10: _CIFAR10,
    AutoAugmentPolicy.SVHN: _SVHN,
}


class AutoAugment(_AutoAugmentBase):
    """AutoAugment (Cubuk et al., 2018): one random sub-policy of two ops per call.

    Args:
        policy: ``AutoAugmentPolicy.IMAGENET``, ``CIFAR10`` or ``SVHN``.
        interpolation: NEAREST or BILINEAR for the geometric ops.
        fill: value for pixels outside the source.

    Example:
        >>> AutoAugment()(ember.zeros(3, 8, 8, dtype=ember.uint8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        policy: AutoAugmentPolicy = AutoAugmentPolicy.IMAGENET,
        interpolation: Any = InterpolationMode.NEAREST,
        fill: Any = None,
    ) -> None:
        super().__init__(interpolation, fill)
        if isinstance(policy, str):
            policy = AutoAugmentPolicy(policy.lower())
        if policy not in _POLICIES:
            raise ValueError(f"unknown AutoAugment policy {policy!r}")
        self.policy = policy

    def augment(self, image: Any, height: int, width: int) -> Any:
        policies = _POLICIES[self.policy]
        sub = policies[randint(0, len(policies))]
        for op, prob, index in sub:
            if not float(ember.rand(1).item()) <= prob:
                continue
            mag = 0.0 if index is None else self._magnitude(_AA_SPACE, op, 10, index, height, width)
            image = self._apply_op(image, op, mag)
        return image


_AA_SPACE: Space = {**_BASE_SPACE, "Invert": (_none, False)}
_RA_SPACE: Space = {"Identity": (_none, False), **_BASE_SPACE}
_TA_SPACE: Space = {
    "Identity": (_none, False),
    "ShearX": (_lin(0.0, 0.99), True),
    "ShearY": (_lin(0.0, 0.99), True),
    "TranslateX": (_lin(0.0, 32.0), True),
    "TranslateY": (_lin(0.0, 32.0), True),
    "Rotate": (_lin(0.0, 135.0), True),
    "Brightness": (_lin(0.0, 0.99), True),
    "Color": (_lin(0.0, 0.99), True),
    "Contrast": (_lin(0.0, 0.99), True),
    "Sharpness": (_lin(0.0, 0.99), True),
    "Posterize": (_posterize_bins(8, 6), False),
    "Solarize": (_lin(1.0, 0.0), False),
    "AutoContrast": (_none, False),
    "Equalize": (_none, False),
}


class RandAugment(_AutoAugmentBase):
    """RandAugment (Cubuk et al., 2019): ``num_ops`` random ops at one fixed magnitude.

    Args:
        num_ops: number of ops applied in sequence.
        magnitude: index into ``num_magnitude_bins`` magnitude levels.
        num_magnitude_bins: number of levels.
        interpolation: NEAREST or BILINEAR.
        fill: value for pixels outside the source.

    Example:
        >>> RandAugment()(ember.zeros(3, 8, 8, dtype=ember.uint8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        num_ops: int = 2,
        magnitude: int = 9,
        num_magnitude_bins: int = 31,
        interpolation: Any = InterpolationMode.NEAREST,
        fill: Any = None,
    ) -> None:
        super().__init__(interpolation, fill)
        if not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(f"num_ops should be a non-negative integer, got {num_ops}")
        if not 0 <= magnitude < num_magnitude_bins:
            raise ValueError(f"magnitude must be in [0, {num_magnitude_bins}), got {magnitude}")
        self.num_ops = num_ops
        self.magnitude = magnitude
        self.num_magnitude_bins = num_magnitude_bins

    def augment(self, image: Any, height: int, width: int) -> Any:
        for _ in range(self.num_ops):
            op = _pick(_RA_SPACE)
            mag = self._magnitude(
                _RA_SPACE, op, self.num_magnitude_bins, self.magnitude, height, width
            )
            image = self._apply_op(image, op, mag)
        return image


class TrivialAugmentWide(_AutoAugmentBase):
    """TrivialAugment Wide (Müller & Hutter, 2021): one random op at a random magnitude.

    Example:
        >>> TrivialAugmentWide()(ember.zeros(3, 8, 8, dtype=ember.uint8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        num_magnitude_bins: int = 31,
        interpolation: Any = InterpolationMode.NEAREST,
        fill: Any = None,
    ) -> None:
        super().__init__(interpolation, fill)
        self.num_magnitude_bins = num_magnitude_bins

    def augment(self, image: Any, height: int, width: int) -> Any:
        op = _pick(_TA_SPACE)
        fn, signed = _TA_SPACE[op]
        index = randint(0, self.num_magnitude_bins) if fn(2, height, width) is not None else 0
        mag = self._magnitude(_TA_SPACE, op, self.num_magnitude_bins, index, height, width)
        return self._apply_op(image, op, mag)


_AUGMIX_PARTIAL: Space = {
    "ShearX": (_lin(0.0, 0.3), True),
    "ShearY": (_lin(0.0, 0.3), True),
    "TranslateX": (lambda n, h, w: np.linspace(0.0, w / 3.0, n), True),
    "TranslateY": (lambda n, h, w: np.linspace(0.0, h / 3.0, n), True),
    "Rotate": (_lin(0.0, 30.0), True),
    "Posterize": (_posterize_bins(4, 4), False),
    "Solarize": (_lin(1.0, 0.0), False),
    "AutoContrast": (_none, False),
    "Equalize": (_none, False),
}
_AUGMIX_ALL: Space = {
    **_AUGMIX_PARTIAL,
    "Brightness": (_lin(0.0, 0.9), True),
    "Color": (_lin(0.0, 0.9), True),
    "Contrast": (_lin(0.0, 0.9), True),
    "Sharpness": (_lin(0.0, 0.9), True),
}


class AugMix(_AutoAugmentBase):
    """AugMix (Hendrycks et al., 2019): a Dirichlet-weighted mix of random op chains.

    Args:
        severity: magnitude levels used, 1-10.
        mixture_width: number of chains.
        chain_depth: ops per chain (-1: random in [1, 3]).
        alpha: Dirichlet / Beta concentration.
        all_ops: include brightness, colour, contrast and sharpness.

    Example:
        >>> AugMix()(ember.zeros(3, 8, 8, dtype=ember.uint8)).shape
        ember.Size([3, 8, 8])
    """

    def __init__(
        self,
        severity: int = 3,
        mixture_width: int = 3,
        chain_depth: int = -1,
        alpha: float = 1.0,
        all_ops: bool = True,
        interpolation: Any = InterpolationMode.BILINEAR,
        fill: Any = None,
    ) -> None:
        super().__init__(interpolation, fill)
        if not 1 <= severity <= 10:
            raise ValueError(f"severity must be between 1 and 10, got {severity}")
        self.severity = severity
        self.mixture_width = mixture_width
        self.chain_depth = chain_depth
        self.alpha = alpha
        self.all_ops = all_ops

    def augment(self, image: Any, height: int, width: int) -> Any:
        orig = image
        img = image if isinstance(image, Tensor) else F.to_image(image)
        rng = ember.default_generator.rng
        m = rng.dirichlet([self.alpha, self.alpha])
        weights = rng.dirichlet([self.alpha] * self.mixture_width) * m[1]
        mix = img.to(ember.float32) * float(m[0])
        for i in range(self.mixture_width):
            mix = mix + self._chain(img, height, width).to(ember.float32) * float(weights[i])
        out = mix.to(img.dtype) if img.is_floating_point() else mix.clamp(0, 255).to(img.dtype)
        if isinstance(orig, np.ndarray):
            return chw_to_array(out, orig)
        return out if isinstance(orig, Tensor) else F.to_pil_image(out, orig.mode)

    def _chain(self, img: Tensor, height: int, width: int) -> Tensor:
        space = _AUGMIX_ALL if self.all_ops else _AUGMIX_PARTIAL
        depth = self.chain_depth if self.chain_depth > 0 else randint(1, 4)
        for _ in range(depth):
            op = _pick(space)
            mag = self._magnitude(space, op, 10, randint(0, self.severity), height, width)
            img = self._apply_op(img, op, mag)
        return img


# -- batch mixing --------------------------------------------------------------------------


class _BatchMix(Transform):
    def __init__(
        self, alpha: float = 1.0, num_classes: int | None = None, labels_getter: Any = "default"
    ) -> None:
        super().__init__()
        if alpha <= 0:
            raise ValueError(f"alpha must be positive, got {alpha}")
        if num_classes is not None and num_classes < 1:
            raise ValueError(f"num_classes must be a positive int, got {num_classes}")
        self.alpha = alpha
        self.num_classes = num_classes
        self.labels_getter = labels_getter

    def forward(self, *inputs: Any) -> Any:
        sample = inputs if len(inputs) > 1 else inputs[0]
        if not isinstance(sample, (tuple, list)) or len(sample) != 2:
            raise TypeError(
                f"{type(self).__name__} expects (images, labels), got {type(sample).__name__}"
            )
        images, labels = sample
        if not isinstance(images, Tensor) or images.ndim != 4:
            raise ValueError(
                f"{type(self).__name__} expects a batch of images (N, C, H, W), got "
                f"{getattr(images, 'shape', type(images).__name__)}"
            )
        labels = self._one_hot(ember.as_tensor(labels), images.shape[0])
        lam = float(ember.default_generator.rng.beta(self.alpha, self.alpha))
        out_images, lam = self.mix(images, lam)
        mixed = labels.roll(1, 0) * (1.0 - lam) + labels * lam
        return type(sample)((out_images, mixed))

    def _one_hot(self, labels: Tensor, n: int) -> Tensor:
        if labels.ndim == 2:
            if self.num_classes is not None and labels.shape[1] != self.num_classes:
                raise ValueError(
                    f"labels have {labels.shape[1]} classes, expected "
                    f"num_classes={self.num_classes}"
                )
            return labels.to(ember.float32)
        if labels.ndim != 1 or labels.shape[0] != n:
            raise ValueError(f"expected labels of shape ({n},), got {tuple(labels.shape)}")
        if self.num_classes is None:
            raise ValueError("num_classes is required when labels are class indices")
        return ember.nn.functional.one_hot(labels.to(ember.int64), self.num_classes).to(
            ember.float32
        )

    def mix(self, images: Tensor, lam: float) -> tuple[Tensor, float]:
        raise NotImplementedError


class MixUp(_BatchMix):
    """MixUp: blend each image and one-hot label with the previous one in the batch.

    Args:
        alpha: Beta(alpha, alpha) concentration of the mixing weight.
        num_classes: number of classes (for integer labels).

    Returns (from a call on ``(images, labels)``):
        ``(mixed images, soft labels (N, num_classes))``.

    Example:
        >>> imgs, labels = MixUp(num_classes=3)(ember.rand(4, 3, 8, 8), ember.tensor([0, 1, 2, 0]))
        >>> labels.shape
        ember.Size([4, 3])
    """

    def mix(self, images: Tensor, lam: float) -> tuple[Tensor, float]:
        x = images if images.is_floating_point() else images.to(ember.float32)
        out = images.roll(1, 0) * (1.0 - lam) + x * lam
        return out.to(images.dtype), lam


class CutMix(_BatchMix):
    """CutMix: paste a random box from the previous image; labels mix by the box area.

    Example:
        >>> imgs, labels = CutMix(num_classes=3)(ember.rand(4, 3, 8, 8), ember.tensor([0, 1, 2, 0]))
        >>> bool(ember.allclose(labels.sum(1), ember.ones(4)))
        True
    """

    def mix(self, images: Tensor, lam: float) -> tuple[Tensor, float]:
        h, w = int(images.shape[-2]), int(images.shape[-1])
        rx, ry = randint(0, w), randint(0, h)
        r = 0.5 * math.sqrt(1.0 - lam)
        rw, rh = int(r * w), int(r * h)
        x1, y1 = max(rx - rw, 0), max(ry - rh, 0)
        x2, y2 = min(rx + rw, w), min(ry + rh, h)
        out = images.clone()
        out[..., y1:y2, x1:x2] = images.roll(1, 0)[..., y1:y2, x1:x2]
        return out, 1.0 - (x2 - x1) * (y2 - y1) / (w * h)
