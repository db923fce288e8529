"""Projects, migrations and the schema check on open."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from reckon.errors import ProjectError, SchemaVersionError
from reckon.store import current_revision, head_revision, init_project, open_project


def test_init_creates_layout_and_migrates(empty_project):
    root = empty_project.root
    assert (root / "reckon.yaml").is_file()
    assert (root / "files").is_dir()
    assert current_revision(empty_project.engine) == head_revision()


def test_sqlite_uses_wal_and_foreign_keys(sqlite_project):
    with sqlite_project.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_open_finds_the_project_and_checks_the_schema(empty_project, database_url):
    reopened = open_project(empty_project.root, database_url)
    assert reopened.root == empty_project.root
    reopened.close()


def test_init_twice_is_harmless(tmp_path):
    init_project(tmp_path / "p").close()
    project = init_project(tmp_path / "p")
    assert current_revision(project.engine) == head_revision()
    project.close()


def test_newer_database_gets_a_clear_message(sqlite_project):
    db = sqlite_project.root / "reckon.db"
    sqlite_project.close()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(SchemaVersionError, match="newer Reckon"):
        open_project(sqlite_project.root)


def test_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="not a Reckon project"):
        open_project(tmp_path)


def test_empty_database_is_reported(tmp_path):
    (tmp_path / "reckon.yaml").write_text("format: 1\n")
    with pytest.raises(ProjectError, match="run `reckon init`"):
        open_project(tmp_path)


def test_unsupported_database_url(tmp_path):
    with pytest.raises(ProjectError, match="unsupported database"):
        init_project(tmp_path / "p", "mysql://localhost/x")
