"""`reckon synth`: writes a scenario, exits 0; bad options exit 2."""

from __future__ import annotations

import json

import pytest

from reckon.cli.app import main


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_synth_writes_a_scenario(tmp_path, capsys):
    outdir = tmp_path / "scenario"
    code, out, _ = _run(["synth", str(outdir), "--people", "400", "--seed", "9"], capsys)
    assert code == 0
    assert "N = 400 people" in out
    names = sorted(p.name for p in outdir.iterdir())
    assert names == sorted(
        ["AI.csv", "MJ.csv", "HR.csv", "FM.csv", "truth.csv", "population.csv", "scenario.json"]
    )
    manifest = json.loads((outdir / "scenario.json").read_text(encoding="utf-8"))
    assert manifest["N"] == 400 and manifest["seed"] == 9
    assert {f["encoding"] for f in manifest["files"].values()} == {"utf-8"}
    first = (outdir / "HR.csv").read_bytes()

    # not empty any more: refused, then allowed with --force, and the same seed gives the same file
    code, _, err = _run(["synth", str(outdir), "--people", "400", "--seed", "9"], capsys)
    assert code == 1 and "not empty" in err
    code, _, _ = _run(["synth", str(outdir), "-n", "400", "--seed", "9", "--force"], capsys)
    assert code == 0 and (outdir / "HR.csv").read_bytes() == first


def test_synth_xlsx_records_and_options(tmp_path, capsys):
    outdir = tmp_path / "x"
    argv = ["synth", str(outdir), "--records", "600", "--lists", "2", "--format", "both",
            "--start", "1988-08-01", "--end", "1988-08-31", "--legacy-encodings"]  # fmt: skip
    code, _, _ = _run(argv, capsys)
    assert code == 0
    assert {p.name for p in outdir.glob("*.xlsx")} == {"AI.xlsx", "MJ.xlsx"}
    manifest = json.loads((outdir / "scenario.json").read_text(encoding="utf-8"))
    assert 500 < manifest["records"] < 700
    assert manifest["config"]["start"] == "1988-08-01"
    assert manifest["files"]["AI"]["encoding"] == "utf-8-sig"
    population = (outdir / "population.csv").read_text(encoding="utf-8")
    assert ",1988-08-" in population and ",1988-07-" not in population


@pytest.mark.parametrize(
    "options",
    [
        ["--people", "0"],
        ["--lists", "0"],
        ["--lists", "27"],
        ["--seed", "-1"],
        ["--format", "pdf"],
        ["--start", "19.07.1988"],
        ["--start", "1988-09-30", "--end", "1988-07-19"],
        ["--people", "10", "--records", "10"],
        ["--no-such-option"],
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, options):
    code, _, _ = _run(["synth", str(tmp_path / "out"), *options], capsys)
    assert code == 2
    assert not (tmp_path / "out").exists()
