"""Linking a project end to end: persons, stable ids, decisions that bind, exports, histories."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from reckon.errors import LinkageConfigError, NotFoundError
from reckon.link import (
    DEFAULT_THRESHOLD,
    DEFAULT_VETO,
    LinkConfig,
    export_links,
    latest_run,
    link_project,
    list_persons,
    load_model,
    model_versions,
    recluster,
    record_decision,
    review_queue,
)
from reckon.link.histories import capture_histories, histories_from_project
from reckon.link.service import pairs_path, read_pairs
from reckon.model import LinkDecision, Person, PersonRecord, Record
from reckon.store import init_project

from .conftest import import_lists, make_scenario, read_truth


def assignments(project) -> dict[int, int]:
    with project.session() as session:
        return dict(session.execute(select(PersonRecord.record_id, PersonRecord.person_id)).all())


def persons_of(project) -> dict[int, frozenset[int]]:
    out: dict[int, set[int]] = {}
    for record, person in assignments(project).items():
        out.setdefault(person, set()).add(record)
    return {p: frozenset(r) for p, r in out.items()}


def test_every_record_gets_a_person_and_links_are_mostly_right(linked_project, scenario_dir):
    project = linked_project
    with project.session() as session:
        records = session.scalar(select(func.count()).select_from(Record))
    assigned = assignments(project)
    assert len(assigned) == records
    truth = read_truth(scenario_dir)
    with project.session() as session:
        where = {r.id: (r.batch.file_name, r.row_number) for r in session.scalars(select(Record))}
    same_true = same_found = both = 0
    ids = sorted(assigned)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            t = truth[where[a]] == truth[where[b]]
            f = assigned[a] == assigned[b]
            same_true += t
            same_found += f
            both += t and f
    precision, recall = both / same_found, both / same_true
    assert precision > 0.9, precision
    assert recall > 0.6, recall


def test_model_is_saved_versioned_and_viewable(linked_project):
    assert model_versions(linked_project.root) == [1]
    model = load_model(linked_project.root)
    assert model.version == 1 and 0 < model.prior < 1
    names = {row["comparison"] for row in model.parameters()}
    assert {"name", "father", "death", "birth", "city", "prison"} <= names
    data = json.loads((linked_project.root / "models" / "linkage-v1.json").read_text())
    assert data["splink_settings"]["comparisons"]
    with pytest.raises(NotFoundError):
        load_model(linked_project.root, 7)


def test_export_links_writes_one_row_per_record(linked_project, scenario_dir, tmp_path):
    out = tmp_path / "links.csv"
    count = export_links(linked_project, out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count == len(assignments(linked_project))
    assert list(rows[0]) == [
        "person_id", "source", "file", "row", "match_probability", "record_id",
    ]  # fmt: skip
    truth = read_truth(scenario_dir)
    assigned = assignments(linked_project)
    for row in rows:
        assert (row["file"], int(row["row"])) in truth  # 1-based data rows of the file
        assert int(row["person_id"]) == assigned[int(row["record_id"])]
        assert row["source"] == row["file"].removesuffix(".csv")
        if row["match_probability"]:
            assert DEFAULT_THRESHOLD <= float(row["match_probability"]) <= 1.0


def test_persons_listing_shows_lists(linked_project):
    page = list_persons(linked_project, limit=5)
    assert page.total == len(persons_of(linked_project))
    assert sum(page.by_list_count.values()) == page.total
    assert all(p.sources and p.records >= len(p.sources) for p in page.persons)
    several = list_persons(linked_project, min_lists=2)
    assert all(len(p.sources) >= 2 for p in several.persons)
    only_ai = list_persons(linked_project, source="AI", limit=1000)
    assert all("AI" in p.sources for p in only_ai.persons)


def test_capture_histories_from_persons_strata_and_thresholds(linked_project):
    histories = capture_histories(linked_project)
    assert histories.lists == ("AI", "FM", "HR", "MJ")
    assert histories.n_observed == len(persons_of(linked_project))
    by_city = capture_histories(linked_project, by="city")
    assert sum(h.n_observed for h in by_city.values()) == histories.n_observed
    assert "Tehran" in by_city or "تهران" in by_city  # one stratum for every spelling
    by_month = capture_histories(linked_project, by="death_month")
    assert all(k == "unknown" or k[:4] == "1988" for k in by_month)
    loose = capture_histories(linked_project, threshold=0.1)  # default 0.3
    strict = capture_histories(linked_project, threshold=0.99)
    assert loose.n_observed <= histories.n_observed <= strict.n_observed
    same = histories_from_project(linked_project.root, threshold=None)
    assert same == histories
    with pytest.raises(Exception, match="stratify"):
        capture_histories(linked_project, by="shoe_size")


def _cluster_of_three(project) -> list[int]:
    for records in persons_of(project).values():
        if len(records) >= 3:
            return sorted(records)[:3]
    pytest.skip("no person with three records")


def test_cannot_link_holds_transitively_and_in_later_runs(linked_project):
    project = linked_project
    a, b, c = _cluster_of_three(project)
    before = persons_of(project)
    record_decision(project, a, c, "different", reason="different fathers", actor="reviewer")
    result = recluster(project, actor="reviewer")
    assigned = assignments(project)
    assert assigned[a] != assigned[c]
    assert result.changes.splits  # the person was split, and the split is reported
    split = result.changes.splits[0]
    assert split["person_id"] in before and len(split["into"]) == 2
    with project.session() as session:
        decision = session.scalars(select(LinkDecision)).all()[-1]
    assert (decision.actor, decision.reason, decision.decision) == (
        "reviewer", "different fathers", "different",
    )  # fmt: skip
    # a contradicting "same" through the third record is refused
    record_decision(project, a, b, "same", actor="reviewer")
    with pytest.raises(LinkageConfigError, match="cannot be the same"):
        record_decision(project, b, c, "same", actor="reviewer")
    # a full run with the saved model still honours the decisions
    link_project(project, LinkConfig(model_version=1), actor="tester")
    assigned = assignments(project)
    assert assigned[a] == assigned[b] != assigned[c]


def test_must_link_merges_and_is_logged(linked_project):
    project = linked_project
    people = sorted(persons_of(project).items())
    (p1, r1), (p2, r2) = people[0], people[-1]
    record_decision(project, min(r1), min(r2), "same", reason="same photo", actor="reviewer")
    result = recluster(project, actor="reviewer")
    assigned = assignments(project)
    assert assigned[min(r1)] == assigned[min(r2)]
    merge = [m for m in result.changes.merges if set(m["from"]) == {p1, p2}]
    assert merge and merge[0]["person_id"] in (p1, p2)
    retired = ({p1, p2} - {merge[0]["person_id"]}).pop()
    with project.session() as session:
        person = session.get(Person, retired)
    assert person.retired_at is not None
    assert person.successor_ids == [merge[0]["person_id"]]
    assert "merged into" in person.retired_reason


def test_review_queue_skips_decided_pairs(linked_project):
    queue = review_queue(linked_project, limit=5, band=10)
    assert queue
    first = queue[0]
    assert {f.comparison for f in first.fields} >= {"name", "death"}
    record_decision(linked_project, *first.ids, "unsure", actor="reviewer")
    assert first.ids not in [p.ids for p in review_queue(linked_project, limit=5, band=10)]


def test_ids_are_stable_when_a_list_is_added(tmp_path):
    directory = make_scenario(tmp_path / "synth", people=500, seed=21, lists=3)
    project = init_project(tmp_path / "project")
    import_lists(project, directory, codes=["AI", "MJ"])
    link_project(project, LinkConfig(), actor="tester")
    before = persons_of(project)
    import_lists(project, directory, codes=["HR"])
    result = link_project(project, LinkConfig(model_version=1), actor="tester")
    after = persons_of(project)
    # every person whose records are untouched keeps its id
    untouched = [p for p, records in before.items() if records in set(after.values())]
    assert len(untouched) > 0.8 * len(before)
    for person in untouched:
        assert after[person] == before[person]
    # and a person that gained records (the new list) keeps its id too
    grown = [p for p, records in before.items() if p in after and after[p] > records]
    assert grown
    assert result.changes.kept >= len(untouched)
    assert latest_run(project)["changes"]["persons"] == len(after)
    project.close()


def test_no_likely_match_gives_a_clear_error(tmp_path):
    names = ["Babak Ahmadi", "Kaveh Rostami", "Shirin Farahani", "Dariush Kamali", "Leila Sadr"]
    path = tmp_path / "list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Full name", "Date of execution"])
        for i, name in enumerate(names):
            writer.writerow([name, f"1988-08-{i + 1:02d}"])
    project = init_project(tmp_path / "project")
    from reckon.ingest import import_file

    import_file(project, path, "tiny")
    with pytest.raises(LinkageConfigError, match="no pair of records that looks like"):
        link_project(project, LinkConfig(), actor="tester")
    with pytest.raises(NotFoundError):
        export_links(project, tmp_path / "out.csv")
    project.close()


def test_unlikely_pairs_are_stored_and_keep_records_apart(tmp_path):
    directory = make_scenario(tmp_path / "synth", people=600, seed=5)
    project = init_project(tmp_path / "project")
    import_lists(project, directory)
    link_project(project, LinkConfig(), actor="tester")
    run = latest_run(project)
    assert run["veto"] == DEFAULT_VETO and run["floor"] == 0
    probability = read_pairs(pairs_path(run))["match_probability"]
    assert probability.min() < 0.01  # every candidate pair, however unlikely, is kept
    vetoed = persons_of(project)
    plain = recluster(project, veto=None, actor="tester")
    assert plain.vetoed == 0 and latest_run(project)["veto"] is None
    # the veto only ever keeps records apart: each of its persons lies within one plain person
    person_of = {r: p for p, records in persons_of(project).items() for r in records}
    assert all(len({person_of[r] for r in records}) == 1 for records in vetoed.values())
    assert len(persons_of(project)) <= len(vetoed)
    with pytest.raises(LinkageConfigError, match="veto"):
        recluster(project, threshold=0.3, veto=0.5)
    with pytest.raises(LinkageConfigError, match="veto"):
        LinkConfig(threshold=0.3, veto=0.3).validate()
    project.close()
