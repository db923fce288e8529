"""Which strata to pool before a stratified estimate, and how to describe the pooling.

Stratifying (by city, by month) removes heterogeneity between strata, but each stratum's lists
must overlap enough to estimate on their own. HRDAG's practice is to stratify only where there is
enough overlap and to collapse the rest; a stratified run with a long tail of small places would
otherwise either fail or report estimates driven by a handful of people. These functions are pure:
they decide on stratum sizes only, and :func:`reckon.estimate.stratify.fit_strata` applies them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

#: Strata with fewer documented people than this are pooled by default.
#:
#: Why 50: capture–recapture needs people on two or more lists. Robson & Regier (1964) ask for
#: at least ~7 recaptures before Lincoln–Petersen's bias is negligible, and with the 3–5 lists of
#: typical human-rights data (7–31 capture patterns) fewer than ~50 documented people leaves most
#: patterns with 0–2 people, so log-linear models do not converge and LCMCR's posterior is mostly
#: prior. Pooling such strata costs little accuracy in the total — they hold few people — while
#: fitting them alone makes the run fail or widens the total's interval with noise. It is a floor,
#: not a guarantee: a larger stratum whose lists do not overlap is still pooled when it fails.
MIN_STRATUM = 50

#: Name of the stratum that holds the pooled strata (members are listed in the result).
POOLED_STRATUM = "other (pooled)"


def pool_name(strata: Collection[str]) -> str:
    """:data:`POOLED_STRATUM`, or that name with a number if a stratum is already called so."""
    name, number = POOLED_STRATUM, 2
    while name in strata:
        name, number = f"{POOLED_STRATUM} {number}", number + 1
    return name


def small_reason(min_stratum: int) -> str:
    return f"fewer than {min_stratum:,} documented"


def grown_reason(min_stratum: int) -> str:
    return f"smallest stratum, added so the pool reaches {min_stratum:,} documented"


def plan_pool(sizes: Mapping[str, int], min_stratum: int) -> dict[str, str]:
    """The strata to pool before fitting, each with the reason, in the order of ``sizes``.

    Every stratum with fewer than ``min_stratum`` documented people is pooled. If they add up to
    fewer than ``min_stratum``, the next smallest strata join until the pool reaches it (or every
    stratum is pooled), so no stratum that is fitted is below the floor. A pool of a single
    stratum would only rename it, so then nothing is pooled.

    Parameters
    ----------
    sizes:
        Stratum name -> documented people (``CaptureHistories.n_observed``).
    min_stratum:
        The floor; 0 (or less) disables pooling.

    Example
    -------
    >>> plan_pool({"Tehran": 600, "Qom": 20, "Yazd": 40}, 50)
    {'Qom': 'fewer than 50 documented', 'Yazd': 'fewer than 50 documented'}
    >>> list(plan_pool({"Tehran": 600, "Tabriz": 120, "Qom": 20}, 50))
    ['Tabriz', 'Qom']
    """
    if min_stratum <= 0:
        return {}
    chosen = {name: small_reason(min_stratum) for name, n in sizes.items() if n < min_stratum}
    if not chosen:
        return {}
    order = list(sizes)
    rest = sorted((n for n in sizes if n not in chosen), key=lambda n: (sizes[n], order.index(n)))
    total = sum(sizes[n] for n in chosen)
    while total < min_stratum and rest:
        name = rest.pop(0)
        chosen[name] = grown_reason(min_stratum)
        total += sizes[name]
    if len(chosen) < 2:
        return {}
    return {name: chosen[name] for name in order if name in chosen}


def next_smallest(sizes: Mapping[str, int], exclude: Collection[str]) -> str | None:
    """The smallest stratum not in ``exclude`` (first in order on ties), or None."""
    candidates = [n for n in sizes if n not in exclude]
    if not candidates:
        return None
    return min(candidates, key=lambda n: sizes[n])


def describe_pool(name: str, reasons: Mapping[str, str]) -> str:
    """One sentence naming the pooled strata, grouped by why they were pooled.

    >>> describe_pool("other", {"Qom": "too small", "Yazd": "too small", "Kerman": "failed"})
    "Stratum 'other' pools 3 strata: Qom, Yazd (too small); Kerman (failed)."
    """
    by_reason: dict[str, list[str]] = {}
    for member, reason in reasons.items():
        by_reason.setdefault(reason, []).append(member)
    groups = "; ".join(f"{', '.join(members)} ({reason})" for reason, members in by_reason.items())
    return f"Stratum {name!r} pools {len(reasons)} strata: {groups}."
