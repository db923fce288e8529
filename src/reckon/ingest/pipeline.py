"""Normalizing rows in chunks, in file order, in bounded memory, in a worker process or not.

Normalization (names, keys, dates) is pure and CPU-bound; inserting is the database's work.
The file is cut into chunks of `CHUNK_ROWS` rows. Serially, each chunk is normalized and then
inserted. With workers (RECKON_IMPORT_WORKERS; see `default_workers`), worker processes normalize
the next chunks into finished insert tuples while the importing process reads, inserts and
digests; at most `IN_FLIGHT` chunks per worker are queued, so memory does not grow with the
file. Both ways store the same records (tests/ingest/test_formats.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice

from reckon.ingest.normalizer import Item, NormalizedChunk, RecordNormalizer

CHUNK_ROWS = 2000
PARALLEL_MIN_BYTES = 4 << 20  # below this, starting workers costs more than it saves
IN_FLIGHT = 8  # chunks queued per worker: either side can run ahead while the other waits

Encoder = Callable[[list[tuple]], list]  # rows -> their audit texts (audit.log.RowEncoder)
_worker: tuple[RecordNormalizer, Encoder | None] | None = None  # set in each worker process


def default_workers(size_bytes: int) -> int:
    """Worker processes for a file of this size (RECKON_IMPORT_WORKERS sets them; else none).

    Serial by default. One worker (normalizing and preparing the audit texts while the
    importing process reads, inserts and digests) imported 1M rows in 26-27 s against 36-38 s
    serially when the 2-core benchmark machine was otherwise idle, but in 37-53 s when other
    work kept a core busy, where serial took 37-44 s (benchmarks/RESULTS.md, Ingest): not
    reliably faster here. Worker processes also need the calling script's
    ``if __name__ == "__main__":`` guard.
    """
    wanted = os.environ.get("RECKON_IMPORT_WORKERS")
    if not wanted or size_bytes < PARALLEL_MIN_BYTES:
        return 0
    return max(0, int(wanted))


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk import (restored afterwards).

    An import builds hundreds of thousands of long-lived, cycle-free objects (the per-value
    caches here and the memo of reckon.text); the collector would walk them all again each
    time they grow by a quarter. Measured at 1M rows: a quarter of the import's CPU time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _start_worker(normalizer: RecordNormalizer, encode: Encoder | None) -> None:
    global _worker
    _worker = normalizer, encode
    gc.disable()  # as in cycle_collection_paused; the worker ends with the import


def _normalize_in_worker(items: list[Item], created_at: object) -> NormalizedChunk:
    assert _worker is not None
    normalizer, encode = _worker
    chunk = normalizer.normalize(items, created_at)
    if encode is not None:
        chunk.texts = encode(chunk.rows)
    return chunk


def normalized_chunks(
    items: Iterable[Item],
    normalizer: RecordNormalizer,
    created_at: Callable[[], object],
    workers: int = 0,
    encode: Encoder | None = None,
) -> Iterator[NormalizedChunk]:
    """Yield normalized chunks in file order, using `workers` processes when > 0.

    `created_at()` gives the creation time stored with a chunk's records; `encode`, if given,
    makes the good rows' audit texts (`chunk.texts`) in the workers, off the importing process.
    """
    iterator = iter(items)
    chunks = iter(lambda: list(islice(iterator, CHUNK_ROWS)), [])
    if workers <= 0:
        for chunk in chunks:  # the texts are made, with the ids, by the caller's digest
            yield normalizer.normalize(chunk, created_at())
        return
    # Not "fork": a forked worker would inherit the open database connection, and if the
    # importing process were killed it would keep the transaction (and its locks) alive.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["reckon.ingest.pipeline"])
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(normalizer, encode)
    ) as pool:
        pending: deque[Future] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_normalize_in_worker, chunk, created_at()))
            if len(pending) > IN_FLIGHT * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
