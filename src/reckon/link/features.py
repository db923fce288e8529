"""Linkage features: the columns the model compares, computed in bulk from stored records.

Every feature derives from what import already normalized (:mod:`reckon.text`): the normalized
name and its cross-script keys, the father's name, the date intervals, the places. Work is done
once per *distinct* value (names, tokens and places repeat endlessly across a million records),
then mapped back with pandas, so a million records take seconds.

Columns of the feature frame (one row per record; ``None`` where unknown):

=====================  ==========================================================================
column                 meaning
=====================  ==========================================================================
unique_id              record id
source_id              source (list) id
name_norm              normalized name (:attr:`NormalizedName.normalized`), in its own script
name_norm_fa           the same when the name is in Persian script, else None
name_norm_latin        the same when the name is in Latin script, else None
name_key               cross-script key: the words' keys (:func:`reckon.text.name_key` of each
                       word) concatenated; term frequencies are counted on it
name_skel              the words' keys separated by spaces
name_sorted            the words' keys in alphabetical order, concatenated (reordered names)
name_del               the key and its one-deletion variants (blocking tolerant of a typo)
given_key, family_key  key of the first word and of the words after it (family None for one
                       word; a suffix written apart, زمانی پور, stays part of the family name)
father_norm            the father's normalized name
father_key             its cross-script key
birth_year_lo/_hi      birth year interval, from the birth date, else from age and death date
age_conflict           the stated age contradicts the birth and death dates (age then ignored)
death_lo, death_hi     death (execution) date interval as days since 1970-01-01; a "day" on
                       1 January or 1 Farvardin is read as the whole year
death_width            death_hi - death_lo (0 for a day-precise date)
death_day              death_lo when day-precise, else None
gender                 "m", "f" or "x"
prison_key/_tokens     key and word keys of the place of detention, generic words dropped
city_key               key of the city
b_*                    blocking columns (:func:`add_blocking_columns`)
=====================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from reckon.store.project import Project
from reckon.text import name_key
from reckon.text.places import place_key, place_words

#: Bump when a feature's definition changes: saved models record it.
FEATURES_VERSION = 1

RECORD_COLUMNS = (
    "id",
    "source_id",
    "batch_id",
    "row_number",
    "name_script",
    "name_normalized",
    "father_normalized",
    "gender",
    "age",
    "birth_earliest",
    "birth_latest",
    "birth_calendar",
    "birth_precision",
    "death_earliest",
    "death_latest",
    "death_calendar",
    "death_precision",
    "place_of_detention",
    "place_of_death",
    "city",
)


Progress = Callable[[str], None]


# --------------------------------------------------------------------------- loading


def load_records(project: Project, record_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """The stored columns linkage needs, one row per record, ordered by id.

    Reads through the driver directly (no ORM objects): a million rows load in seconds.
    """
    sql = f"SELECT {', '.join(RECORD_COLUMNS)} FROM record ORDER BY id"
    with project.engine.connect() as connection:
        if project.is_sqlite:
            # pandas reads a sqlite3 cursor column-wise, twice as fast as row objects
            raw = connection.connection.driver_connection
            frame = pd.read_sql(sql, raw)
        else:
            rows = connection.exec_driver_sql(sql).fetchall()
            frame = pd.DataFrame.from_records(rows, columns=list(RECORD_COLUMNS))
    if record_ids is not None:
        frame = frame[frame["id"].isin(list(record_ids))].reset_index(drop=True)
    return frame


# --------------------------------------------------------------------------- per-value helpers


@lru_cache(maxsize=1 << 18)
def token_skeleton(token: str) -> str:
    """The cross-script key of one normalized token (``name_key`` of a one-word name)."""
    return name_key(token)


def deletions(key: str) -> tuple[str, ...]:
    """``key`` and every string made by deleting one of its symbols (for keys of 4 or more).

    Two keys one typing error apart (a letter changed, dropped, added, or two swapped) always
    share one of these.
    """
    if len(key) < 4:
        return (key,)
    return tuple(dict.fromkeys((key, *(key[:i] + key[i + 1 :] for i in range(len(key))))))


def name_forms(normalized: str | None) -> tuple | None:
    """(key, space-separated skeletons, sorted key, words, deletions) of a normalized name.

    The key is the words' skeletons concatenated (:func:`reckon.text.name_key` of the name);
    the sorted key the same with the words in alphabetical order (same for reordered names).
    """
    if not normalized:
        return None
    words = [s for s in (token_skeleton(t) for t in normalized.split()) if s]
    if not words:
        return None
    key = "".join(words)
    return key, " ".join(words), "".join(sorted(words)), tuple(words), deletions(key)


def place_forms(text: str | None) -> tuple[str | None, tuple[str, ...]]:
    """(key, word keys) of a place name: the gazetteer id of a known place (Bakhtaran and
    کرمانشاه alike), else its words' cross-script keys (:mod:`reckon.text.places`).

    >>> place_forms("Evin prison (Tehran)") == place_forms("زندان اوین")
    True
    """
    words = place_words(text)
    if not words:
        return None, ()
    return place_key(text), tuple(dict.fromkeys(words))


def _map_distinct(values: pd.Series, function: Callable) -> list:
    """``function`` of each value (None for null), computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = [function(v) for v in uniques]
    results.append(None)  # code -1: null
    table = np.empty(len(results), dtype=object)
    table[:] = results
    return table[codes].tolist()


