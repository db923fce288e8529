"""Ingest throughput and memory: a generated list of Persian and Latin names and dates.

    .venv/bin/python benchmarks/ingest.py                 # 1,000,000 rows, SQLite
    .venv/bin/python benchmarks/ingest.py --rows 200000 --postgres postgresql://…

Each import runs in a child process so its peak memory and CPU time (user + system) are
measured alone: the importing process's own peak RSS, plus (with RECKON_IMPORT_WORKERS) the peak
PSS of its worker and of multiprocessing's fork server, and the CPU time of all of them. Two
sizes are imported to show that memory does not grow with the file. A plain `csv` → `sqlite3`
executemany of the raw rows (no normalization, no validation) runs in the same run as the
reference ceiling. `--postgres` names a server: the PostgreSQL import gets a fresh database
there, dropped afterwards (its server's CPU is not counted). Other work on the machine slows the
wall clock more than the CPU time: the load average is printed with the results, which are
appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import append_results

NAMES = Path(__file__).resolve().parent.parent / "src" / "reckon" / "synth" / "data"
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
PRISONS = ["اوین", "Evin", "گوهردشت", "Gohardasht", "Vakilabad", "عادل‌آباد", "Dastgerd"]


def _names(file: str) -> tuple[list[str], list[str], list[float]]:
    persian, latin, weights = [], [], []
    with open(NAMES / file, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spellings = [s.split(":")[0] for s in row["latin"].split(";") if s]
            persian.append(row["persian"])
            latin.append(spellings[0].title() if spellings else row["persian"])
            weights.append(float(row["count"]))
    return persian, latin, weights


def write_list(path: Path, rows: int, seed: int = 1) -> None:
    """A realistic mixed list: half Persian script with Jalali dates, half Latin, Gregorian."""
    rnd = random.Random(seed)
    g_fa, g_la, g_w = _names("given_names.csv")
    f_fa, f_la, f_w = _names("family_names.csv")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "surname", "father", "date of execution", "age", "prison"])
        batch = 10_000
        for start in range(0, rows, batch):
            n = min(batch, rows - start)
            given = rnd.choices(range(len(g_fa)), g_w, k=n)
            family = rnd.choices(range(len(f_fa)), f_w, k=n)
            father = rnd.choices(range(len(g_fa)), g_w, k=n)
            for i in range(n):
                day, month = rnd.randint(1, 29), rnd.randint(4, 7)
                if rnd.random() < 0.5:
                    names = (g_fa[given[i]], f_fa[family[i]], g_fa[father[i]])
                    style = rnd.random()
                    if style < 0.4:
                        date = f"1367/{month}/{day}".translate(PERSIAN_DIGITS)
                    elif style < 0.7:
                        date = f"{day} {JALALI_MONTHS[month]} 1367"
                    else:
                        date = "1367"
                else:
                    names = (g_la[given[i]], f_la[family[i]], g_la[father[i]])
                    date = rnd.choice(
                        [
                            f"1988-{month + 3:02d}-{day:02d}",
                            f"{day:02d}.{month + 3:02d}.1988",
                            "1988",
                        ]
                    )
                out.writerow(
                    [start + i + 1, *names, date, rnd.randint(18, 60), rnd.choice(PRISONS)]
                )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Descendants:
    """CPU time and peak memory (PSS, sampled twice a second) of this process's descendants:
    the import's worker and multiprocessing's fork server, read from /proc. Only descendants
    are sampled: reading this process's own memory map would cost the import real time.

    A worker is the fork server's child, reaped by it: once it has ended, its CPU time is in
    the fork server's (cutime, cstime).
    """

    def __init__(self) -> None:
        self.peak_kib: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Descendants:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = {}  # only the processes alive now: the ended ones are in their reaper's
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def _sample(self) -> None:
        stats = {}
        for path in Path("/proc").glob("[0-9]*/stat"):
            try:
                stats[int(path.parent.name)] = path.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
        tree, grew = {os.getpid()}, True
        while grew:
            new = {pid for pid, fields in stats.items() if int(fields[1]) in tree} - tree
            tree |= new
            grew = bool(new)
        tick = os.sysconf("SC_CLK_TCK")
        for pid in tree - {os.getpid()}:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            pss = next((line for line in rollup.splitlines() if line.startswith("Pss:")), "")
            if pss:
                self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), int(pss.split()[1]))
            # utime, stime, cutime, cstime
            self.cpu[pid] = sum(int(x) for x in stats[pid][11:15]) / tick


def _child_import(file: str, project: str, url: str | None) -> None:
    from reckon.ingest import import_file
    from reckon.store import init_project

    p = init_project(project, url)
    start, cpu = time.perf_counter(), _cpu_seconds()
    # Sampling /proc costs the import time: only done when there are workers to sample.
    with _Descendants() if os.environ.get("RECKON_IMPORT_WORKERS") else nullcontext() as workers:
        result = import_file(p, Path(file), "Benchmark list")
        seconds = time.perf_counter() - start
    workers = workers or _Descendants()
    cpu = _cpu_seconds() - cpu + sum(workers.cpu.values())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    all_kib = peak_kib + sum(workers.peak_kib.values())  # an upper bound: peaks added up
    print(json.dumps({"rows": result.rows_imported, "rejected": result.rows_rejected,
                      "seconds": seconds, "cpu": cpu, "peak_mib": peak_kib / 1024,
                      "all_mib": all_kib / 1024}))  # fmt: skip


def _child_plain(file: str, db: str) -> None:
    start, cpu = time.perf_counter(), _cpu_seconds()
    connection = sqlite3.connect(db)
    with open(file, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f'"{h}"' for h in header)
        connection.execute(f"CREATE TABLE t ({columns})")
        marks = ", ".join("?" * len(header))
        connection.executemany(f"INSERT INTO t VALUES ({marks})", reader)
    connection.commit()
    rows = connection.execute("SELECT count(*) FROM t").fetchone()[0]
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": rows, "rejected": 0, "seconds": seconds, "cpu": cpu,
                      "peak_mib": peak_kib / 1024, "all_mib": peak_kib / 1024}))  # fmt: skip


@contextmanager
def _fresh_postgres(server: str):
    """A new database on the PostgreSQL server at `server` (a URL); dropped afterwards."""
    from sqlalchemy import create_engine, text

    from reckon.store.database import normalize_url

    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    name = f"reckon_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _run_child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", help="PostgreSQL server URL to also benchmark on (in a fresh database)."
    )
    parser.add_argument("--no-record", action="store_true", help="Do not append to RESULTS.md.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "import":
            _child_import(rest[0], rest[1], rest[2] if len(rest) > 2 else None)
        else:
            _child_plain(*rest)
        return

    work = Path(tempfile.mkdtemp(prefix="reckon-bench-ingest-"))
    small_rows = max(args.rows // 5, 1000)
    big, small = work / "big.csv", work / "small.csv"
    write_list(big, args.rows)
    write_list(small, small_rows, seed=2)
    runs = [
        ("plain sqlite3 executemany (reference)", "plain", big, args.rows, [str(big), str(work / "plain.db")]),
        ("reckon import, SQLite", "import", small, small_rows, [str(small), str(work / "p1")]),
        ("reckon import, SQLite", "import", big, args.rows, [str(big), str(work / "p2")]),
    ]  # fmt: skip
    if args.postgres:
        runs.append(
            ("reckon import, PostgreSQL", "import", big, args.rows, [str(big), str(work / "p3")])
        )  # fmt: skip
    lines = [
        f"Input: generated CSV, half Persian script with Jalali dates (Persian digits, month "
        f"names, year only), half Latin with Gregorian dates; {big.stat().st_size / 1e6:.0f} MB "
        f"for {args.rows:,} rows. Command: `.venv/bin/python benchmarks/ingest.py --rows {args.rows}"
        f"{' --postgres URL' if args.postgres else ''}`.",
        "",
        "| run | rows | seconds | rows/s | CPU s | rows/CPU-s | peak RSS (MiB) | "
        "+ workers (MiB) | vs reference |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    loads = [_load()]
    reference = None
    for label, kind, _file, _rows, child_args in runs:
        if label.endswith("PostgreSQL"):
            with _fresh_postgres(args.postgres) as url:
                measured = _run_child(kind, *child_args, url)
        else:
            measured = _run_child(kind, *child_args)
        loads.append(_load())
        rate = measured["rows"] / measured["seconds"]
        reference = reference or rate
        lines.append(
            f"| {label} | {measured['rows']:,} | {measured['seconds']:.1f} | {rate:,.0f} | "
            f"{measured['cpu']:.1f} | {measured['rows'] / measured['cpu']:,.0f} | "
            f"{measured['peak_mib']:.0f} | {measured['all_mib']:.0f} | {rate / reference:.2f}x |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Load average (1, 5, 15 min) before and after each run: {' → '.join(loads)}."]
    table = "\n".join(lines)
    print(table)
    if not args.no_record:
        append_results("Ingest (issue 2)", table)


if __name__ == "__main__":
    main()
