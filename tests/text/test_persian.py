"""Persian-script normalization rule table and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.text import normalize_persian

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("علي", "علی"),  # ي → ی
        ("مصطفى", "مصطفی"),  # alef maksura → ی
        ("كريم", "کریم"),  # ك → ک
        ("فاطمة", "فاطمه"),  # ة → ه
        ("زادۀ", "زاده"),  # ۀ → ه
        ("زادهٔ", "زاده"),  # ه + hamza above → ه
        ("أحمد", "احمد"),
        ("إبراهیم", "ابراهیم"),
        ("آرش", "ارش"),
        ("ٱلله", "الله"),
        ("مؤمن", "مومن"),  # ؤ → و
        ("رضائی", "رضایی"),  # ئ before ی → ی
        ("رئیسی", "رییسی"),
        ("فائزی", "فازی"),  # ئ as a glottal stop → removed
        ("اسماء", "اسما"),  # standalone hamza removed
        ("مُحَمَّد", "محمد"),  # diacritics
        ("محـــمد", "محمد"),  # tatweel
        (f"محمد{ZWNJ}رضا", "محمدرضا"),  # ZWNJ
        ("\u200fحمید\u200e", "حمید"),  # RLM / LRM
        ("۱۳۶۷", "1367"),
        ("١٣٦٧", "1367"),
        ("نوری، حمید", "نوری, حمید"),
        ("«حمید»", "حمید"),
        ("حمید   نوری", "حمید نوری"),
        ("\ufee3\ufea4\ufee4\ufeaa", "محمد"),  # presentation forms
        ("Hamid", "Hamid"),  # Latin untouched
    ],
)
def test_rule_table(text, expected):
    assert normalize_persian(text) == expected


@given(st.text())
def test_never_raises_and_is_idempotent(text):
    once = normalize_persian(text)
    assert isinstance(once, str)
    assert normalize_persian(once) == once


@given(
    st.text(
        alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإآؤئء\u200c\u064e\u064f\u0650\u0651\u0640 ۰۱۲"
    )
)
def test_idempotent_on_persian_text(text):
    once = normalize_persian(text)
    assert normalize_persian(once) == once
    assert not set(once) & set("يكةۀأإآؤئء\u200c\u064e\u064f\u0650\u0651\u0640۰۱۲")
