"""Vision datasets with torchvision's signatures."""

from __future__ import annotations
