"""Shared fixtures: projects on SQLite and, when RECKON_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from reckon.store import init_project

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
POSTGRES_URL = os.environ.get("RECKON_TEST_POSTGRES_URL")


@pytest.fixture(autouse=True)
def installation_home(tmp_path_factory, monkeypatch):
    """Each test gets its own installation directory (signing key), never the user's."""
    home = tmp_path_factory.mktemp("reckon-home")
    monkeypatch.setenv("RECKON_HOME", str(home))
    return home


def _postgres_database():
    """Create a fresh database on the test server; yield its URL; drop it afterwards."""
    admin = create_engine(
        POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    name = f"reckon_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not POSTGRES_URL, reason="RECKON_TEST_POSTGRES_URL not set"),
            ],
        ),
    ]
)
def database_url(request):
    """None for the default SQLite file in the project, else a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
    else:
        yield from _postgres_database()


@pytest.fixture
def empty_project(tmp_path, database_url):
    """A new project with no sources, on each database backend."""
    project = init_project(tmp_path / "project", database_url)
    yield project
    project.close()


@pytest.fixture
def sqlite_project(tmp_path):
    """A new project on SQLite only (for tests that are about something other than storage)."""
    project = init_project(tmp_path / "project")
    yield project
    project.close()


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


def _forget_name_rules() -> None:
    """Drop everything memoized from the name rules, so patched (or restored) rules apply."""
    from reckon.ingest import validate
    from reckon.text import names, rules_fingerprint

    names.clear_caches()
    validate._name_key.cache_clear()
    rules_fingerprint.cache_clear()


@pytest.fixture
def older_name_rules(monkeypatch):
    """A context manager inside which the name rules are as before داود was read داوود: names
    with داود get other keys and the rules another fingerprint, as after a rule change."""
    from reckon.text import keys

    @contextmanager
    def rules():
        try:
            with monkeypatch.context() as patch:
                patch.delitem(keys.VAV_DOUBLE_DUTY, "داود")
                _forget_name_rules()
                yield
        finally:
            _forget_name_rules()  # the rules are restored: what the older ones made goes too

    yield rules
    _forget_name_rules()
