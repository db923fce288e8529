"""What the model compares, and which pairs it compares: Splink comparisons and blocking rules.

Comparisons and blocking rules are written once, as SQL over the feature columns
(:mod:`reckon.link.features`), for any engine: the few dialect differences (array overlap) are
filled in per dialect, and the Python functions the SQL calls (:mod:`reckon.link.functions`) are
registered under the same names in DuckDB and Spark. Each comparison has several levels, from
the strongest agreement down to disagreement, and a null level that counts as no evidence.

Levels (in order; the first whose condition holds applies):

* **name** — exact normalized name · same cross-script key and similarity ≥ 0.95 · similarity
  ≥ 0.95 with another key · ≥ 0.86 (``DEFAULT_SIMILARITY_THRESHOLD``) · same key but a
  dissimilar name (the key is coarse: Mohammad and Mahmoud share one; the similarity tells
  them apart) · ≥ 0.70 · the same words in another order · else. Similarity is
  :func:`reckon.text.name_similarity`, asked only of names whose keys are equal or at most two
  edits apart (a native test first). Term-frequency adjusted.
* **father** — exact · similarity ≥ 0.95 · ≥ 0.70 · else.
* **death** — same day · within 3 days · overlapping intervals no wider than a month ·
  overlapping wider intervals (year only) · within 45 days · conflicting.
* **birth** — overlapping years · one year apart · within three years · conflicting.
* **source** — same list · two lists (a list seldom names a person twice, so two records of one
  list with the same name are more often namesakes).
* **gender**, **city** (term-frequency adjusted), **prison** (same · sharing a word · other).
"""

from __future__ import annotations

from typing import Any

DIALECTS = ("duckdb", "spark")
#: Similarity thresholds (of :func:`reckon.text.name_similarity`) of the name levels.
SAME, SIMILAR, RELATED = 0.95, 0.86, 0.7


def _similarity(prefix: str) -> str:
    return f"reckon_name_similarity({prefix}_norm_l, {prefix}_norm_r)"


def _close(prefix: str) -> str:
    """Cheap native test that two names are close enough to be worth a similarity: the same
    key, or keys one edit apart. Random pairs rarely pass it, so they cost nothing."""
    return f"({prefix}_key_l = {prefix}_key_r OR levenshtein({prefix}_key_l, {prefix}_key_r) <= 1)"


def _overlap(column: str, dialect: str) -> str:
    if dialect == "spark":
        return f"arrays_overlap({column}_l, {column}_r)"
    return f"list_has_any({column}_l, {column}_r)"


def _level(
    sql: str,
    label: str,
    *,
    null: bool = False,
    tf: str | None = None,
) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if tf:
        level["tf_adjustment_column"] = tf
        level["tf_adjustment_weight"] = 1.0
        level["disable_tf_exact_match_detection"] = True
    return level


