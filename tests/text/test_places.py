"""Place names to one key: the gazetteer's renamed places and spellings, and unknown places."""

from __future__ import annotations

import pytest

from reckon.text.places import find_place, gazetteer, place_key, place_words


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Tehran", "Teheran", "تهران"], "tehran"),
        (["Mashhad", "Mashad", "مشهد"], "mashhad"),
        (["Kermanshah", "Bakhtaran", "کرمانشاه", "كرمانشاه", "باختران"], "kermanshah"),
        (["Urmia", "Orumiyeh", "Oroumieh", "ارومیه", "اروميه", "Rezaiyeh"], "urmia"),
        (["Sanandaj", "سنندج", "Sanandaj Prison", "زندان سنندج"], "sanandaj"),
        (["Masjed Soleyman", "Masjid Sulaiman", "مسجد سلیمان"], "masjed_soleyman"),
        (["Khorramabad", "Khorram Abad", "خرم‌آباد", "خرم آباد"], "khorramabad"),
        (
            ["Gohardasht", "Gohar Dasht", "Gohardasht (Karaj)", "Rajaei Shahr", "رجایی‌شهر"],
            "gohardasht",
        ),
        (["Adelabad", "Adel Abad", "عادل‌آباد", "زندان عادل‌آباد شیراز"], "adelabad"),
        (["Evin", "Evin Prison", "Evin prison (Tehran)", "زندان اوین"], "evin"),
        (["Ghezel Hesar", "Qezel Hesar", "قزلحصار", "قزل حصار"], "ghezel_hesar"),
    ],
)
def test_every_name_of_a_known_place_gives_its_id(names, key):
    assert {place_key(name) for name in names} == {key}


def test_a_prison_named_with_its_city_is_the_prison():
    assert find_place("زندان عادل‌آباد شیراز").kind == "prison"
    assert find_place("Shiraz").kind == "city"
    assert gazetteer()["adelabad"].city == "shiraz"


def test_unknown_places_keep_a_cross_script_key_of_their_words():
    assert place_key("Dowlatabad") == place_key("دولت‌آباد") == place_key("Dowlat Abad")
    assert place_key("Dowlatabad") not in gazetteer()
    assert place_words("Prison") == (place_key("Prison"),)  # only generic words: kept


@pytest.mark.parametrize("empty", [None, "", "   ", "()"])
def test_empty_places_have_no_key(empty):
    assert place_key(empty) is None


def test_every_gazetteer_name_finds_its_own_place():
    for place in gazetteer().values():
        for name in place.names:
            assert place_key(name) == place.id, (name, place.id)
