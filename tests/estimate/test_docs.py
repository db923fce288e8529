"""The examples in the estimate modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "reckon.estimate",
    "reckon.estimate.histories",
    "reckon.estimate.result",
    "reckon.estimate.simple",
    "reckon.estimate.loglinear",
    "reckon.estimate.pooling",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


def test_public_names_resolve():
    estimate = importlib.import_module("reckon.estimate")
    for name in estimate.__all__:
        if name == "LCMCR" and importlib.util.find_spec("reckon.estimate.lcmcr") is None:
            continue
        assert getattr(estimate, name) is not None
