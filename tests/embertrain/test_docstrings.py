"""The examples in embertrain's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ember
import embertrain
from ember import nn

MODULES = sorted(m.name for m in pkgutil.walk_packages(embertrain.__path__, "embertrain."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    globs = {"ember": ember, "nn": nn, "embertrain": embertrain, **vars(module)}
    result = doctest.testmod(module, globs=globs, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
