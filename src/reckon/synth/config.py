"""What a synthetic scenario looks like: its size, its period, and each list's habits."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reckon.errors import ConfigError
from reckon.synth.places import AFFILIATIONS, FIELDS

DATE_FORMATS = (
    "iso",  # 1988-07-30
    "dmy",  # 30.07.1988
    "dmy_slash",  # 30/07/1988
    "text",  # 30 July 1988
    "month",  # July 1988
    "year",  # 1988
    "year_jan1",  # 1988-01-01 meaning "some day in 1988"
    "jalali",  # 1367/5/8
    "jalali_padded",  # 1367/05/08
    "jalali_text",  # 8 Mordad 1367 / ۸ مرداد ۱۳۶۷
    "jalali_month",  # Mordad 1367 / مرداد ۱۳۶۷
    "jalali_year",  # 1367
)
SPELLING_RULES = (
    "gh_q",  # Ghasem → Qasem (for ق)
    "q_gh",  # Qasem → Ghasem
    "ou_u",  # Mahmoud → Mahmud, Davood → Davud
    "u_ou",  # Mahmud → Mahmoud
    "aei_apostrophe",  # Rezaei → Reza'i, Esmaeil → Esma'il
    "ss_s",  # Hossein → Hosein
    "eh_e",  # Fatemeh → Fateme, Alizadeh → Alizade
    "ey_ei",  # Heydari → Heidari
    "ei_ey",  # Heidari → Heydari
    "single_consonant",  # Mohammad → Mohamad, Abbas → Abas
    "initial_e_i",  # Ebrahim → Ibrahim, Esmail → Ismail
    "v_w",  # Javad → Jawad
    "french_dj",  # Javad → Djavad
)
LATIN_COMPOUNDS = ("hyphen", "joined", "camel", "space")
PERSIAN_COMPOUNDS = ("joined", "zwnj", "space")
AFFILIATION_GROUPS = frozenset({a.code for a in AFFILIATIONS} | {a.group for a in AFFILIATIONS})


@dataclass(frozen=True)
class ListHabits:
    """Who one list captures and how it writes them down.

    Capture: a person's log-odds of being on the list is ``logit(coverage)`` plus
    ``prominence`` times their prominence (a standard normal), plus ``tehran`` if they are from
    Tehran, plus ``affiliation[a]`` for their affiliation ``a`` (an affiliation code such as
    ``"mojahedin"`` or a group: ``"left"``, ``"kurdish"``). Two lists that favour the same people
    are positively dependent; lists with opposite biases, negatively.

    Writing: ``script`` is ``"latin"``, ``"persian"`` or ``"mixed"`` (each row Persian with
    probability ``persian_share``); the other fields are probabilities or weights per row.
    """

    code: str
    description: str = ""
    coverage: float = 0.35
    prominence: float = 0.0
    tehran: float = 0.0
    affiliation: Mapping[str, float] = field(default_factory=dict)

    fields: tuple[str, ...] = ("id", "full_name", "father", "execution_date", "prison", "city")
    header_language: str = "en"
    script: str = "latin"
    persian_share: float = 0.5
    surname_first: bool = False  # "NOURI, Hamid" in the full-name column
    spelling: str = "common"  # "common": most attested Latin spelling; "varied": list's own pick
    spelling_consistency: float = 0.9  # rows using the list's own spelling of a name
    spelling_rules: tuple[str, ...] = ()
    latin_compound: Mapping[str, float] = field(default_factory=lambda: {"hyphen": 1.0})
    persian_compound: Mapping[str, float] = field(default_factory=lambda: {"joined": 1.0})
    arabic_letters: float = 0.0  # Persian rows typed with Arabic ي/ك
    persian_digits: float = 0.0  # Persian rows with Persian digits (۱۳۶۷)
    title: float = 0.6  # rows that keep a person's title (Seyyed)
    date_formats: Mapping[str, float] = field(default_factory=lambda: {"iso": 1.0})
    birth_formats: Mapping[str, float] = field(default_factory=lambda: {"year": 1.0})
    typo_rate: float = 0.02  # per name field
    date_error_rate: float = 0.02  # execution date off by a few days or weeks
    age_error_rate: float = 0.05  # age or birth year off by one or two
    missing: Mapping[str, float] = field(default_factory=dict)  # per field
    duplicate_rate: float = 0.02  # captured people listed a second time
    order: str = "random"  # "random", "name" or "date"
    encoding: str = "utf-8"
    legacy_encoding: str | None = None  # used instead when legacy encodings are asked for

    @property
    def calendar(self) -> str:
        """The list's main calendar, used for years and ages: "jalali" or "gregorian"."""
        jalali = sum(w for f, w in self.date_formats.items() if f.startswith("jalali"))
        return "jalali" if jalali > 0.5 * sum(self.date_formats.values()) else "gregorian"

    def validate(self) -> None:
        """Raise ConfigError naming every invalid setting."""
        problems = []
        if not self.code or not self.code.replace("_", "").replace("-", "").isalnum():
            problems.append(f"code {self.code!r} must be letters and digits")
        if not 0 < self.coverage < 1:
            problems.append("coverage must be between 0 and 1")
        if self.script not in {"latin", "persian", "mixed"}:
            problems.append(f"script {self.script!r} is not latin, persian or mixed")
        if self.header_language not in {"en", "fa"}:
            problems.append(f"header_language {self.header_language!r} is not en or fa")
        if self.spelling not in {"common", "varied"}:
            problems.append(f"spelling {self.spelling!r} is not common or varied")
        if self.order not in {"random", "name", "date"}:
            problems.append(f"order {self.order!r} is not random, name or date")
        unknown = set(self.fields) - set(FIELDS)
        if unknown:
            problems.append(f"unknown fields {sorted(unknown)}")
        if "id" not in self.fields:
            problems.append("fields must include 'id'")
        names = {"full_name", "given", "family"} & set(self.fields)
        if not names:
            problems.append("fields must include full_name or given/family")
        for label, weights, allowed in (
            ("date_formats", self.date_formats, DATE_FORMATS),
            ("birth_formats", self.birth_formats, DATE_FORMATS),
            ("latin_compound", self.latin_compound, LATIN_COMPOUNDS),
            ("persian_compound", self.persian_compound, PERSIAN_COMPOUNDS),
        ):
            bad = set(weights) - set(allowed)
            if bad or not weights or min(weights.values()) < 0 or sum(weights.values()) <= 0:
                problems.append(f"{label} must weigh some of {', '.join(allowed)}")
        if set(self.spelling_rules) - set(SPELLING_RULES):
            problems.append(
                f"unknown spelling rules {sorted(set(self.spelling_rules) - set(SPELLING_RULES))}"
            )
        if set(self.affiliation) - AFFILIATION_GROUPS:
            problems.append(
                f"unknown affiliations {sorted(set(self.affiliation) - AFFILIATION_GROUPS)}"
            )
        for name in (
            "persian_share", "spelling_consistency", "arabic_letters", "persian_digits", "title",
            "typo_rate", "date_error_rate", "age_error_rate", "duplicate_rate",
        ):  # fmt: skip
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        if any(not 0 <= v <= 1 for v in self.missing.values()) or set(self.missing) - set(FIELDS):
            problems.append("missing must map field names to rates between 0 and 1")
        for encoding in (self.encoding, self.legacy_encoding):
            if encoding is not None:
                try:
                    "".encode(encoding)
                except LookupError:
                    problems.append(f"unknown encoding {encoding!r}")
        if problems:
            raise ConfigError(f"list {self.code!r}: " + "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["calendar"] = self.calendar
        return out


def default_habits(count: int = 4) -> tuple[ListHabits, ...]:
    """Habits for ``count`` lists: four distinct templates, then provincial variants of them.

    1. AI: an international NGO appeal list in English; favours prominent people and Tehran.
    2. MJ: an organisation's list of its own members ("NOURI, Hamid", 30.07.1988, 20% year-only
       stored as 1988-01-01); captures Mojahedin almost only.
    3. HR: a Persian-language documentation centre; Jalali dates with Persian digits, split
       name columns, favours the left and Tehran.
    4. FM: families' list, mixed scripts, Jalali and year-only dates, duplicates and typos; shares
       HR's bias towards the left and Tehran (so HR and FM are positively dependent, and both
       negatively dependent with MJ).
    """
    if not 1 <= count <= 26:
        raise ConfigError(f"lists must be between 1 and 26, not {count}")
    templates = _templates()
    out = list(templates[:count])
    for i in range(len(templates), count):
        base = templates[i % len(templates)]
        out.append(
            dataclasses.replace(
                base,
                code=f"L{i + 1}",
                description=f"provincial variant of {base.code}",
                coverage=max(0.08, base.coverage * 0.6),
                tehran=base.tehran - 1.5,
                spelling="varied",
                spelling_rules=_ROTATING_RULES[i % len(_ROTATING_RULES)],
            )
        )
    return tuple(out)


_ROTATING_RULES: tuple[tuple[str, ...], ...] = (
    ("gh_q", "ou_u", "aei_apostrophe"),
    ("ss_s", "eh_e", "ey_ei"),
    ("single_consonant", "initial_e_i"),
    ("french_dj", "u_ou", "ei_ey"),
)


def _templates() -> tuple[ListHabits, ...]:
    return (
        ListHabits(
            code="AI",
            description="international NGO appeal list, English",
            coverage=0.1,
            prominence=1.2,
            tehran=0.6,
            fields=(
                "id",
                "full_name",
                "gender",
                "age",
                "execution_date",
                "prison",
                "city",
                "affiliation",
                "notes",
            ),
            header_language="en",
            script="latin",
            spelling="common",
            spelling_consistency=0.95,
            latin_compound={"hyphen": 0.7, "joined": 0.2, "space": 0.1},
            title=0.3,
            date_formats={"iso": 0.55, "text": 0.2, "month": 0.15, "year": 0.1},
            typo_rate=0.02,
            missing={"age": 0.4, "affiliation": 0.3, "prison": 0.2, "notes": 0.7, "gender": 0.1},
            duplicate_rate=0.01,
            order="name",
            legacy_encoding="utf-8-sig",
        ),
        ListHabits(
            code="MJ",
            description="an organisation's list of its members, Latin, surname first",
            coverage=0.22,
            affiliation={"mojahedin": 1.8, "left": -3.0, "kurdish": -2.5, "unknown": -1.0},
            fields=(
                "id",
                "full_name",
                "father",
                "birth_year",
                "execution_date",
                "prison",
                "city",
                "notes",
            ),
            header_language="en",
            script="latin",
            surname_first=True,
            spelling="varied",
            spelling_consistency=0.85,
            spelling_rules=("ou_u", "gh_q", "aei_apostrophe"),
            latin_compound={"joined": 0.6, "hyphen": 0.25, "camel": 0.15},
            title=0.8,
            date_formats={"dmy": 0.75, "year_jan1": 0.2, "dmy_slash": 0.05},
            birth_formats={"year": 1.0},
            typo_rate=0.03,
            missing={"father": 0.25, "birth_year": 0.3, "prison": 0.15, "notes": 0.8},
            duplicate_rate=0.03,
            order="date",
        ),
        ListHabits(
            code="HR",
            description="Persian-language documentation centre",
            coverage=0.13,
            prominence=0.5,
            tehran=0.8,
            affiliation={"left": 1.2, "kurdish": 0.6},
            fields=(
                "id",
                "given",
                "family",
                "father",
                "gender",
                "birth_date",
                "execution_date",
                "age",
                "prison",
                "city",
                "burial",
                "affiliation",
            ),
            header_language="fa",
            script="persian",
            persian_compound={"zwnj": 0.5, "joined": 0.3, "space": 0.2},
            arabic_letters=0.05,
            persian_digits=0.8,
            title=0.7,
            date_formats={
                "jalali": 0.55,
                "jalali_text": 0.3,
                "jalali_month": 0.1,
                "jalali_year": 0.05,
            },
            birth_formats={"jalali_year": 0.9, "jalali": 0.1},
            typo_rate=0.02,
            missing={"father": 0.2, "birth_date": 0.3, "age": 0.5, "burial": 0.4, "gender": 0.05},
            duplicate_rate=0.02,
            order="random",
            legacy_encoding="utf-16",
        ),
        ListHabits(
            code="FM",
            description="families' list, mixed scripts",
            coverage=0.1,
            tehran=1.2,
            affiliation={"left": 1.6, "mojahedin": -0.6},
            fields=(
                "id",
                "full_name",
                "father",
                "birth_date",
                "execution_date",
                "city",
                "burial",
                "notes",
            ),
            header_language="fa",
            script="mixed",
            persian_share=0.6,
            spelling="varied",
            spelling_consistency=0.7,
            spelling_rules=("ss_s", "eh_e"),
            latin_compound={"space": 0.4, "joined": 0.4, "hyphen": 0.2},
            persian_compound={"space": 0.5, "joined": 0.3, "zwnj": 0.2},
            arabic_letters=0.25,
            persian_digits=0.0,
            title=0.5,
            date_formats={
                "jalali_padded": 0.5,
                "jalali_year": 0.25,
                "jalali_text": 0.15,
                "iso": 0.1,
            },
            birth_formats={"jalali_year": 0.8, "year": 0.2},
            typo_rate=0.05,
            date_error_rate=0.05,
            missing={"father": 0.3, "birth_date": 0.4, "city": 0.1, "burial": 0.3, "notes": 0.6},
            duplicate_rate=0.06,
            order="random",
            legacy_encoding="cp1256",
        ),
    )


@dataclass(frozen=True)
class ScenarioConfig:
    """Size, seed, period and list habits of one synthetic scenario.

    Parameters
    ----------
    people:
        Size of the true population (everyone executed, listed or not).
    lists:
        Number of lists; ignored when ``habits`` is given.
    seed:
        Seed of every random choice: the same config gives the same scenario.
    start, end:
        The period of the executions (inclusive).
    habits:
        One ``ListHabits`` per list; by default ``default_habits(lists)``.
    female_share, seyyed_share, sibling_share:
        Shares of women, of men with the title Seyyed, and of people who have a brother or sister
        in the population (same family and father's name, same city).
    legacy_encodings:
        Write each list in its ``legacy_encoding`` (UTF-8 with BOM, UTF-16, Windows-1256) instead
        of UTF-8; rows of a Windows-1256 list are typed with Arabic ي and ASCII digits.
    """

    people: int = 2000
    lists: int = 4
    seed: int = 1
    start: date = date(1988, 7, 19)
    end: date = date(1988, 9, 30)
    habits: tuple[ListHabits, ...] | None = None
    female_share: float = 0.08
    seyyed_share: float = 0.05
    sibling_share: float = 0.03
    legacy_encodings: bool = False

    def __post_init__(self) -> None:
        if self.habits is None:
            object.__setattr__(self, "habits", default_habits(self.lists))
        else:
            object.__setattr__(self, "habits", tuple(self.habits))
            object.__setattr__(self, "lists", len(self.habits))
        self.validate()

    @property
    def list_habits(self) -> tuple[ListHabits, ...]:
        assert self.habits is not None
        return self.habits

    def validate(self) -> None:
        """Raise ConfigError if the scenario cannot be generated as configured."""
        if not 1 <= self.people <= 50_000_000:
            raise ConfigError(f"people must be between 1 and 50,000,000, not {self.people}")
        if self.end < self.start:
            raise ConfigError(f"the period ends ({self.end}) before it starts ({self.start})")
        if not 0 <= self.seed < 2**63:
            raise ConfigError("seed must be a non-negative integer")
        for name in ("female_share", "seyyed_share", "sibling_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"{name} must be between 0 and 1")
        codes = [h.code for h in self.list_habits]
        if len(set(codes)) != len(codes) or not codes:
            raise ConfigError(f"list codes must be unique and at least one: {codes}")
        for habits in self.list_habits:
            habits.validate()

    def to_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "lists": self.lists,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "female_share": self.female_share,
            "seyyed_share": self.seyyed_share,
            "sibling_share": self.sibling_share,
            "legacy_encodings": self.legacy_encodings,
            "habits": [h.to_dict() for h in self.list_habits],
        }
