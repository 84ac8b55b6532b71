"""Idioms of real programs that the snippet harness cannot express (its runs silence warnings)."""

from __future__ import annotations

import warnings

import ember
from ember import _runtime


def test_compile_is_an_identity_that_says_so_once(monkeypatch):
    monkeypatch.setattr(_runtime._State, "compile_warned", False)
    net = ember.nn.Linear(2, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert ember.compile(net) is net
        assert ember.compile(net, mode="max-autotune", fullgraph=True) is net

        @ember.compile(dynamic=True)
        def double(x):
            return x * 2

    assert double(ember.ones(2)).tolist() == [2.0, 2.0]
    said = [str(w.message) for w in caught if "ember.compile" in str(w.message)]
    assert len(said) == 1 and "eagerly" in said[0], said
