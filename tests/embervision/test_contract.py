"""embervision runs the platform's contract kit (ember.testing.domain) on itself."""

from __future__ import annotations

import pytest

import ember
from ember import hub
from ember.testing import domain
from embervision import models
from embervision import transforms as T


def test_hub_registration_of_the_vision_domain():
    domain.check_hub_registration("vision", models_module=models, build=["lenet"])


def test_every_weights_enum_has_complete_metadata():
    enums = {hub.get_model_weights(name) for name in models.list_models()}
    assert len(enums) > 10
    for enum in enums:
        domain.check_weights(enum)


def test_lenet_state_dict_round_trip_and_overfit():
    x = ember.randn(8, 1, 28, 28)
    y = ember.arange(8) % 10
    domain.check_model(lambda: models.lenet(num_classes=10), x, y, steps=25, lr=1e-2)


@pytest.mark.parametrize(
    "transform",
    [
        T.Normalize([0.5, 0.4, 0.3], [0.2, 0.2, 0.2]),
        T.Resize(6, antialias=False),
        T.CenterCrop(4),
        T.RandomHorizontalFlip(p=0.5),
        T.RandomCrop(5, padding=1),
        T.Compose([T.RandomVerticalFlip(), T.Lambda(lambda x: x * 2)]),
    ],
    ids=lambda t: type(t).__name__,
)
def test_transforms_are_seeded_and_batch_consistent(transform):
    images = [ember.rand(3, 8, 8) for _ in range(3)]
    domain.check_transform(transform, images)


def test_vision_transforms_v2_is_the_same_api():
    from embervision.transforms import v2

    assert v2.Compose is T.Compose and v2.RandomResizedCrop is T.RandomResizedCrop
    assert v2.functional is T.functional
    assert set(T.__all__) <= set(dir(v2))
