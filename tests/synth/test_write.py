"""Written scenarios read back: lists in their declared encodings, XLSX, truth, population."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from reckon.errors import ConfigError
from reckon.synth import ScenarioConfig, generate_scenario, write_scenario


def _read_csv(path, encoding):
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def test_manifest(written_legacy):
    scenario, _, paths, manifest = written_legacy
    assert manifest["N"] == scenario.size == 1500
    assert manifest["seed"] == 5
    assert manifest["records"] == scenario.records
    assert manifest["counts"] == scenario.counts()
    assert sum(manifest["capture_histories"].values()) == scenario.size
    assert manifest["files"]["AI"] == {"csv": "AI.csv", "xlsx": "AI.xlsx", "encoding": "utf-8-sig"}
    assert manifest["files"]["HR"]["encoding"] == "utf-16"
    assert manifest["files"]["FM"]["encoding"] == "cp1256"
    assert manifest["files"]["MJ"]["encoding"] == "utf-8"
    assert {p.name for p in paths} == {
        *(f"{c}.{x}" for c in ("AI", "MJ", "HR", "FM") for x in ("csv", "xlsx")),
        "truth.csv", "population.csv", "scenario.json",
    }  # fmt: skip


def test_lists_read_back_in_their_encoding(written_legacy):
    scenario, outdir, _, manifest = written_legacy
    for source in scenario.lists:
        encoding = manifest["files"][source.code]["encoding"]
        raw = (outdir / f"{source.code}.csv").read_bytes()
        if encoding in {"utf-16", "cp1256"}:  # really not UTF-8
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
        rows = _read_csv(outdir / f"{source.code}.csv", encoding)
        assert rows[0] == source.header
        assert rows[1:] == source.rows()


def test_windows_1256_list_is_typed_with_arabic_letters(written_legacy):
    scenario, outdir, _, _ = written_legacy
    fm = next(s for s in scenario.lists if s.code == "FM")
    text = (outdir / "FM.csv").read_text(encoding="cp1256")
    assert "ي" in text and "ی" not in text
    assert fm.persian.any()


def test_xlsx_matches_csv(written_legacy):
    scenario, outdir, _, _ = written_legacy
    for source in scenario.lists[:2] + scenario.lists[3:]:
        book = load_workbook(outdir / f"{source.code}.xlsx", read_only=True)
        rows = [
            ["" if v is None else v for v in row] for row in book.active.iter_rows(values_only=True)
        ]
        book.close()
        assert rows[0] == source.header
        assert rows[1:] == source.rows()


def test_truth_names_every_row(written_legacy):
    scenario, outdir, _, _ = written_legacy
    truth = _read_csv(outdir / "truth.csv", "utf-8")
    assert truth[0] == ["list", "file", "row", "person_id", "script", "copy"]
    by_list = defaultdict(list)
    for row in truth[1:]:
        by_list[row[0]].append(row)
    ids = scenario.population.ids
    for source in scenario.lists:
        rows = by_list[source.code]
        assert [int(r[2]) for r in rows] == list(range(1, len(source) + 1))
        assert {r[1] for r in rows} == {f"{source.code}.csv"}
        assert [r[3] for r in rows] == ids[source.person].tolist()
        assert [r[4] == "fa" for r in rows] == source.persian.tolist()
        assert sum(r[5] == "2" for r in rows) == int((source.copy == 2).sum())
    assert len(truth) - 1 == scenario.records


def test_population_file(written_legacy):
    scenario, outdir, _, _ = written_legacy
    rows = _read_csv(outdir / "population.csv", "utf-8")
    header, rows = rows[0], rows[1:]
    assert len(rows) == scenario.size
    col = {name: i for i, name in enumerate(header)}
    codes = [s.code for s in scenario.lists]
    for i, row in enumerate(rows[:200]):
        assert row[col["person_id"]] == scenario.population.ids[i]
        on = [c for j, c in enumerate(codes) if scenario.capture[i, j]]
        assert row[col["lists"]] == ";".join(on)
        assert row[col["gender"]] in {"M", "F"}
        assert row[col["execution_date"]].startswith("1988-")
        assert int(row[col["age"]]) == scenario.population.age[i]
    assert any(row[col["lists"]] == "" for row in rows)  # the undocumented


def test_bad_format_is_a_config_error(tmp_path):
    scenario = generate_scenario(ScenarioConfig(people=50))
    with pytest.raises(ConfigError):
        write_scenario(scenario, tmp_path, formats=("pdf",))
