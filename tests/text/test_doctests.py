"""The examples in reckon.text's docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "__init__",
    "digits",
    "persian",
    "latin",
    "keys",
    "readings",
    "names",
    "parsing",
    "phonetic",
    "similarity",
    "calendars",
    "dates",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    mod = importlib.import_module(
        "reckon.text" if module == "__init__" else f"reckon.text.{module}"
    )
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
