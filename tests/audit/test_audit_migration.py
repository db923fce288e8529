"""Schema 0002 on a project that has data from before the audit log; `audit baseline`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from reckon import audit
from reckon.access import Actor
from reckon.ingest import import_file
from reckon.model import Role
from reckon.store import database, init_project, make_engine


def _config(engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def test_upgrade_from_0001_then_baseline(tmp_path, database_url, examples_dir):
    root = tmp_path / "old-project"
    root.mkdir()
    url = database_url or f"sqlite:///{root / 'reckon.db'}"
    engine = make_engine(url)
    command.upgrade(_config(engine), "0001")
    with engine.begin() as connection:  # what an import wrote before issue 6
        connection.execute(
            text(
                "INSERT INTO source (name, sensitivity, created_at) "
                "VALUES ('Old list', 'internal', '2024-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO import_batch (source_id, file_name, sha256, size_bytes, "
                "file_format, imported_at, imported_by, rows_read, rows_imported, rows_rejected, "
                "mapping, headers) VALUES (1, 'old.csv', :sha, 3, 'csv', "
                "'2024-01-01 00:00:00', 'someone', 2, 2, 0, '{}', '[]')"
            ),
            {"sha": "ab" * 32},
        )
        for n in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO record (source_id, batch_id, row_number, raw, name_keys, "
                    "warnings, sensitivity, created_at) VALUES (1, 1, :n, '{}', '[]', '[]', "
                    "'internal', '2024-01-01 00:00:00')"
                ),
                {"n": n},
            )
    engine.dispose()
    project = init_project(root, database_url)  # upgrades to head
    (project.files_dir / "ab").mkdir()
    (project.files_dir / "ab" / ("ab" * 31)).write_bytes(b"x")  # a stand-in stored file
    try:
        assert audit.verify_project(project, files=False).ok  # nothing covered yet…
        # …until a new import makes the log cover batches and records:
        import_file(project, examples_dir / "ngo_list.csv", "NGO", actor="alice")
        result = audit.verify_project(project, files=False)
        assert {(f.kind, f.table) for f in result.findings} == {
            ("inserted", "source"),
            ("inserted", "import_batch"),
            ("inserted", "record"),
        }
        done = audit.baseline(project, Actor("admin", Role.ADMIN))
        assert (done.batches, done.users) == (1, 0)
        assert audit.verify_project(project, files=False).ok
        assert audit.baseline(project, Actor("admin", Role.ADMIN)).batches == 0
    finally:
        project.close()


def test_downgrade_to_0001_and_back(tmp_path, database_url):
    project = init_project(tmp_path / "p", database_url)
    config = _config(project.engine)
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    with project.engine.connect() as connection:
        assert connection.execute(text("SELECT seq FROM audit_head")).scalar() == 0
    project.close()
