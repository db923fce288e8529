"""Database engines and schema migrations (SQLAlchemy 2 + Alembic).

SQLite is the default: one file in the project directory, WAL journal, foreign keys on.
PostgreSQL is used when a `postgresql://` URL is given.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from reckon.errors import ProjectError, SchemaVersionError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for `url`, with SQLite set up for safe concurrent use."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except Exception as error:  # noqa: BLE001 - sqlalchemy raises several types
        raise ProjectError(f"invalid database URL: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise ProjectError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest schema revision this version of Reckon knows."""
    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every migration the database lacks (creates the schema in an empty database)."""
    _check_known(engine)
    command.upgrade(_alembic_config(engine), "head")


def _check_known(engine: Engine) -> str | None:
    revision = current_revision(engine)
    if revision is None:
        return None
    script = ScriptDirectory.from_config(_alembic_config(engine))
    try:
        script.get_revision(revision)
    except Exception:  # noqa: BLE001 - alembic raises ResolutionError or CommandError
        raise SchemaVersionError(
            f"the database has schema revision {revision!r}, which this version of Reckon "
            "does not know: it was written by a newer Reckon. Upgrade Reckon to open it."
        ) from None
    return revision


def check_schema(engine: Engine) -> None:
    """Raise a clear error unless the database schema is exactly the one this code expects."""
    revision = _check_known(engine)
    if revision is None:
        raise ProjectError("the database is empty: run `reckon init` first")
    if revision != head_revision():
        raise SchemaVersionError(
            f"the database schema ({revision}) is older than this Reckon ({head_revision()}): "
            "run `reckon init` in the project to upgrade it (back it up first)"
        )