# --------------------------------------------------------------------------- dates


_EPOCH = np.datetime64("1970-01-01", "D")


def _days(values: pd.Series) -> np.ndarray:
    """Dates (date objects or ISO strings) as float days since 1970 (NaN when missing)."""
    parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
    out = (parsed.to_numpy(dtype="datetime64[D]") - _EPOCH).astype("float64")
    out[parsed.isna().to_numpy()] = np.nan
    return out


def _years(days: np.ndarray) -> np.ndarray:
    out = np.full(days.shape, np.nan)
    ok = ~np.isnan(days)
    out[ok] = (_EPOCH + days[ok].astype("int64")).astype("datetime64[Y]").astype("int64") + 1970
    return out


# --------------------------------------------------------------------------- the frame


def _widen_new_year(
    lo: np.ndarray, hi: np.ndarray, calendar: pd.Series, precision: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Day-precise dates on 1 January (or 1 Farvardin) become the whole year.

    Lists that know only the year often store it as the year's first day (1988-01-01,
    1367/01/01); read as a day, such a date would contradict every other list.
    """
    day = (precision.to_numpy() == "day") & ~np.isnan(lo)
    if not day.any():
        return lo, hi
    dates = _EPOCH + np.where(day, lo, 0).astype("int64")
    months = dates.astype("datetime64[M]").astype("int64") % 12 + 1
    days_in = (dates - dates.astype("datetime64[M]")).astype("int64") + 1
    years = dates.astype("datetime64[Y]").astype("int64") + 1970
    jalali = calendar.to_numpy() == "jalali"
    gregorian_new_year = day & ~jalali & (months == 1) & (days_in == 1)
    lo, hi = lo.copy(), hi.copy()
    if gregorian_new_year.any():
        y = years[gregorian_new_year]
        lo[gregorian_new_year] = _year_start(y)
        hi[gregorian_new_year] = _year_start(y + 1) - 1
    nowruz = day & jalali & (months == 3) & (days_in >= 19) & (days_in <= 22)
    if nowruz.any():
        import jdatetime

        for i in np.flatnonzero(nowruz):
            g = (_EPOCH + int(lo[i])).astype(object)
            j = jdatetime.date.fromgregorian(date=g)
            if j.month == 1 and j.day == 1:
                start = jdatetime.date(j.year, 1, 1).togregorian()
                end = jdatetime.date(j.year + 1, 1, 1).togregorian()
                lo[i] = (np.datetime64(start) - _EPOCH).astype("int64")
                hi[i] = (np.datetime64(end) - _EPOCH).astype("int64") - 1
    return lo, hi


def _year_start(years: np.ndarray) -> np.ndarray:
    return (
        (np.asarray(years, dtype="int64") - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        - _EPOCH
    ).astype("float64")


def _as_object(values: list | np.ndarray) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def build_features(records: pd.DataFrame, progress: Progress | None = None) -> pd.DataFrame:
    """The feature frame (see the module docs) of records loaded by :func:`load_records`."""
    say = progress or (lambda _message: None)
    out = pd.DataFrame({"unique_id": records["id"].astype("int64").to_numpy()})
    out["source_id"] = records["source_id"].astype("int64").to_numpy()

    say("names")
    norm = records["name_normalized"].replace("", None)
    out["name_norm"] = norm.to_numpy(dtype=object)
    script = records["name_script"].fillna("").to_numpy(dtype=object)
    persian = np.isin(script, ("persian", "mixed"))
    out["name_norm_fa"] = np.where(persian, out["name_norm"], None)
    out["name_norm_latin"] = np.where(script == "latin", out["name_norm"], None)
    forms = _map_distinct(norm, name_forms)
    out["name_key"] = _as_object([f[0] if f else None for f in forms])
    out["name_skel"] = _as_object([f[1] if f else None for f in forms])
    out["name_sorted"] = _as_object([f[2] if f else None for f in forms])
    out["name_del"] = _as_object([list(f[4]) if f else None for f in forms])
    out["given_key"] = _as_object([f[3][0] if f else None for f in forms])
    out["family_key"] = _as_object(
        ["".join(f[3][1:]) if f and len(f[3]) > 1 else None for f in forms]
    )

    say("fathers")
    father = records["father_normalized"].replace("", None)
    father_forms = _map_distinct(father, name_forms)
    out["father_key"] = _as_object([f[0] if f else None for f in father_forms])
    out["father_skel"] = _as_object([f[1] if f else None for f in father_forms])
    out["father_norm"] = father.to_numpy(dtype=object)

    say("dates")
    death_lo = _days(records["death_earliest"])
    death_hi = _days(records["death_latest"])
    death_hi = np.where(np.isnan(death_hi), death_lo, death_hi)
    death_lo, death_hi = _widen_new_year(
        death_lo, death_hi, records["death_calendar"], records["death_precision"]
    )
    birth_lo_day = _days(records["birth_earliest"])
    birth_hi_day = _days(records["birth_latest"])
    birth_hi_day = np.where(np.isnan(birth_hi_day), birth_lo_day, birth_hi_day)
    birth_lo_day, birth_hi_day = _widen_new_year(
        birth_lo_day, birth_hi_day, records["birth_calendar"], records["birth_precision"]
    )
    birth_lo, birth_hi = _years(birth_lo_day), _years(birth_hi_day)
    age = pd.to_numeric(records["age"], errors="coerce").to_numpy(dtype="float64")
    death_year_lo, death_year_hi = _years(death_lo), _years(death_hi)
    # Age at death: born in (death year - age - 1) .. (death year - age).
    age_lo, age_hi = death_year_lo - age - 1, death_year_hi - age
    has_age = ~np.isnan(age_lo)
    has_birth = ~np.isnan(birth_lo)
    conflict = has_age & has_birth & ((age_hi < birth_lo - 1) | (age_lo > birth_hi + 1))
    use_age = has_age & ~has_birth
    out["birth_year_lo"] = _nullable_int(np.where(use_age, age_lo, birth_lo))
    out["birth_year_hi"] = _nullable_int(np.where(use_age, age_hi, birth_hi))
    out["age_conflict"] = conflict
    out["death_lo"] = _nullable_int(death_lo)
    out["death_hi"] = _nullable_int(death_hi)
    out["death_width"] = _nullable_int(death_hi - death_lo)
    out["death_day"] = out["death_lo"].where(out["death_width"] == 0)

    say("places")
    gender = records["gender"].where(records["gender"].isin(["m", "f", "x"]), None)
    out["gender"] = gender.to_numpy(dtype=object)
    prison = _map_distinct(records["place_of_detention"].replace("", None), place_forms)
    out["prison_key"] = _as_object([p[0] if p else None for p in prison])
    out["prison_tokens"] = _as_object([list(p[1]) if p and p[1] else None for p in prison])
    city = _map_distinct(records["city"].replace("", None), place_forms)
    out["city_key"] = _as_object([c[0] if c else None for c in city])
    return out


def _nullable_int(values: np.ndarray) -> pd.array:
    return pd.array(np.where(np.isnan(values), None, values), dtype="Int64")


# --------------------------------------------------------------------------- blocking columns

#: A blocking value shared by more records than this is too common to block on alone.
DEFAULT_BLOCK_CAP = 40
#: The same for one-deletion keys (each record has a dozen, so they are capped lower).
DEFAULT_DELETION_CAP = 25


def _join(*columns: pd.Series) -> pd.Series:
    """Values joined with "|" (null when any part is null)."""
    out = columns[0].astype("string")
    for column in columns[1:]:
        out = out + "|" + column.astype("string")
    return out


def _rare(values: pd.Series, cap: int) -> tuple[pd.Series, pd.Series]:
    """(values shared by at most ``cap`` records else null, mask of the common ones)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return values, pd.Series(False, index=values.index)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    per_row = np.where(codes >= 0, counts[np.maximum(codes, 0)], 0)
    common = per_row > cap
    return values.mask(common), pd.Series(common, index=values.index)


