"""``python -m ember.ops --write-methods``: regenerate ``ember/ops/_methods.py``."""

from __future__ import annotations

import sys

import ember  # noqa: F401 - loads every op module first
from ember.ops import write_methods

if "--write-methods" in sys.argv:
    print(f"wrote {write_methods()}")
else:
    print("usage: python -m ember.ops --write-methods")
