"""``embervision.transforms.v2.functional``: the same functions as
:mod:`embervision.transforms.functional`, under torchvision's v2 import path."""

from __future__ import annotations

import sys

from embervision.transforms import functional as _functional

# The very same module object, so ``v2.functional is transforms.functional``.
sys.modules[__name__] = _functional
