"""Content-addressed file store: each file kept once, under its SHA-256, never modified.

Files are hashed while they are copied (constant memory, one pass), written to a temporary file
in the store and moved into place atomically, so a crash never leaves a partial file under a
real name. Temporary files are named `.incoming-<pid>-…`; `clean_incoming()` removes those whose
process is gone (a run killed mid-copy).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 20
INCOMING_PREFIX = ".incoming-"


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    already_present: bool


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    """SHA-256 of a file, read in chunks (constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


class FileStore:
    """Files by SHA-256 under `root/ab/cdef…`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def __contains__(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put_stream(
        self, stream: BinaryIO, progress: Callable[[int], None] | None = None
    ) -> StoredFile:
        """Copy `stream` into the store, hashing as it goes; return where it landed."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=f"{INCOMING_PREFIX}{os.getpid()}-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK_SIZE):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if progress:
                        progress(len(chunk))
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if target.exists():
                os.unlink(tmp_name)
                return StoredFile(sha, size, target, already_present=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_name, 0o444)
            os.replace(tmp_name, target)
            return StoredFile(sha, size, target, already_present=False)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def put(self, path: Path, progress: Callable[[int], None] | None = None) -> StoredFile:
        """Copy the file at `path` into the store."""
        with open(path, "rb") as handle:
            return self.put_stream(handle, progress)

    def clean_incoming(self, *, older_than: float = 86400.0) -> int:
        """Remove temporary files left by processes that died mid-copy; how many were removed.

        A file is removed when the process named in it no longer exists, or (for names without
        a process id) when it is older than `older_than` seconds.
        """
        if not self.root.is_dir():
            return 0
        removed = 0
        for path in self.root.glob(f"{INCOMING_PREFIX}*"):
            pid_text = path.name[len(INCOMING_PREFIX) :].split("-", 1)[0]
            if pid_text.isdigit():
                stale = not _process_alive(int(pid_text))
            else:
                try:
                    stale = time.time() - path.stat().st_mtime > older_than
                except FileNotFoundError:
                    continue
            if stale:
                try:
                    path.unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
