"""Image reading, decoding and encoding to and from uint8 tensors (torchvision.io's API)."""

from __future__ import annotations
