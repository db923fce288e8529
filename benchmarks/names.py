"""Benchmark reckon.text names: key quality, similarity quality, and speed on one core.

Quality is measured on benchmarks/data/name_pairs.csv (built by build_name_pairs.py); rules are
tuned on the ``dev`` split and reported on the ``test`` split (``--errors N`` prints the misses).

Speed is measured on one core, as CPU time (best of ``--repeat`` runs), in two kinds of input:

* *realistic*: generated people, a given name × a family name of the synthetic generator
  (src/reckon/synth/data, with their attested spellings, in Persian or Latin script, compounds
  written every way): most full names are distinct but their words repeat, as in real lists.
  Similarity is measured on the candidate pairs linkage compares: all pairs within blocks of
  records sharing the family name's key (a block of more than 40 split by a second field, as
  linkage does), pairs in block order, whole blocks drawn at random up to ``--pairs``.
* *worst case*: names made of words of the pair set recombined at random (2–3 words, thousands
  of distinct words) and pairs drawn at random among them, so that hardly a pair of words
  repeats.

Run: ``.venv/bin/python benchmarks/names.py [--split test|dev|all|extended|extended-dev] [--errors N] [--no-speed]
[--no-write]``. Prints a Markdown table and appends it to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _machine import append_results, machine, reference_seconds

import reckon.text as text
from reckon.text import names as _names
from reckon.text import similarity as _similarity

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "name_pairs.csv"
EXTENDED = HERE / "data" / "name_pairs_extended.csv"  # test units only, see build_name_pairs.py
EXTENDED_DEV = HERE / "data" / "name_pairs_extended_dev.csv"  # dev units only, for tuning


def load_pairs(split: str) -> list[dict[str, str]]:
    """Pairs of a split of name_pairs.csv ("all": both), or of an extended sample."""
    path = {"extended": EXTENDED, "extended-dev": EXTENDED_DEV}.get(split, PAIRS)
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return (
        rows
        if split in ("all", "extended", "extended-dev")
        else [r for r in rows if r["split"] == split]
    )


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney U, ties counted half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def clear_caches() -> None:
    _names.clear_caches()
    _similarity.clear_caches()


def quality(rows: list[dict[str, str]], n_errors: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    a = [r["name_a"] for r in rows]
    b = [r["name_b"] for r in rows]
    labels = np.array([int(r["label"]) for r in rows])
    ka, kb = text.name_keys_batch(a), text.name_keys_batch(b)
    same_key = np.array([x == y for x, y in zip(ka, kb, strict=True)])
    any_key = np.array(
        [bool(set(text.name_keys(x)) & set(text.name_keys(y))) for x, y in zip(a, b, strict=True)]
    )
    sim = text.name_similarity_batch(a, b)
    thr = text.DEFAULT_SIMILARITY_THRESHOLD

    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["pair_type"], r["kind"])].append(i)
    for (pt, kind), idx in sorted(
        groups.items(), key=lambda kv: (-int(rows[kv[1][0]]["label"]), kv[0])
    ):
        ix = np.array(idx)
        lab = rows[idx[0]]["label"]
        what = "recall" if lab == "1" else "collision"
        out.append(
            (
                f"key {what}: {pt} / {kind} (n={len(ix)})",
                f"{same_key[ix].mean():.3f}",
                f"any-key {any_key[ix].mean():.3f}; sim≥thr {(sim[ix] >= thr).mean():.3f}",
            )
        )
    pos, neg = labels == 1, labels == 0
    kind = np.array([r["kind"] for r in rows])
    cross = np.array([r["pair_type"] == "persian-latin" for r in rows])
    same_full_name = pos & (kind != "father_name_added")  # a key is for the whole name
    people = neg & np.isin(kind, ["random", "sibling"])
    out.append(
        (
            "key recall, true pairs writing the same full name",
            f"{same_key[same_full_name].mean():.3f}",
            f"any-key {any_key[same_full_name].mean():.3f}",
        )
    )
    out.append(
        (
            "key recall, cross-script true pairs writing the same full name",
            f"{same_key[same_full_name & cross].mean():.3f}",
            f"any-key {any_key[same_full_name & cross].mean():.3f}; n={int((same_full_name & cross).sum())}",
        )
    )
    out.append(
        (
            "key collision rate, different people (random + sibling pairs)",
            f"{same_key[people].mean():.3f}",
            f"any-key {any_key[people].mean():.3f}; n={int(people.sum())}",
        )
    )
    out.append(
        (
            f"key collision rate, all different pairs (incl. {int((neg & (kind == 'hard')).sum())} hard negatives)",
            f"{same_key[neg].mean():.3f}",
            f"any-key {any_key[neg].mean():.3f}; n={int(neg.sum())}",
        )
    )
    n_keys = [len(text.name_keys(x)) for x in (*a, *b)]
    out.append(
        (
            "name_keys per name (rotations, then other readings)",
            f"{np.mean(n_keys):.2f}",
            f"at most {max(n_keys)}",
        )
    )
    out.append(("similarity ROC AUC, all pairs", f"{roc_auc(sim, labels):.4f}", ""))
    for pt in ("persian-latin", "latin-latin", "persian-persian"):
        m = np.array([r["pair_type"] == pt for r in rows])
        out.append((f"similarity ROC AUC, {pt}", f"{roc_auc(sim[m], labels[m]):.4f}", ""))
    pred = sim >= thr
    tp = int((pred & pos).sum())
    precision = tp / max(int(pred.sum()), 1)
    recall = tp / int(pos.sum())
    out.append((f"similarity precision at threshold {thr}", f"{precision:.3f}", ""))
    out.append((f"similarity recall at threshold {thr}", f"{recall:.3f}", ""))

    if n_errors:
        print("\n# cross-script true pairs sharing no key (the target's misses: a | b | keys)")
        for i in list(np.nonzero(same_full_name & cross & ~any_key)[0])[:n_errors]:
            keys_a, keys_b = " ".join(text.name_keys(a[i])), " ".join(text.name_keys(b[i]))
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {keys_a} | {keys_b}")
        print("\n# key misses on true pairs (first keys differ: a | b | key a | key b)")
        miss = [i for i in np.nonzero(pos & ~same_key)[0]]
        for i in miss[:n_errors]:
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]} | {kb[i]}  sim={sim[i]:.3f}")
        print("\n# key collisions on different pairs (first keys equal)")
        for i in list(np.nonzero(neg & same_key)[0])[:n_errors]:
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]}  sim={sim[i]:.3f}")
        print("\n# different pairs sharing a key (counted as collisions: a | b | shared keys)")
        for i in list(np.nonzero(neg & any_key)[0])[:n_errors]:
            shared = set(text.name_keys(a[i])) & set(text.name_keys(b[i]))
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {' '.join(sorted(shared))}")
        print("\n# similarity errors at threshold (false negatives, then false positives)")
        for i in list(np.nonzero(pos & ~pred)[0])[:n_errors]:
            print(
                f"  FN {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]} | {kb[i]} sim={sim[i]:.3f}"
            )
        for i in list(np.nonzero(neg & pred)[0])[:n_errors]:
            print(
                f"  FP {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]} | {kb[i]} sim={sim[i]:.3f}"
            )
    return out


def generated_names(n: int, seed: int) -> list[str]:
    """Distinct full names: tokens of the pair set recombined (2–3 tokens, Persian or Latin)."""
    rows = load_pairs("all")
    persian_tokens: set[str] = set()
    latin_tokens: set[str] = set()
    for r in rows:
        for name in (r["name_a"], r["name_b"]):
            toks = name.replace(",", " ").split()
            (persian_tokens if text.detect_script(name) == "persian" else latin_tokens).update(toks)
    pt, lt = sorted(persian_tokens), sorted(latin_tokens)
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        pool = pt if rng.random() < 0.5 else lt
        out.add(" ".join(rng.choice(pool) for _ in range(rng.choice((2, 2, 3)))))
    names = sorted(out)
    rng.shuffle(names)
    return names


class _Timer:
    """Wall-clock and CPU time of a block (CPU time is what one core did, even on a busy machine)."""

    def __enter__(self) -> _Timer:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def rate(self, n: int, unit: str) -> tuple[str, str]:
        return (
            f"{n / self.cpu:,.0f} {unit}/s",
            f"CPU {self.cpu:.2f} s (wall {self.wall:.2f} s, {n / self.wall:,.0f} {unit}/s)",
        )


REPEAT = 3


def best(run: Callable[[], object], before: Callable[[], object] | None = None) -> _Timer:
    """The run with the least CPU time of ``REPEAT`` (``before`` runs untimed before each)."""
    timers = []
    for _ in range(REPEAT):
        if before is not None:
            before()
        with _Timer() as t:
            run()
        timers.append(t)
    return min(timers, key=lambda t: t.cpu)


def synth_people(n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` generated people (given × family name units of the synthetic generator, drawn by
    frequency, each in Persian or in an attested Latin spelling, compounds written every way),
    and each one's family name as written."""
    from reckon.synth.names import family_names, given_names, latin_compound, persian_compound

    rng = np.random.default_rng(seed)
    given, family = given_names(), family_names()
    gi = rng.choice(len(given), size=n, p=given.weight / given.weight.sum())
    fi = rng.choice(len(family), size=n, p=family.weight / family.weight.sum())
    persian = rng.random(n) < 0.5
    latin_styles = ("hyphen", "space", "camel", "joined")
    persian_styles = ("joined", "zwnj", "space")

    def latin(table, unit: int) -> str:
        counts = np.array(table.latin_count[unit], dtype=float)
        spelling = table.latin[unit][rng.choice(len(counts), p=counts / counts.sum())]
        return latin_compound(spelling, latin_styles[rng.integers(4)])

    def fa(table, unit: int) -> str:
        return persian_compound(
            table.persian[unit], int(table.split[unit]), persian_styles[rng.integers(3)]
        )

    names, families = [], []
    for k in range(n):
        g, f = (
            (fa(given, gi[k]), fa(family, fi[k]))
            if persian[k]
            else (latin(given, gi[k]), latin(family, fi[k]))
        )
        names.append(f"{g} {f}")
        families.append(f)
    return names, families


