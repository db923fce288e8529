"""The linkage commands through the CLI: link, link model, review, persons, export links."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from reckon.cli.app import _register, app, options

from .conftest import import_lists

_register()
runner = CliRunner()


@pytest.fixture(scope="module")
def cli_project(tmp_path_factory, scenario_dir):
    from reckon.store import init_project

    root = tmp_path_factory.mktemp("cli") / "project"
    project = init_project(root)
    import_lists(project, scenario_dir)
    project.close()
    return root


def invoke(root, *args, input=None):
    options.project = root
    result = runner.invoke(app, ["--project", str(root), *args], input=input)
    return result


def test_link_then_model_show_and_chart(cli_project, tmp_path):
    result = invoke(cli_project, "link", "--threshold", "0.9")
    assert result.exit_code == 0, result.output
    assert "persons" in result.output and "model v1" in result.output
    result = invoke(cli_project, "link", "model", "--show", "--chart", str(tmp_path / "w.png"))
    assert result.exit_code == 0, result.output
    assert "match weight" in result.output and "name" in result.output
    assert (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG"
    result = invoke(cli_project, "link", "model", "--no-show", "--chart", str(tmp_path / "w.html"))
    assert "data:image/png;base64," in (tmp_path / "w.html").read_text()


def test_review_records_decisions_from_prompts(cli_project):
    from reckon.store import open_project

    # answers: different (with a reason), same (no reason), unsure, then quit
    result = invoke(
        cli_project, "review", "--limit", "5", "--band", "12",
        input="d\nfathers differ\ns\n\nu\n\nq\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Why the model thinks so" in result.output
    assert "3 decision(s) recorded" in result.output
    project = open_project(cli_project)
    from reckon.link.review import list_decisions

    decisions = list_decisions(project)
    project.close()
    assert [d.decision for d in decisions[::-1]] == ["different", "same", "unsure"]
    assert decisions[-1].reason == "fathers differ"
    assert all(d.decided_by == "human" and d.actor for d in decisions)


def test_persons_and_export_links(cli_project, tmp_path):
    result = invoke(cli_project, "persons", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "lists" in result.output and "person(s) shown" in result.output
    out = tmp_path / "links.csv"
    result = invoke(cli_project, "export", "links", "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and rows[0]["person_id"] and rows[0]["file"].endswith(".csv")


def test_bad_engine_is_a_clear_error(cli_project):
    from reckon.cli.app import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--project", str(cli_project), "link", "--engine", "oracle"])
    assert exit_info.value.code == 1


def test_veto_at_or_above_the_threshold_is_a_clear_error(cli_project, capsys):
    from reckon.cli.app import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--project", str(cli_project), "link", "--recluster", "--veto", "0.5"])
    assert exit_info.value.code == 1
    assert "veto must be at least 0 and below the threshold (0.3)" in capsys.readouterr().err


def test_recluster_without_veto_reports_the_plain_single_linkage(cli_project):
    from reckon.link import latest_run
    from reckon.store import open_project

    result = invoke(cli_project, "link", "--recluster", "--veto", "0")
    assert result.exit_code == 0, result.output
    assert "refused because they would have joined" not in result.output
    run = latest_run(open_project(cli_project))
    assert run["veto"] is None and run["refused_by_veto"] == 0
