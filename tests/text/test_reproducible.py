"""Scores are the same whether numba compiled the kernel in this process or loaded it from its
cache: a first run and a later one on the same lists give the same links."""

import hashlib
import os
import subprocess
import sys

import pytest

#: Scores 300,000 pairs of names made of words of the labelled pairs, recombined: enough
#: distinct token pairs that a last-bit difference in the arithmetic shows in the rounding.
SCRIPT = """
import csv, hashlib, random, sys
import reckon.text as text
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
words = sorted({w for r in rows for n in (r["name_a"], r["name_b"]) for w in n.replace(",", " ").split()})
rng = random.Random(1)
names = [" ".join(rng.choice(words) for _ in range(rng.choice((2, 2, 3)))) for _ in range(60000)]
a = [rng.choice(names) for _ in range(300000)]
b = [rng.choice(names) for _ in range(300000)]
print(hashlib.sha256(text.name_similarity_batch(a, b).tobytes()).hexdigest())
"""


@pytest.mark.slow
def test_scores_are_the_same_compiled_or_loaded_from_the_cache(tmp_path):
    from pathlib import Path

    pairs = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "name_pairs.csv"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(pairs)],
            env=env, capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
        return done.stdout.strip()

    compiled = run()  # compiles the kernel and writes the cache
    assert any((tmp_path / "numba-cache").rglob("*.nbi")), "the first run wrote no cache"
    assert run() == compiled  # loads the kernel from the cache
    assert len(compiled) == len(hashlib.sha256().hexdigest())
