"""Evidence and audit: hashing + storing throughput against sha256sum, and `verify` at scale.

    .venv/bin/python benchmarks/evidence.py                    # 1 GB of files, 1,000,000 entries
    .venv/bin/python benchmarks/evidence.py --records 1000000  # + verify of a 1M-record import
    .venv/bin/python benchmarks/evidence.py --append           # also append to RESULTS.md
    .venv/bin/python benchmarks/evidence.py --postgres URL     # audit log on PostgreSQL too

1. Throughput. Random files totalling ``--gigabytes`` are written to a scratch directory and
   read once so that every contender reads them from the page cache. Then, in the same run:
   ``sha256sum`` over the files (coreutils, best of two), ``reckon.evidence.sha256_file`` alone
   (best of two), and ``reckon.evidence.add_evidence`` of every file into a fresh project — which
   hashes while it copies into the content-addressed store, fsyncs, and records the item, its
   custody event and its audit entry. Restricted (AES-256-GCM encrypted) adds are timed too.
   The target is add_evidence within 1.5x of sha256sum's time.
2. Verify. ``--entries`` audit entries are written straight into a fresh project's log with the
   library's own hash functions (one signed checkpoint every 1,000 entries, as `append` makes),
   then ``reckon.audit.verify_project`` recomputes the chain, checks every checkpoint signature
   and the rows and files. The target is under 60 s for 1,000,000 entries. ``append`` itself is
   timed on 2,000 entries, one transaction each.
3. Optionally (``--records``), a synthetic import batch of that many records, covered by one
   audit entry, is verified: the time to re-digest every record row.

Wall time is reported with the process's CPU time: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import append_results

from reckon import audit
from reckon.access import Actor
from reckon.audit import log as audit_log
from reckon.audit.canonical import canonical_json, sha256_hex
from reckon.audit.checkpoints import sign_checkpoint
from reckon.evidence import (
    Argon2Params,
    FileStore,
    KeySource,
    add_evidence,
    init_keys,
    sha256_file,
    unlock,
)
from reckon.model import AuditEntry, AuditHead, Role
from reckon.store import init_project

ADMIN = Actor("benchmark", Role.ADMIN)
MB = 1e6


@dataclass
class Timed:
    wall: float
    cpu: float


def timed(function) -> tuple[Timed, object]:
    cpu0 = time.process_time() + _children_cpu()
    wall0 = time.perf_counter()
    value = function()
    return Timed(time.perf_counter() - wall0, time.process_time() + _children_cpu() - cpu0), value


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_files(directory: Path, total_bytes: int, count: int) -> list[Path]:
    directory.mkdir(parents=True)
    size = total_bytes // count
    paths = []
    for n in range(count):
        path = directory / f"file-{n:02d}.bin"
        with open(path, "wb") as handle:
            written = 0
            while written < size:
                block = os.urandom(min(4 << 20, size - written))
                handle.write(block)
                written += len(block)
        paths.append(path)
    return paths


def warm(paths: list[Path]) -> None:
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass


def throughput(scratch: Path, gigabytes: float, count: int) -> list[tuple[str, str, str, str]]:
    total = int(gigabytes * 1e9)
    paths = write_files(scratch / "files", total, count)
    size = sum(p.stat().st_size for p in paths)
    warm(paths)
    rows = []

    def sha256sum() -> None:
        subprocess.run(["sha256sum", *map(str, paths)], check=True, stdout=subprocess.DEVNULL)

    best = min((timed(sha256sum)[0] for _ in range(2)), key=lambda t: t.wall)
    reference = best.wall
    rows.append(("sha256sum (coreutils)", best, size, "reference"))
    best = min(
        (timed(lambda: [sha256_file(p) for p in paths])[0] for _ in range(2)),
        key=lambda t: t.wall,
    )
    rows.append(("sha256_file (hash only)", best, size, ""))

    project = init_project(scratch / "project")
    warm(paths)
    spent, _ = timed(lambda: [add_evidence(project, ADMIN, p, source="benchmark") for p in paths])
    rows.append(("add_evidence (hash + store + fsync + DB)", spent, size, "target ≤ 1.5x"))
    init_keys(
        project,
        ADMIN,
        KeySource(passphrase="benchmark passphrase"),
        argon2=Argon2Params(),
    )
    keyring = unlock(project, KeySource(passphrase="benchmark passphrase"))
    encrypted = write_files(scratch / "restricted", total // 4, max(1, count // 4))
    encrypted_size = sum(p.stat().st_size for p in encrypted)
    warm(encrypted)
    spent_enc, _ = timed(
        lambda: [
            add_evidence(
                project, ADMIN, p, source="benchmark", sensitivity="restricted", keyring=keyring
            )
            for p in encrypted
        ]
    )
    rows.append(("add_evidence restricted (AES-256-GCM)", spent_enc, encrypted_size, ""))
    project.close()
    table = []
    for name, spent, nbytes, note in rows:
        ratio = spent.wall / reference
        table.append(
            (
                name,
                f"{nbytes / MB:,.0f} MB in {spent.wall:.2f} s (CPU {spent.cpu:.2f} s)",
                f"{nbytes / MB / spent.wall:,.0f} MB/s",
                f"{ratio:.2f}x sha256sum" + (f"; {note}" if note and note != "reference" else ""),
            )
        )
    return table


def fill_log(project, entries: int) -> Timed:
    """Write `entries` chained entries directly (library hash functions), with checkpoints."""
    interval = audit_log.CHECKPOINT_INTERVAL

    def write() -> None:
        with project.engine.begin() as connection:
            head = connection.execute(
                text("SELECT log_id, seq, entry_hash FROM audit_head WHERE id = 1")
            ).one()
            previous, seq = head.entry_hash, head.seq
            batch = []
            for n in range(entries):
                seq += 1
                at = audit_log.now_text()
                change = canonical_json(
                    {
                        "decision": "same",
                        "record_a": n,
                        "record_b": n + 1,
                        "reason": "reviewed: same father, date and prison",
                    }
                )
                digest = sha256_hex(change)
                body = audit_log.body_digest(
                    at, "reviewer", "link.decide", "link_decision", str(n), digest
                )
                entry_hash = audit_log.chain_hash(seq, previous, body)
                batch.append(
                    {
                        "seq": seq,
                        "recorded_at": at,
                        "actor": "reviewer",
                        "action": "link.decide",
                        "object_type": "link_decision",
                        "object_id": str(n),
                        "change": change,
                        "change_digest": digest,
                        "prev_hash": previous,
                        "entry_hash": entry_hash,
                    }
                )
                previous = entry_hash
                if seq % interval == 0:
                    connection.execute(insert(AuditEntry.__table__), batch)
                    batch.clear()
                    sign_checkpoint(connection, head.log_id, seq, entry_hash, kind="interval")
            if batch:
                connection.execute(insert(AuditEntry.__table__), batch)
            connection.execute(
                AuditHead.__table__.update()
                .where(AuditHead.__table__.c.id == 1)
                .values(seq=seq, entry_hash=previous)
            )

    spent, _ = timed(write)
    return spent


def fill_records(project, records: int) -> tuple[Timed, Timed]:
    """A synthetic import of `records` rows, covered by one audit entry (as `import` does)."""
    from reckon.ingest.service import get_or_create_source
    from reckon.model import ImportBatch, Record
    from reckon.store.bulk import BulkInserter

    def write() -> None:
        stand_in = project.root / "synthetic.csv"
        stand_in.write_text("a stand-in for the imported file\n")
        stored = FileStore(project.files_dir).put(stand_in)
        with project.transaction() as session:
            source = get_or_create_source(session, "Benchmark list")
            batch = ImportBatch(
                source_id=source.id, file_name="synthetic.csv", sha256=stored.sha256,
                size_bytes=stored.size, file_format="csv", imported_by="benchmark",
            )  # fmt: skip
            session.add(batch)
            session.flush()
            inserter = BulkInserter(session.connection(), Record.__table__)
            chunk = []
            for n in range(records):
                chunk.append(
                    {
                        "source_id": source.id,
                        "batch_id": batch.id,
                        "row_number": n + 1,
                        "raw": {"name": f"Testname{n % 997} Familyname{n % 1013}", "id": n},
                        "full_name": f"Testname{n % 997} Familyname{n % 1013}",
                        "name_keys": [f"key{n % 5000}"],
                        "warnings": [],
                        "city": "Tehran",
                    }
                )
                if len(chunk) == 10000:
                    inserter.insert(chunk)
                    chunk.clear()
            inserter.insert(chunk)
            batch.rows_read = batch.rows_imported = records
            entry_time, _ = timed(lambda: audit.record_import(session, batch, actor="benchmark"))
            timings.append(entry_time)

    timings: list[Timed] = []
    spent, _ = timed(write)
    return spent, timings[0]


def verify_scale(scratch: Path, entries: int, records: int, url: str | None, label: str):
    project = init_project(scratch / f"audit-{label}", url)
    rows = []
    written = fill_log(project, entries)
    rows.append((f"{label}: write {entries:,} entries (direct, for setup)", written, ""))
    print(f"{label}: wrote {entries:,} entries in {written.wall:.1f} s", flush=True)
    spent, result = timed(lambda: audit.verify_project(project))
    assert result.ok, result.summary()
    assert result.entries == entries and result.checkpoints == entries // 1000
    rows.append((f"{label}: verify {entries:,} entries", spent, "target < 60 s"))
    print(f"{label}: verified {entries:,} entries in {spent.wall:.1f} s", flush=True)
    if records:
        written, entry = fill_records(project, records)
        rows.append(
            (f"{label}: import-like write of {records:,} records + audit entry", written, "")
        )
        rows.append((f"{label}: … of which the audit entry (digest of every record)", entry, ""))
        spent, result = timed(lambda: audit.verify_project(project))
        assert result.ok, result.summary()
        rows.append(
            (f"{label}: verify {entries:,} entries + {records:,} covered records", spent, "")
        )

    def appends() -> None:
        for n in range(2000):
            with project.transaction() as session:
                audit.append(
                    session, actor="bench", action="bench", object_type="t", object_id=n,
                    change={"n": n},
                )  # fmt: skip

    spent, _ = timed(appends)
    rows.append(
        (f"{label}: 2,000 appends, one transaction each", spent, f"{2000 / spent.wall:,.0f}/s")
    )
    project.close()
    return [(name, f"{t.wall:.1f} s (CPU {t.cpu:.1f} s)", note) for name, t, note in rows]


def postgres_database(url: str):
    admin = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    name = f"reckon_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, f"{url.rsplit('/', 1)[0]}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--files", type=int, default=8, help="how many files share the bytes")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--postgres", help="also run the verify benchmark on this server URL")
    parser.add_argument("--workdir", type=Path, help="scratch directory (default: a temp dir)")
    parser.add_argument("--append", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("RECKON_HOME", tempfile.mkdtemp(prefix="reckon-bench-home-"))
    scratch = Path(tempfile.mkdtemp(prefix="reckon-bench-", dir=args.workdir))
    try:
        load = os.getloadavg()[0]
        print(f"scratch: {scratch}; load average {load:.1f} on {os.cpu_count()} cores")
        rates = throughput(scratch, args.gigabytes, args.files)
        for row in rates:
            print(" | ".join(row), flush=True)
        scale = verify_scale(scratch, args.entries, args.records, None, "SQLite")
        if args.postgres:
            admin, name, url = postgres_database(args.postgres)
            try:
                scale += verify_scale(scratch, args.entries, args.records, url, "PostgreSQL")
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    lines = [
        "| hashing and storing | bytes, time | throughput | vs sha256sum |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rates],
        "",
        "| audit log | time | note |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in scale],
    ]
    command = "`.venv/bin/python benchmarks/evidence.py " + " ".join(sys.argv[1:]) + "`"
    body = (
        f"Command: {command}\n\nLoad average at start: {load:.1f} (shared machine). "
        "Files were read once beforehand, so every contender hashed from the page cache; "
        "add_evidence also writes and fsyncs a copy.\n\n" + "\n".join(lines) + "\n"
    )
    print(body)
    print(json.dumps({"rates": rates, "scale": scale}, indent=1))
    if args.append:
        append_results("Evidence and audit (issue 6)", body)


if __name__ == "__main__":
    main()
