"""embervision: datasets, transforms, models and image I/O for ember (torchvision's API)."""

from __future__ import annotations

from embervision import datasets, io, transforms

__version__ = "0.1.0"
