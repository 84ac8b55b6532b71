"""``embervision.transforms.v2``: the same transforms under torchvision's v2 import path.

embervision's transforms already follow torchvision's v2 semantics (several inputs, boxes and
masks moved with the image), so ``from embervision.transforms import v2`` gives the same classes.

Example:
    >>> from embervision.transforms import v2
    >>> from embervision import transforms
    >>> v2.Compose is transforms.Compose
    True
"""

from __future__ import annotations

from embervision.transforms import *  # noqa: F403
from embervision.transforms import __all__  # noqa: F401
from embervision.transforms.v2 import functional  # noqa: F811
