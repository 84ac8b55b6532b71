"""Turning ``device_ids`` entries (ints, strings, devices) into ember devices."""

from __future__ import annotations

from typing import Any

import ember
from ember.backends import Device


def as_device(d: Any) -> Device:
    """``0`` -> ``cuda:0``; ``-1`` -> ``cpu``; strings and devices as given."""
    if isinstance(d, bool) or not isinstance(d, (int, str, Device)):
        raise TypeError(f"expected a device index, string or ember.device, got {d!r}")
    if isinstance(d, int):
        return Device("cpu") if d < 0 else Device("cuda", d)
    return Device(d)


def default_device_ids() -> list[int]:
    """Every visible GPU when CUDA is available, else none (the module runs where it is)."""
    if not ember.cuda.is_available():
        return []
    return list(range(ember.cuda.device_count()))
