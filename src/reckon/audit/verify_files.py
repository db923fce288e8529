"""`reckon verify`, third pass: every stored file is re-hashed; every referenced file exists."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from reckon.audit.findings import Finding, FindingCollector, VerifyResult
from reckon.model import EvidenceItem, ImportBatch
from reckon.store.project import Project

HASH_CHUNK = 1 << 20
Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _store_files(root: Path) -> tuple[dict[str, Path], list[Path]]:
    """Content-addressed files under `root/ab/cdef…` by name; and leftover temporary files."""
    files: dict[str, Path] = {}
    leftovers: list[Path] = []
    if not root.is_dir():
        return files, leftovers
    for directory in root.iterdir():
        if directory.is_file() and directory.name.startswith(".incoming-"):
            leftovers.append(directory)
        if not (directory.is_dir() and len(directory.name) == 2):
            continue
        for path in directory.iterdir():
            if path.is_file():
                files[directory.name + path.name] = path
    return files, leftovers


def check_files(
    project: Project,
    connection: Connection,
    found: FindingCollector,
    result: VerifyResult,
    progress: Progress | None,
    decrypt: Any | None,
) -> None:
    plain, plain_left = _store_files(project.files_dir)
    encrypted, enc_left = _store_files(project.files_dir / "encrypted")
    leftovers = plain_left + enc_left
    if leftovers:
        result.notes.append(
            f"{len(leftovers)} incomplete upload(s) left by an interrupted process "
            "(never referenced; removed by the next `reckon evidence add`)"
        )
    referenced_plain: dict[str, str] = {}
    referenced_encrypted: dict[str, str] = {}
    encrypted_content: set[str] = set()
    items = connection.execute(
        select(
            EvidenceItem.id, EvidenceItem.sha256, EvidenceItem.stored_sha256, EvidenceItem.encrypted
        )
    ).all()
    for item_id, sha, stored_sha, is_encrypted in items:
        if is_encrypted:
            referenced_encrypted[stored_sha] = f"evidence {item_id}"
            encrypted_content.add(sha)
        else:
            referenced_plain.setdefault(sha, f"evidence {item_id}")
    for batch_id, sha in connection.execute(select(ImportBatch.id, ImportBatch.sha256)):
        if sha not in encrypted_content:  # else kept encrypted, as restricted evidence
            referenced_plain.setdefault(sha, f"import batch {batch_id}")
    jobs = [(sha, path, "") for sha, path in plain.items()]
    jobs += [(sha, path, "encrypted ") for sha, path in encrypted.items()]
    total_bytes = sum(path.stat().st_size for _, path, _ in jobs)
    done = 0
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (name, _path, label), (actual, size) in zip(
            jobs, pool.map(lambda job: _hash_file(job[1]), jobs), strict=True
        ):
            result.files += 1
            result.bytes_hashed += size
            done += size
            if progress:
                progress("files", done, total_bytes)
            if actual != name:
                owner = (referenced_encrypted if label else referenced_plain).get(name)
                found.add(
                    Finding(
                        "altered",
                        "file",
                        f"{label}stored file {name}{f' ({owner})' if owner else ''} has been "
                        f"modified: its content now hashes to {actual}",
                        sha256=name,
                    )
                )
    for sha, owner in referenced_plain.items():
        if sha not in plain:
            found.add(
                Finding(
                    "deleted", "file", f"file {sha} ({owner}) is missing from the store", sha256=sha
                )
            )
    for sha, owner in referenced_encrypted.items():
        if sha not in encrypted:
            found.add(
                Finding(
                    "deleted",
                    "file",
                    f"encrypted file {sha} ({owner}) is missing from the store",
                    sha256=sha,
                )
            )
    unreferenced = (plain.keys() - referenced_plain.keys()) | (
        encrypted.keys() - referenced_encrypted.keys()
    )
    if unreferenced:
        result.notes.append(
            f"{len(unreferenced)} stored file(s) referenced by nothing (an interrupted run, "
            "or a file whose import was rolled back); harmless"
        )
    if decrypt is not None:
        for finding in decrypt(connection):
            found.add(finding)
