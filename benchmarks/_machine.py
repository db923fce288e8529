"""Machine description and the RESULTS.md appender shared by the benchmark scripts."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    """CPU model, cores and memory of this machine, in one line."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    return f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.machine()}"


def reference_seconds(repeat: int = 5) -> float:
    """CPU seconds of a fixed pure-Python loop (best of ``repeat``): how fast this machine runs
    Python at the time of a run. Shared machines vary by a factor of two from one hour to the
    next, so results of different runs compare only together with this figure (0.25 s on the
    machine of 2026-12-07 at a quiet moment)."""
    import time

    def loop() -> float:
        started = time.process_time()
        total = 0
        for i in range(5_000_000):
            total += i * i
        return time.process_time() - started

    return min(loop() for _ in range(repeat))


def append_results(title: str, body: str) -> None:
    """Append a dated section to benchmarks/RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with open(RESULTS, "a", encoding="utf-8") as handle:
        handle.write(f"\n## {title} — {stamp}\n\nMachine: {machine()}\n\n{body.rstrip()}\n")