def _rare_deletions(keys: pd.Series, deletion_lists: pd.Series, cap: int) -> list:
    """Per record, its key and one-deletion keys, those shared by at most ``cap`` records."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    weight = np.bincount(codes[codes >= 0], minlength=len(uniques))
    first = pd.Series(np.arange(len(codes)))[codes >= 0].groupby(codes[codes >= 0]).first()
    lists = deletion_lists.to_numpy()
    tally: dict[str, int] = {}
    for code, row in zip(first.index.to_numpy(), first.to_numpy(), strict=True):
        n = int(weight[code])
        for d in lists[row]:
            tally[d] = tally.get(d, 0) + n
    per_key = []
    for row in first.to_numpy():
        rare = [d for d in lists[row] if tally[d] <= cap]
        per_key.append(rare or None)
    per_key.append(None)
    table = np.empty(len(per_key), dtype=object)
    table[:] = per_key
    return table[codes].tolist()


def add_blocking_columns(
    features: pd.DataFrame, cap: int = DEFAULT_BLOCK_CAP, deletion_cap: int = DEFAULT_DELETION_CAP
) -> pd.DataFrame:
    """Add the columns the blocking rules join on (``b_*``); returns ``features``.

    Each rule joins on one precomputed column, so every engine runs it as an equi-join. A name
    shared by more than ``cap`` records (a very common name) is blocked on only together with
    a second field (city, father's name, death month, birth year), so candidate pairs grow
    about linearly with the number of records. Typing errors are caught by the names' one-
    deletion keys (two keys one error apart share one), only those shared by at most
    ``deletion_cap`` records; by family name with the father's name or the day of death; and by
    given name with the day of death (a family name mangled beyond one error).
    """
    f = features
    key = f["name_key"].astype("string")
    key_sorted = f["name_sorted"].astype("string")
    city = f["city_key"].astype("string")
    father = f["father_key"].astype("string")
    family = f["family_key"].astype("string")
    death_month = (f["death_lo"] // 30).where(f["death_width"] <= 31).astype("string")
    birth_year = f["birth_year_lo"].where((f["birth_year_hi"] - f["birth_year_lo"]) <= 1)
    birth_year = birth_year.astype("string")
    death_day = f["death_lo"].where(f["death_width"] == 0).astype("string")

    f["b_key"], _ = _rare(key, cap)
    f["b_sorted"], common = _rare(key_sorted, cap)
    common_key = key_sorted.where(common)
    f["b_key_city"] = _join(common_key, city)
    f["b_key_father"] = _join(common_key, father)
    f["b_key_month"] = _join(common_key, death_month)
    f["b_key_birth"] = _join(common_key, birth_year)
    f["b_family_father"], _ = _rare(_join(family, father), 2 * cap)
    f["b_family_day"], _ = _rare(_join(family, death_day), 2 * cap)
    given = f["given_key"].astype("string")
    f["b_given_day"], _ = _rare(_join(given, death_day), cap)
    for column in SCALAR_BLOCKING_COLUMNS:
        f[column] = f[column].astype(object).where(f[column].notna(), None)
    f["b_deletions"] = _rare_deletions(f["name_key"], f["name_del"], deletion_cap)
    return f


SCALAR_BLOCKING_COLUMNS = (
    "b_key",
    "b_sorted",
    "b_key_city",
    "b_key_father",
    "b_key_month",
    "b_key_birth",
    "b_family_father",
    "b_family_day",
    "b_given_day",
)
#: Blocked on by exploding the array (any shared element).
ARRAY_BLOCKING_COLUMNS = ("b_deletions",)
BLOCKING_COLUMN_NAMES = (*SCALAR_BLOCKING_COLUMNS, *ARRAY_BLOCKING_COLUMNS)


#: The columns the model reads (comparisons, term frequencies, blocking); the rest of the
#: feature frame stays in Python.
MODEL_COLUMNS = (
    "unique_id", "source_id", "name_norm", "name_key", "name_sorted", "given_key", "family_key",
    "father_norm", "father_key", "birth_year_lo", "birth_year_hi", "death_lo", "death_hi",
    "death_width", "gender", "prison_key", "prison_tokens", "city_key", *BLOCKING_COLUMN_NAMES,
)  # fmt: skip


def model_input(features: pd.DataFrame) -> pd.DataFrame:
    """The feature frame narrowed to :data:`MODEL_COLUMNS` (those present)."""
    return features[[c for c in MODEL_COLUMNS if c in features.columns]]
