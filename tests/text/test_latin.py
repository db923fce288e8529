"""Latin-script normalization rule table and properties."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reckon.text import normalize_latin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HAMID NOURI", "hamid nouri"),
        ("Ḥusayn", "husayn"),
        ("Rezāʾī", "rezai"),
        ("Reza'i", "rezai"),
        ("Ja’far", "jafar"),
        ("Ja`far", "jafar"),
        ("Saʿid", "said"),
        ("Mohammad-Reza", "mohammadreza"),
        ("Mohammad–Reza", "mohammadreza"),
        ("Müller Gök Çelik", "muller gok celik"),
        ("Łukasz Øster", "lukasz oster"),
        ("NOURI, Hamid", "nouri, hamid"),
        ("NOURI ,Hamid", "nouri, hamid"),
        ("M. Reza", "m reza"),
        ("  Hamid\tNouri  ", "hamid nouri"),
        ("İsmail", "ismail"),
        ("حمید", "حمید"),
    ],
)
def test_rule_table(text, expected):
    assert normalize_latin(text) == expected


@given(st.text())
@example(",\x1f0")  # a comma stripped from the end exposed a control "space"
def test_never_raises_and_is_idempotent(text):
    once = normalize_latin(text)
    assert normalize_latin(once) == once
