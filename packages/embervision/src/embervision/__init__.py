"""embervision: datasets, transforms, models and image I/O for ember (torchvision's API)."""

from __future__ import annotations

from embervision import datasets, io, models, ops, transforms, utils

__version__ = "0.1.0"