def block_pairs(names: list[str], families: list[str], n_pairs: int, seed: int, cap: int = 40):
    """Candidate pairs as blocking gives them: all pairs within blocks of records sharing the
    family name's key, blocks of more than ``cap`` split by a second field (30 values); whole
    blocks drawn at random until ``n_pairs``, pairs in block order."""
    rng = np.random.default_rng(seed)
    second = rng.integers(0, 30, len(names))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(text.name_keys_batch(families)):
        blocks[key].append(i)
    groups: list[list[int]] = []
    for members in blocks.values():
        if len(members) <= cap:
            groups.append(members)
            continue
        split: dict[int, list[int]] = defaultdict(list)
        for i in members:
            split[int(second[i])].append(i)
        groups += split.values()
    a: list[str] = []
    b: list[str] = []
    for g in rng.permutation(len(groups)):
        members = groups[g]
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a.append(names[members[x]])
                b.append(names[members[y]])
        if len(a) >= n_pairs:
            break
    return a[:n_pairs], b[:n_pairs]


def speed(n_names: int, n_pairs: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []

    # --- normalize_name (ingest calls it twice a row) on realistic, distinct-heavy names
    people, families = synth_people(300_000, seed=3)
    t = best(lambda: [text.normalize_name(x) for x in people], clear_caches)
    out.append(
        (
            f"normalize_name (realistic: 300,000 generated people, {len(set(people)):,} distinct "
            "full names), cold caches, one call per name",
            *t.rate(len(people), "names"),
        )
    )

    names = generated_names(n_names, seed=1)
    t = best(lambda: text.name_keys_batch(names), clear_caches)
    out.append(
        (
            f"name_keys_batch (worst case: {n_names:,} distinct names of random words), cold caches",
            *t.rate(n_names, "names"),
        )
    )

    rng = np.random.default_rng(2)
    pool = names[:20_000]
    zipf = np.minimum(rng.zipf(1.3, size=1_000_000), len(pool)) - 1
    repeated = [pool[i] for i in zipf]
    t = best(lambda: text.name_keys_batch(repeated), clear_caches)
    out.append(
        (
            f"name_keys_batch, 1,000,000 names (Zipf over {len(pool):,}; {len(set(repeated)):,} distinct), cold caches",
            *t.rate(len(repeated), "names"),
        )
    )

    # --- similarity, realistic: candidate pairs within blocks of generated people
    text.name_similarity_batch(["Hamid Nouri"], ["حمید نوری"])  # load the compiled kernel
    a, b = block_pairs(people, families, n_pairs, seed=4)
    distinct = len(set(a) | set(b))
    t = best(lambda: text.name_similarity_batch(a, b), clear_caches)
    out.append(
        (
            f"name_similarity_batch (realistic: {len(a):,} pairs within blocks of 300,000 generated "
            f"people, {distinct:,} distinct names), cold caches: parses every name, aligns every "
            "new pair of words",
            *t.rate(len(a), "pairs"),
        )
    )
    t = best(lambda: text.name_similarity_batch(a, b))
    out.append(
        (
            "name_similarity_batch (realistic), same pairs, names and word pairs seen before",
            *t.rate(len(a), "pairs"),
        )
    )

    # --- similarity as linkage calls it: names as import stores them (normalized), whose words
    # the features step has keyed (reckon.link.features), the similarity's own caches cold
    stored = {name: text.normalize_name(name).normalized for name in set(a) | set(b)}
    na, nb = [stored[x] for x in a], [stored[y] for y in b]

    def words_keyed_similarity_cold() -> None:
        clear_caches()
        for name in set(na) | set(nb):
            for token in name.split():
                text.name_key(token)
        _similarity.clear_caches()

    t = best(lambda: text.name_similarity_batch(na, nb), words_keyed_similarity_cold)
    out.append(
        (
            "name_similarity_batch (as linkage calls it: the same pairs' names as import stores "
            "them, their words keyed by the features step), similarity caches cold",
            *t.rate(len(a), "pairs"),
        )
    )

    # --- similarity, worst case: random pairs of names of random words
    n_rec = min(100_000, n_names)
    recs = names[:n_rec]
    ia = rng.integers(0, n_rec, n_pairs)
    ib = rng.integers(0, n_rec, n_pairs)
    a = [recs[i] for i in ia]
    b = [recs[i] for i in ib]
    t = best(lambda: text.name_similarity_batch(a, b), clear_caches)
    out.append(
        (
            f"name_similarity_batch (worst case: {n_pairs:,} random pairs among {n_rec:,} names "
            "of random words), cold caches",
            *t.rate(n_pairs, "pairs"),
        )
    )
    t = best(lambda: text.name_similarity_batch(a, b))
    out.append(
        (
            "name_similarity_batch (worst case), same pairs, names seen before",
            *t.rate(n_pairs, "pairs"),
        )
    )

    cold_a = names[n_rec : n_rec + 200_000]
    cold_b = names[n_rec + 200_000 : n_rec + 400_000]
    if len(cold_b) == 200_000:
        t = best(lambda: text.name_similarity_batch(cold_a, cold_b), clear_caches)
        out.append(
            (
                "name_similarity_batch (worst case: 200,000 pairs of 400,000 distinct names), cold",
                *t.rate(200_000, "pairs"),
            )
        )

    pairs = list(zip(a[:50_000], b[:50_000], strict=True))
    t = best(lambda: [text.name_similarity(x, y) for x, y in pairs])
    out.append(
        ("name_similarity (one pair per call), 50,000 parsed pairs", *t.rate(50_000, "pairs"))
    )
    return out


def render(title: str, rows: list[tuple[str, str, str]]) -> str:
    lines = [title, "", "| measure | value | note |", "|---|---|---|"]
    lines += [f"| {m} | {v} | {n} |" for m, v, n in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    global REPEAT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--split", default="test", choices=["test", "dev", "all", "extended", "extended-dev"]
    )
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each sort")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    ap.add_argument("--names", type=int, default=600_000, help="distinct names for the speed runs")
    ap.add_argument("--pairs", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=REPEAT, help="timed runs; the best is kept")
    args = ap.parse_args()
    REPEAT = args.repeat

    rows = load_pairs(args.split)
    q = quality(rows, args.errors)
    source = {
        "extended": "held-out sample benchmarks/data/name_pairs_extended.csv (test units only)",
        "extended-dev": "tuning sample benchmarks/data/name_pairs_extended_dev.csv (dev units)",
    }.get(args.split, f"`{args.split}` split of benchmarks/data/name_pairs.csv")
    out = render(
        f"Quality on the {source} ({len(rows)} pairs; rules tuned on `dev` and `extended-dev`), "
        f"threshold {text.DEFAULT_SIMILARITY_THRESHOLD}:",
        q,
    )
    if not args.no_speed:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        before = reference_seconds()
        rows_speed = speed(args.names, args.pairs)
        after = reference_seconds()
        out += "\n" + render(
            f"Speed, one core (single-threaded; rates use CPU time, best of {REPEAT} runs, because "
            f"the machine was shared: load average {load:.1f} on {os.cpu_count()} cores; "
            "wall-clock rates in the notes). Machine reference (benchmarks/_machine.py, a fixed "
            f"Python loop; lower is faster): {before:.3f} s before these runs, {after:.3f} s "
            "after:",
            rows_speed,
        )
    command = " ".join([".venv/bin/python benchmarks/names.py", *sys.argv[1:]])
    body = f"Command: `{command}`\n\n{out}"
    print(f"Names (issue 3) — {machine()}\n\n{body}")
    if not args.no_write:
        append_results("Names (issue 3)", body)


if __name__ == "__main__":
    main()
