"""Content-addressed file store: each file kept once, under its SHA-256, never modified.

Files are hashed while they are copied (constant memory, one pass), written to a temporary file
in the store and moved into place atomically, so a crash never leaves a partial file under a
real name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 20


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
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
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
