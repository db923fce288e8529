"""Database engine, sessions and migrations; the project directory."""

from reckon.store.database import (
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from reckon.store.project import (
    Project,
    current_actor,
    find_project_root,
    init_project,
    open_project,
)

__all__ = [
    "Project",
    "check_schema",
    "current_actor",
    "current_revision",
    "find_project_root",
    "head_revision",
    "init_project",
    "make_engine",
    "open_project",
    "upgrade",
]
