"""Normalizing rows in chunks, on every core, in file order, in bounded memory.

Normalization (names, keys, dates) is pure and CPU-bound; inserting is I/O-bound. Large files
are cut into chunks that worker processes normalize while the importing process reads and
inserts; at most a few chunks are in flight, so memory does not grow with the file.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from reckon.errors import RowProblem
from reckon.ingest.mapping import ColumnMapping
from reckon.ingest.validate import RowResult, normalize_row

CHUNK_ROWS = 2000
PARALLEL_MIN_BYTES = 4 << 20  # below this, starting workers costs more than it saves

Item = tuple[int, list[str | None], list[str] | None]  # row number, values, cell notes


def normalize_chunk(
    file: str, headers: list[str], mapping: ColumnMapping, items: list[Item]
) -> list[tuple[RowResult, dict]]:
    """Normalize a chunk of rows; each result comes with the row's raw header -> value dict."""
    out = []
    width = len(headers)
    for row_number, values, notes in items:
        raw = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers)}
        if len(values) > width and any(values[width:]):
            problem = RowProblem(
                file,
                row_number,
                None,
                None,
                f"row has {len(values)} fields but the header has {width}",
            )
            out.append((RowResult(row_number, {}, [problem], []), raw))
            continue
        out.append((normalize_row(file, row_number, raw, mapping, notes), raw))
    return out


def default_workers(size_bytes: int) -> int:
    """Worker processes for a file of this size (RECKON_IMPORT_WORKERS overrides).

    Serial by default: measured on 2 cores, shipping normalized rows back from workers costs
    more than it saves (benchmarks/RESULTS.md, Ingest). Workers are used only when asked for.
    """
    wanted = os.environ.get("RECKON_IMPORT_WORKERS")
    if not wanted or size_bytes < PARALLEL_MIN_BYTES:
        return 0
    return max(0, int(wanted))


def normalized_chunks(
    items: Iterable[Item],
    file: str,
    headers: list[str],
    mapping: ColumnMapping,
    workers: int = 0,
) -> Iterator[list[tuple[RowResult, dict]]]:
    """Yield normalized chunks in file order, using `workers` processes when > 0."""
    iterator = iter(items)
    chunks = iter(lambda: list(islice(iterator, CHUNK_ROWS)), [])
    if workers <= 0:
        for chunk in chunks:
            yield normalize_chunk(file, headers, mapping, chunk)
        return
    # Not "fork": a forked worker would inherit the open database connection, and if the
    # importing process were killed it would keep the transaction (and its locks) alive.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["reckon.ingest.pipeline"])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future] = deque()
        for chunk in chunks:
            pending.append(pool.submit(normalize_chunk, file, headers, mapping, chunk))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
