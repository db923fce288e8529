"""The rules' fingerprint: stable while the rules stay, different once one changes."""

from __future__ import annotations

import doctest
import re

import pytest

from reckon.text import fingerprint, keys, names, rules_fingerprint


@pytest.fixture
def fresh_rules():
    """Forget every memoized parse and the cached fingerprint before and after the test, so a
    rule patched inside it is applied, and undone for the tests that follow."""
    names.clear_caches()
    rules_fingerprint.cache_clear()
    yield
    names.clear_caches()
    rules_fingerprint.cache_clear()


def test_docstring_examples():
    assert doctest.testmod(fingerprint).failed == 0


def test_is_short_hex_and_stable_across_calls(fresh_rules):
    first = rules_fingerprint()
    assert re.fullmatch("[0-9a-f]{16}", first)
    rules_fingerprint.cache_clear()
    names.clear_caches()
    assert rules_fingerprint() == first  # recomputed from scratch: same digest


def test_probes_are_a_few_hundred_varied_names():
    probes = fingerprint.PROBE_NAMES
    assert 300 <= len(probes) <= 1000
    assert len(set(probes)) == len(probes)
    assert any(not p.isascii() for p in probes) and any(p.isascii() for p in probes)
    assert "NOURI, Seyed Hamid" in probes and "نوری، حمید" in probes


def test_changes_when_a_rule_table_changes(fresh_rules, monkeypatch):
    before = rules_fingerprint()
    # داود is read داوود (its و is both v and u); forget that one reading.
    monkeypatch.delitem(keys.VAV_DOUBLE_DUTY, "داود")
    names.clear_caches()
    rules_fingerprint.cache_clear()
    assert rules_fingerprint() != before
    monkeypatch.undo()
    names.clear_caches()
    rules_fingerprint.cache_clear()
    assert rules_fingerprint() == before
