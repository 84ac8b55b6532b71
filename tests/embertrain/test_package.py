"""The package's promises: a light import, one version, typed, no private ember names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import ember
import embertrain
from ember import hub, nn
from ember.testing import domain
from embertrain.module import TripleModule
from tests.embertrain._common import Classifier

PACKAGE = Path(embertrain.__file__).resolve().parent


def test_import_pulls_no_optional_dependency():
    # tqdm, matplotlib and tensorboardX load only when a progress bar, plot or logger is made;
    # that keeps `import embertrain` cheap (benchmarks/bench_import_embertrain.py times it).
    code = (
        "import sys, ember; before = set(sys.modules); import embertrain; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    new = out.stdout.split()
    assert "embertrain.trainer" in new
    assert [m for m in new if m.split(".")[0] in {"tqdm", "matplotlib", "tensorboardX"}] == []


def test_version_typed_and_public_api_only():
    pyproject = (PACKAGE.parents[1] / "pyproject.toml").read_text()
    assert 'version = {attr = "embertrain._version.__version__"}' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", embertrain.__version__)
    assert (PACKAGE / "py.typed").is_file() and (PACKAGE.parents[1] / "LICENSE").is_file()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bember\._|from ember\._", text), path
        assert not re.search(r"^\s*(import|from) (embervision|embertext|emberaudio)", text, re.M), (
            path
        )


def test_registered_as_a_domain():
    assert "train" in hub.list_domains()
    assert hub.list_models(domain="train") == []  # a trainer ships no models


def test_train_modules_pass_the_model_contract():
    x, y = ember.randn(8, 4), ember.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    domain.check_model(Classifier, x, y, lr=0.05)

    def triple():
        model = nn.Linear(4, 3)
        return TripleModule(model, nn.CrossEntropyLoss(), ember.optim.SGD(model.parameters()))

    domain.check_model(triple, x, y, lr=0.05)
