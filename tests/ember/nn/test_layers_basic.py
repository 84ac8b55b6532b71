"""Layers and nn.functional (non-loss) against stored PyTorch values, gradchecks and modules."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures import reference

LOSS_FNS = {r["fn"] for r in reference.cases() if r["fn"].endswith("loss") or r["fn"] in (
    "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div")}
LAYER_CASES = reference.cases(exclude=LOSS_FNS)


@pytest.mark.parametrize("record", LAYER_CASES, ids=[r["name"] for r in LAYER_CASES])
def test_functional_matches_pytorch(record, device):
    reference.replay(record, device)
