"""A Reckon project: a directory with settings, a database and a file store.

project/
  reckon.yaml   settings (database URL when not the default SQLite file)
  reckon.db     SQLite database (default)
  files/        content-addressed store of original files and evidence (by SHA-256)
  reports/      import problem reports and estimate reports
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reckon.errors import ProjectError
from reckon.store.database import check_schema, make_engine, upgrade

SETTINGS_FILE = "reckon.yaml"
DEFAULT_DB_FILE = "reckon.db"


def current_actor() -> str:
    """Who is acting from the command line: RECKON_USER, else the operating-system user."""
    actor = os.environ.get("RECKON_USER")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


@dataclass
class Project:
    """An open project: where it lives, its settings and its database engine."""

    root: Path
    database_url: str
    engine: Engine
    settings: dict = field(default_factory=dict)

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    @property
    def reports_dir(self) -> Path:
        path = self.root / "reports"
        path.mkdir(exist_ok=True)
        return path

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing is committed unless the caller commits."""
        with sessionmaker(self.engine, expire_on_commit=False)() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        with sessionmaker(self.engine, expire_on_commit=False)() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _default_url(root: Path) -> str:
    return f"sqlite:///{(root / DEFAULT_DB_FILE).resolve()}"


def _read_settings(root: Path) -> dict:
    path = root / SETTINGS_FILE
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ProjectError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(settings, dict):
        raise ProjectError(f"{path}: expected a mapping of settings")
    return settings


def init_project(root: Path | str, database_url: str | None = None) -> Project:
    """Create a project in `root` (or upgrade an existing one) and return it open.

    Example:
        >>> project = init_project(tmp_path / "iran1988")  # doctest: +SKIP
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root} exists and is not a directory")
    root.mkdir(parents=True, exist_ok=True)
    settings_path = root / SETTINGS_FILE
    settings = _read_settings(root) if settings_path.exists() else {"format": 1}
    if database_url:
        settings["database_url"] = database_url
    (root / "files").mkdir(exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    url = settings.get("database_url") or _default_url(root)
    engine = make_engine(url)
    upgrade(engine)
    settings_path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return Project(root=root.resolve(), database_url=url, engine=engine, settings=settings)


def find_project_root(start: Path | None = None) -> Path:
    """The project directory: `start` if given, else the current directory or a parent."""
    if start is not None:
        if not (Path(start) / SETTINGS_FILE).exists():
            raise ProjectError(
                f"{start} is not a Reckon project (no {SETTINGS_FILE}); run `reckon init {start}`"
            )
        return Path(start)
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / SETTINGS_FILE).exists():
            return candidate
    raise ProjectError(
        "no Reckon project here: run `reckon init DIR`, then work inside DIR "
        "or pass --project DIR (or set RECKON_PROJECT)"
    )


def open_project(root: Path | str | None = None, database_url: str | None = None) -> Project:
    """Open an existing project and check that its schema is the one this code expects."""
    root_path = find_project_root(Path(root) if root is not None else None)
    settings = _read_settings(root_path)
    url = database_url or settings.get("database_url") or _default_url(root_path)
    engine = make_engine(url)
    try:
        check_schema(engine)
    except Exception:
        engine.dispose()
        raise
    return Project(root=root_path.resolve(), database_url=url, engine=engine, settings=settings)
