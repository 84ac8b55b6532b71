"""Loading the reference fixtures made once by ``fixtures/make_tokenizer_fixtures.py``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@lru_cache(maxsize=1)
def hf_fixture() -> dict:
    """Hugging Face tokenizers' outputs (see the fixture script for how they were made)."""
    return json.loads((FIXTURES / "hf_tokenizers.json").read_text(encoding="utf-8"))
