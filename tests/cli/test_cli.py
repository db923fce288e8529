"""The command line: help everywhere, one-line errors, exit codes."""

from __future__ import annotations

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reckon.cli.app import _register, app, main

_register()
runner = CliRunner()


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


ALL_COMMANDS = sorted(_commands(get_command(app)), key=lambda c: c[0])


@pytest.mark.parametrize("path,command", ALL_COMMANDS, ids=[" ".join(p) for p, _ in ALL_COMMANDS])
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"`reckon {' '.join(path)}` has no help text"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            assert (param.help or "").strip(), f"option {param.opts} of {path} has no help"


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_init_import_records_show(tmp_path, examples_dir, capsys):
    project = str(tmp_path / "p")
    assert _run(["init", project], capsys)[0] == 0
    code, out, _ = _run(
        ["-p", project, "import", str(examples_dir / "ngo_list.csv"), "--source", "NGO"], capsys
    )
    assert code == 0 and "Imported 8 of 8 rows" in out
    code, out, _ = _run(
        ["-p", project, "import", str(examples_dir / "ngo_list.csv"), "--source", "NGO"], capsys
    )
    assert code == 0 and "already imported" in out
    code, out, _ = _run(["-p", project, "records", "--search", "کریمی"], capsys)
    assert code == 0 and "Mohammad-Reza Karimi" in out
    code, out, _ = _run(["-p", project, "show", "1"], capsys)
    assert code == 0 and "As the source wrote it" in out and "NGO-001" in out
    code, out, _ = _run(["-p", project, "sources"], capsys)
    assert code == 0 and "NGO" in out


def test_user_errors_are_one_line_and_exit_1(tmp_path, capsys):
    code, _, err = _run(["-p", str(tmp_path), "records"], capsys)
    assert code == 1
    assert err.startswith("Error:") and "Traceback" not in err
    project = str(tmp_path / "p")
    _run(["init", project], capsys)
    code, _, err = _run(["-p", project, "show", "999"], capsys)
    assert code == 1 and "no record with id 999" in err
    code, _, err = _run(["-p", project, "import", str(tmp_path / "missing.csv"), "-s", "X"], capsys)
    assert code == 1 and "no such file" in err


def test_rejected_rows_exit_3(tmp_path, capsys):
    project = str(tmp_path / "p")
    _run(["init", project], capsys)
    path = tmp_path / "l.csv"
    path.write_text("name,date of execution\nAli Rezaei,1367/13/01\nHassan Karimi,1367/5/8\n")
    code, out, err = _run(["-p", project, "import", str(path), "-s", "L"], capsys)
    assert code == 3
    assert "Imported 1 of 2 rows" in out and "1 row(s) rejected" in err


def test_bad_option_exits_2(capsys):
    code, _, _ = _run(["records", "--limit", "zero"], capsys)
    assert code == 2
