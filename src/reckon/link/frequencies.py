"""How common a name is: the term frequencies behind the name comparison's adjustments.

Two records that write the same rare name are strong evidence of one person; two that write
"Mohammad Hosseini" are not. Splink measures this with a term frequency — the chance that a
record of *another* person carries the value — and by default counts it on the records
themselves. For rare full names that count is mostly the pair being scored: a name written by
one person on two lists is counted twice, looks twice as common as it is, and the evidence of
every rare name is understated (by about 4 bits at 100,000 records), which is where most
missed links came from.

Here the frequency of a full name is estimated from its parts: how common the given name is,
times how common the family name is (each part is shared by many people, so one person's
records barely move its count). A name whose parts go together more often than chance
(Mohammad Mohammadi) keeps at least its observed count without the pair itself, ``(c - 2) / n``.
Single-word names keep their observed frequency.

    >>> import pandas as pd
    >>> f = pd.DataFrame({
    ...     "name_norm": ["ali rezaei", "ali rezaei", "ali karimi", "hasan rezaei"],
    ...     "name_key": ["alrzaI", "alrzaI", "alkrImI", "hsnrzaI"],
    ...     "given_key": ["al", "al", "al", "hsn"],
    ...     "family_key": ["rzaI", "rzaI", "krImI", "rzaI"]})
    >>> lookup = name_frequency_lookups(f)["name_norm"]
    >>> float(lookup.set_index("name_norm").loc["ali rezaei", "tf_name_norm"])
    0.5625
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns whose term frequencies are estimated here (the name comparison's TF columns).
NAME_TF_COLUMNS = ("name_norm", "name_key")


def component_frequency(features: pd.DataFrame) -> np.ndarray:
    """Per record: frequency of its given name's key times that of its family name's key
    (NaN where the name has fewer than two words or no name)."""
    named = features["name_key"].notna()
    n = int(named.sum())
    out = np.full(len(features), np.nan)
    if n == 0:
        return out
    given = features["given_key"].where(named)
    family = features["family_key"].where(named)
    share_given = given.map(given.value_counts()) / n
    share_family = family.map(family.value_counts()) / n
    product = (share_given * share_family).to_numpy(dtype="float64")
    usable = named.to_numpy() & family.notna().to_numpy() & given.notna().to_numpy()
    out[usable] = product[usable]
    return out


def name_frequency_lookups(features: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Term-frequency tables ``{column: DataFrame[column, tf_column]}`` for the name columns,
    in the shape Splink's ``register_term_frequency_lookup`` takes."""
    named = features["name_key"].notna()
    n = int(named.sum())
    parts = component_frequency(features)
    lookups: dict[str, pd.DataFrame] = {}
    for column in NAME_TF_COLUMNS:
        frame = pd.DataFrame({"value": features[column], "parts": parts})[named.to_numpy()]
        frame = frame[frame["value"].notna()]
        grouped = frame.groupby("value", sort=False)["parts"]
        count = grouped.size()
        observed = count / max(n, 1)
        without_pair = (count - 2).clip(lower=0) / max(n, 1)
        parts_mean = grouped.mean()  # NaN where the name has no two parts
        tf = np.fmax(parts_mean, without_pair).where(parts_mean.notna(), observed)
        lookups[column] = pd.DataFrame({column: tf.index.to_numpy(), f"tf_{column}": tf.to_numpy()})
    return lookups