def comparisons(dialect: str = "duckdb") -> list[dict[str, Any]]:
    """The comparisons of the model as Splink comparison dicts, for ``dialect``."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    name_close, name_sim = _close("name"), _similarity("name")
    father_close, father_sim = _close("father"), _similarity("father")
    overlap_death = "death_lo_l <= death_hi_r AND death_lo_r <= death_hi_l"
    return [
        {
            "output_column_name": "name",
            "comparison_description": "full name: exact, cross-script key, graded similarity",
            "comparison_levels": [
                _level("name_key_l IS NULL OR name_key_r IS NULL", "null", null=True),
                _level("name_norm_l = name_norm_r", "exact", tf="name_norm"),
                _level(
                    f"name_key_l = name_key_r AND {name_sim} >= {SAME}",
                    "same key, same name",
                    tf="name_key",
                ),
                _level(f"{name_close} AND {name_sim} >= {SAME}", "same name, other key"),
                _level(f"{name_close} AND {name_sim} >= {SIMILAR}", "similar"),
                _level("name_key_l = name_key_r", "same key, another name"),
                _level(f"{name_close} AND {name_sim} >= {RELATED}", "somewhat similar"),
                _level("name_sorted_l = name_sorted_r", "same words, reordered"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "father",
            "comparison_description": "father's name: exact, key, graded similarity",
            "comparison_levels": [
                _level("father_key_l IS NULL OR father_key_r IS NULL", "null", null=True),
                _level("father_norm_l = father_norm_r", "exact"),
                _level(f"{father_close} AND {father_sim} >= {SAME}", "same name"),
                _level(f"{father_close} AND {father_sim} >= {RELATED}", "similar"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "death",
            "comparison_description": "death (execution) date intervals",
            "comparison_levels": [
                _level("death_lo_l IS NULL OR death_lo_r IS NULL", "null", null=True),
                _level(
                    "death_width_l = 0 AND death_width_r = 0 AND death_lo_l = death_lo_r",
                    "same day",
                ),
                _level(
                    "death_width_l = 0 AND death_width_r = 0 AND abs(death_lo_l - death_lo_r) <= 3",
                    "within 3 days",
                ),
                _level(
                    f"{overlap_death} AND death_width_l <= 31 AND death_width_r <= 31",
                    "same month",
                ),
                _level(overlap_death, "overlapping (year)"),
                _level(
                    "greatest(death_lo_l, death_lo_r) - least(death_hi_l, death_hi_r) <= 45",
                    "within 45 days",
                ),
                _level("ELSE", "conflicting"),
            ],
        },
        {
            "output_column_name": "birth",
            "comparison_description": "birth year (from the birth date, else age and death date)",
            "comparison_levels": [
                _level("birth_year_lo_l IS NULL OR birth_year_lo_r IS NULL", "null", null=True),
                _level(
                    "birth_year_lo_l <= birth_year_hi_r AND birth_year_lo_r <= birth_year_hi_l",
                    "same year",
                ),
                _level(
                    "greatest(birth_year_lo_l, birth_year_lo_r) "
                    "- least(birth_year_hi_l, birth_year_hi_r) <= 1",
                    "one year apart",
                ),
                _level(
                    "greatest(birth_year_lo_l, birth_year_lo_r) "
                    "- least(birth_year_hi_l, birth_year_hi_r) <= 3",
                    "within 3 years",
                ),
                _level("ELSE", "conflicting"),
            ],
        },
        {
            "output_column_name": "source",
            "comparison_description": "same list or two lists (lists seldom repeat a person)",
            "comparison_levels": [
                _level("source_id_l = source_id_r", "same list"),
                _level("ELSE", "two lists"),
            ],
        },
        {
            "output_column_name": "gender",
            "comparison_description": "gender",
            "comparison_levels": [
                _level("gender_l IS NULL OR gender_r IS NULL", "null", null=True),
                _level("gender_l = gender_r", "same"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "city",
            "comparison_description": "city (cross-script key)",
            "comparison_levels": [
                _level("city_key_l IS NULL OR city_key_r IS NULL", "null", null=True),
                _level("city_key_l = city_key_r", "same", tf="city_key"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "prison",
            "comparison_description": "place of detention (key; words in common)",
            "comparison_levels": [
                _level("prison_key_l IS NULL OR prison_key_r IS NULL", "null", null=True),
                _level("prison_key_l = prison_key_r", "same"),
                _level(_overlap("prison_tokens", dialect), "a word in common"),
                _level("ELSE", "different"),
            ],
        },
    ]


def blocking_rules() -> list[dict[str, Any]]:
    """The blocking rules (the same SQL in every dialect): a pair is scored when it agrees on
    one of the ``b_*`` columns of :func:`reckon.link.features.add_blocking_columns`."""
    from reckon.link.features import ARRAY_BLOCKING_COLUMNS, SCALAR_BLOCKING_COLUMNS

    rules: list[dict[str, Any]] = [
        {"blocking_rule": f"l.{c} = r.{c}"} for c in SCALAR_BLOCKING_COLUMNS
    ]
    rules += [
        {"blocking_rule": f"l.{c} = r.{c}", "arrays_to_explode": [c]}
        for c in ARRAY_BLOCKING_COLUMNS
    ]
    return rules


#: Rules for the prior (probability that two random records match): pairs these find are
#: almost surely the same person; they are assumed to find ``DETERMINISTIC_RECALL`` of all.
DETERMINISTIC_RULES = (
    "l.name_key = r.name_key AND l.death_lo = r.death_lo AND l.death_width = 0 "
    "AND r.death_width = 0",
    "l.name_key = r.name_key AND l.father_key = r.father_key",
)
DETERMINISTIC_RECALL = 0.6

#: Expectation-maximisation sessions: (blocking rule, comparisons it may estimate). The first
#: blocks on the name and estimates every other comparison; the second estimates the name's
#: levels alone on pairs with the same family name and day of death (matches, and relatives or
#: namesakes executed the same day: the contrast the name comparison must learn), the other
#: comparisons fixed at what the first learnt.
EM_SESSIONS: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("l.name_key = r.name_key", None),
    (
        "l.b_family_day = r.b_family_day",
        frozenset({"name"}),
    ),
)
