"""`reckon estimate`: output shapes, messages and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon.cli.app import _register, app, main
from reckon.errors import ProjectError, ReckonError

_register()
runner = CliRunner()
MSE = Path(__file__).resolve().parent.parent / "data" / "mse"
KOSOVO = str(MSE / "kosovo_aggregate.csv")


def invoke(*args):
    return runner.invoke(app, ["estimate", *args])


def test_json_output_shape():
    result = invoke("--histories", KOSOVO, "--method", "loglinear", "--model", "all-2way", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("method", "n_observed", "estimate", "lower", "upper", "level", "lists"):
        assert key in data
    assert data["method"] == "loglinear"
    assert data["n_observed"] == 4400
    assert round(data["estimate"], 1) == 14402.5
    assert (round(data["lower"]), round(data["upper"])) == (12523, 16668)


def test_default_output_is_a_table():
    result = invoke("--histories", KOSOVO, "--method", "chao")
    assert result.exit_code == 0, result.output
    assert "Estimate — chao" in result.stdout
    assert "10,270" in result.stdout
    assert "4,400" in result.stdout


def test_merge_and_drop_are_reported():
    result = invoke(
        "--histories",
        KOSOVO,
        "--method",
        "chapman",
        "--merge",
        "EXH+ABA",
        "--drop",
        "HRW",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lists"] == ["EXH+ABA", "OSCE"]
    assert "Merged lists EXH, ABA" in result.stderr
    assert "Dropped list(s) HRW" in result.stderr


def test_empty_lists_dropped_with_a_message(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("A,B,EMPTY,count\n1,0,0,60\n0,1,0,30\n1,1,0,20\n", encoding="utf-8")
    result = invoke("--histories", str(path), "--method", "chapman", "--json")
    assert result.exit_code == 0, result.output
    assert "Dropped empty list(s) EMPTY" in result.stderr
    assert json.loads(result.stdout)["estimate"] == pytest.approx(81 * 51 / 21 - 1)


def test_stratified_by_a_column(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "city,A,B,count\nTehran,1,0,60\nTehran,0,1,30\nTehran,1,1,20\n"
        "Tabriz,1,0,40\nTabriz,0,1,20\nTabriz,1,1,16\n",
        encoding="utf-8",
    )
    result = invoke("--histories", str(path), "--method", "loglinear", "--by", "city", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["strata"]) == {"Tehran", "Tabriz"}
    assert data["pooled"] == {}
    assert data["estimate"] == pytest.approx(80 * 50 / 20 + 56 * 36 / 16)
    table = invoke("--histories", str(path), "--method", "loglinear", "--by", "city")
    assert "Tabriz" in table.stdout and "total" in table.stdout


CITIES = (
    "city,A,B,count\nTehran,1,0,60\nTehran,0,1,30\nTehran,1,1,20\n"
    "Tabriz,1,0,40\nTabriz,0,1,20\nTabriz,1,1,16\n"
    "Qom,1,0,15\nQom,0,1,10\nQom,1,1,5\n"
    "Yazd,1,0,12\nYazd,0,1,8\nYazd,1,1,5\n"
)


def test_small_strata_are_pooled_and_said_so(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(CITIES, encoding="utf-8")
    args = ("--histories", str(path), "--method", "chapman", "--by", "city")
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["strata"]) == ["Tabriz", "Tehran", "other (pooled)"]
    assert data["pooled"] == {"other (pooled)": ["Qom", "Yazd"]}
    assert data["n_observed"] == 110 + 76 + 30 + 25
    table = invoke(*args)
    assert table.exit_code == 0, table.output
    assert "other (pooled)" in table.stdout
    assert "pools 2 strata: Qom, Yazd (fewer than 50 documented)" in table.stdout


def test_min_stratum_zero_fits_every_stratum(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(CITIES, encoding="utf-8")
    result = invoke(
        "--histories", str(path), "--method", "chapman", "--by", "city", "--min-stratum", "0"
    )
    assert result.exit_code == 0, result.output
    assert "Qom" in result.stdout and "pooled" not in result.stdout


def test_stratum_that_cannot_be_fitted(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(CITIES + "Ilam,1,0,3\nIlam,0,1,2\n", encoding="utf-8")  # lists don't overlap
    args = ("--histories", str(path), "--method", "chao", "--by", "city")
    pooled = invoke(*args, "--json")
    assert pooled.exit_code == 0, pooled.output
    data = json.loads(pooled.stdout)
    assert "Ilam" in data["pooled"]["other (pooled)"]
    assert data["n_observed"] == 110 + 76 + 30 + 25 + 5
    failed = invoke(*args, "--min-stratum", "0")
    assert failed.exit_code == 1
    assert isinstance(failed.exception, ReckonError)
    assert "stratum 'Ilam'" in str(failed.exception)
    assert "--min-stratum" in str(failed.exception)


def test_report_is_written_and_self_contained(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("--histories", KOSOVO, "--method", "chao", "--report", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", text)
    assert "reckon estimate --histories" in text
    assert "--method chao" in text
    assert "data:image/png;base64," in text


def test_user_errors_exit_1_through_main(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,5\n1,2,3\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["estimate", "--histories", str(bad), "--method", "chao"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Error:" in err
    assert "row 2, column 'B'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--histories", "/nonexistent/h.csv", "--method", "chao"],
        ["--histories", KOSOVO, "--method", "chapman"],  # four lists
        ["--histories", KOSOVO, "--method", "chao", "--merge", "EXH"],
        ["--histories", KOSOVO, "--method", "chao", "--drop", "NOPE"],
        ["--method", "chao"],  # no project histories yet
        ["--histories", KOSOVO, "--linkage-sensitivity"],
    ],
)
def test_user_errors_are_reckon_errors(args):
    result = invoke(*args)
    assert result.exit_code == 1
    assert isinstance(result.exception, ReckonError)


def test_project_input_needs_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--method", "chao")
    assert isinstance(result.exception, ProjectError)
    assert "reckon init" in str(result.exception)


@pytest.mark.parametrize(
    "args",
    [
        ["--histories", KOSOVO, "--method", "bayes"],
        ["--histories", KOSOVO, "--model", "saturated"],
        ["--histories", KOSOVO, "--level", "2"],
        ["--histories", KOSOVO, "--K", "ten"],
    ],
)
def test_bad_options_exit_2(args):
    assert invoke(*args).exit_code == 2


def test_lcmcr_runs_from_the_cli():
    pytest.importorskip("reckon.estimate.lcmcr")
    result = invoke(
        "--histories",
        KOSOVO,
        "--method",
        "lcmcr",
        "--K",
        "5",
        "--burnin",
        "200",
        "--samples",
        "100",
        "--thinning",
        "2",
        "--seed",
        "1",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "lcmcr"
    assert data["n_draws"] >= 100
    assert data["settings"]["seed"] == 1
    assert 4400 < data["lower"] < data["estimate"] < data["upper"]


def test_help_mentions_every_method():
    result = runner.invoke(app, ["estimate", "--help"])
    assert result.exit_code == 0
    for method in ("lcmcr", "loglinear", "chao", "chapman", "dga"):
        assert method in result.stdout


def test_dga_from_the_cli():
    spina = str(MSE / "dga_MY_3list_spina.csv")
    result = invoke("--histories", spina, "--method", "dga", "--seed", "4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "dga"
    assert data["settings"]["seed"] == 4
    assert 650 < data["lower"] < data["estimate"] < data["upper"] < 850


def test_select_with_bic_from_the_cli():
    result = invoke(
        "--histories",
        KOSOVO,
        "--method",
        "loglinear",
        "--model",
        "select",
        "--criterion",
        "bic",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["diagnostics"]["criterion"] == "bic"
    assert data["settings"]["model"] == "select"
