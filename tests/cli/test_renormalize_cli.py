"""`reckon renormalize` and the hint of `reckon records --search` when keys are outdated."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from reckon.cli.app import main
from reckon.cli.records import STALE_KEYS_HINT
from reckon.store import open_project

LIST = (
    "id,Full name,Father's name,Date of execution\n"
    "R-1,داود رحیمی,حسن,1367/05/08\n"
    "R-2,Hamid Nouri,داود,1988-07-30\n"
    "R-3,Hossein Karimi,Abbas,1988-08\n"
)


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code or 0, out.out, out.err


@pytest.fixture
def project_dir_imported_by_older_rules(tmp_path, capsys, older_name_rules):
    """A project directory whose one list was imported, by the CLI, under older name rules."""
    root = str(tmp_path / "p")
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    assert _run(["init", root], capsys)[0] == 0
    with older_name_rules():
        code, out, _ = _run(["-p", root, "import", str(path), "-s", "Older list"], capsys)
    assert code == 0 and "Imported 3 of 3 rows" in out
    return root


def test_renormalize_then_search_finds(project_dir_imported_by_older_rules, capsys):
    root = project_dir_imported_by_older_rules
    code, out, err = _run(["-p", root, "records", "--search", "Davoud Rahimi"], capsys)
    assert code == 0 and "No records match." in out
    assert err.strip() == STALE_KEYS_HINT  # one line, on stderr

    code, out, err = _run(["-p", root, "renormalize", "--dry-run"], capsys)
    assert code == 0 and "Traceback" not in err
    assert "3 record(s) checked; 2 would change; 0 skipped" in out
    assert "Dry run: nothing was written." in out
    assert "No records match." in _run(["-p", root, "records", "-q", "Davoud Rahimi"], capsys)[1]

    code, out, _ = _run(["-p", root, "renormalize"], capsys)
    assert code == 0 and "3 record(s) checked; 2 changed; 0 skipped" in out
    assert "Import batches refreshed: 1." in out and "reckon link" in out
    code, out, err = _run(["-p", root, "records", "--search", "Davoud Rahimi"], capsys)
    assert code == 0 and "داود رحیمی" in out and err == ""
    assert _run(["-p", root, "verify"], capsys)[0] == 0

    code, out, _ = _run(["-p", root, "renormalize"], capsys)
    assert code == 0 and "0 changed" in out and "Import batches refreshed: 0." in out


def test_listing_without_search_gives_no_hint(project_dir_imported_by_older_rules, capsys):
    code, _, err = _run(["-p", project_dir_imported_by_older_rules, "records"], capsys)
    assert code == 0 and err == ""


def test_user_errors_exit_1(project_dir_imported_by_older_rules, capsys, monkeypatch):
    root = project_dir_imported_by_older_rules
    monkeypatch.setenv("RECKON_USER", "admin")
    assert _run(["-p", root, "users", "add", "admin", "--role", "admin"], capsys)[0] == 0
    assert _run(["-p", root, "users", "add", "vera", "--role", "viewer"], capsys)[0] == 0
    monkeypatch.setenv("RECKON_USER", "vera")
    code, out, err = _run(["-p", root, "renormalize"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("Error:") and "documenter" in err and "Traceback" not in err

    monkeypatch.setenv("RECKON_USER", "admin")
    project = open_project(root)
    with project.engine.begin() as connection:  # behind the log's back
        connection.execute(text("UPDATE record SET name_key = 'forged' WHERE id = 2"))
    project.close()
    code, _, err = _run(["-p", root, "renormalize"], capsys)
    assert code == 1 and err.startswith("Error:") and "reckon verify" in err
    assert "Traceback" not in err


def test_bad_option_exits_2(project_dir_imported_by_older_rules, capsys):
    code, _, _ = _run(
        ["-p", project_dir_imported_by_older_rules, "renormalize", "--dryrun"], capsys
    )
    assert code == 2
