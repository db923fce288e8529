"""Crash safety: kill -9 in the middle of a large `evidence add` and of a large `import`.

Afterwards `reckon verify` passes, nothing half-written is visible, and running the command again
completes and loses nothing. The command runs in its own process group and the whole group is
killed, as a crash of the command would (the import's worker processes die with it).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from reckon.model import EvidenceItem, ImportBatch, Record
from reckon.store import init_project, open_project

RECKON = str(Path(sys.executable).with_name("reckon"))
pytestmark = pytest.mark.slow


def _env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(RECKON_HOME=str(tmp_path / "home"), RECKON_USER="crash-test")
    return env


def _reckon(tmp_path, root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [RECKON, "-p", str(root), *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if check:
        assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def _kill_when(process: subprocess.Popen, ready, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"the command finished before it could be killed: {process.returncode}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("the command never reached the point to kill it")
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()  # reap it, so its pid is gone


def _count(project, model) -> int:
    with project.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_kill_during_a_large_evidence_add(tmp_path, database_url):
    root = tmp_path / "p"
    init_project(root, database_url).close()
    big = tmp_path / "camera-roll.bin"
    block = os.urandom(1 << 20)
    with open(big, "wb") as handle:
        for _ in range(1024):  # 1 GiB
            handle.write(block)
    process = subprocess.Popen(
        [RECKON, "-p", str(root), "evidence", "add", str(big), "-s", "Field team"],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def copying() -> bool:
        return any(p.stat().st_size > 64 << 20 for p in (root / "files").glob(".incoming-*"))

    _kill_when(process, copying)
    assert list((root / "files").glob(".incoming-*")), "the kill left no partial copy to test"
    verified = _reckon(tmp_path, root, "verify")
    assert "INTACT" in verified.stdout and "incomplete upload" in verified.stdout
    project = open_project(root)
    assert _count(project, EvidenceItem) == 0
    _reckon(tmp_path, root, "evidence", "add", str(big), "-s", "Field team")
    assert _count(project, EvidenceItem) == 1
    assert not list((root / "files").glob(".incoming-*"))
    with project.session() as session:
        item = session.scalar(select(EvidenceItem))
    import hashlib

    assert item.sha256 == hashlib.sha256(block * 1024).hexdigest()
    project.close()
    verified = _reckon(tmp_path, root, "verify")
    assert "incomplete upload" not in verified.stdout


def _write_list(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "full name", "father", "date of execution", "prison", "city"])
        for i in range(rows):
            writer.writerow(
                [f"X-{i}", f"Testname{i % 997} Familyname{i % 1013}", f"Father{i % 311}",
                 "1367/05/08", "Evin", "Tehran"]
            )  # fmt: skip


def _writing(root: Path, project_url: str | None):
    """A predicate: the import's transaction has written (uncommitted) rows."""
    if project_url is None:
        wal = root / "reckon.db-wal"
        return lambda: wal.exists() and wal.stat().st_size > 8 << 20
    engine = create_engine(project_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = project_url.rsplit("/", 1)[1]

    def ready() -> bool:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                        "AND backend_xid IS NOT NULL AND state = 'active'"
                    ),
                    {"d": name},
                ).scalar()
            )

    ready.engine = engine  # type: ignore[attr-defined]
    return ready


def test_kill_during_a_large_import(tmp_path, database_url):
    root = tmp_path / "p"
    init_project(root, database_url).close()
    rows = 120_000
    path = tmp_path / "big-list.csv"
    _write_list(path, rows)
    process = subprocess.Popen(
        [RECKON, "-p", str(root), "import", str(path), "-s", "Big list"],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    ready = _writing(root, database_url)
    try:
        _kill_when(process, ready)
    finally:
        if hasattr(ready, "engine"):
            ready.engine.dispose()
    verified = _reckon(tmp_path, root, "verify")
    assert "INTACT" in verified.stdout
    project = open_project(root)
    assert (_count(project, ImportBatch), _count(project, Record)) == (0, 0)
    _reckon(tmp_path, root, "import", str(path), "-s", "Big list")
    assert (_count(project, ImportBatch), _count(project, Record)) == (1, rows)
    project.close()
    _reckon(tmp_path, root, "verify")
