"""`reckon demo` runs the whole job end to end on invented data."""

from __future__ import annotations

import pytest

from reckon.cli.app import main


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path, examples_dir, capsys):
    target = tmp_path / "demo"
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--dir", str(target), "--examples", str(examples_dir), "--people", "400"])
    out = capsys.readouterr().out
    assert exit_info.value.code in (0, None)
    assert "Linked 21 records into 10 persons" in out  # the ten invented sample persons
    assert "true total (invented)" in out and "LCMCR" in out
    # Run again: the earlier demo folder is replaced, not mixed in.
    with pytest.raises(SystemExit):
        main(["demo", "--dir", str(target), "--examples", str(examples_dir), "--people", "400"])
    assert "Linked 21 records into 10 persons" in capsys.readouterr().out


def test_demo_refuses_a_folder_it_did_not_make(tmp_path, capsys):
    (tmp_path / "precious").mkdir()
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--dir", str(tmp_path / "precious")])
    assert exit_info.value.code == 1
    assert "not a demo folder" in capsys.readouterr().err
