"""Model builders with torchvision's names, signatures and state-dict keys.

Every builder is registered in :mod:`ember.hub` under the ``"vision"`` domain
(``ember.hub.list_models(domain="vision")``, ``list_models()`` here,
``ember.hub.get_model("resnet18", num_classes=10)``) and takes keyword-only ``weights=``
(None, a weights-enum member or its name, or the path/URL of a state dict such as a torchvision
``.pth`` file) and ``progress=``.

Example:
    >>> from embervision import models
    >>> model = models.lenet(weights="DEFAULT").eval()
    >>> models.resnet18(num_classes=10)(ember.zeros(1, 3, 32, 32)).shape
    (1, 10)
"""

from __future__ import annotations

from ember.hub import (
    domain_list_models,
    get_model,
    get_model_builder,
    get_model_weights,
    get_weight,
)
from embervision.models._presets import ImageClassification
from embervision.models.alexnet import *  # noqa: F403
from embervision.models.efficientnet import *  # noqa: F403
from embervision.models.lenet import *  # noqa: F403
from embervision.models.mobilenetv2 import *  # noqa: F403
from embervision.models.mobilenetv3 import *  # noqa: F403
from embervision.models.resnet import *  # noqa: F403
from embervision.models.vgg import *  # noqa: F403
from embervision.models.vision_transformer import *  # noqa: F403

# Only embervision's own models, as torchvision.models.list_models (ember.hub.list_models()
# lists every installed domain's).
list_models = domain_list_models("vision")
