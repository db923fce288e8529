"""Schema 0003 (import_batch.rules_fingerprint) on a project with batches from before it."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from reckon import audit
from reckon.access import Actor
from reckon.ingest import import_file, keys_outdated, renormalize
from reckon.model import Base, ImportBatch, Role
from reckon.store import database, init_project, make_engine
from reckon.text import rules_fingerprint

ADMIN = Actor("admin", Role.ADMIN)


def _config(engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(database.MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def test_the_models_match_the_migrations(empty_project):
    with empty_project.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_batches_from_before_0003_are_outdated_until_renormalized(tmp_path, database_url):
    root = tmp_path / "old-project"
    root.mkdir()
    url = database_url or f"sqlite:///{root / 'reckon.db'}"
    engine = make_engine(url)
    command.upgrade(_config(engine), "0002")
    with engine.begin() as connection:  # what an import wrote at schema 0002, old keys and all
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
                "'2024-01-01 00:00:00', 'someone', 1, 1, 0, "
                '\'{"columns": {"full_name": "name"}}\', \'["name"]\')'
            ),
            {"sha": "ab" * 32},
        )
        connection.execute(
            text(
                "INSERT INTO record (source_id, batch_id, row_number, raw, full_name, "
                "name_script, name_normalized, name_key, name_keys, search_text, warnings, "
                'sensitivity, created_at) VALUES (1, 1, 1, \'{"name": "داود رحیمی"}\', '
                "'داود رحیمی', 'persian', 'داود رحیمی', 'drhImI', '[\"drhImI\"]', "
                "'داود رحیمی | drhImI', '[]', 'internal', '2024-01-01 00:00:00')"
            )
        )
    engine.dispose()
    project = init_project(root, database_url)  # upgrades to head
    try:
        with project.session() as session:
            assert session.scalar(select(ImportBatch.rules_fingerprint)) is None
        assert audit.baseline(project, ADMIN).batches == 1
        assert keys_outdated(project)
        result = renormalize(project, ADMIN)
        assert (result.changed, result.batches, result.fingerprints_before) == (1, 1, (None,))
        assert not keys_outdated(project)
        with project.session() as session:
            assert session.scalar(select(ImportBatch.rules_fingerprint)) == rules_fingerprint()
        assert audit.verify_project(project, files=False).ok
    finally:
        project.close()


def test_downgrade_to_0002_and_back(empty_project, examples_dir):
    import_file(empty_project, examples_dir / "ngo_list.csv", "NGO", actor="alice")
    config = _config(empty_project.engine)
    command.downgrade(config, "0002")
    with empty_project.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batch")).scalar() == 1
    command.upgrade(config, "head")
    assert keys_outdated(empty_project)  # the fingerprint went with the column
