"""Benchmark reckon.text names: key quality, similarity quality, and speed on one core.

Quality is measured on benchmarks/data/name_pairs.csv (built by build_name_pairs.py); rules are
tuned on the ``dev`` split and reported on the ``test`` split. Speed is measured on generated
full names (tokens drawn from the pair set and recombined) in two regimes: *distinct* (every name
different, caches cold — the worst case) and *repeated* (names drawn with a Zipf law from a pool,
as in real lists where common names repeat).

Run: ``.venv/bin/python benchmarks/names.py [--split test|dev|all] [--errors N] [--no-speed]
[--no-write]``. Prints a Markdown table and appends it to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from _machine import append_results, machine

import reckon.text as text
from reckon.text import names as _names
from reckon.text import similarity as _similarity

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "name_pairs.csv"


def load_pairs(split: str) -> list[dict[str, str]]:
    with open(PAIRS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows if split == "all" else [r for r in rows if r["split"] == split]


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
        print("\n# key misses on true pairs (a | b | key a | key b)")
        miss = [i for i in np.nonzero(pos & ~same_key)[0]]
        for i in miss[:n_errors]:
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]} | {kb[i]}  sim={sim[i]:.3f}")
        print("\n# key collisions on different pairs")
        for i in list(np.nonzero(neg & same_key)[0])[:n_errors]:
            print(f"  {rows[i]['kind']:<18} {a[i]} | {b[i]} | {ka[i]}  sim={sim[i]:.3f}")
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


def speed(n_names: int, n_pairs: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    names = generated_names(n_names, seed=1)

    clear_caches()
    with _Timer() as t:
        text.name_keys_batch(names)
    out.append(
        (f"name_keys_batch, {n_names:,} distinct names, cold caches", *t.rate(n_names, "names"))
    )

    rng = np.random.default_rng(2)
    pool = names[:20_000]
    zipf = np.minimum(rng.zipf(1.3, size=1_000_000), len(pool)) - 1
    repeated = [pool[i] for i in zipf]
    clear_caches()
    with _Timer() as t:
        text.name_keys_batch(repeated)
    out.append(
        (
            f"name_keys_batch, 1,000,000 names (Zipf over {len(pool):,}; {len(set(repeated)):,} distinct), cold caches",
            *t.rate(len(repeated), "names"),
        )
    )

    # similarity: candidate pairs among a set of records, as blocking produces them
    n_rec = min(100_000, n_names)
    recs = names[:n_rec]
    ia = rng.integers(0, n_rec, n_pairs)
    ib = rng.integers(0, n_rec, n_pairs)
    a = [recs[i] for i in ia]
    b = [recs[i] for i in ib]
    text.name_similarity_batch(a[:10], b[:10])  # compile the kernel (numba caches it on disk)
    clear_caches()
    with _Timer() as t:
        text.name_similarity_batch(a, b)
    out.append(
        (
            f"name_similarity_batch, {n_pairs:,} pairs among {n_rec:,} distinct names, cold caches (parses every name)",
            *t.rate(n_pairs, "pairs"),
        )
    )
    with _Timer() as t:
        text.name_similarity_batch(a, b)
    out.append(
        (
            f"name_similarity_batch, same {n_pairs:,} pairs, names already parsed",
            *t.rate(n_pairs, "pairs"),
        )
    )

    cold_a = names[n_rec : n_rec + 200_000]
    cold_b = names[n_rec + 200_000 : n_rec + 400_000]
    if len(cold_b) == 200_000:
        clear_caches()
        with _Timer() as t:
            text.name_similarity_batch(cold_a, cold_b)
        out.append(
            (
                "name_similarity_batch, 200,000 pairs of 400,000 distinct names, cold (worst case)",
                *t.rate(200_000, "pairs"),
            )
        )

    with _Timer() as t:
        for x, y in zip(a[:50_000], b[:50_000], strict=True):
            text.name_similarity(x, y)
    out.append(
        ("name_similarity (one pair per call), 50,000 parsed pairs", *t.rate(50_000, "pairs"))
    )
    return out


def render(title: str, rows: list[tuple[str, str, str]]) -> str:
    lines = [title, "", "| measure | value | note |", "|---|---|---|"]
    lines += [f"| {m} | {v} | {n} |" for m, v, n in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev", "all"])
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each sort")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    ap.add_argument("--names", type=int, default=600_000, help="distinct names for the speed runs")
    ap.add_argument("--pairs", type=int, default=1_000_000)
    args = ap.parse_args()

    rows = load_pairs(args.split)
    q = quality(rows, args.errors)
    out = render(
        f"Quality on the `{args.split}` split of benchmarks/data/name_pairs.csv ({len(rows)} pairs; rules "
        f"tuned on `dev`), threshold {text.DEFAULT_SIMILARITY_THRESHOLD}:",
        q,
    )
    if not args.no_speed:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        out += "\n" + render(
            f"Speed, one core (single-threaded; rates use CPU time because the machine was shared: "
            f"load average {load:.1f} on {os.cpu_count()} cores; wall-clock rates in the notes):",
            speed(args.names, args.pairs),
        )
    command = f".venv/bin/python benchmarks/names.py --split {args.split}"
    body = f"Command: `{command}`\n\n{out}"
    print(f"Names (issue 3) — {machine()}\n\n{body}")
    if not args.no_write:
        append_results("Names (issue 3)", body)


if __name__ == "__main__":
    main()
